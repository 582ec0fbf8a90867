#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: serverpilot_domain_health
short_description: Tell, per domain, whether it is served over valid HTTPS, and if not why and what to do
version_added: 0.1.0
description:
  - Checks each domain the way an operator would by hand - its A and AAAA records, whether they point at the app's
    server, whether the name is on the app's list and covered by AutoSSL, and one real TLS handshake to the
    server's own address with the name as SNI, verified as a browser would.
  - Each domain gets one status - V(ok), V(expiring), V(pending), V(dns_missing), V(dns_elsewhere),
    V(certificate_invalid), V(unreachable), V(unchecked), V(caa_blocked) or V(dnssec_broken) - and a reason that
    names the addresses and the next step.
  - It answers "will it still be served next month?" too - V(caa_blocked) (a CAA record forbids Let's Encrypt
    through ServerPilot's AutoSSL, or its lookup fails) and V(dnssec_broken) (the name fails DNSSEC validation,
    which every CA applies since 15 March 2026) are issuance blockers, reported also for names that serve a valid
    certificate today; V(expiring) is judged from each certificate's own lifetime, so 90-, 64-, 45- and 6-day
    certificates each warn when renewal has failed. V(dnssec_broken) needs a validating resolver in O(nameservers)
    (every CA uses one; a resolver that does not validate cannot see it).
  - A network is never all healthy; the task fails only for the domains O(required) names (O(fail_on)), so a
    scheduled sync stays green while one customer has not pointed DNS, and still reports that customer.
  - Handshakes go only to the server's own addresses. A name that points elsewhere is classified from DNS alone, so
    a customer, who writes their own DNS, can never make the controller connect to an address of their choosing.
  - O(wait) keeps re-checking only the V(pending) domains - the only ones that can still become V(ok) without anyone
    acting - until they are or the time is up; it never waits on a domain that cannot succeed.
  - Checks run in parallel, at most O(concurrency) at a time. Whatever one name's probe meets (a certificate
    OpenSSL accepts and C(cryptography) cannot read is V(certificate_invalid) with its details unknown) stays that
    name's result; the others are reported as usual.
  - This is the collection's one TLS check; for a generic certificate probe of any host, use
    C(community.crypto.get_certificate).
author:
  - multisite.serverpilot maintainers (@multisite)
extends_documentation_fragment:
  - multisite.serverpilot.serverpilot
  - multisite.serverpilot.serverpilot.attributes
  - multisite.serverpilot.serverpilot.read_only
options:
  client_id:
    description:
      - The ServerPilot API client ID; only needed with O(app_id).
      - If not set, the value of the E(SERVERPILOT_CLIENT_ID) environment variable is used.
    type: str
    required: false
  api_key:
    description:
      - The ServerPilot API key; only needed with O(app_id).
      - If not set, the value of the E(SERVERPILOT_API_KEY) environment variable is used.
    type: str
    required: false
  app_id:
    description:
      - The app whose domains are checked; its list says which names are listed, its AutoSSL details which are
        covered, and its server's C(lastaddress) where DNS must point.
      - If not set, the value of the E(SERVERPILOT_APP_ID) environment variable is used.
      - Without it, give O(domains) and O(server_addresses); V(listed) and V(covered) are then unknown.
    type: str
  domains:
    description:
      - The names to check. Default - the app's own list.
      - Wildcards and IP addresses are reported as V(unchecked).
    type: list
    elements: str
  required:
    description:
      - Names whose failure fails the task (with O(fail_on=required)). A required name not in O(domains) is checked too.
    type: list
    elements: str
    default: []
  fail_on:
    description:
      - V(required) fails the task only for O(required) names that are not V(ok) or V(unchecked); V(any) for any
        such name; V(never) reports and never fails.
    type: str
    choices: [required, any, never]
    default: required
  server_addresses:
    description:
      - The addresses a domain must point at, for a floating IP or a load balancer in front of the server.
      - Default - the app's server's C(lastaddress) (one C(GET /servers/:id)).
    type: list
    elements: str
  nameservers:
    description:
      - Ask these DNS servers (C(IP) or C(IP:port), one port for all) instead of the system resolver - a public
        resolver, say, when the controller sits behind split-horizon DNS.
    type: list
    elements: str
  wait:
    description:
      - Seconds to keep re-checking the V(pending) domains until they are V(ok). V(0) checks once.
    type: int
    default: 0
  wait_delay:
    description:
      - Seconds between re-checks while waiting.
      - The wait is a best effort - when the API cannot be read again (a spell of HTTP 503 that outlasts the
        retries), it ends with what is known, with a warning; the names still V(pending) say so in their reason,
        and the task fails only as O(fail_on) and O(required) say.
    type: float
    default: 15
  port:
    description: The HTTPS port of the server.
    type: int
    default: 443
  ca_path:
    description: A PEM bundle of CA certificates to trust instead of the system trust store.
    type: path
  connect_timeout:
    description: Seconds to wait for each DNS answer, connection and handshake.
    type: float
    default: 5
  concurrency:
    description:
      - How many domains are checked at once. 300 domains take about five handshake times at the default.
    type: int
    default: 64
  expiry_warning_days:
    description:
      - A fixed renewal warning instead of the lifetime rule - a valid certificate with fewer days left is
        V(expiring) (never while more than half of its lifetime is left).
      - Unset (the default), the warning scales with each certificate's own lifetime (C(notAfter - notBefore)) - it is
        V(expiring) with a quarter of its lifetime left. Let's Encrypt renews with a third left, so V(expiring) means
        renewal has failed for a twelfth of the lifetime - 7.5 days of a 90-day certificate, 5.3 of a 64-day one,
        3.75 of a 45-day one, 12 hours of a 6-day one - early enough to act, and a 6-day certificate is not
        expiring from birth.
    type: int
  caa:
    description:
      - Look up each name's CAA record set (the closest one up the name's tree, any CNAME followed by the resolver)
        and judge it as Let's Encrypt does - an C(issue) property for C(letsencrypt.org), its C(accounturi) and
        C(validationmethods) parameters (RFC 8657) against what ServerPilot's AutoSSL needs (HTTP-01,
        ServerPilot's own ACME account), a critical property no CA knows, a lookup that fails. A name that points at
        the server and that CAA forbids is V(caa_blocked), also when it is V(ok) today - its renewal will fail.
      - The lookups go to the same nameservers as the A and AAAA lookups, in the same parallel wave; each parent is
        looked up once per run.
    type: bool
    default: true
  caa_account_uris:
    description:
      - ACME account URIs that are ServerPilot's AutoSSL account(s), for a CAA record pinned with C(accounturi) to one
        of them. A record pinned to any other account is V(caa_blocked) (a customer's old record pinned to their own
        account).
    type: list
    elements: str
    default: []
  history:
    description:
      - What the last check knew of each name - the RV(history) it returned, kept by the caller between runs (the
        role C(multisite.serverpilot.domain_mapping) keeps it in the fact cache, or its last report). Each name's
        RV(domains[].since) and RV(domains[].change) continue from it.
      - Not given, nothing is called new - RV(domains[].since) is this check's time and RV(domains[].change) null.
    type: dict
  departed_after_days:
    description:
      - A failure that has lasted this many days (as far as O(history) knows) says in its reason that the customer
        has probably left, and is RV(domains[].long_standing).
    type: int
    default: 14
requirements:
  - dnspython
  - cryptography
seealso:
  - module: multisite.serverpilot.serverpilot_app_domains
  - module: multisite.serverpilot.serverpilot_autossl
  - module: community.crypto.get_certificate
    description: A generic certificate probe of any host and port.
'''

EXAMPLES = r'''
- name: Report every domain of the app; fail only if the network's own name is broken
  multisite.serverpilot.serverpilot_domain_health:
    app_id: nlcN0TwdZAyNEgdp
    required: [network.example]
  register: health

- name: Show what needs doing
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.status }} - {{ item.reason }}"
  loop: "{{ health.domains | rejectattr('status', 'in', ['ok', 'unchecked']) }}"
  loop_control:
    label: "{{ item.name }}"

- name: Right after adding a domain, wait up to 15 minutes while ServerPilot issues its certificate
  multisite.serverpilot.serverpilot_domain_health:
    app_id: nlcN0TwdZAyNEgdp
    domains: [shop.example.com]
    required: [shop.example.com]
    wait: 900

- name: Behind a load balancer, asking a public resolver, no API call
  multisite.serverpilot.serverpilot_domain_health:
    domains: [shop.example.com, www.shop.example.com]
    server_addresses: [203.0.113.10, "2001:db8::10"]
    nameservers: [1.1.1.1]
    fail_on: never
'''

RETURN = r'''
domains:
  description: One entry per domain, in the order checked.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The domain.
      type: str
    status:
      description:
        - One of V(ok), V(expiring) (renewal is failing - a quarter of the certificate's lifetime left), V(pending),
          V(dns_missing), V(dns_elsewhere), V(certificate_invalid), V(unreachable), V(unchecked), V(caa_blocked) (a
          CAA record forbids Let's Encrypt through ServerPilot's AutoSSL, or the CAA lookup fails - the reason names
          the record set and what to write), V(dnssec_broken) (its DNSSEC chain fails validation - expired
          signatures, a DS record left at the registrar).
      type: str
    reason:
      description: What is wrong and what to do, naming addresses; for V(ok) the days left.
      type: str
    addresses:
      description: The A and AAAA addresses the name resolves to.
      type: list
      elements: str
    points_to_server:
      description: Every address is one of the server's; null when not looked up.
      type: bool
    listed:
      description: On the app's domain list; null without O(app_id).
      type: bool
    covered:
      description: Covered by the app's AutoSSL certificate; null when the API does not say.
      type: bool
    required:
      description: Named in O(required).
      type: bool
    other_apps:
      description:
        - The other apps of the account that list this domain too (one C(GET /apps) per run); ServerPilot sends
          its requests to the app whose name sorts first, a silent outage for the others. Empty without O(app_id).
      type: list
      elements: str
    issuer:
      description: The valid certificate's issuer.
      type: str
    not_after:
      description: When the valid certificate expires, UTC, ISO 8601.
      type: str
    days_left:
      description: Whole days until it expires.
      type: int
    lifetime_days:
      description: The valid certificate's lifetime (C(notAfter - notBefore)), in days.
      type: float
    renew_by:
      description: When the valid certificate should have been renewed (a third of its lifetime before it expires),
        UTC, ISO 8601.
      type: str
    caa_allows:
      description: Whether the name's CAA lets Let's Encrypt issue through ServerPilot's AutoSSL; null when not looked
        up (O(caa=false), a wildcard, an IP address).
      type: bool
    dnssec:
      description: Why the name fails DNSSEC validation; null when it does not (or the resolver does not validate).
      type: str
    since:
      description:
        - Since when the name has had its status, UTC, ISO 8601, as far as O(history) knows (without it, this
          check's time).
      type: str
    change:
      description:
        - V(new) when the status differs from the one O(history) holds (a name it did not have included), V(recovered)
          when the name became V(ok); null when unchanged, or without O(history).
      type: str
    failing_days:
      description: For how many days the name has failed (not V(ok) nor V(unchecked)), as far as O(history) knows;
        null when it does not fail.
      type: float
    long_standing:
      description: The failure has lasted O(departed_after_days) or more - a customer who left?
      type: bool
    probe_error:
      description:
        - Only where the name's probe failed unexpectedly - the exception's type. The name is then V(unchecked), and
          fails the task as a failed status would (it could not be vouched for).
      type: str
      returned: when the probe failed
  sample:
    - {name: shop.example.com, status: ok, reason: shop.example.com serves a valid certificate (84 days left).,
       addresses: [203.0.113.10], points_to_server: true, listed: true, covered: true, required: true, other_apps: [],
       issuer: "Let's Encrypt", not_after: "2027-02-18T10:00:00Z", days_left: 84, since: "2026-11-02T08:15:00Z",
       change: null, failing_days: null, long_standing: false}
    - {name: old-customer.example.org, status: dns_elsewhere, reason: "old-customer.example.org points at
       198.51.100.7, not at the server (203.0.113.10) ...", addresses: [198.51.100.7], points_to_server: false,
       listed: true, covered: false, required: false, other_apps: [], issuer: null, not_after: null,
       days_left: null, since: "2026-12-05T09:45:00Z", change: new, failing_days: 0.0, long_standing: false}
history:
  description:
    - What this check knew of each name (its status, and since when) - give it as O(history) to the next check.
  returned: always
  type: dict
  sample: {shop.example.com: {status: ok, since: "2026-11-02T08:15:00Z"}}
app_name:
  description: The app's name, with O(app_id); null without.
  returned: always
  type: str
  sample: network
summary:
  description: How many domains have each status (every status, 0 when none).
  returned: always
  type: dict
  sample: {ok: 41, expiring: 0, pending: 2, dns_missing: 3, dns_elsewhere: 1, certificate_invalid: 0,
           unreachable: 0, unchecked: 1, caa_blocked: 1, dnssec_broken: 0}
error_kind:
  description:
    - On failure, one word from a fixed vocabulary for what failed; decide on it in playbooks, never on the text of
      C(msg).
    - V(credentials) (the API refused the client ID and key), V(not_found) (no such app), V(invalid_input) (a bad option
      value or domain name; nothing was sent), V(transport) (retries exhausted, a connection or TLS failure), V(refused)
      (HTTP 400, 402, 403 or 409), V(unexpected_response) (an answer the API document does not describe), V(health) (a
      required domain is not healthy) or V(missing_library) (a Python package is not installed).
  returned: failure
  type: str
  sample: health
api_calls:
  description: How many HTTP requests this run sent to the API (0 without O(app_id)).
  returned: always
  type: int
  sample: 3
'''

from ansible.module_utils.basic import env_fallback

from ansible_collections.multisite.serverpilot.plugins.module_utils import domain_names
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import check_bounds
from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import run_module, serverpilot_argument_spec
from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import (
    certificates, health, health_workflow, history, probes)

# the options the check itself runs by, as given
CHECK_OPTIONS = ('port', 'ca_path', 'connect_timeout', 'concurrency', 'wait', 'wait_delay', 'expiry_warning_days',
                 'caa', 'caa_account_uris')


def work(run):
    params = run.params
    check_bounds(params, at_least=[('wait', 0), ('wait_delay', 0), ('concurrency', 1), ('expiry_warning_days', 0),
                                   ('port', 1), ('departed_after_days', 1)], above=[('connect_timeout', 0)])
    known = history.checked(params['history'])
    required = domain_names.normalise(params['required'])
    run.result['app_name'] = None  # a failure to read the app still says it
    names, facts, refresh, run.result['app_name'] = health_workflow.app_facts(
        run.client if params['app_id'] else None, params['app_id'],
        domain_names.normalise(params['domains']) if params['domains'] is not None else None, required,
        health_workflow.server_addresses(params['server_addresses']))
    certificates.check_ca_path(params['ca_path'])
    options = dict(((key, params[key]) for key in CHECK_OPTIONS), required=set(required))
    entries = health_workflow.run_health(names, probes.resolver(params['nameservers'], params['connect_timeout']),
                                         facts, options, refresh, warn=run.warn)
    entries, kept = history.advance(known, entries, history.now(), params['departed_after_days'])
    run.result.update(domains=entries, summary=health.summary(entries), history=kept)
    health_workflow.check_failures(entries, params['fail_on'], options['required'])
    return run.result


def argument_spec():
    spec = serverpilot_argument_spec(credentials_required=False)
    spec.update(
        app_id=dict(type='str', fallback=(env_fallback, ['SERVERPILOT_APP_ID'])),
        domains=dict(type='list', elements='str'),
        required=dict(type='list', elements='str', default=[]),
        fail_on=dict(type='str', choices=['required', 'any', 'never'], default='required'),
        server_addresses=dict(type='list', elements='str'),
        nameservers=dict(type='list', elements='str'),
        wait=dict(type='int', default=0),
        wait_delay=dict(type='float', default=15),
        port=dict(type='int', default=443),
        ca_path=dict(type='path'),
        connect_timeout=dict(type='float', default=5),
        concurrency=dict(type='int', default=64),
        expiry_warning_days=dict(type='int'),
        caa=dict(type='bool', default=True),
        caa_account_uris=dict(type='list', elements='str', default=[]),
        history=dict(type='dict'),
        departed_after_days=dict(type='int', default=14),
    )
    return spec


def requires(params):
    return ['idna', 'dnspython', 'cryptography'] + (['requests'] if params['app_id'] else [])


def main():
    run_module(argument_spec(), work, requires)


if __name__ == '__main__':
    main()
