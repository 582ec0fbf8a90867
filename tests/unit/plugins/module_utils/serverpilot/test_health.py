# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure per-domain classification, called with plain facts."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import health

SERVER = {'203.0.113.10', '2001:db8::10'}
DAY = 86400
VALID = {'valid': True, 'days_left': 80, 'not_after': '2027-02-01T00:00:00Z', 'issuer': "Let's Encrypt",
         'lifetime_seconds': 90 * DAY, 'seconds_left': 80 * DAY}
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
    ('a.example', dns(['203.0.113.10']), True, True, dict(VALID, days_left=9, seconds_left=9 * DAY), 'expiring',
     'renewal is failing', True),
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
    certificate = dict(VALID, days_left=days_left, seconds_left=days_left * DAY)
    assert health.classify('a.example', dns(['203.0.113.10']), SERVER, True, True, certificate, 14)[0] == status


def test_an_expiring_certificate_fails_for_any_and_for_a_required_name():
    entries = [{'name': 'a.example', 'status': 'expiring'}, {'name': 'b.example', 'status': 'ok'}]
    assert [e['name'] for e in health.failures(entries, 'any', set())] == ['a.example']
    assert [e['name'] for e in health.failures(entries, 'required', {'a.example'})] == ['a.example']
    assert health.failures(entries, 'required', {'b.example'}) == []
    assert health.failures(entries, 'never', {'a.example'}) == []


# -- the renewal watch: each certificate judged by its own lifetime ------------------------------------------------

@pytest.mark.parametrize('lifetime_days, left_days, expiring', [
    # 90 days: renewal due at 30 left; the warning at 22.5 left
    (90, 31, False), (90, 25, False), (90, 22.4, True), (90, 1, True),
    (64, 21, False), (64, 15.9, True),
    (45, 15, False), (45, 11.2, True),
    # 6 days: due at 2 days left, warned at 1.5 - never "expiring" from birth, as a fixed 14 days would make it
    (6, 5.9, False), (6, 2, False), (6, 1.49, True),
    (200, 60, False), (200, 49, True),
])
def test_the_warning_scales_with_the_lifetime(lifetime_days, left_days, expiring):
    certificate = dict(VALID, lifetime_seconds=lifetime_days * DAY, seconds_left=int(left_days * DAY),
                       days_left=int(left_days))
    status, reason, points = health.classify('a.example', dns(['203.0.113.10']), SERVER, True, True, certificate)
    assert (status == 'expiring') is expiring, reason
    if expiring:
        assert '%d-day' not in reason and 'lifetime' in reason and 'should have been renewed' in reason
        assert 'renewal is failing' in reason


@pytest.mark.parametrize('lifetime, left', [(l * DAY, f * l * DAY) for l in (6, 45, 64, 90, 100, 200)
                                            for f in (0.0, 0.1, 0.19, 0.2, 0.21, 0.3, 0.34, 0.5, 0.51, 0.9)])
def test_never_while_more_than_half_is_left_always_with_a_fifth_left(lifetime, left):
    overdue = health.renewal_overdue(lifetime, left)
    if left > lifetime / 2:
        assert not overdue
    if left <= lifetime / 5:
        assert overdue
    # the fixed number of days stays an option, bounded the same way
    assert not health.renewal_overdue(lifetime, left, fixed_days=14) or left <= lifetime / 2


def test_the_reason_says_how_much_is_left_and_when_renewal_was_due():
    certificate = dict(VALID, lifetime_seconds=6 * DAY, seconds_left=30 * 3600, days_left=1)
    reason = health.classify('a.example', dns(['203.0.113.10']), SERVER, True, True, certificate)[1]
    assert 'expires in 30 hours' in reason and '20% of its 6 days lifetime' in reason
    assert 'should have been renewed 18 hours ago' in reason


# -- issuance blockers ---------------------------------------------------------------------------------------------

BLOCKED = (False, 'the CAA record set of example.com (0 issue "digicert.com") does not let Let\'s Encrypt issue')


@pytest.mark.parametrize('certificate, covered, before, words', [
    (VALID, True, 'ok', 'serves a valid certificate today, but its renewal will fail'),
    (dict(VALID, seconds_left=DAY, days_left=1), True, 'expiring', 'This is why its renewal fails'),
    (DEFAULT_CERT, False, 'pending', 'ServerPilot cannot issue its certificate'),
])
def test_a_caa_record_that_forbids_lets_encrypt_blocks_the_name_ok_today_or_not(certificate, covered, before, words):
    facts = dns(['203.0.113.10'])
    assert health.classify('a.example', facts, SERVER, True, covered, certificate)[0] == before
    status, reason, points = health.classify('a.example', facts, SERVER, True, covered, certificate, caa=BLOCKED)
    assert status == 'caa_blocked' and words in reason and 'digicert.com' in reason and points is True
    assert status not in health.WAITABLE and status in health.FAILED_STATUSES


@pytest.mark.parametrize('facts, listed, status', [
    (dns(['198.51.100.7']), True, 'dns_elsewhere'),   # DNS is the first thing to fix
    (dns(), True, 'dns_missing'),
    (dns(['203.0.113.10']), False, 'certificate_invalid'),  # not on the app's list: add it first
])
def test_what_must_be_fixed_first_stays_first(facts, listed, status):
    assert health.classify('a.example', facts, SERVER, listed, False, DEFAULT_CERT, caa=BLOCKED)[0] == status


def test_caa_that_allows_changes_nothing():
    assert health.classify('a.example', dns(['203.0.113.10']), SERVER, True, True, VALID,
                           caa=(True, 'no CAA record'))[0] == 'ok'


def test_a_broken_dnssec_chain_is_named_before_the_lookup_it_breaks():
    facts = dict(dns(error='NoNameservers: SERVFAIL'), dnssec='the A lookup of a.example fails DNSSEC validation')
    status, reason, points = health.classify('a.example', facts, SERVER, True, False)
    assert status == 'dnssec_broken' and 'DS record' in reason and 'fails DNSSEC validation' in reason
    assert status in health.FAILED_STATUSES and points is None
