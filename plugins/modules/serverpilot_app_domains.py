#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: serverpilot_app_domains
short_description: Keep a ServerPilot app's domain list as the inventory says
version_added: 0.1.0
description:
  - Reads the app's domains, merges in (or takes out) the requested names and their C(www.) forms, and sends the
    complete list back, as ServerPilot's API has no add or remove call.
  - Writes only when the list differs, waits for the server action, then reads the app once more to confirm.
    If another writer changed the list in the meantime, its change is kept and ours applied again.
author:
  - multisite.serverpilot maintainers (@multisite)
extends_documentation_fragment:
  - multisite.serverpilot.serverpilot
  - multisite.serverpilot.serverpilot.app
  - multisite.serverpilot.serverpilot.attributes
attributes:
  check_mode:
    description: Makes no write; reports the list a real run would leave.
    support: full
  diff_mode:
    description: Shows the app's domain list before and after.
    support: full
options:
  domains:
    description:
      - Host names to ensure present or absent. Names are trimmed, lower-cased, stripped of a trailing dot,
        converted to punycode (IDNA 2008) and de-duplicated. A leading C(*.) wildcard label is allowed.
      - Every invalid entry is named in one failure, before any API call.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(present) adds the names; V(absent) removes them, and their C(www.) forms as O(www) selects.
    type: str
    choices: [present, absent]
    default: present
  max_removals:
    description:
      - Refuse, before any write, a run that would remove more domains than this, naming the count and the first few.
      - Guards an O(exclusive) sync from a source that is empty by mistake (a wrong table prefix, a truncated table,
        a restore in progress). Check mode reports the same refusal. Unset means no cap.
    type: int
  exclusive:
    description:
      - With O(state=present), make the app's list exactly the requested names (with their C(www.) forms),
        removing every other domain.
      - An empty list is refused rather than stripping the app.
    type: bool
    default: false
  www:
    description:
      - Which names also get their C(www.) form.
      - V(always) every name not already starting with C(www.); V(apex) only registrable domains by the Public
        Suffix List (C(example.co.uk) yes, C(shop.example.co.uk) no); V(never) none.
      - Wildcards never get a C(www.) form.
    type: str
    choices: [always, apex, never]
    default: always
seealso:
  - name: ServerPilot API
    description: The public API document.
    link: https://github.com/ServerPilot/API
'''

EXAMPLES = r'''
- name: Map a customer's domain (and www.) onto the network's app
  multisite.serverpilot.serverpilot_app_domains:
    app_id: "{{ serverpilot_app_id }}"
    domains:
      - shop.example.com
      - Bücher.example

- name: Make the list exactly this, www. only for registrable domains
  multisite.serverpilot.serverpilot_app_domains:
    app_id: nlcN0TwdZAyNEgdp
    domains: "{{ mapped_domains }}"
    exclusive: true
    www: apex

- name: Unmap a domain and its www. form
  multisite.serverpilot.serverpilot_app_domains:
    app_id: nlcN0TwdZAyNEgdp
    domains: [old-customer.example.org]
    state: absent

- name: Credentials once for every module of the collection
  module_defaults:
    group/multisite.serverpilot.serverpilot:
      client_id: "{{ vault_serverpilot_client_id }}"
      api_key: "{{ vault_serverpilot_api_key }}"
  block:
    - name: Add the network's wildcard
      multisite.serverpilot.serverpilot_app_domains:
        app_id: nlcN0TwdZAyNEgdp
        domains: ["*.network.example"]
'''

RETURN = r'''
domains:
  description: The app's domain list after the run (in check mode, the list a real run would leave).
  returned: success
  type: list
  elements: str
  sample: [network.example, www.network.example, shop.example.com, www.shop.example.com]
requested:
  description:
    - The names this task asked for, normalised and with the C(www.) forms O(www) adds - what a certificate
      check should cover after O(state=present).
  returned: success
  type: list
  elements: str
  sample: [shop.example.com, www.shop.example.com]
added:
  description: Names this run added.
  returned: success
  type: list
  elements: str
  sample: [shop.example.com, www.shop.example.com]
removed:
  description: Names this run removed.
  returned: success
  type: list
  elements: str
  sample: []
action_id:
  description: The ID of the last ServerPilot action this run started; null when nothing was written.
  returned: always
  type: str
  sample: KlsNzLikw3BRvShc
action_ids:
  description:
    - Every action this run started (more than one when another writer's change had to be merged).
    - Also on failure, with C(changed) true when a write went through before the failure.
  returned: always
  type: list
  elements: str
  sample: [KlsNzLikw3BRvShc]
api_calls:
  description: How many HTTP requests this run sent to the API, retries included.
  returned: always
  type: int
  sample: 4
external_changes:
  description: Domains another writer added or removed while this run was writing; they were kept as they are.
  returned: when another writer changed the list during the run
  type: dict
  sample: {added: [other.example.net], removed: []}
'''

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.multisite.serverpilot.plugins.module_utils import domains as rules
from ansible_collections.multisite.serverpilot.plugins.module_utils.api import (
    ServerPilotError, client_from_module, serverpilot_argument_spec)

# A write is repeated only while another writer keeps undoing it; past this we stop and say so.
MAX_WRITES = 3


def converge(client, app_id, wanted, params, check_mode, result):
    """Read, plan, write and confirm; fills ``result`` as it goes, so a failure after a write reports it."""
    before = client.get_app(app_id)['domains'] or []
    plan = rules.plan(before, wanted, params['state'], params['exclusive'])
    rules.check_limit(plan.after)
    rules.check_removals(plan.removed, params['max_removals'], app_id)
    result.update(changed=plan.changed, domains=plan.after, added=plan.added, removed=plan.removed)
    if not plan.changed or check_mode:
        return before
    result['changed'] = False  # until a write goes through
    target = plan.after
    external = dict(added=[], removed=[])
    for dummy in range(MAX_WRITES):
        action_id = client.set_app_domains(app_id, target)[0]
        result.update(changed=True, action_id=action_id)
        result['action_ids'].append(action_id)
        if params['wait']:
            client.wait_for_action(action_id, params['wait_timeout'])
        current = client.get_app(app_id)['domains'] or []
        for key, names in zip(('added', 'removed'), rules.difference(target, current)):
            external[key].extend(n for n in names if n not in external[key])
        if external['added'] or external['removed']:
            result['external_changes'] = external
        missing, stale = rules.missing_and_stale(current, plan)
        if not missing and not stale:
            result['domains'] = current
            return before
        # Another writer replaced the list after our write: keep its change, apply ours again.
        target = rules.reconcile(current, plan)
        rules.check_limit(target)
        rules.check_removals(rules.difference(target, current)[1], params['max_removals'], app_id)
    raise ServerPilotError('The app %s still lacks %s or still holds %s after %d writes: another writer keeps '
                           'replacing its domain list. Stop the other writer and run again.'
                           % (app_id, missing, stale, MAX_WRITES))


def main():
    argument_spec = serverpilot_argument_spec(app=True)
    argument_spec.update(
        domains=dict(type='list', elements='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        exclusive=dict(type='bool', default=False),
        max_removals=dict(type='int'),
        www=dict(type='str', choices=list(rules.WWW_MODES), default='always'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if not rules.HAS_IDNA:
        module.fail_json(msg=missing_required_lib('idna'), exception=rules.IDNA_IMPORT_ERROR)
    if not rules.HAS_PSL:
        module.fail_json(msg=missing_required_lib('publicsuffixlist'), exception=rules.PSL_IMPORT_ERROR)
    params = module.params
    if params['max_removals'] is not None and params['max_removals'] < 0:
        module.fail_json(msg='max_removals must be 0 or more.')
    try:
        wanted = rules.requested(params['domains'], params['www'])
        rules.check_request(wanted, params['state'], params['exclusive'])
    except rules.DomainError as exc:
        module.fail_json(msg=str(exc))

    client = client_from_module(module)
    result = dict(changed=False, requested=list(wanted), action_id=None, action_ids=[])
    try:
        before = converge(client, params['app_id'], wanted, params, module.check_mode, result)
    except ServerPilotError as exc:
        result.update(exc.details())
        module.fail_json(msg=exc.msg, api_calls=client.calls, **result)
    except rules.DomainError as exc:
        module.fail_json(msg=str(exc), api_calls=client.calls, **result)
    finally:
        client.close()
    result['api_calls'] = client.calls
    if 'external_changes' in result:
        module.warn('Another writer changed the domain list of app %s during this run (added: %s; removed: %s). '
                    'Its changes were kept and this run\'s applied on top.'
                    % (params['app_id'], result['external_changes']['added'] or 'none',
                       result['external_changes']['removed'] or 'none'))
    if module._diff:
        result['diff'] = dict(before=dict(domains=before), after=dict(domains=result['domains']))
    module.exit_json(**result)


if __name__ == '__main__':
    main()
