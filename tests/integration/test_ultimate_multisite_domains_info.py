# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ultimate_multisite_domains_info through ansible-playbook against a real MariaDB server."""

import itertools

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
    return ('- name: read\n  multisite.serverpilot.ultimate_multisite_domains_info:\n%s  ignore_errors: true\n'
            % lines)


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
    assert shop == {'id': shop['id'], 'blog_id': 2, 'domain': 'shop.example.com', 'active': True,
                    'primary_domain': True, 'secure': True, 'stage': 'done'}
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
                         "\ndefine('DB_HOST','127.0.0.1:%d');\n" % (network, PASSWORD, mariadb.port))
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
    ("<?php define('DB_NAME','x'); define('DB_USER','y');", 'does not define DB_PASSWORD, DB_HOST'),
])
def test_bad_wp_config(playbook, tmp_path, content, words, mariadb):
    path = tmp_path / 'wp-config.php'
    if content is not None:
        path.write_text(content)
    result = playbook(task(wp_config=str(path))).results[0]
    assert result['failed'] and result['error_kind'] == 'source' and result['source_error'] == 'wp_config' and words in result['msg']


def test_the_database_is_never_written(mariadb, network, playbook):
    # the reader user may only SELECT, and the table is the same afterwards
    before = mariadb.sql('CHECKSUM TABLE wp_wu_domain_mappings', network)
    result = playbook(task(**by_options(mariadb, network))).results[0]
    assert not result['failed']
    assert mariadb.sql('CHECKSUM TABLE wp_wu_domain_mappings', network) == before
