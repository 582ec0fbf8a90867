#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: serverpilot_autossl
short_description: Switch a ServerPilot app's AutoSSL and ForceSSL on or off
version_added: 0.1.0
description:
  - Makes ServerPilot's AutoSSL (Let's Encrypt certificates it issues and renews) and ForceSSL (redirect HTTP
    to HTTPS) match the wish, with the fewest calls, each waiting for its server action.
  - AutoSSL can only be switched on once ServerPilot says it is available for the app, which happens once the
    DNS of the app's domains points at the server. Until then the task fails with the domains still waiting,
    so an C(until)/C(retries) loop can keep asking.
  - A custom certificate is never deleted unless O(replace_custom_cert=true) and AutoSSL can take its place.
author:
  - multisite.serverpilot maintainers (@multisite)
extends_documentation_fragment:
  - multisite.serverpilot.serverpilot
  - multisite.serverpilot.serverpilot.app
  - multisite.serverpilot.serverpilot.attributes
attributes:
  check_mode:
    description: Makes no write; reports what a real run would change, and warns instead of failing while AutoSSL
      is not yet available (in a check run, the domains an earlier task would add are not there yet).
    support: full
  diff_mode:
    description: Shows whether AutoSSL, ForceSSL and a custom certificate are on, before and after.
    support: full
options:
  state:
    description:
      - V(present) switches AutoSSL on; V(absent) switches it off (deleting the app's AutoSSL certificate, which
        also turns ForceSSL off).
      - V(absent) never deletes a custom certificate; it warns and leaves it.
    type: str
    choices: [present, absent]
    default: present
  force_ssl:
    description:
      - V(true) redirects HTTP to HTTPS, V(false) stops that. Unset leaves ForceSSL as it is.
      - Set in a separate call once SSL is on. V(true) is refused when the app would have no SSL.
    type: bool
  replace_custom_cert:
    description:
      - With O(state=present), delete an installed custom certificate and switch AutoSSL on in its place, in that
        order. The certificate is only deleted when AutoSSL is available.
    type: bool
    default: false
seealso:
  - module: multisite.serverpilot.serverpilot_app_domains
  - name: ServerPilot API
    description: The public API document.
    link: https://github.com/ServerPilot/API
'''

EXAMPLES = r'''
- name: Switch AutoSSL on, retrying only while Let's Encrypt waits for DNS
  multisite.serverpilot.serverpilot_autossl:
    app_id: nlcN0TwdZAyNEgdp
  register: autossl
  # any other failure (credentials, a custom certificate, ...) stops at once
  until: autossl is succeeded or autossl.error_kind != 'autossl_unavailable'
  retries: 15
  delay: 60

- name: AutoSSL with HTTP redirected to HTTPS
  multisite.serverpilot.serverpilot_autossl:
    app_id: nlcN0TwdZAyNEgdp
    force_ssl: true

- name: Replace an expiring custom certificate with AutoSSL
  multisite.serverpilot.serverpilot_autossl:
    app_id: nlcN0TwdZAyNEgdp
    replace_custom_cert: true

- name: Switch AutoSSL off
  multisite.serverpilot.serverpilot_autossl:
    app_id: nlcN0TwdZAyNEgdp
    state: absent
'''

RETURN = r'''
ssl:
  description: The app's SSL state after the run (in check mode, the state a real run would leave).
  returned: success
  type: dict
  contains:
    auto:
      description: AutoSSL is on.
      type: bool
    force:
      description: ForceSSL (HTTP to HTTPS redirect) is on.
      type: bool
    custom_cert:
      description: A custom certificate is installed.
      type: bool
  sample: {auto: true, force: true, custom_cert: false}
autossl:
  description: ServerPilot's AutoSSL availability for the app, and the domains its certificate covers.
  returned: success
  type: dict
  sample: {available: true, domains: [shop.example.com, www.shop.example.com]}
uncovered_domains:
  description: The app's domains the available AutoSSL certificate does not cover (all of them when none is available).
  returned: success
  type: list
  elements: str
  sample: [new.example.org]
action_ids:
  description: The ServerPilot actions this run started, in order; also on failure, after a write went through.
  returned: always
  type: list
  elements: str
  sample: [BzcMNZ9sdBY62vTd]
error_kind:
  description:
    - On failure, one word from a fixed vocabulary for what failed; decide on it in playbooks, never on the text of
      C(msg).
    - V(credentials) (the API refused the client ID and key), V(not_found) (no such app), V(invalid_input) (a bad option
      value or domain name; nothing was sent), V(autossl_unavailable) (no certificate covers the domains yet),
      V(custom_certificate) (a custom certificate is in the way), V(action_error) (a ServerPilot action ended in error),
      V(action_timeout) (an action still open after C(wait_timeout)), V(transport) (retries exhausted, a connection or TLS
      failure), V(refused) (HTTP 400, 402, 403 or 409), V(unexpected_response) (an answer the API document does not
      describe) or V(missing_library) (a Python package is not installed).
  returned: failure
  type: str
  sample: autossl_unavailable
api_calls:
  description: How many HTTP requests this run sent to the API, retries included.
  returned: always
  type: int
  sample: 3
'''

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot.autossl import refuse_impossible_request
from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import (
    run_module, serverpilot_argument_spec)
from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot.autossl_workflow import sync_ssl


def work(run):
    params = run.params
    refuse_impossible_request(params['state'], params['force_ssl'])  # before any call: a wish no app could meet reads nothing
    return sync_ssl(run.client, params['app_id'], state=params['state'], force_ssl=params['force_ssl'],
                    replace_custom_cert=params['replace_custom_cert'], wait=params['wait'],
                    wait_timeout=params['wait_timeout'], check_mode=run.check_mode, result=run.result)


def argument_spec():
    spec = serverpilot_argument_spec(app=True)
    spec.update(
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        force_ssl=dict(type='bool'),
        replace_custom_cert=dict(type='bool', default=False),
    )
    return spec


def requires(params):
    return ['requests']


def main():
    run_module(argument_spec(), work, requires)


if __name__ == '__main__':
    main()
