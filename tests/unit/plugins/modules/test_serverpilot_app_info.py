# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serverpilot_app_info's main() with arguments, against the real stand-in: the JSON it exits with."""

from ansible_collections.multisite.serverpilot.plugins.modules.serverpilot_app_info import main
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, PRIVATE_KEY_MARKER
from unit.module_main import run_main, without


def args(standin, **kwargs):
    return dict(client_id=DEFAULT_CLIENT_ID, api_key=DEFAULT_API_KEY, api_url=standin.url, **kwargs)


def test_every_app_with_details(standin):
    first = standin.state.add_app(name='one', domains=['a.test'], ssl='custom')
    standin.state.add_app(name='two', domains=['b.test'])
    result = run_main(main, args(standin), check_mode=True)
    assert result['changed'] is False and [app['name'] for app in result['apps']] == ['one', 'two']
    assert result['apps'][0]['id'] == first and result['apps'][0]['ssl']['custom_cert'] is True
    assert result['apps'][1]['autossl'] is not None
    assert result['api_calls'] == 3 and PRIVATE_KEY_MARKER not in str(result)


def test_unknown_app(standin):
    result = run_main(main, args(standin, app_id='nosuchapp'))
    assert result['failed'] and result['error_kind'] == 'not_found' and result['status'] == 404


def test_unreachable_api_is_transport(standin):
    url = standin.url
    standin.stop()
    result = run_main(main, dict(args(standin, retries=0), api_url=url))
    assert result['failed'] and result['error_kind'] == 'transport' and 'reachable' in result['msg']


def test_missing_requests_is_named(standin, monkeypatch):
    with without(monkeypatch, 'requests'):
        result = run_main(main, args(standin))
    assert result['error_kind'] == 'missing_library'


def test_a_domain_on_two_apps_is_reported(standin):
    """ServerPilot allows it (requests go to the app whose name sorts first): reported, never refused."""
    standin.state.add_app(name='network', domains=['shop.example.com', 'a.example.com'])
    standin.state.add_app(name='network-staging', domains=['SHOP.example.com.', 'b.example.com'])
    result = run_main(main, args(standin, details=False))
    assert result['shared_domains'] == {'shop.example.com': ['network', 'network-staging']}
    assert any('shop.example.com is on 2 apps' in w for w in result['warnings'])
    assert result['api_calls'] == 1


def test_one_app_has_no_shared_domains_report(standin):
    app = standin.state.add_app(name='one', domains=['a.example.com'])
    assert 'shared_domains' not in run_main(main, args(standin, app_id=app))
