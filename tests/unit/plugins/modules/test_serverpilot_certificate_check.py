# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serverpilot_certificate_check's main() with arguments, against a real TLS endpoint: the JSON it exits with."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.modules.serverpilot_certificate_check import main
from stand_in.tls_endpoint import TLSEndpoint
from unit.module_main import run_main, without


@pytest.fixture
def endpoint(tmp_path):
    server = TLSEndpoint(workdir=str(tmp_path)).start()
    yield server
    server.stop()


def args(endpoint, **kwargs):
    return dict(port=endpoint.port, address='127.0.0.1', ca_path=endpoint.ca_path, connect_timeout=3, **kwargs)


def test_valid_and_wildcard(endpoint):
    result = run_main(main, args(endpoint, domains=['Good.Example.com', '*.example.com']))
    assert result['changed'] is False and result['failed_domains'] == []
    assert [c['domain'] for c in result['certificates']] == ['good.example.com']
    assert result['unchecked'] == ['*.example.com'] and result['api_calls'] == 0


def test_an_invalid_certificate_is_a_certificate_failure(endpoint):
    endpoint.serve('bad.example.com', 'expired')
    result = run_main(main, args(endpoint, domains=['bad.example.com']))
    assert result['failed'] and result['error_kind'] == 'certificate'
    assert result['failed_domains'] == ['bad.example.com'] and 'expired' in result['msg']


def test_neither_domains_nor_app(endpoint, monkeypatch):
    monkeypatch.delenv('SERVERPILOT_APP_ID', raising=False)
    result = run_main(main, args(endpoint))
    assert result['error_kind'] == 'invalid_input' and 'Give domains' in result['msg']


def test_app_without_credentials(endpoint, monkeypatch):
    for name in ('SERVERPILOT_CLIENT_ID', 'SERVERPILOT_API_KEY'):
        monkeypatch.delenv(name, raising=False)
    result = run_main(main, args(endpoint, app_id='app1'))
    assert result['error_kind'] == 'invalid_input' and 'client_id and api_key' in result['msg']


@pytest.mark.parametrize('library', ['idna', 'cryptography'])
def test_a_missing_library_is_named_not_a_crash(endpoint, monkeypatch, library):
    with without(monkeypatch, library):
        result = run_main(main, args(endpoint, domains=['good.example.com']))
    assert result['error_kind'] == 'missing_library' and '(%s)' % library in result['msg']


def test_a_missing_ca_path_is_named(endpoint, tmp_path):
    missing = str(tmp_path / 'no-such-ca.pem')
    result = run_main(main, dict(args(endpoint, domains=['good.example.com']), ca_path=missing))
    assert result['error_kind'] == 'invalid_input' and missing in result['msg'] and 'Errno' not in result['msg']


def test_the_apps_own_spellings_are_normalised(endpoint, standin):
    from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID
    app_id = standin.state.add_app(domains=['Good.Example.com.', 'www.good.example.com'])
    result = run_main(main, args(endpoint, app_id=app_id, client_id=DEFAULT_CLIENT_ID, api_key=DEFAULT_API_KEY,
                                 api_url=standin.url))
    assert result['failed_domains'] == [] and result['api_calls'] == 1
    assert [c['domain'] for c in result['certificates']] == ['good.example.com', 'www.good.example.com']
