#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: domain_mapping_credentials
short_description: Take the ServerPilot credentials from Ultimate Multisite's constants in wp-config.php
version_added: 0.1.0
description:
  - For a network moving from Ultimate Multisite's ServerPilot integration to this collection - the role
    C(multisite.serverpilot.domain_mapping) runs it with C(serverpilot_credentials_from_wp_config=true).
  - Reads the constants C(WU_SERVER_PILOT_CLIENT_ID), C(WU_SERVER_PILOT_API_KEY) and C(WU_SERVER_PILOT_APP_ID) from the
    network's C(wp-config.php), with the collection's PHP reader - as PHP has them, or refused with the line, never
    guessed (a constant written as code, or set where the reader cannot follow, is refused). What the task is given
    (O(client_id), O(api_key), O(app_id) - the role's variables or the environment) wins over the file.
  - Without C(WU_SERVER_PILOT_APP_ID), the app is the one that the file's path names under ServerPilot's layout
    (C(/srv/users/SYSUSER/apps/APP/)), found in the account's app list (one API call) when exactly one app has that
    name; otherwise it is refused, naming the candidates.
  - Ultimate Multisite 2.5 may keep the credentials encrypted in network options instead (O(stored) names them);
    only the plugin can decrypt them, so they are never read - the refusal says what to set instead.
  - Runs in the controller's process (an action), reading the file where the task runs - fetched from another host
    inside the task. Its result holds the API key, so Ansible shows it censored at every verbosity; only a refusal,
    which names constants and lines and never a value, is shown.
author:
  - multisite.serverpilot maintainers (@multisite)
options:
  wp_config:
    description: The network's C(wp-config.php), where the task runs.
    type: path
    required: true
  client_id:
    description: The client ID the run was given; wins over the constant when not empty.
    type: str
    default: ''
  api_key:
    description: The API key the run was given; wins over the constant when not empty.
    type: str
    default: ''
  app_id:
    description: The app the run was given; wins over the constant and the path when not empty.
    type: str
    default: ''
  stored:
    description:
      - The network options in which Ultimate Multisite 2.5 keeps credentials
        (RV(multisite.serverpilot.multisite_domains_info#module:plugin_credentials_stored)), named in a refusal.
    type: list
    elements: str
    default: []
  api_url:
    description: The API's base URL, for finding the app from the path; empty - ServerPilot's public API.
    type: str
  validate_certs:
    description: Verify the API's certificate.
    type: bool
    default: true
  timeout:
    description: Seconds for each API request.
    type: float
    default: 30
  retries:
    description: Tries after the first, for an API request that fails in a way another try may not meet.
    type: int
    default: 4
attributes:
  check_mode:
    description: It only reads.
    support: full
  diff_mode:
    description: No diff.
    support: none
  platform:
    description: Runs on the controller; reads the file on the host the task runs on.
    support: full
    platforms: posix
seealso:
  - module: multisite.serverpilot.multisite_domains_info
'''

EXAMPLES = r'''
- name: The credentials Ultimate Multisite's integration used
  multisite.serverpilot.domain_mapping_credentials:
    wp_config: /srv/users/serverpilot/apps/network/public/wp-config.php
  delegate_to: wordpress.example.net
  register: plugin_credentials

- name: Say where they came from (never the key)
  ansible.builtin.debug:
    msg: "{{ plugin_credentials.credentials_from }}"
'''

RETURN = r'''
client_id:
  description: The client ID.
  returned: success
  type: str
api_key:
  description:
    - The API key. The result is shown censored; use it only as an option of the collection's modules.
    - Only through the action, on the controller - as a module the result would not be censored, so it is left out.
  returned: success, in the controller
  type: str
app_id:
  description: The app.
  returned: success
  type: str
credentials_from:
  description: Where each came from - V(given), or the file with its constant and line, or the file's path and app name.
  returned: success
  type: dict
  sample: {client_id: "wp_config /srv/users/serverpilot/apps/network/public/wp-config.php (WU_SERVER_PILOT_CLIENT_ID, line 92)",
           api_key: given, app_id: "the path of wp_config /srv/users/serverpilot/apps/network/public/wp-config.php (app network)"}
error_kind:
  description:
    - On failure, one word for what failed - V(invalid_input) (a constant missing, written as code or set where the reader
      cannot follow, an unreadable file, no app or several for the path), V(credentials), V(transport), V(refused),
      V(not_found) or V(unexpected_response) (finding the app from the path), or V(missing_library).
  returned: failure
  type: str
  sample: invalid_input
'''

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import plugin_credentials
from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import build_client, run_module


def argument_spec():
    return dict(
        wp_config=dict(type='path', required=True),
        client_id=dict(type='str', default=''),
        api_key=dict(type='str', default='', no_log=True),
        app_id=dict(type='str', default=''),
        stored=dict(type='list', elements='str', default=[]),
        api_url=dict(type='str'),
        validate_certs=dict(type='bool', default=True),
        timeout=dict(type='float', default=30),
        retries=dict(type='int', default=4),
    )


def requires(params):
    return []


def work(run):
    """As a module - the action missing - everything but the key itself: a module's result is not censored."""
    params = run.params
    values, sources = plugin_credentials.find(
        plugin_credentials.read_text(params['wp_config']), params,
        lambda client_id, api_key: build_client(dict(params, client_id=client_id, api_key=api_key)))
    run.warn('domain_mapping_credentials ran as a module, so it returns where each credential came from but not '
             'the API key; on the controller, its action returns the key in a censored result.')
    return dict(client_id=values['client_id'], app_id=values['app_id'], credentials_from=sources, changed=False)


def main():
    run_module(argument_spec(), work, requires, api=False)


if __name__ == '__main__':
    main()
