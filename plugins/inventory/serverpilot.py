# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
name: serverpilot
short_description: Every app of a ServerPilot account as an inventory host
version_added: 0.1.0
description:
  - Each app of the account becomes a host, named after the app (or its ID), in the group C(serverpilot_apps), and in
    groups by server (C(serverpilot_server_<id>)) and by runtime (C(serverpilot_runtime_<runtime>)).
  - Host variables carry the app as the API lists it - C(serverpilot_app_id), C(serverpilot_app_name),
    C(serverpilot_app_server_id), C(serverpilot_app_sysuser_id), C(serverpilot_app_runtime), C(serverpilot_app_domains)
    (the current list) and C(serverpilot_app_ssl) (C({auto, force, custom_cert}), never the key or certificate).
  - C(serverpilot_app_id) is the variable the C(multisite.serverpilot.domain_mapping) role reads, so a play over these
    hosts runs the role for many apps in parallel (C(--forks)); say per host which domains each app must serve in
    C(serverpilot_domains) (host or group vars, or C(compose)).
  - One API call (C(GET /apps)) per inventory load; the result can be cached with Ansible's cache plugins.
  - The configuration file's name must end in C(serverpilot.yml) or C(serverpilot.yaml).
author:
  - multisite.serverpilot maintainers (@multisite)
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
requirements:
  - requests
options:
  plugin:
    description: The name of this plugin.
    required: true
    choices: [multisite.serverpilot.serverpilot]
    type: str
  client_id:
    description: The ServerPilot API client ID.
    type: str
    env:
      - name: SERVERPILOT_CLIENT_ID
  api_key:
    description: The ServerPilot API key. Prefer the environment variable (an AWX credential) to a file.
    type: str
    env:
      - name: SERVERPILOT_API_KEY
  api_url:
    description:
      - The API's base URL; plain C(http://) only to a loopback host.
      - Unset or empty means ServerPilot's public API v1.
    type: str
    env:
      - name: SERVERPILOT_API_URL
  validate_certs:
    description: Verify the API endpoint's TLS certificate.
    type: bool
    default: true
  timeout:
    description: Seconds to wait for the API on each request.
    type: float
    default: 30
  retries:
    description: Further tries after HTTP 429/5xx, dropped connections and timeouts.
    type: int
    default: 4
  hostname:
    description: What names a host - the app's V(name) or its V(id). A name two apps share gets the ID appended.
    type: str
    choices: [name, id]
    default: name
  local_connection:
    description:
      - Give every host C(ansible_connection=local) and the controller's Python, since the hosts are API objects,
        not machines to log in to.
    type: bool
    default: true
  filters:
    description:
      - Jinja2 conditionals on each app's host variables; an app is a host only when all are true.
    type: list
    elements: str
    default: []
'''

EXAMPLES = r'''
# inventory/apps.serverpilot.yml - credentials from SERVERPILOT_CLIENT_ID / SERVERPILOT_API_KEY
plugin: multisite.serverpilot.serverpilot
filters:
  # only the apps this job is for: the domain_mapping playbook acts on every host of the inventory
  - serverpilot_app_name in ['network', 'shop-network']
keyed_groups:
  - key: serverpilot_app_ssl.auto | string | lower
    prefix: autossl
# each app's own names in host_vars/<app name>.yml (serverpilot_domains: [...])
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/serverpilot-inventory
cache_timeout: 600
'''

import sys

from ansible.errors import AnsibleError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError
from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import build_client

ALL_APPS = 'serverpilot_apps'


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = 'multisite.serverpilot.serverpilot'

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(
            ('serverpilot.yml', 'serverpilot.yaml'))

    def _fetch(self):
        # the modules' own client and checks (runner.build_client): one validation for both
        options = dict((name, self.get_option(name)) for name in (
            'client_id', 'api_key', 'api_url', 'validate_certs', 'timeout', 'retries'))
        client = None
        try:
            client = build_client(options)
            return client.list_apps()
        except CollectionError as exc:
            raise AnsibleError('serverpilot inventory (%s): %s' % (exc.kind, exc.msg))
        finally:
            if client is not None:
                client.close()

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option('cache') and cache
        update_cache = self.get_option('cache') and not cache
        apps = None
        if use_cache:
            try:
                apps = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if apps is None:
            apps = self._fetch()
        if update_cache:
            self._cache[cache_key] = apps
        self._populate(apps)

    def _host_names(self, apps):
        key = self.get_option('hostname')
        names = [str(app.get(key)) for app in apps]
        shared = set(name for name in names if names.count(name) > 1)
        if shared:
            self.display.warning('ServerPilot apps share the name(s) %s; their hosts are named <name>_<id>.'
                                 % ', '.join(sorted(shared)))
        return [name if name not in shared else '%s_%s' % (name, app['id']) for name, app in zip(names, apps)]

    def _populate(self, apps):
        strict = self.get_option('strict')
        self.inventory.add_group(ALL_APPS)
        for name, app in zip(self._host_names(apps), apps):
            variables = {
                'serverpilot_app_id': app['id'],
                'serverpilot_app_name': app.get('name'),
                'serverpilot_app_server_id': app.get('serverid'),
                'serverpilot_app_sysuser_id': app.get('sysuserid'),
                'serverpilot_app_runtime': app.get('runtime'),
                'serverpilot_app_domains': app.get('domains') or [],
                'serverpilot_app_ssl': app.get('ssl'),
            }
            if not self._wanted(variables, strict):
                continue
            self.inventory.add_host(name, group=ALL_APPS)
            for group in ('serverpilot_server_%s' % app.get('serverid'),
                          'serverpilot_runtime_%s' % app.get('runtime')):
                group = self._sanitize_group_name(group)
                self.inventory.add_group(group)
                self.inventory.add_child(group, name)
            if self.get_option('local_connection'):
                variables['ansible_connection'] = 'local'
                # the controller's own Python: inventory runs in it, and it has what the modules need
                variables['ansible_python_interpreter'] = sys.executable
            for key, value in variables.items():
                self.inventory.set_variable(name, key, value)
            self._set_composite_vars(self.get_option('compose'), variables, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), variables, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, name, strict=strict)

    def _wanted(self, variables, strict):
        for condition in self.get_option('filters'):
            try:
                if not self._compose(condition, variables):
                    return False
            except Exception as exc:
                if strict:
                    raise AnsibleError('filter %r failed: %s' % (condition, exc))
                return False
        return True
