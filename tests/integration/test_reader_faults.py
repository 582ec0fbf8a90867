# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reader under the faults an ordinary network meets, against the real MariaDB: a connection dropped in the
middle of a read, a table locked by a backup, an edit committed while the read runs, a container-style
wp-config.php, a settings row after a search-replace, NULLs in nullable columns, a www. network. Each read is
whole or fails; a failed read syncs nothing."""

import itertools
import socket
import subprocess
import threading
import time

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import database as wordpress_database, reader
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import Request
from ansible_collections.multisite.serverpilot.plugins.modules.multisite_domains_info import main
from conftest import run_shipped_playbook
from unit.module_main import run_main

pytestmark = pytest.mark.integration
PASSWORD = 'reader-faults-pw-19'
_names = itertools.count()
MERCATOR = [{'blog_id': 2, 'domain': 'shop.example.com', 'active': 1},
            {'blog_id': 3, 'domain': 'blog.example.org', 'active': 1}]


def network(mariadb, source='mercator', rows=None, prefix='wp_', network_domain='network.example'):
    """A WordPress network whose site 4 moved to its own domain in its settings (custom_site_domains)."""
    database = 'faults%d' % next(_names)
    mariadb.create_wordpress(database, prefix, network_domain)
    mariadb.add_sites(database, prefix, [{'blog_id': 2, 'domain': 'site2.network.example'},
                                         {'blog_id': 3, 'domain': 'site3.network.example'},
                                         {'blog_id': 4, 'domain': 'own-domain.example'}])
    if source:
        mariadb.add_plugin(database, prefix, source, MERCATOR if rows is None else rows)
    mariadb.create_user('faults', PASSWORD, database)
    return database


def options(mariadb, database, **extra):
    found = dict(login_host='127.0.0.1', login_port=mariadb.port, login_user='faults', login_password=PASSWORD,
                 database=database, config_file='/nonexistent/my.cnf', source='mercator')
    found.update(extra)
    return found


class DroppingProxy:
    """A TCP proxy on loopback in front of MariaDB that cuts the connection when the client sends ``trigger``."""

    def __init__(self, port, trigger):
        self.port, self.trigger, self.dropped = port, trigger, threading.Event()
        self.listener = socket.socket()
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(8)
        self.address = self.listener.getsockname()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, dummy = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(('127.0.0.1', self.port))
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, src, dst, from_client):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if from_client and self.trigger in data:
                    self.dropped.set()
                    break
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self):
        self.listener.close()


@pytest.mark.in_process
def test_a_connection_dropped_while_the_sites_are_read_fails_the_read(mariadb):
    database = network(mariadb)
    proxy = DroppingProxy(mariadb.port, b"FROM `wp_blogs` WHERE site_id")
    try:
        result = run_main(main, options(mariadb, database, login_port=proxy.address[1]))
    finally:
        proxy.close()
    assert proxy.dropped.is_set()
    # never custom_site_domains: [] - the exclusive sync would remove own-domain.example
    assert result['failed'] and result['error_kind'] == 'source', result
    assert result['source_error'] == 'connection_lost' and result['source_part'] == 'sites'
    assert "while reading the sites' own addresses (wp_blogs)" in result['msg'] and 'domains' not in result
    # the same read without the fault returns that site's own domain
    assert run_main(main, options(mariadb, database))['custom_site_domains'] == ['own-domain.example']


class Lock:
    """A second session holding LOCK TABLES ... WRITE, as mysqldump --lock-tables does, until released."""

    def __init__(self, mariadb, database, table):
        self.mariadb = mariadb
        self.process = subprocess.Popen(
            [mariadb_binary(), '--no-defaults', '--socket=' + mariadb.socket, '--user=root', database],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        self.process.stdin.write('LOCK TABLES `%s` WRITE; SELECT SLEEP(600);\n' % table)
        self.process.stdin.flush()
        deadline = time.monotonic() + 60
        while 'SLEEP(600)' not in mariadb.sql('SELECT INFO FROM information_schema.PROCESSLIST'):
            assert time.monotonic() < deadline, 'the lock was not taken within 60 s'
            time.sleep(0.1)

    def release(self):
        # the server keeps the lock while the session's SLEEP runs, client or not: end the session itself
        for thread in self.mariadb.sql("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(600)'"
                                       ).split():
            self.mariadb.sql('KILL %d' % int(thread))
        self.process.kill()
        self.process.wait()


def mariadb_binary():
    import mariadb_server
    return mariadb_server._binary('mariadb', 'mysql')


@pytest.mark.in_process
def test_a_table_locked_by_a_backup_fails_the_read_within_query_timeout(mariadb):
    database = network(mariadb)
    lock = Lock(mariadb, database, 'wp_blogs')
    try:
        started = time.monotonic()
        result = run_main(main, options(mariadb, database, query_timeout=20))
        elapsed = time.monotonic() - started
    finally:
        lock.release()
    assert result['failed'] and result['source_error'] == 'lock' and result['source_part'] == 'sites', result
    assert 'Run again once it is done' in result['msg']
    # the lock is waited for half of query_timeout (10 s, timed by the server), so the server says "lock" well
    # before the socket's own 20 s would say "timeout": a wait of the whole query_timeout ends at 20 s or later
    # and races the socket; 9 s of slack for a slow machine
    assert elapsed < 19, elapsed


def test_the_role_removes_nothing_while_a_backup_locks_the_sites(standin, messy_network, mariadb, tmp_path):
    database = network(mariadb)
    app = standin.state.add_app(domains=['network.example', 'shop.example.com', 'blog.example.org',
                                         'own-domain.example'])
    messy_network.set_dns({})
    variables = {'serverpilot_app_id': app, 'serverpilot_domains': ['network.example'], 'serverpilot_www': 'never',
                 'serverpilot_database': dict(options(mariadb, database, query_timeout=10), login_port=mariadb.port,
                                              source='mercator'),
                 'serverpilot_verify_ssl': False, 'serverpilot_autossl': False}
    lock = Lock(mariadb, database, 'wp_blogs')
    try:
        rc, out = run_shipped_playbook(standin, tmp_path, 'sync_network.yml', variables)
    finally:
        lock.release()
    assert rc != 0 and "source_error\": \"lock\"" in out, out[-3000:]
    assert standin.state.writes() == []
    rc, out = run_shipped_playbook(standin, tmp_path, 'sync_network.yml', variables)
    assert rc == 0 and standin.state.writes() == [], out[-3000:]  # read whole: the app already holds them all


class CommittingSession:
    """A real session through which another connection commits an edit right after the mappings are read."""

    def __init__(self, session, edit):
        self.session, self.edit = session, edit

    def rows(self, query, part, about):
        found = self.session.rows(query, part, about)
        if part == 'mappings':
            self.edit()
        return found


@pytest.mark.in_process
def test_an_edit_committed_during_the_read_is_not_half_seen(mariadb):
    database = network(mariadb)
    settings = wordpress_database.connection_settings(options(mariadb, database))

    def edit():  # a site moves to its own domain and its mapping goes: one committed change
        mariadb.sql("UPDATE wp_blogs SET domain = 'moved-shop.example' WHERE blog_id = 2; "
                    "DELETE FROM wp_domain_mapping WHERE blog_id = 2;", database)

    result = wordpress_database.in_snapshot(settings, lambda session: reader.read_network(
        CommittingSession(session, edit), Request('wp_', source='mercator')), config_file='/nonexistent/my.cnf')
    # the state before the edit, whole: shop.example.com mapped, site 2 not yet moved
    assert result['domains'] == ['shop.example.com', 'blog.example.org']
    assert result['custom_site_domains'] == ['own-domain.example']
    after = run_main(main, options(mariadb, database))
    assert after['domains'] == ['blog.example.org']
    assert after['custom_site_domains'] == ['moved-shop.example', 'own-domain.example']


def wp_config(tmp_path, mariadb, database, tail):
    path = tmp_path / 'wp-config.php'
    path.write_text("<?php\ndefine( 'DB_NAME', '%s' );\ndefine( 'DB_USER', 'faults' );\ndefine( 'DB_PASSWORD', '%s' );\n"
                    "define( 'DB_HOST', '127.0.0.1:%d' );\n%s" % (database, PASSWORD, mariadb.port, tail))
    return str(path)


@pytest.fixture
def stale_and_live(mariadb):
    """One database with a stale network under wp_ (left by a migration) and the live one under wpx_."""
    import mariadb_server
    database = network(mariadb, rows=[{'blog_id': 2, 'domain': 'stale.example', 'active': 1}])
    mariadb.sql(mariadb_server.WORDPRESS_DDL.format(prefix='wpx_'), database)
    mariadb.sql("INSERT INTO wpx_site (id, domain, path) VALUES (1, 'network.example', '/')", database)
    mariadb.add_sites(database, 'wpx_', [{'blog_id': 1, 'domain': 'network.example'}])
    mariadb.add_plugin(database, 'wpx_', 'mercator', MERCATOR)
    return database


@pytest.mark.in_process
def test_table_prefix_after_another_statement_on_its_line(mariadb, tmp_path, stale_and_live):
    path = wp_config(tmp_path, mariadb, stale_and_live, "define( 'WP_DEBUG', false ); $table_prefix = 'wpx_';\n")
    result = run_main(main, dict(wp_config=path, config_file='/nonexistent/my.cnf', source='mercator'))
    assert result['table'] == 'wpx_domain_mapping' and result['domains'] == ['shop.example.com', 'blog.example.org']


@pytest.mark.parametrize('expression', [
    "getenv('WP_TABLE_PREFIX') ?: 'wpx_'",
    "getenv_docker('WORDPRESS_TABLE_PREFIX', 'wpx_')",
])
@pytest.mark.in_process
def test_a_table_prefix_set_by_code_is_refused_not_read_as_wp(mariadb, tmp_path, stale_and_live, expression):
    path = wp_config(tmp_path, mariadb, stale_and_live, "$table_prefix = %s;\n" % expression)
    result = run_main(main, dict(wp_config=path, config_file='/nonexistent/my.cnf', source='mercator'))
    assert result['failed'] and result['source_error'] == 'wp_config', result
    assert 'sets $table_prefix (line 6) to PHP code' in result['msg'] and 'table_prefix as module options' in result['msg']
    given = run_main(main, dict(wp_config=path, config_file='/nonexistent/my.cnf', source='mercator',
                                table_prefix='wpx_'))
    assert given['domains'] == ['shop.example.com', 'blog.example.org']


@pytest.mark.in_process
def test_a_wp_config_without_table_prefix_is_refused(mariadb, tmp_path, stale_and_live):
    result = run_main(main, dict(wp_config=wp_config(tmp_path, mariadb, stale_and_live, ''), source='mercator',
                                 config_file='/nonexistent/my.cnf'))
    assert result['failed'] and 'does not set $table_prefix. Give table_prefix' in result['msg'], result


SEARCH_REPLACED = 'a:2:{s:25:"auto_create_www_subdomain";s:9:"main_only";s:6:"domain";s:15:"shop.example.com";}'


@pytest.mark.in_process
def test_a_settings_row_after_a_search_replace_is_null_with_a_warning(mariadb):
    database = 'faults%d' % next(_names)
    mariadb.create_network(database, rows=[{'blog_id': 2, 'domain': 'shop.example.com'}])
    mariadb.sql("INSERT INTO wp_sitemeta (site_id, meta_key, meta_value) VALUES (1, 'wp-ultimo_v2_settings', '%s')"
                % SEARCH_REPLACED, database)
    mariadb.create_user('faults', PASSWORD, database)
    result = run_main(main, options(mariadb, database, source='ultimate_multisite'))
    assert result['domains'] == ['shop.example.com'] and result['www_setting'] is None
    assert any('string length does not match' in w and 'www_setting is null' in w for w in result['warnings'])
    unread = run_main(main, options(mariadb, database, source='ultimate_multisite', read_www_setting=False))
    assert unread['domains'] == ['shop.example.com'] and unread['warnings'] == []


@pytest.mark.in_process
def test_nulls_in_nullable_columns_read_as_the_plugins_read_them(mariadb):
    database = network(mariadb, 'dark_matter', rows=[])
    mariadb.sql("INSERT INTO wp_domain_mapping (blog_id, is_primary, domain, active, is_https, type) VALUES "
                "(2, NULL, 'shop.example.com', 1, NULL, NULL), (3, 1, 'cdn.example.org', 1, 1, 2), "
                "(3, 1, 'nulled.example.org', NULL, 1, 1)", database)
    result = run_main(main, options(mariadb, database, source='dark_matter'))
    assert result['domains'] == ['shop.example.com'] and result['invalid_rows'] == [], result
    shop = [m for m in result['mappings'] if m['domain'] == 'shop.example.com'][0]
    assert (shop['type'], shop['is_https'], shop['primary']) == ('main', False, False)
    everything = run_main(main, options(mariadb, database, source='dark_matter', active_only=False))
    assert [m['active'] for m in everything['mappings'] if m['domain'] == 'nulled.example.org'] == [False]


@pytest.mark.in_process
def test_a_www_network_has_its_subdomain_sites_under_the_name_without_www(mariadb):
    database = network(mariadb, None, network_domain='www.second.test')
    mariadb.add_sites(database, 'wp_', [{'blog_id': 5, 'domain': 'sub2.second.test'}])
    result = run_main(main, options(mariadb, database, source='wordpress'))
    assert result['subdomain_sites'] == ['sub2.second.test'] and result['subdomain_base'] == 'second.test'
    assert 'sub2.second.test' not in result['domains']


def test_the_role_gives_no_www_form_to_the_sites_of_a_www_network(standin, messy_network, mariadb, tmp_path):
    database = network(mariadb, 'mercator', network_domain='www.second.test',
                       rows=[{'blog_id': 2, 'domain': 'sub2.second.test', 'active': 1},
                             {'blog_id': 3, 'domain': 'shop.example.com', 'active': 1}])
    app = standin.state.add_app(domains=['www.second.test'])
    messy_network.set_dns({})
    variables = {'serverpilot_app_id': app, 'serverpilot_domains': ['www.second.test'], 'serverpilot_www': 'always',
                 'serverpilot_database': dict(options(mariadb, database), source='mercator'),
                 'serverpilot_verify_ssl': False, 'serverpilot_autossl': False}
    rc, out = run_shipped_playbook(standin, tmp_path, 'sync_network.yml', variables)
    assert rc == 0, out[-3000:]
    # the customer's own domain gets its www. form; the subdomain site (and the network's own name) none
    assert sorted(standin.state.apps[app]['domains']) == sorted([
        'www.second.test', 'sub2.second.test', 'shop.example.com', 'www.shop.example.com', 'own-domain.example',
        'www.own-domain.example', 'site2.network.example', 'www.site2.network.example', 'site3.network.example',
        'www.site3.network.example'])


@pytest.mark.in_process
def test_an_ultimate_multisite_row_with_a_null_stage_is_read_as_the_columns_default(mariadb):
    database = 'faults%d' % next(_names)
    mariadb.create_network(database, rows=[{'blog_id': 2, 'domain': 'shop.example.com'}])
    mariadb.sql("INSERT INTO wp_wu_domain_mappings (blog_id, domain, active, primary_domain, secure, stage) VALUES "
                "(3, 'staged.example.org', 1, NULL, NULL, NULL)", database)
    mariadb.create_user('faults', PASSWORD, database)
    result = run_main(main, options(mariadb, database, source='ultimate_multisite'))
    assert result['domains'] == ['shop.example.com', 'staged.example.org'] and result['invalid_rows'] == []
    assert run_main(main, options(mariadb, database, source='ultimate_multisite', stages=['done']))['domains'] == [
        'shop.example.com']
