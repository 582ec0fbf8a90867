# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serverpilot_app_domains' main() with arguments, against the real stand-in: the JSON it exits with."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.modules.serverpilot_app_domains import main
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID
from unit.module_main import run_main, without


@pytest.fixture
def args(standin):
    app_id = standin.state.add_app(domains=['network.test'])
    return dict(client_id=DEFAULT_CLIENT_ID, api_key=DEFAULT_API_KEY, api_url=standin.url, app_id=app_id,
                domains=['Shop.Example.com'])


def test_adds_and_reports(standin, args):
    result = run_main(main, args, diff=True)
    assert result['changed'] is True
    assert result['domains'] == ['network.test', 'shop.example.com', 'www.shop.example.com']
    assert result['added'] == ['shop.example.com', 'www.shop.example.com']
    assert result['diff'] == {'before': {'domains': ['network.test']}, 'after': {'domains': result['domains']}}
    assert result['api_calls'] == 4 and len(result['action_ids']) == 1
    assert DEFAULT_API_KEY not in str(result)
    again = run_main(main, args)
    assert again['changed'] is False and again['api_calls'] == 1 and 'diff' not in again


def test_check_mode_writes_nothing(standin, args):
    result = run_main(main, args, check_mode=True)
    assert result['changed'] is True and standin.state.writes() == []


@pytest.mark.parametrize('change, kind, words', [
    ({'domains': ['bad..name']}, 'invalid_input', 'Invalid domain names'),
    ({'max_removals': -1}, 'invalid_input', 'max_removals must be 0 or more'),
    ({'source_mappings': -1}, 'invalid_input', 'source_mappings must be 0 or more'),
    ({'domains': ['other.test'], 'exclusive': True, 'source_mappings': 0}, 'removals', 'returned no mappings'),
    ({'timeout': 0}, 'invalid_input', 'timeout must be a positive'),
    ({'app_id': 'nosuchapp'}, 'not_found', "App 'nosuchapp' was not found"),
    ({'api_key': 'wrong-key'}, 'credentials', 'SERVERPILOT_API_KEY'),
    ({'domains': [], 'exclusive': True}, 'invalid_input', 'would remove every domain'),
    ({'www': 'sometimes'}, 'invalid_input', 'www'),
])
def test_failures_carry_an_error_kind(standin, args, change, kind, words):
    result = run_main(main, dict(args, **change))
    assert result['failed'] and result['error_kind'] == kind, result
    assert words in result['msg']
    assert standin.state.writes() == []


def test_over_max_removals(standin, args):
    result = run_main(main, dict(args, domains=['other.test'], exclusive=True, max_removals=0, www='never'))
    assert result['error_kind'] == 'removals' and result['api_calls'] == 1 and result['changed'] is False


@pytest.mark.parametrize('library, www', [('idna', 'never'), ('requests', 'never'), ('publicsuffixlist', 'apex')])
def test_a_missing_library_is_named(monkeypatch, args, library, www):
    with without(monkeypatch, library):
        result = run_main(main, dict(args, www=www))
    assert result['failed'] and result['error_kind'] == 'missing_library'
    assert 'Failed to import the required Python library (%s)' % library in result['msg']


def test_the_public_suffix_list_is_needed_only_for_apex(monkeypatch, args):
    with without(monkeypatch, 'publicsuffixlist'):
        assert run_main(main, dict(args, www='always'))['changed'] is True
