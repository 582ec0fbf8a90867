# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serverpilot_autossl's main() with arguments, against the real stand-in: the JSON it exits with."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.modules.serverpilot_autossl import main
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, PRIVATE_KEY_MARKER
from unit.module_main import run_main, without


def args(standin, **kwargs):
    base = dict(client_id=DEFAULT_CLIENT_ID, api_key=DEFAULT_API_KEY, api_url=standin.url)
    base.update(kwargs)
    return base


def test_switches_autossl_and_forcessl_on(standin):
    app_id = standin.state.add_app(domains=['a.test'])
    result = run_main(main, args(standin, app_id=app_id, force_ssl=True), diff=True)
    assert result['changed'] is True and result['ssl'] == {'auto': True, 'force': True, 'custom_cert': False}
    assert result['diff']['before'] == {'auto': False, 'force': False, 'custom_cert': False}
    assert len(result['action_ids']) == 2


def test_a_custom_certificate_never_leaks(standin):
    app_id = standin.state.add_app(domains=['a.test'], ssl='custom')
    result = run_main(main, args(standin, app_id=app_id))
    assert result['failed'] and result['error_kind'] == 'custom_certificate'
    assert PRIVATE_KEY_MARKER not in str(result) and 'BEGIN' not in str(result)


@pytest.mark.parametrize('extra, kind', [
    ({'dns_domains': []}, 'autossl_unavailable'),
])
def test_not_available_yet_is_its_own_kind(standin, extra, kind):
    app_id = standin.state.add_app(domains=['a.test'], **extra)
    result = run_main(main, args(standin, app_id=app_id))
    assert result['failed'] and result['error_kind'] == kind
    assert result['uncovered_domains'] == ['a.test'] and result['api_calls'] == 1


def test_bad_combination_is_invalid_input(standin):
    app_id = standin.state.add_app(domains=['a.test'])
    result = run_main(main, args(standin, app_id=app_id, state='absent', force_ssl=True))
    assert result['error_kind'] == 'invalid_input' and result['api_calls'] == 0


def test_missing_app_id_is_invalid_input(standin, monkeypatch):
    monkeypatch.delenv('SERVERPILOT_APP_ID', raising=False)
    result = run_main(main, args(standin))
    assert result['failed'] and result['error_kind'] == 'invalid_input' and 'app_id' in result['msg']


def test_missing_requests_is_named(standin, monkeypatch):
    with without(monkeypatch, 'requests'):
        result = run_main(main, args(standin, app_id='x'))
    assert result['error_kind'] == 'missing_library' and '(requests)' in result['msg']
