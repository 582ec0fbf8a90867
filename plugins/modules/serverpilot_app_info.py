#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: serverpilot_app_info
short_description: Read one ServerPilot app, or every app of the account
version_added: 0.1.0
description:
  - Returns each app's ID, name, server, runtime, domains, SSL state and AutoSSL availability.
  - Never returns the SSL private key or certificate bodies.
author:
  - multisite.serverpilot maintainers (@multisite)
extends_documentation_fragment:
  - multisite.serverpilot.serverpilot
  - multisite.serverpilot.serverpilot.attributes
  - multisite.serverpilot.serverpilot.read_only
options:
  app_id:
    description:
      - The app to read. Without it, every app of the account is returned.
      - Unlike the other modules, this one does not read E(SERVERPILOT_APP_ID), so it can always list the account.
    type: str
  details:
    description:
      - Read each app's details, which carry RV(apps[].autossl). Listing the account without details costs one
        API call; with details, one more per app.
      - A single app (O(app_id)) is always read with its details.
    type: bool
    default: true
'''

EXAMPLES = r'''
- name: Every app of the account, with AutoSSL availability
  multisite.serverpilot.serverpilot_app_info:
  register: account

- name: Apps whose AutoSSL is off
  ansible.builtin.debug:
    msg: "{{ account.apps | rejectattr('ssl.auto') | map(attribute='name') | list }}"

- name: One app
  multisite.serverpilot.serverpilot_app_info:
    app_id: nlcN0TwdZAyNEgdp
  register: network
'''

RETURN = r'''
apps:
  description: The apps, in the API's order.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The app ID.
      type: str
    name:
      description: The app's name.
      type: str
    serverid:
      description: The server the app runs on.
      type: str
    sysuserid:
      description: The system user the app runs as.
      type: str
    runtime:
      description: The PHP runtime.
      type: str
    domains:
      description: The app's domain list.
      type: list
      elements: str
    ssl:
      description: The SSL state - no key or certificate body.
      type: dict
      sample: {auto: true, force: false, custom_cert: false}
    autossl:
      description: AutoSSL availability and the domains its certificate covers; null without O(details).
      type: dict
      sample: {available: true, domains: [shop.example.com]}
  sample:
    - id: nlcN0TwdZAyNEgdp
      name: network
      serverid: 4zGDDO2xg30yEeum
      sysuserid: RvnwAIfuENyjUVnl
      runtime: php8.2
      domains: [network.example, www.network.example]
      ssl: {auto: true, force: true, custom_cert: false}
      autossl: {available: true, domains: [network.example, www.network.example]}
error_kind:
  description:
    - On failure, one word from a fixed vocabulary for what failed; decide on it in playbooks, never on the text of
      C(msg).
    - V(credentials) (the API refused the client ID and key), V(not_found) (no such app), V(invalid_input) (a bad option
      value or domain name; nothing was sent), V(transport) (retries exhausted, a connection or TLS failure), V(refused)
      (HTTP 400, 402, 403 or 409), V(unexpected_response) (an answer the API document does not describe) or
      V(missing_library) (a Python package is not installed).
  returned: failure
  type: str
  sample: not_found
shared_domains:
  description:
    - Without O(app_id) - each domain listed on more than one app, with those apps' names. ServerPilot allows it and
      sends the requests to the app whose name sorts first, a silent outage for the others; each one also warns.
  returned: success without O(app_id)
  type: dict
  sample: {shop.example.com: [network, network-staging]}
api_calls:
  description: How many HTTP requests this run sent to the API, retries included.
  returned: always
  type: int
  sample: 1
'''

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot.domains import shared_domains
from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import (
    run_module, serverpilot_argument_spec)

FIELDS = ('id', 'name', 'serverid', 'sysuserid', 'runtime', 'domains', 'ssl', 'autossl')


def work(run):
    client, params = run.client, run.params
    if params['app_id']:
        apps = [client.get_app(params['app_id'])]
    else:
        apps = client.list_apps()
        run.result['shared_domains'] = shared = shared_domains(apps)
        for name, owners in shared.items():
            run.warn('%s is on %d apps (%s): ServerPilot sends its requests to the app whose name sorts first, so '
                     'the others never see them. Remove it from the apps that should not serve it.'
                     % (name, len(owners), ', '.join(owners)))
        if params['details']:
            apps = [client.get_app(app['id']) for app in apps]
    run.result['apps'] = [dict((field, app.get(field)) for field in FIELDS) for app in apps]
    return run.result


def argument_spec():
    spec = serverpilot_argument_spec()
    spec.update(
        app_id=dict(type='str'),
        details=dict(type='bool', default=True),
    )
    return spec


def requires(params):
    return ['requests']


def main():
    run_module(argument_spec(), work, requires)


if __name__ == '__main__':
    main()
