# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""multisite_domains_info's main() with arguments, hermetic: what it refuses before any connection. Its reads of
a real MariaDB are integration tests (tests/integration/test_multisite_domains_info.py)."""

from ansible_collections.multisite.serverpilot.plugins.modules.multisite_domains_info import main
from unit.module_main import run_main, without


def test_an_unknown_source_is_invalid_input():
    result = run_main(main, dict(source='wp_ultimo_1'))
    assert result['failed'] and result['error_kind'] == 'invalid_input' and 'source' in result['msg']


def test_missing_pymysql_is_named(monkeypatch, tmp_path):
    with without(monkeypatch, 'pymysql'):
        result = run_main(main, dict(wp_config=str(tmp_path / 'wp-config.php')))
    assert result['error_kind'] == 'missing_library' and '(PyMySQL)' in result['msg']
