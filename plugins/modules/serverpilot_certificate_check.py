#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: serverpilot_certificate_check
short_description: Verify the certificate each domain of a ServerPilot app serves, with retries
version_added: 0.1.0
description:
  - Makes a real TLS handshake per domain, from where the module runs, and checks what a browser would - the chain
    validates against the trust store, the certificate's names match the domain, and now is inside its validity
    window.
  - Domains that fail are tried again, up to O(tries) times with O(delay) seconds between tries, because Let's
    Encrypt issuance through ServerPilot's AutoSSL takes a few minutes. Domains already verified are not checked again.
  - Fails naming each domain that never verified and why - V(untrusted), V(self-signed), V(name mismatch),
    V(expired), V(not yet valid), V(connection refused), V(timeout), V(DNS lookup failed) or V(TLS handshake failed).
  - Wildcard names cannot be checked by a handshake and are reported under RV(unchecked).
author:
  - multisite.serverpilot maintainers (@multisite)
extends_documentation_fragment:
  - multisite.serverpilot.serverpilot
  - multisite.serverpilot.serverpilot.attributes
  - multisite.serverpilot.serverpilot.read_only
options:
  domains:
    description:
      - The names to check, normalised as M(multisite.serverpilot.serverpilot_app_domains) does.
      - When not given, the current domains of O(app_id) are read from the API, which needs O(client_id) and O(api_key).
    type: list
    elements: str
  app_id:
    description:
      - The app whose domains are checked when O(domains) is not given.
      - If not set, the value of the E(SERVERPILOT_APP_ID) environment variable is used.
    type: str
  client_id:
    description:
      - The ServerPilot API client ID; only needed when O(domains) is not given.
      - If not set, the value of the E(SERVERPILOT_CLIENT_ID) environment variable is used.
    type: str
    required: false
  api_key:
    description:
      - The ServerPilot API key; only needed when O(domains) is not given.
      - If not set, the value of the E(SERVERPILOT_API_KEY) environment variable is used.
    type: str
    required: false
  port:
    description: The HTTPS port to connect to.
    type: int
    default: 443
  address:
    description:
      - Connect to this host name or IP address instead of resolving each domain, still sending the domain as SNI.
      - Use the server's IP to check a server before, or regardless of, DNS.
    type: str
  connect_timeout:
    description: Seconds to wait for each connection and handshake.
    type: float
    default: 10
  ca_path:
    description:
      - A PEM bundle of CA certificates to trust instead of the system trust store.
    type: path
  tries:
    description:
      - How many times a domain that does not verify is checked before the task fails.
      - The WordPress plugin integration used 5. For a whole network, where some domains can never verify (their
        DNS points elsewhere), M(multisite.serverpilot.serverpilot_domain_health) waits only for those that can.
    type: int
    default: 1
  delay:
    description: Seconds between tries.
    type: float
    default: 60
requirements:
  - cryptography
seealso:
  - module: multisite.serverpilot.serverpilot_autossl
'''

EXAMPLES = r'''
- name: Wait up to ~4 minutes for Let's Encrypt, checking at the server's address
  multisite.serverpilot.serverpilot_certificate_check:
    domains: [shop.example.com, www.shop.example.com]
    address: 203.0.113.10
    tries: 5
    delay: 60

- name: Check every domain the app currently has
  multisite.serverpilot.serverpilot_certificate_check:
    app_id: nlcN0TwdZAyNEgdp
  register: certs

- name: Warn about certificates close to expiry
  ansible.builtin.debug:
    msg: "{{ item.domain }} expires in {{ item.days_left }} days"
  loop: "{{ certs.certificates }}"
  when: item.days_left < 14
'''

RETURN = r'''
certificates:
  description: One entry per checked domain, with the certificate it served last.
  returned: always
  type: list
  elements: dict
  contains:
    domain:
      description: The domain checked.
      type: str
    valid:
      description: The certificate verified.
      type: bool
    reason:
      description: Why it did not verify; null when it did.
      type: str
    detail:
      description: OpenSSL's or the network's own words for the failure.
      type: str
    tries:
      description: How many tries it took, or were made.
      type: int
    issuer:
      description: The issuing organisation (or common name).
      type: str
    subject:
      description: The certificate's common name.
      type: str
    names:
      description: The DNS names the certificate covers.
      type: list
    not_after:
      description: The end of the validity window, UTC, ISO 8601.
      type: str
    days_left:
      description: Whole days until the certificate expires (negative once it has).
      type: int
  sample:
    - {domain: shop.example.com, valid: true, reason: null, detail: null, tries: 2, issuer: "Let's Encrypt",
       subject: shop.example.com, names: [shop.example.com], not_before: "2026-11-25T02:00:00Z",
       not_after: "2027-02-23T02:00:00Z", days_left: 89}
failed_domains:
  description: The domains that never verified.
  returned: always
  type: list
  elements: str
  sample: []
unchecked:
  description: Wildcard names, which a handshake cannot check.
  returned: always
  type: list
  elements: str
  sample: ["*.network.example"]
error_kind:
  description:
    - On failure, one word from a fixed vocabulary for what failed; decide on it in playbooks, never on the text of
      C(msg).
    - V(credentials) (the API refused the client ID and key), V(not_found) (no such app), V(invalid_input) (a bad
      option value or domain name; nothing was sent), V(limit) (over ServerPilot's 300 domains per app),
      V(removals) (more removals than C(max_removals) allows), V(autossl_unavailable) (no certificate covers the
      domains yet), V(custom_certificate) (a custom certificate is in the way), V(action_error) (a ServerPilot
      action ended in error), V(action_timeout) (an action still open after C(wait_timeout)), V(transport) (retries
      exhausted, a connection or TLS failure), V(refused) (HTTP 400, 402, 403 or 409), V(unexpected_response) (an
      answer the API document does not describe), V(conflict) (another writer kept replacing the domain list),
      V(certificate) (a domain did not serve a valid certificate), V(health) (a required domain is not healthy),
      V(source) (the network's database could not be read), V(missing_library) (a Python package is not
      installed).
  returned: failure
  type: str
  sample: certificate
api_calls:
  description: How many HTTP requests this run sent to the API (0 when O(domains) was given).
  returned: always
  type: int
  sample: 1
'''

from ansible.module_utils.basic import env_fallback

from ansible_collections.multisite.serverpilot.plugins.module_utils import certificates, domains
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError
from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import (
    run_module, serverpilot_argument_spec)


def work(run):
    params = run.params
    if params['tries'] < 1 or params['delay'] < 0 or params['connect_timeout'] <= 0:
        raise CollectionError('tries must be 1 or more, delay 0 or more, connect_timeout above 0.')
    if params['domains'] is not None:
        names = domains.normalise(params['domains'])
    elif not params['app_id']:
        raise CollectionError('Give domains, or app_id (with client_id and api_key) to read them from the app.')
    else:
        # the app's own spellings (a trailing dot, upper case) normalised as given names are
        names = [domains.comparison_key(name) for name in run.client.get_app(params['app_id'])['domains']]
    names, unchecked = certificates.checkable(names)
    results = certificates.check_all(names, params['port'], params['address'], params['connect_timeout'],
                                     params['ca_path'], params['tries'], params['delay'])
    failed = [r['domain'] for r in results if not r['valid']]
    run.result.update(certificates=results, failed_domains=failed, unchecked=unchecked)
    if failed:
        raise CollectionError('%d of %d domains did not verify after %d tries: %s.' % (
            len(failed), len(results), params['tries'], certificates.failure_summary(results)), kind='certificate')
    return run.result


def main():
    argument_spec = serverpilot_argument_spec(credentials_required=False)
    argument_spec.update(
        domains=dict(type='list', elements='str'),
        app_id=dict(type='str', fallback=(env_fallback, ['SERVERPILOT_APP_ID'])),
        port=dict(type='int', default=443),
        address=dict(type='str'),
        connect_timeout=dict(type='float', default=10),
        ca_path=dict(type='path'),
        tries=dict(type='int', default=1),
        delay=dict(type='float', default=60),
    )
    # requests only when the names are read from the app
    run_module(argument_spec, work, requires=lambda params: ['idna', 'cryptography'] + (
        ['requests'] if params['domains'] is None else []))


if __name__ == '__main__':
    main()
