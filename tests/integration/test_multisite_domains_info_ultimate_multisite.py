# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""multisite_domains_info reading Ultimate Multisite through ansible-playbook against a real MariaDB server: its
rows, and the connection - wp-config.php, option files, passwords, grants, a server that never greets."""

import itertools
import socket
import time

import pytest

pytestmark = pytest.mark.integration
PASSWORD = 'wp-db-secret-4242'
_names = itertools.count()

ROWS = [
    {'blog_id': 3, 'domain': 'Third.Example.org.', 'primary_domain': 1},
    {'blog_id': 2, 'domain': 'alias.example.com', 'primary_domain': 0},
    {'blog_id': 2, 'domain': 'shop.example.com', 'primary_domain': 1, 'secure': 1},
    {'blog_id': 2, 'domain': 'inactive.example.com', 'active': 0},
    {'blog_id': 4, 'domain': 'failed.example.com', 'stage': 'failed'},
    {'blog_id': 4, 'domain': 'dns.example.com', 'stage': 'checking-dns'},
    {'blog_id': 5, 'domain': 'bücher.example', 'primary_domain': 1},
    {'blog_id': 5, 'domain': 'bad_name..example', 'primary_domain': 0},
    {'blog_id': 6, 'domain': 'SHOP.example.com', 'primary_domain': 1},  # the same name twice
]


@pytest.fixture
def network(mariadb):
    """A fresh database with the mappings table (default prefix) and a SELECT-only user."""
    database = 'network%d' % next(_names)
    mariadb.create_network(database, rows=ROWS)
    mariadb.create_user('wpreader', PASSWORD, database)
    return database


def task(**options):
    lines = ''.join('    %s: %s\n' % (k, v) for k, v in options.items())
    return ('- name: read\n  multisite.serverpilot.multisite_domains_info:\n    source: ultimate_multisite\n%s'
            '  ignore_errors: true\n' % lines)


def by_options(mariadb, db, **extra):
    options = dict(login_host='127.0.0.1', login_port=mariadb.port, login_user='wpreader',
                   login_password=PASSWORD, database=db, config_file='/nonexistent/my.cnf')
    options.update(extra)
    return options


def test_reads_normalises_and_orders_the_mappings(mariadb, network, playbook):
    run = playbook(task(**by_options(mariadb, network)), args=['--check', '-vvvv'])
    result = run.results[0]
    assert not result['failed'], result
    # by blog id, primary first; inactive and failed rows left out; names normalised, duplicates dropped
    assert result['domains'] == ['shop.example.com', 'alias.example.com', 'third.example.org',
                                 'dns.example.com', 'xn--bcher-kva.example']
    assert result['count'] == 6
    shop = [m for m in result['mappings'] if m['domain'] == 'shop.example.com'][0]
    assert shop == {'id': shop['id'], 'blog_id': 2, 'domain': 'shop.example.com', 'active': True, 'primary': True,
                    'primary_domain': True, 'secure': True, 'stage': 'done', 'custom': True}
    assert result['source'] == 'ultimate_multisite' and result['network_domain'] == 'network.example'
    assert [r['domain'] for r in result['invalid_rows']] == ['bad_name..example']
    bad_id = result['invalid_rows'][0]['id']
    assert any('Skipped mapping row id %d' % bad_id in w for w in result['warnings'])
    assert PASSWORD not in run.stdout


@pytest.mark.parametrize('options, expected', [
    ({'active_only': 'false'}, ['inactive.example.com']),
    ({'stages': '[failed]'}, ['failed.example.com']),
    ({'blog_ids': '[3, 5]'}, ['third.example.org', 'xn--bcher-kva.example']),
])
def test_filters(mariadb, network, playbook, options, expected):
    result = playbook(task(**by_options(mariadb, network, **options))).results[0]
    assert not result['failed'], result
    if 'blog_ids' in options:
        assert result['domains'] == expected
    else:
        assert set(expected) <= set(result['domains'])
        if 'stages' in options:
            assert result['domains'] == expected


def test_a_non_default_prefix(mariadb, playbook):
    mariadb.create_network('netprefix', prefix='net7_', rows=[{'blog_id': 1, 'domain': 'prefixed.example.com'}])
    mariadb.create_user('wpreader', PASSWORD, 'netprefix')
    result = playbook(task(**by_options(mariadb, 'netprefix', table_prefix='net7_'))).results[0]
    assert result['domains'] == ['prefixed.example.com']


def test_connects_through_an_option_file(mariadb, network, playbook, tmp_path):
    cnf = tmp_path / 'my.cnf'
    cnf.write_text('[client]\nuser = wpreader\npassword = %s\nsocket = %s\n' % (PASSWORD, mariadb.socket))
    result = playbook(task(config_file=str(cnf), database=network, login_host='localhost')).results[0]
    assert not result['failed'], result
    assert 'shop.example.com' in result['domains']


@pytest.mark.parametrize('host_form', ['socket', 'port'])
def test_connects_through_wp_config(mariadb, network, playbook, tmp_path, host_form):
    db_host = 'localhost:%s' % mariadb.socket if host_form == 'socket' else '127.0.0.1:%d' % mariadb.port
    wp_config = tmp_path / 'wp-config.php'
    wp_config.write_text('''<?php
// ** Database settings ** //
/* define('DB_NAME', 'not_this_one'); */
define( 'DB_NAME', '%s' );
define( "DB_USER", "wpreader" );
define( 'DB_PASSWORD', '%s' );
define( 'DB_HOST', '%s' );
$table_prefix = 'wp_';
require_once ABSPATH . 'wp-settings.php';
''' % (network, PASSWORD, db_host))
    run = playbook(task(wp_config=str(wp_config), config_file='/nonexistent/my.cnf'), args=['-vvvv'])
    result = run.results[0]
    assert not result['failed'], result
    assert 'shop.example.com' in result['domains']
    assert PASSWORD not in run.stdout


def test_explicit_options_win_over_wp_config(mariadb, network, playbook, tmp_path):
    mariadb.create_network('othernet', prefix='wp_', rows=[{'blog_id': 1, 'domain': 'other.example.com'}])
    mariadb.create_user('wpreader', PASSWORD, 'othernet')
    wp_config = tmp_path / 'wp-config.php'
    wp_config.write_text("<?php define('DB_NAME','%s'); define('DB_USER','wpreader'); define('DB_PASSWORD','%s');"
                         "\ndefine('DB_HOST','127.0.0.1:%d');\n$table_prefix = 'wp_';\n" % (network, PASSWORD, mariadb.port))
    result = playbook(task(wp_config=str(wp_config), database='othernet')).results[0]
    assert result['domains'] == ['other.example.com']


@pytest.mark.parametrize('change, kind, words', [
    ({'login_port': 1}, 'connect', 'Cannot connect to the database at 127.0.0.1:1'),
    ({'login_password': 'wrong-password-77'}, 'credentials', 'Access denied'),
    ({'database': 'no_such_db'}, 'credentials', 'may not use that database'),
    ({'table_prefix': 'nope_'}, 'table', 'No such table: check table_prefix'),
    ({'table_prefix': "'wp_; DROP TABLE x'"}, 'table_prefix', 'letters, digits and underscores'),
])
def test_failures_say_what_to_check(mariadb, network, playbook, change, kind, words):
    run = playbook(task(**by_options(mariadb, network, **change)))
    result = run.results[0]
    assert result['failed'] and result['error_kind'] == 'source' and result['source_error'] == kind, result
    assert words in result['msg']
    assert PASSWORD not in run.stdout and 'wrong-password-77' not in run.stdout


def test_no_such_database_for_a_user_who_may_see_it(mariadb, network, playbook):
    mariadb.create_user('wpall', PASSWORD, '*', privileges='SELECT')
    result = playbook(task(**by_options(mariadb, 'missing_db', login_user='wpall'))).results[0]
    assert result['failed'] and result['error_kind'] == 'source' and result['source_error'] == 'database' and 'No such database' in result['msg']


@pytest.mark.parametrize('content, words', [
    (None, 'Cannot read wp_config'),
    ("<?php define('DB_NAME','x'); define('DB_USER','y');", 'does not set DB_PASSWORD, DB_HOST, $table_prefix'),
])
def test_bad_wp_config(playbook, tmp_path, content, words, mariadb):
    path = tmp_path / 'wp-config.php'
    if content is not None:
        path.write_text(content)
    result = playbook(task(wp_config=str(path))).results[0]
    assert result['failed'] and result['error_kind'] == 'source' and result['source_error'] == 'wp_config' and words in result['msg']


# -- hardening: files, users and servers as real networks have them ------------------------------------------------

def sql_string(value):
    """A value as a MariaDB string literal (the server reads backslash escapes)."""
    return "'%s'" % value.replace('\\', '\\\\').replace("'", "''")


def wp_config_file(tmp_path, mariadb, database, user, password_literal, extra='', encoding='utf-8'):
    path = tmp_path / 'wp-config.php'
    text = ("<?php\n// Réglages de la base de données\ndefine('DB_NAME', '%s');\ndefine('DB_USER', '%s');\n"
            "define('DB_PASSWORD', %s);\ndefine('DB_HOST', '127.0.0.1:%d');\n%s%s"
            % (database, user, password_literal, mariadb.port, extra,
               # as every wp-config.php has it (one without it is refused, see test_php / test_database)
               '' if '$table_prefix' in extra else "$table_prefix = 'wp_';\n"))
    path.write_bytes(text.encode(encoding))
    return str(path)


@pytest.mark.parametrize('label, password, literal, encoding', [
    ('a Latin-1 file with an accented comment', 'plain-pass-1', "'plain-pass-1'", 'latin-1'),
    ('single quotes keep a backslash', 'ab\\cd', "'ab\\cd'", 'utf-8'),
    ("single quotes: only \\' and \\\\ are escapes", "it's\\x", "'it\\'s\\\\x'", 'utf-8'),
    ('double quotes: PHP escapes', 'tab\there$', '"tab\\there\\$"', 'utf-8'),
    ('a UTF-8 password', 'Pässwört€42', "'Pässwört€42'", 'utf-8'),
    ('a UTF-8 password mariadb also takes', 'Pässwört42', "'Pässwört42'", 'utf-8'),
])
def test_wp_config_passwords_as_php_and_wordpress_read_them(mariadb, network, playbook, tmp_path, label, password,
                                                            literal, encoding):
    user = 'wpq%d' % next(_names)
    for host in ('localhost', '127.0.0.1'):
        mariadb.sql("CREATE USER '%s'@'%s' IDENTIFIED BY %s; GRANT SELECT ON `%s`.* TO '%s'@'%s';"
                    % (user, host, sql_string(password), network, user, host))
    path = wp_config_file(tmp_path, mariadb, network, user, literal, encoding=encoding)
    run = playbook(task(wp_config=path, config_file='/nonexistent/my.cnf'))
    assert not run.results[0]['failed'], (label, run.results[0])
    assert 'shop.example.com' in run.results[0]['domains']


def test_a_wrong_utf8_password_is_never_quoted(mariadb, network, playbook, tmp_path):
    path = wp_config_file(tmp_path, mariadb, network, 'wpreader', "'Fälsch€pw'")
    run = playbook(task(wp_config=path, config_file='/nonexistent/my.cnf'), args=['-vvv'])
    result = run.results[0]
    assert result['failed'] and result['source_error'] == 'credentials'
    for part in ('Fälsch', '€', 'lsch', '\\u20ac', 'position'):
        assert part not in result['msg'] and part not in run.stdout, part


@pytest.mark.parametrize('extra, setting, lines', [
    ("$table_prefix = 'old_';\n$table_prefix = 'wp_';\n", '$table_prefix is set', '7, 8'),
    ("define('DB_NAME', 'stale_db');\n", 'DB_NAME is defined', '3, 7'),
])
def test_a_setting_given_twice_is_refused_with_its_lines(mariadb, network, playbook, tmp_path, extra, setting,
                                                         lines):
    path = wp_config_file(tmp_path, mariadb, network, 'wpreader', "'%s'" % PASSWORD, extra=extra)
    result = playbook(task(wp_config=path, config_file='/nonexistent/my.cnf')).results[0]
    assert result['failed'] and result['source_error'] == 'wp_config', result
    assert '%s twice with different values (lines %s)' % (setting, lines) in result['msg']


def test_the_same_value_twice_is_fine(mariadb, network, playbook, tmp_path):
    path = wp_config_file(tmp_path, mariadb, network, 'wpreader', "'%s'" % PASSWORD,
                          extra="$table_prefix = 'wp_';\n$table_prefix = 'wp_';\n")
    assert not playbook(task(wp_config=path, config_file='/nonexistent/my.cnf')).results[0]['failed']


def test_the_option_files_host_applies_and_is_named(mariadb, network, playbook, tmp_path):
    cnf = tmp_path / 'my.cnf'
    cnf.write_text('[client]\nhost = 127.0.0.2\nport = %d\nuser = wpreader\npassword = %s\n' % (mariadb.port, PASSWORD))
    result = playbook(task(config_file=str(cnf), database=network, connect_timeout=3)).results[0]
    # the server listens on 127.0.0.1 only: reaching it would mean the file's host was ignored
    assert result['failed'] and result['source_error'] == 'connect', result
    assert 'at 127.0.0.2:%d' % mariadb.port in result['msg']
    cnf.write_text('[client]\nhost = 127.0.0.1\nport = %d\nuser = wpreader\npassword = %s\n' % (mariadb.port, PASSWORD))
    assert not playbook(task(config_file=str(cnf), database=network)).results[0]['failed']


def test_a_server_that_never_greets_is_bounded_by_query_timeout(playbook):
    silent = socket.socket()
    silent.bind(('127.0.0.1', 0))
    silent.listen(5)
    started = time.monotonic()
    try:
        result = playbook(task(login_host='127.0.0.1', login_port=silent.getsockname()[1], login_user='x',
                               login_password='y', database='z', config_file='/nonexistent', connect_timeout=3,
                               query_timeout=2)).results[0]
    finally:
        silent.close()
    assert result['failed'] and result['source_error'] == 'connect', result
    # without a read timeout PyMySQL waits for the greeting for ever: any bound shows there is one, and this one
    # is generous, so a loaded machine makes the test slower, never red
    assert time.monotonic() - started < 300


def test_select_denied_is_named_as_a_grants_problem(mariadb, network, playbook):
    mariadb.sql("CREATE TABLE IF NOT EXISTS `%s`.other (id INT)" % network)
    for host in ('localhost', '127.0.0.1'):
        mariadb.sql("CREATE USER IF NOT EXISTS 'wpother'@'%s' IDENTIFIED BY '%s'; "
                    "GRANT SELECT ON `%s`.other TO 'wpother'@'%s';" % (host, PASSWORD, network, host))
    result = playbook(task(**by_options(mariadb, network, login_user='wpother'))).results[0]
    assert result['failed'] and result['source_error'] == 'grants', result
    assert 'GRANT SELECT' in result['msg'] and 'Cannot connect' not in result['msg']


@pytest.mark.in_process
def test_the_session_refuses_writes_even_for_a_user_who_may_write(mariadb, network):
    """The reader's own guard, shown with a user that has INSERT: a write in its session is refused."""
    from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import database
    mariadb.create_user('wpwriter', PASSWORD, network, privileges='SELECT, INSERT')
    settings = database.connection_settings(by_options(mariadb, network, login_user='wpwriter'))
    insert = ("INSERT INTO wp_wu_domain_mappings (blog_id, domain, active, primary_domain, secure, stage, "
              "date_created) VALUES (9, 'written.example.com', 1, 0, 0, 'done', NOW())", [])
    with pytest.raises(database.SourceError) as info:
        database.in_snapshot(settings, lambda session: session.rows(insert, 'test', 'a write'),
                             config_file='/nonexistent/my.cnf')
    assert '1792' in info.value.msg  # ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
    assert 'written.example.com' not in mariadb.sql('SELECT domain FROM wp_wu_domain_mappings', network)
