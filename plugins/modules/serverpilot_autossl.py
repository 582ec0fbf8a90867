#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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
- name: Switch AutoSSL on, retrying while Let's Encrypt waits for DNS
  multisite.serverpilot.serverpilot_autossl:
    app_id: nlcN0TwdZAyNEgdp
  register: autossl
  until: autossl is not failed
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
  description: The ServerPilot actions this run started, in order.
  returned: success
  type: list
  elements: str
  sample: [BzcMNZ9sdBY62vTd]
api_calls:
  description: How many HTTP requests this run sent to the API, retries included.
  returned: always
  type: int
  sample: 3
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.multisite.serverpilot.plugins.module_utils import autossl as rules
from ansible_collections.multisite.serverpilot.plugins.module_utils.api import (
    ServerPilotError, client_from_module, serverpilot_argument_spec)

# What each step leaves behind, to recognise a step that a retried call had already applied.
STEP_RESULT = {
    rules.DELETE: lambda ssl: not ssl['auto'] and not ssl['custom_cert'],
    rules.ENABLE_AUTO: lambda ssl: ssl['auto'],
    rules.FORCE_ON: lambda ssl: ssl['force'],
    rules.FORCE_OFF: lambda ssl: not ssl['force'],
}


def apply_step(client, app_id, step):
    calls = {
        rules.DELETE: lambda: client.delete_ssl(app_id),
        rules.ENABLE_AUTO: lambda: client.enable_autossl(app_id),
        rules.FORCE_ON: lambda: client.set_force_ssl(app_id, True),
        rules.FORCE_OFF: lambda: client.set_force_ssl(app_id, False),
    }
    try:
        return calls[step]()
    except ServerPilotError as exc:
        # A retry after a lost answer may be refused because the first try took effect.
        if exc.status == 400 and (exc.tries or 0) > 1 and STEP_RESULT[step](client.get_app(app_id)['ssl']):
            return None
        raise


def converge(module, client, result):
    """Read the app once, plan, write the steps; fills ``result`` as it learns, so a failure reports it too."""
    params = module.params
    app = client.get_app(params['app_id'])
    before = app['ssl']
    result.update(ssl=before, autossl=app.get('autossl'),
                  uncovered_domains=rules.uncovered_domains(app['domains'], app.get('autossl')))
    plan = rules.decide(params['app_id'], app['ssl'], app.get('autossl'), app['domains'], params['state'],
                        params['force_ssl'], params['replace_custom_cert'], module.check_mode)
    for warning in plan.warnings:
        module.warn(warning)
    if module.check_mode or not plan.changed:
        result.update(changed=plan.changed, ssl=plan.after)
        return before
    for index, step in enumerate(plan.steps):
        action_id = apply_step(client, params['app_id'], step)
        result['changed'] = True
        if action_id:
            result['action_ids'].append(action_id)
            # a later step needs this one applied, whatever wait says
            if params['wait'] or index < len(plan.steps) - 1:
                client.wait_for_action(action_id, params['wait_timeout'])
    app = client.get_app(params['app_id'])
    result.update(ssl=app['ssl'], autossl=app.get('autossl'),
                  uncovered_domains=rules.uncovered_domains(app['domains'], app.get('autossl')))
    return before


def main():
    argument_spec = serverpilot_argument_spec(app=True)
    argument_spec.update(
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        force_ssl=dict(type='bool'),
        replace_custom_cert=dict(type='bool', default=False),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if module.params['state'] == 'absent' and module.params['force_ssl']:
        module.fail_json(msg='force_ssl=true needs SSL, and state=absent switches AutoSSL off. '
                             'Use state=present, or force_ssl=false.')
    client = client_from_module(module)
    result = dict(changed=False, action_ids=[])
    try:
        before = converge(module, client, result)
    except ServerPilotError as exc:
        result.update(exc.details())
        module.fail_json(msg=exc.msg, api_calls=client.calls, **result)
    except rules.SSLDecisionError as exc:
        module.fail_json(msg=str(exc), api_calls=client.calls, **result)
    finally:
        client.close()
    result['api_calls'] = client.calls
    if module._diff:
        result['diff'] = dict(before=before, after=result['ssl'])
    module.exit_json(**result)


if __name__ == '__main__':
    main()
