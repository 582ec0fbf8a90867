# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Certificate checks against a real TLS endpoint with a test CA."""

import socket

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils import certificates
from stand_in.tls_endpoint import SilentEndpoint, TLSEndpoint


@pytest.fixture(scope='module')
def endpoint(tmp_path_factory):
    server = TLSEndpoint(workdir=str(tmp_path_factory.mktemp('tls'))).start()
    for kind in ('valid', 'expired', 'wrong-name', 'self-signed'):
        server.serve('%s.example.com' % kind, kind)
    yield server
    server.stop()


def check(endpoint, name, **kwargs):
    return certificates.check(name, endpoint.port, '127.0.0.1', 3, endpoint.ca_path, **kwargs)


def test_valid_certificate_is_described(endpoint):
    result = check(endpoint, 'valid.example.com')
    assert result['valid'] is True and result['reason'] is None
    assert result['issuer'] == 'Stand-in Encrypt'
    assert result['subject'] == 'valid.example.com'
    assert result['names'] == ['valid.example.com']
    assert result['days_left'] in (88, 89)


@pytest.mark.parametrize('name, reason, detail', [
    ('expired.example.com', 'expired', 'certificate has expired'),
    ('wrong-name.example.com', 'name mismatch', 'Hostname mismatch'),
    ('self-signed.example.com', 'self-signed', 'self-signed certificate'),
])
def test_bad_certificates_are_named(endpoint, name, reason, detail):
    result = check(endpoint, name)
    assert result['valid'] is False
    assert result['reason'] == reason
    assert detail in result['detail']
    assert result['issuer']  # still described, from an unverified second look


def test_expired_certificate_reports_negative_days(endpoint):
    assert check(endpoint, 'expired.example.com')['days_left'] < 0


def test_untrusted_without_the_test_ca(endpoint):
    result = certificates.check('valid.example.com', endpoint.port, '127.0.0.1', 3, None)
    assert result['reason'] == 'untrusted'


def test_no_description_means_no_second_handshake(endpoint):
    before = endpoint.handshakes['expired.example.com']
    result = check(endpoint, 'expired.example.com', describe_failure=False)
    assert result['reason'] == 'expired' and 'issuer' not in result
    assert endpoint.handshakes['expired.example.com'] == before + 1


def test_timeout():
    silent = SilentEndpoint().start()
    try:
        result = certificates.check('slow.example.com', silent.port, '127.0.0.1', 0.3)
    finally:
        silent.stop()
    assert result['reason'] == 'timeout'


def test_connection_refused():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    assert certificates.check('closed.example.com', port, '127.0.0.1', 1)['reason'] == 'connection refused'


def test_dns_lookup_failure():
    assert certificates.check('nothing.invalid', 443, None, 1)['reason'] == 'DNS lookup failed'


def test_checkable_sets_wildcards_apart():
    assert certificates.checkable(['a.example.com', '*.example.com']) == (['a.example.com'], ['*.example.com'])


def test_failure_summary():
    results = [{'domain': 'a.example', 'valid': True}, {'domain': 'b.example', 'valid': False,
                                                        'reason': 'expired', 'detail': 'certificate has expired'}]
    assert certificates.failure_summary(results) == 'b.example: expired (certificate has expired)'


# -- check_all: the retry loop, against an endpoint of its own (handshakes are counted per test) --

@pytest.fixture
def counting_endpoint(tmp_path):
    server = TLSEndpoint(workdir=str(tmp_path)).start()
    yield server
    server.stop()


def check_all(endpoint, names, tries, sleeps):
    return certificates.check_all(names, endpoint.port, '127.0.0.1', 3, endpoint.ca_path, tries=tries, delay=7,
                                  sleep=sleeps.append)


def test_only_failing_domains_are_tried_again(counting_endpoint):
    counting_endpoint.serve('late.example.com', 'self-signed', after=2, then='valid')
    sleeps = []
    results = check_all(counting_endpoint, ['good.example.com', 'late.example.com'], 5, sleeps)
    assert [(r['domain'], r['valid'], r['tries']) for r in results] == [
        ('good.example.com', True, 1), ('late.example.com', True, 3)]
    assert sleeps == [7, 7]
    assert counting_endpoint.handshakes['good.example.com'] == 1
    assert counting_endpoint.handshakes['late.example.com'] == 3


def test_gives_up_after_the_configured_tries(counting_endpoint):
    counting_endpoint.serve('bad.example.com', 'expired')
    sleeps = []
    results = check_all(counting_endpoint, ['bad.example.com'], 3, sleeps)
    assert results[0]['valid'] is False and results[0]['tries'] == 3
    assert sleeps == [7, 7]
    # three verifying handshakes, and one unverified to describe the certificate in the report
    assert counting_endpoint.handshakes['bad.example.com'] == 4
    assert results[0]['issuer'] == 'Stand-in Encrypt'


def test_single_try_never_sleeps(counting_endpoint):
    # a failing name: a loop that slept after its last try would show here
    counting_endpoint.serve('bad.example.com', 'expired')
    sleeps = []
    results = check_all(counting_endpoint, ['bad.example.com'], 1, sleeps)
    assert results[0]['valid'] is False and results[0]['tries'] == 1
    assert sleeps == []
