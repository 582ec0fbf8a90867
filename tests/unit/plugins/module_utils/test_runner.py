# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one module flow's plain parts: package checks, the client's refusals."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils import runner
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError


def test_a_missing_library_is_named_with_its_pip_name(monkeypatch):
    monkeypatch.setitem(runner.LIBRARIES, 'not-installed-pkg', 'not_installed_module_xyz')
    with pytest.raises(CollectionError) as info:
        runner.check_libraries(['requests', 'not-installed-pkg'])
    assert info.value.kind == 'missing_library' and 'not-installed-pkg' in info.value.msg
    assert info.value.details()['library'] == 'not-installed-pkg'


@pytest.mark.parametrize('options, words', [
    ({'client_id': None}, 'Missing client_id'),
    ({'api_key': ''}, 'Missing api_key'),
    ({'timeout': -1}, 'timeout must be a positive number'),
    ({'retries': -2}, 'retries must be 0 or more'),
    ({'api_url': 'http://api.example.com/v1'}, 'http'),
])
def test_build_client_refuses_before_any_call(options, words):
    base = {'client_id': 'c', 'api_key': 'k', 'api_url': None, 'validate_certs': True, 'timeout': 30, 'retries': 4}
    base.update(options)
    with pytest.raises(CollectionError) as info:
        runner.build_client(base)
    assert words in info.value.msg and info.value.kind == 'invalid_input'


def test_the_shared_spec_takes_credentials_from_the_environment():
    spec = runner.serverpilot_argument_spec(app=True)
    assert spec['api_key']['no_log'] is True
    for option, variable in (('client_id', 'SERVERPILOT_CLIENT_ID'), ('api_key', 'SERVERPILOT_API_KEY'),
                             ('api_url', 'SERVERPILOT_API_URL'), ('app_id', 'SERVERPILOT_APP_ID')):
        assert spec[option]['fallback'][1] == [variable]
