# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure per-domain classification, called with plain facts."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils import health

SERVER = {'203.0.113.10', '2001:db8::10'}
VALID = {'valid': True, 'days_left': 80, 'not_after': '2027-02-01T00:00:00Z', 'issuer': "Let's Encrypt"}
DEFAULT_CERT = {'valid': False, 'reason': 'self-signed', 'detail': 'self-signed certificate'}


def dns(a=(), aaaa=(), error=None):
    return {'a': list(a), 'aaaa': list(aaaa), 'error': error}


# name, dns, listed, covered, certificate -> status, words in the reason, points_to_server
CASES = [
    ('*.net.example', dns(), True, None, None, 'unchecked', 'wildcard', None),
    ('203.0.113.44', dns(), True, None, None, 'unchecked', 'IP address', None),
    ('a.example', dns(), True, False, None, 'dns_missing', 'no A or AAAA record', False),
    ('a.example', dns(error='no answer from the nameservers in time'), True, False, None, 'dns_missing',
     'could not be looked up', False),
    ('a.example', dns(['198.51.100.7']), True, False, None, 'dns_elsewhere', '198.51.100.7, not at the server', False),
    ('a.example', dns(['203.0.113.10'], ['2001:db8::99']), True, False, None, 'dns_elsewhere',
     'AAAA record points elsewhere (2001:db8::99)', False),
    ('a.example', dns(['203.0.113.10', '198.51.100.7']), True, True, None, 'dns_elsewhere', '198.51.100.7', False),
    ('a.example', dns(['203.0.113.10']), True, True, VALID, 'ok', '80 days left', True),
    ('a.example', dns(['203.0.113.10'], ['2001:db8::10']), True, True, VALID, 'ok', 'valid', True),
    ('a.example', dns(['203.0.113.10']), True, True, dict(VALID, days_left=9), 'expiring', 'renewal is failing',
     True),
    ('a.example', dns(['203.0.113.10']), True, False, DEFAULT_CERT, 'pending', 'waits for ServerPilot', True),
    ('a.example', dns(['203.0.113.10']), True, True, dict(DEFAULT_CERT, reason='expired'), 'certificate_invalid',
     'expired', True),
    ('a.example', dns(['203.0.113.10']), True, None, DEFAULT_CERT, 'certificate_invalid', 'self-signed', True),
    ('a.example', dns(['203.0.113.10']), False, False, DEFAULT_CERT, 'certificate_invalid',
     "not on the app's domain list", True),
    ('a.example', dns(['203.0.113.10']), True, True, {'valid': False, 'reason': 'connection refused',
                                                      'detail': 'nothing listens'}, 'unreachable', 'no TLS', True),
    ('a.example', dns(['203.0.113.10']), True, True, {'valid': False, 'reason': 'timeout', 'detail': 'x'},
     'unreachable', 'firewall', True),
]


@pytest.mark.parametrize('name, facts, listed, covered, certificate, status, words, points', CASES)
def test_classify(name, facts, listed, covered, certificate, status, words, points):
    got_status, reason, got_points = health.classify(name, facts, SERVER, listed, covered, certificate)
    assert (got_status, got_points) == (status, points)
    assert words in reason and name in reason


def test_handshakes_go_only_to_the_servers_own_addresses():
    assert health.handshake_address(['198.51.100.7', '203.0.113.10'], SERVER) == '203.0.113.10'
    assert health.handshake_address(['169.254.169.254'], SERVER) is None
    assert health.handshake_address([], SERVER) is None


def test_failures_by_fail_on():
    domains = [{'name': 'a', 'status': 'ok'}, {'name': 'b', 'status': 'dns_missing'},
               {'name': 'c', 'status': 'unchecked'}, {'name': 'd', 'status': 'pending'}]
    assert [d['name'] for d in health.failures(domains, 'any', set())] == ['b', 'd']
    assert [d['name'] for d in health.failures(domains, 'required', {'a', 'b', 'c'})] == ['b']
    assert health.failures(domains, 'never', {'b'}) == []


def test_summary_counts_every_status():
    counts = health.summary([{'status': 'ok'}, {'status': 'ok'}, {'status': 'pending'}])
    assert counts['ok'] == 2 and counts['pending'] == 1 and set(counts) == set(health.STATUSES)


@pytest.mark.parametrize('value, expected', [
    ('2001:DB8:0:0::10', '2001:db8::10'), ('[::1]', '::1'), (' 203.0.113.4 ', '203.0.113.4')])
def test_normalise_address(value, expected):
    assert health.normalise_address(value) == expected


def test_an_aaaa_record_alone_pointing_elsewhere_is_no_stray_aaaa():
    # no A record at all: the name points elsewhere, not "has the right A record"
    status, reason, points = health.classify('a.example', dns(aaaa=['2001:db8::99']), SERVER, True, False)
    assert status == 'dns_elsewhere' and 'points at 2001:db8::99, not at the server' in reason
    assert 'right A record' not in reason


@pytest.mark.parametrize('days_left, status', [(14, 'ok'), (13, 'expiring'), (15, 'ok'), (0, 'expiring')])
def test_the_expiry_boundary(days_left, status):
    certificate = dict(VALID, days_left=days_left)
    assert health.classify('a.example', dns(['203.0.113.10']), SERVER, True, True, certificate, 14)[0] == status


def test_an_expiring_certificate_fails_for_any_and_for_a_required_name():
    entries = [{'name': 'a.example', 'status': 'expiring'}, {'name': 'b.example', 'status': 'ok'}]
    assert [e['name'] for e in health.failures(entries, 'any', set())] == ['a.example']
    assert [e['name'] for e in health.failures(entries, 'required', {'a.example'})] == ['a.example']
    assert health.failures(entries, 'required', {'b.example'}) == []
    assert health.failures(entries, 'never', {'a.example'}) == []
