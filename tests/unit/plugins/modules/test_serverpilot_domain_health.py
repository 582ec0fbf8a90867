# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serverpilot_domain_health's main() with arguments: the JSON it exits with (no DNS needed for these)."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.modules.serverpilot_domain_health import main
from unit.module_main import run_main, without


def test_wildcards_and_ip_addresses_are_unchecked_without_any_lookup():
    result = run_main(main, dict(domains=['*.net.example', '203.0.113.44', '2001:DB8::1'],
                                 server_addresses=['203.0.113.10'], nameservers=['127.0.0.1:9']))
    assert [(d['name'], d['status']) for d in result['domains']] == [
        ('*.net.example', 'unchecked'), ('203.0.113.44', 'unchecked'), ('2001:db8::1', 'unchecked')]
    assert result['summary']['unchecked'] == 3 and result['api_calls'] == 0 and result['changed'] is False


@pytest.mark.parametrize('args, words', [
    (dict(domains=['a.example']), 'Give app_id'),
    (dict(domains=['a.example'], server_addresses=['not-an-ip']), 'server_addresses must be IP addresses'),
    (dict(domains=['a.example'], server_addresses=['203.0.113.10'], nameservers=['dns.example']),
     'not an IP address'),
    (dict(domains=['bad..name'], server_addresses=['203.0.113.10']), 'Invalid domain names'),
    (dict(domains=['a.example'], server_addresses=['203.0.113.10'], concurrency=0), 'concurrency must be'),
])
def test_bad_input(monkeypatch, args, words):
    monkeypatch.delenv('SERVERPILOT_APP_ID', raising=False)
    result = run_main(main, args)
    assert result['failed'] and result['error_kind'] == 'invalid_input' and words in result['msg'], result


def test_a_dns_timeout_is_a_reason_not_a_crash():
    # nothing answers DNS on port 9: the lookup fails, and says so per domain
    result = run_main(main, dict(domains=['a.example'], server_addresses=['203.0.113.10'],
                                 nameservers=['127.0.0.1:9'], connect_timeout=0.5))
    entry = result['domains'][0]
    assert entry['status'] == 'dns_missing' and 'could not be looked up' in entry['reason']


def test_missing_dnspython_is_named(monkeypatch):
    with without(monkeypatch, 'dns'):
        result = run_main(main, dict(domains=['a.example'], server_addresses=['203.0.113.10']))
    assert result['error_kind'] == 'missing_library' and '(dnspython)' in result['msg']


def test_a_missing_ca_path_is_named(tmp_path):
    missing = str(tmp_path / 'no-ca.pem')
    result = run_main(main, dict(domains=['a.example'], server_addresses=['203.0.113.10'], ca_path=missing))
    assert result['error_kind'] == 'invalid_input' and missing in result['msg']


def test_a_required_name_missing_from_domains_is_checked_too_and_fails_the_task():
    """Documented: a required name not in domains is checked too - used directly, not only through the role."""
    result = run_main(main, dict(domains=['*.net.example'], required=['shop.example'], caa=False,
                                 server_addresses=['203.0.113.10'], nameservers=['127.0.0.1:9'], connect_timeout=0.5))
    names = dict((d['name'], d) for d in result['domains'])
    assert sorted(names) == ['*.net.example', 'shop.example'] and names['shop.example']['required'] is True
    assert result['failed'] and result['error_kind'] == 'health' and 'shop.example' in result['msg']
