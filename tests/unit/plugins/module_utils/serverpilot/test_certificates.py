# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one TLS probe against a real TLS endpoint with a test CA: always to the address it is given."""

import socket

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import certificates
from stand_in.tls_endpoint import SilentEndpoint, TLSEndpoint


@pytest.fixture(scope='module')
def endpoint(tmp_path_factory):
    server = TLSEndpoint(workdir=str(tmp_path_factory.mktemp('tls'))).start()
    for kind in ('valid', 'expired', 'wrong-name', 'self-signed', 'odd-extension'):
        server.serve('%s.example.com' % kind, kind)
    yield server
    server.stop()


def check(endpoint, name, **kwargs):
    return certificates.check(name, '127.0.0.1', endpoint.port, 3, endpoint.ca_path, **kwargs)


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
    result = certificates.check('valid.example.com', '127.0.0.1', endpoint.port, 3, None)
    assert result['reason'] == 'untrusted'


def test_no_description_means_no_second_handshake(endpoint):
    before = endpoint.handshakes['expired.example.com']
    result = check(endpoint, 'expired.example.com', describe_failure=False)
    assert result['reason'] == 'expired' and 'issuer' not in result
    assert endpoint.handshakes['expired.example.com'] == before + 1


def test_timeout():
    silent = SilentEndpoint().start()
    try:
        result = certificates.check('slow.example.com', '127.0.0.1', silent.port, 0.3)
    finally:
        silent.stop()
    assert result['reason'] == 'timeout'


def test_connection_refused():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    assert certificates.check('closed.example.com', '127.0.0.1', port, 1)['reason'] == 'connection refused'


def test_an_odd_certificate_is_invalid_with_its_details_unknown(endpoint):
    # OpenSSL verifies it; cryptography cannot parse its certificatePolicies: no traceback, no guessed details
    result = check(endpoint, 'odd-extension.example.com')
    assert result['valid'] is False and result['reason'] == 'unreadable certificate'
    assert 'error parsing asn1 value' in result['detail'] and 'unknown' in result['detail']
    assert 'issuer' not in result and 'days_left' not in result
