# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry loop of serverpilot_certificate_check against a real TLS endpoint."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.modules.serverpilot_certificate_check import check_all
from stand_in.tls_endpoint import TLSEndpoint


@pytest.fixture
def endpoint(tmp_path):
    server = TLSEndpoint(workdir=str(tmp_path)).start()
    yield server
    server.stop()


def params(endpoint, tries):
    return {'port': endpoint.port, 'address': '127.0.0.1', 'connect_timeout': 3, 'ca_path': endpoint.ca_path,
            'tries': tries, 'delay': 7}


def test_only_failing_domains_are_tried_again(endpoint):
    endpoint.serve('late.example.com', 'self-signed', after=2, then='valid')
    sleeps = []
    results = check_all(['good.example.com', 'late.example.com'], params(endpoint, 5), sleep=sleeps.append)
    assert [(r['domain'], r['valid'], r['tries']) for r in results] == [
        ('good.example.com', True, 1), ('late.example.com', True, 3)]
    assert sleeps == [7, 7]
    assert endpoint.handshakes['good.example.com'] == 1
    assert endpoint.handshakes['late.example.com'] == 3


def test_gives_up_after_the_configured_tries(endpoint):
    endpoint.serve('bad.example.com', 'expired')
    sleeps = []
    results = check_all(['bad.example.com'], params(endpoint, 3), sleep=sleeps.append)
    assert results[0]['valid'] is False and results[0]['tries'] == 3
    assert sleeps == [7, 7]
    # three verifying handshakes, and one unverified to describe the certificate in the report
    assert endpoint.handshakes['bad.example.com'] == 4
    assert results[0]['issuer'] == 'Stand-in Encrypt'


def test_single_try_never_sleeps(endpoint):
    sleeps = []
    check_all(['a.example.com'], params(endpoint, 1), sleep=sleeps.append)
    assert sleeps == []
