# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ultimate_multisite_domains_info's main() with arguments, against the real MariaDB: the JSON it exits with."""

from ansible_collections.multisite.serverpilot.plugins.modules.ultimate_multisite_domains_info import main
from unit.module_main import run_main, without


def test_reads_the_mappings(mariadb):
    mariadb.create_network('unitmain', rows=[{'blog_id': 2, 'domain': 'Shop.Example.com', 'primary_domain': 1}])
    mariadb.create_user('unitreader', 'unit-pw-1', 'unitmain')
    result = run_main(main, dict(login_host='127.0.0.1', login_port=mariadb.port, login_user='unitreader',
                                 login_password='unit-pw-1', database='unitmain', config_file='/nonexistent'))
    assert result['changed'] is False and result['domains'] == ['shop.example.com'] and result['count'] == 1
    assert 'api_calls' not in result


def test_a_missing_wp_config_is_a_source_failure(tmp_path):
    result = run_main(main, dict(wp_config=str(tmp_path / 'wp-config.php')))
    assert result['failed'] and result['error_kind'] == 'source' and result['source_error'] == 'wp_config'


def test_missing_pymysql_is_named(monkeypatch, tmp_path):
    with without(monkeypatch, 'pymysql'):
        result = run_main(main, dict(wp_config=str(tmp_path / 'wp-config.php')))
    assert result['error_kind'] == 'missing_library' and '(PyMySQL)' in result['msg']
