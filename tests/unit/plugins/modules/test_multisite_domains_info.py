# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""multisite_domains_info's main() with arguments, against the real MariaDB: the JSON it exits with."""

from ansible_collections.multisite.serverpilot.plugins.modules.multisite_domains_info import main
from unit.module_main import run_main, without


def test_reads_wordpress_own_mapping(mariadb):
    mariadb.create_wordpress('unitsources')
    mariadb.add_site('unitsources', 'wp_', 2, 'Shop.Example.com')
    mariadb.create_user('unitsources', 'unit-pw-2', 'unitsources')
    result = run_main(main, dict(login_host='127.0.0.1', login_port=mariadb.port, login_user='unitsources',
                                 login_password='unit-pw-2', database='unitsources', config_file='/nonexistent'))
    assert result['changed'] is False and result['domains'] == ['shop.example.com'] and result['count'] == 1
    assert result['source'] == 'wordpress' and 'api_calls' not in result


def test_an_unknown_source_is_invalid_input():
    result = run_main(main, dict(source='wp_ultimo_1'))
    assert result['failed'] and result['error_kind'] == 'invalid_input' and 'source' in result['msg']


def test_missing_pymysql_is_named(monkeypatch, tmp_path):
    with without(monkeypatch, 'pymysql'):
        result = run_main(main, dict(wp_config=str(tmp_path / 'wp-config.php')))
    assert result['error_kind'] == 'missing_library' and '(PyMySQL)' in result['msg']
