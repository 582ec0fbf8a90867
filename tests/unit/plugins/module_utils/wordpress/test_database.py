# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The database session's plain rules: where to connect (options over wp-config.php over the option file),
what a wp-config.php cannot say, MySQL errors, bounded waits."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import database as wpdb

from unit.plugins.module_utils.wordpress.test_wp_config import WP_CONFIG


def params(**values):
    names = ('login_host', 'login_port', 'login_unix_socket', 'login_user', 'login_password', 'database',
             'table_prefix', 'wp_config')
    base = dict((k, None) for k in names)
    base.update(values)
    return base


def test_settings_from_wp_config_and_explicit_options_win(tmp_path):
    path = tmp_path / 'wp-config.php'
    path.write_text(WP_CONFIG)
    settings = wpdb.connection_settings(params(wp_config=str(path)), exists=lambda p: False)
    assert settings == {'host': 'localhost', 'port': None, 'unix_socket': '/var/run/mysqld/mysqld.sock',
                        'user': 'wp"user', 'password': "p@ss//w#rd'x", 'database': 'network_db',
                        'table_prefix': 'net_', 'config_signs': []}
    path.write_text(WP_CONFIG + "define( 'SUNRISE', 'on' );\n")
    signs = wpdb.connection_settings(params(wp_config=str(path)), exists=lambda p: False)['config_signs']
    assert len(signs) == 1 and 'defines SUNRISE (line 12)' in signs[0]
    settings = wpdb.connection_settings(params(wp_config=str(path), login_host='db.internal', login_port=3307,
                                               database='other', table_prefix='wp_'), exists=lambda p: False)
    assert (settings['host'], settings['port'], settings['unix_socket']) == ('db.internal', 3307, None)
    assert (settings['database'], settings['table_prefix'], settings['user']) == ('other', 'wp_', 'wp"user')


def test_localhost_uses_the_usual_socket_like_mysqli():
    settings = wpdb.connection_settings(params(login_host='localhost'), exists=lambda p: p == '/run/mysqld/mysqld.sock')
    assert settings['unix_socket'] == '/run/mysqld/mysqld.sock' and settings['table_prefix'] == 'wp_'
    settings = wpdb.connection_settings(params(login_host='localhost', login_port=3306), exists=lambda p: True)
    assert settings['unix_socket'] is None


FULL = "<?php\ndefine('DB_NAME', 'n');\ndefine('DB_USER', 'u');\ndefine('DB_PASSWORD', 'p');\ndefine('DB_HOST', 'h');\n"


@pytest.mark.parametrize('content, options, words', [
    (None, {}, 'Cannot read wp_config'),
    ("<?php define('DB_NAME', 'x');", {},
     'does not set DB_USER, DB_PASSWORD, DB_HOST, $table_prefix. Give login_user, login_password, login_host, '
     'table_prefix'),
    # no silent wp_: the file was named, so its tables are the ones it says, or none
    (FULL, {}, 'does not set $table_prefix. Give table_prefix'),
    (FULL + "$table_prefix = getenv('WP_TABLE_PREFIX') ?: 'wpx_';\n", {},
     'sets $table_prefix (line 6) to PHP code, not a plain string literal'),
    (FULL.replace("'h'", "getenv_docker('WORDPRESS_DB_HOST', 'mysql')") + "$table_prefix = 'wp_';", {},
     'sets DB_HOST (line 5) to PHP code'),
    (FULL.replace("'p'", "'sec' . 'ret'") + "$table_prefix = 'wp_';", {'table_prefix': 'x_'},
     'sets DB_PASSWORD (line 4) to PHP code, not a plain string literal, and the reader never runs code'),
    ("<?php define('DB_NAME', 'x);", {}, 'cannot be read as PHP (a string opened on line 1 is never closed)'),
])
def test_bad_wp_config(tmp_path, content, options, words):
    path = tmp_path / 'wp-config.php'
    if content is not None:
        path.write_text(content)
    with pytest.raises(wpdb.SourceError) as info:
        wpdb.connection_settings(params(wp_config=str(path), **options))
    assert info.value.kind == 'source' and info.value.source_kind == 'wp_config' and words in info.value.msg
    assert 'sec' not in info.value.msg and 'mysql' not in info.value.msg


def test_an_option_given_explicitly_wins_over_what_the_file_cannot_say(tmp_path):
    path = tmp_path / 'wp-config.php'
    path.write_text(FULL.replace("'h'", "getenv_docker('WORDPRESS_DB_HOST', 'mysql')")
                    + "define('WP_DEBUG', false); $table_prefix = getenv('WP_TABLE_PREFIX') ?: 'wpx_';\n")
    settings = wpdb.connection_settings(params(wp_config=str(path), table_prefix='wpx_', login_host='db'),
                                        exists=lambda p: False)
    assert (settings['table_prefix'], settings['host'], settings['database']) == ('wpx_', 'db', 'n')
    path.write_text(FULL + "define('WP_DEBUG', false); $table_prefix = 'wpx_';\n")
    assert wpdb.connection_settings(params(wp_config=str(path)), exists=lambda p: False)['table_prefix'] == 'wpx_'


def test_without_a_file_the_prefix_is_the_documented_default():
    assert wpdb.connection_settings(params(login_host='db'))['table_prefix'] == 'wp_'


@pytest.mark.parametrize('code, connecting, kind, words', [
    (2013, False, 'connection_lost', 'closed the connection while reading the mappings (wp_x)'),
    (2006, False, 'connection_lost', 'closed the connection while reading the mappings (wp_x)'),
    (1205, False, 'lock', 'Another session holds a lock'),
    (2013, True, 'connect', 'Cannot connect to the database at db:3306'),
    (1142, False, 'grants', 'GRANT SELECT'),
    (1792, False, 'query', 'The query on the database at db:3306 failed while reading the mappings (wp_x) (MySQL '
                           'error 1792'),
    (2003, True, 'connect', 'Cannot connect'),
])
def test_mysql_errors_point_the_right_way(code, connecting, kind, words):
    exc = wpdb.pymysql.err.OperationalError(code, "detail with s3cret-pw inside")
    error = wpdb._error(exc, 'db:3306', 's3cret-pw', connecting=connecting, part=None if connecting else 'mappings',
                        about=None if connecting else 'the mappings (wp_x)')
    assert error.source_kind == kind and words in error.msg
    assert 's3cret-pw' not in error.msg
    assert error.details().get('source_part') == (None if connecting else 'mappings')


def test_a_query_that_times_out_is_named_as_such():
    exc = wpdb.pymysql.err.OperationalError(2013, 'Lost connection to MySQL server during query (timed out)')
    error = wpdb._error(exc, 'db:3306', None, part='sites', about="the sites' own addresses (wp_blogs)")
    assert error.source_kind == 'timeout' and "while reading the sites' own addresses (wp_blogs)" in error.msg
    assert 'nothing was synced' in error.msg


def test_line_numbers_survive_block_comments(tmp_path):
    path = tmp_path / 'wp-config.php'
    path.write_text(FULL + "/* one\ntwo\nthree */\n$table_prefix = 'a_';\n$table_prefix = 'b_';\n")
    with pytest.raises(wpdb.SourceError) as info:
        wpdb.connection_settings(params(wp_config=str(path)))
    assert '(lines 9, 10)' in info.value.msg and 'a_' not in info.value.msg and 'Give table_prefix' in info.value.msg


@pytest.mark.parametrize('tail, words', [
    ("$table_prefix = 'wp_';\nif ( getenv('NET2') ) { $table_prefix = 'net2_'; }\n",
     '$table_prefix is used on line 7 under a condition or in a block'),
    ("require __DIR__ . '/wp-config-local.php';\n$table_prefix = 'wp_';\n", 'may be set on line 6, which includes another file'),
    ("$table_prefix .= 'net2_';\n", "is changed with '.=' on line 6 where the reader cannot know its value"),
])
def test_a_setting_php_may_hold_otherwise_is_refused_with_its_line(tmp_path, tail, words):
    path = tmp_path / 'wp-config.php'
    path.write_text(FULL + tail)
    with pytest.raises(wpdb.SourceError) as info:
        wpdb.connection_settings(params(wp_config=str(path)))
    assert info.value.source_kind == 'wp_config' and words in info.value.msg
    assert 'table_prefix as module options' in info.value.msg


def test_a_compound_prefix_is_read_to_phps_value(tmp_path):
    path = tmp_path / 'wp-config.php'
    path.write_text(FULL + "$table_prefix = 'wp_';\n$table_prefix .= 'net2_';\n")
    assert wpdb.connection_settings(params(wp_config=str(path)), exists=lambda p: False)['table_prefix'] == 'wp_net2_'


def test_the_option_files_target_is_what_messages_name(tmp_path):
    cnf = tmp_path / 'my.cnf'
    cnf.write_text('[client]\nhost = 10.1.2.3\nport = 3307\n')
    settings = {'host': None, 'port': None, 'unix_socket': None}
    assert wpdb.effective_target(settings, str(cnf)) == '10.1.2.3:3307'
    assert wpdb.effective_target(dict(settings, host='db'), str(cnf)) == 'db:3307'
    assert wpdb.effective_target(settings, None) == 'localhost:3306'


def test_every_socket_read_and_write_is_bounded_and_a_lock_is_waited_for_half_as_long(monkeypatch):
    """A server that accepts and never answers, or a query that never returns, cannot hang the run: the connection
    is made with the socket's own timeouts, and the session waits for a lock half of query_timeout."""
    connected, executed = {}, []

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql, args=None):
            executed.append(sql)

    class Connection:
        def cursor(self):
            return Cursor()

        def close(self):
            pass

    def connect(**kwargs):
        connected.update(kwargs)
        return Connection()
    monkeypatch.setattr(wpdb.pymysql, 'connect', connect)
    settings = {'host': '127.0.0.1', 'port': 3306, 'unix_socket': None, 'user': 'u', 'password': 'p',
                'database': 'wp'}
    assert wpdb.in_snapshot(settings, lambda session: 'read', connect_timeout=4, query_timeout=12) == 'read'
    assert (connected['connect_timeout'], connected['read_timeout'], connected['write_timeout']) == (4, 12, 12)
    assert executed[0] == 'SET SESSION lock_wait_timeout = 6' and executed[-1] == 'ROLLBACK'
    assert 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY' in executed
