#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

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
      - IPv4 and IPv6 addresses are valid entries too (ServerPilot accepts them), written in canonical form
        (compressed IPv6).
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
      - A name and its C(www.) form count as one removal; each further spelling of a name counts on its own.
      - Guards an O(exclusive) sync from a source that is empty by mistake (a wrong table prefix, a truncated table,
        a restore in progress). Check mode reports the same refusal. Unset means no cap.
      - A fixed cap alone cannot protect a small network (a cap of 10 lets a network of ten customers be emptied);
        O(max_removals_percent) sizes the guard to the app, and the C(multisite.serverpilot.domain_mapping) role also
        refuses a mapping source that returns nothing at all.
    type: int
  max_removals_percent:
    description:
      - Refuse, before any write, a run that would remove more than this share (0-100) of the domains the app holds
        that the run could remove (counted as O(max_removals) counts; O(keep) entries aside), rounded down but never
        below one - so a network of three customers can lose one, a network of ten at most two at 25.
      - Applies with O(max_removals) (the lower limit wins). Unset means no share cap; the
        C(multisite.serverpilot.domain_mapping) role sets 25.
    type: int
  source_mappings:
    description:
      - How many mappings the source of O(domains) returned, when a mapping source such as
        M(multisite.serverpilot.multisite_domains_info) gave them (its C(count)).
      - With V(0), a run that would remove any domain (O(keep) aside) is refused before any write, whatever
        O(max_removals) says; check mode reports the same refusal. An emptied table, a wrong table prefix or a restore
        in progress looks exactly like a network whose customers all left.
      - Leave it unset for the one run in which the network really has no mapped domains any more.
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
        Suffix List (C(example.co.uk) yes, C(shop.example.co.uk) no, C(example.org.uk) yes); V(main_only) Ultimate
        Multisite's own rule for its C(auto_create_www_subdomain) setting - names of two labels, or of three under
        C(.co.uk), C(.com.au), C(.co.nz), C(.com.br) or C(.co.in) (so C(example.org.uk) no); V(never) none.
      - Wildcards and IP addresses never get a C(www.) form.
    type: str
    choices: [always, apex, main_only, never]
    default: always
  www_skip_under:
    description:
      - Names strictly below one of these never get a C(www.) form, whatever O(www) says - the network's own
        domains, so that subdomain sites (C(site1.network.example)) get none, as Ultimate Multisite adds none.
      - A leading C(*.) is ignored.
    type: list
    elements: str
    default: []
  keep:
    description:
      - Entries an O(exclusive) run never removes - names, IP addresses, IP networks in CIDR form
        (C(203.0.113.0/24); C(0.0.0.0/0) and C(::/0) keep every IP entry) and C(*.) patterns (the pattern itself and
        every name below it), for a staging name, a temporary name, or the app's server address.
      - Kept entries are never counted by O(max_removals).
    type: list
    elements: str
    default: []
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
    - Every action this run started (more than one when another writer's change had to be merged); a write that
      needed no server configuration has no action and adds nothing here.
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
error_kind:
  description:
    - On failure, one word from a fixed vocabulary for what failed; decide on it in playbooks, never on the text of
      C(msg).
    - V(credentials) (the API refused the client ID and key), V(not_found) (no such app), V(invalid_input) (a bad option
      value or domain name; nothing was sent), V(limit) (over ServerPilot's 300 domains per app), V(removals) (more
      removals than C(max_removals) allows), V(action_error) (a ServerPilot action ended in error), V(action_timeout) (an
      action still open after C(wait_timeout)), V(transport) (retries exhausted, a connection or TLS failure), V(refused)
      (HTTP 400, 402, 403 or 409), V(unexpected_response) (an answer the API document does not describe), V(conflict)
      (another writer kept replacing the domain list) or V(missing_library) (a Python package is not installed).
  returned: failure
  type: str
  sample: removals
external_changes:
  description: Domains another writer added or removed while this run was writing; they were kept as they are.
  returned: when another writer changed the list during the run
  type: dict
  sample: {added: [other.example.net], removed: []}
'''

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import domains
from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot.domains_workflow import sync_domains
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import check_bounds
from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import run_module, serverpilot_argument_spec


def work(run):
    params = run.params
    check_bounds(params, at_least=[('max_removals', 0), ('source_mappings', 0), ('max_removals_percent', 0)],
                 at_most=[('max_removals_percent', 100)])
    too_long = []
    wanted = domains.requested(params['domains'], params['www'], skip_under=params['www_skip_under'],
                               too_long=too_long)
    if domains.too_long_warning(too_long):  # one customer's long name is that name's problem, never the app's
        run.warn(domains.too_long_warning(too_long))
    domains.check_request(wanted, params['state'], params['exclusive'])
    keep = domains.Keep(params['keep'])
    run.result.update(requested=wanted)
    return sync_domains(run.client, params['app_id'], wanted, state=params['state'], exclusive=params['exclusive'],
                        max_removals=params['max_removals'], wait=params['wait'], wait_timeout=params['wait_timeout'],
                        check_mode=run.check_mode, result=run.result, keep=keep,
                        source_mappings=params['source_mappings'], max_removals_percent=params['max_removals_percent'])


def argument_spec():
    spec = serverpilot_argument_spec(app=True)
    spec.update(
        domains=dict(type='list', elements='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        exclusive=dict(type='bool', default=False),
        max_removals=dict(type='int'),
        max_removals_percent=dict(type='int'),
        source_mappings=dict(type='int'),
        www=dict(type='str', choices=list(domains.WWW_MODES), default='always'),
        www_skip_under=dict(type='list', elements='str', default=[]),
        keep=dict(type='list', elements='str', default=[]),
    )
    return spec


def requires(params):
    # the Public Suffix List is loaded only when www=apex needs it
    return ['requests', 'idna'] + (['publicsuffixlist'] if params['www'] == 'apex' else [])


def main():
    run_module(argument_spec(), work, requires)


if __name__ == '__main__':
    main()
