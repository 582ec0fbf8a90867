# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A whole, successful read is of the truth WordPress serves, or no read at all - against the real MariaDB.

Each case once ended in removed customers and a green run: a restore replayed table by table from a real
mariadb-dump file (auto switched to WordPress's own mapping while Ultimate Multisite's table was not back yet), a
plugin removed with its table but not its mappings, and a wp-config.php whose $table_prefix PHP reads otherwise
(.=, CR-only line ends). The reads here are the event source's own (mapping_watch.options, then reader.read, as
mapping_changes.py does), so the watcher is held to the same truth as the sync.
"""

import json
import os
import re
import subprocess

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import reader, mapping_watch
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError

from conftest import run_shipped_playbook
from mariadb_server import php_serialize

pytestmark = pytest.mark.integration
PASSWORD = 'one-truth-pw-5'
CUSTOMERS = ['customer%d.example.com' % n for n in range(1, 11)]  # a network of ten customers
UM_FILE = 'ultimate-multisite/ultimate-multisite.php'


def make_network(mariadb, database, prefix='wp_', customers=CUSTOMERS, active=(UM_FILE,)):
    """An Ultimate Multisite network as WordPress and the plugin leave it: its mappings table, the plugin
    network-active, its settings row, and one site on a custom domain of its own (WordPress's own mapping)."""
    mariadb.create_network(database, prefix=prefix, rows=[{'blog_id': 10 + n, 'domain': name, 'primary_domain': 1}
                                                          for n, name in enumerate(customers)])
    mariadb.add_site(database, prefix, 5, 'own-domain.example')
    mariadb.save_network_settings(database, prefix, {'auto_create_www_subdomain': 'always'})
    value = php_serialize(dict((path, 1700000000) for path in active)).replace("'", "''")
    mariadb.sql("INSERT INTO `%ssitemeta` (site_id, meta_key, meta_value) VALUES (1, 'active_sitewide_plugins', '%s')"
                % (prefix, value), database)
    mariadb.create_user('truthreader', PASSWORD, database)


def watch_read(mariadb, db, **extra):
    """One read of the event source: its options through mapping_watch.options, its read through reader.read."""
    options = dict(login_host='127.0.0.1', login_port=mariadb.port, login_user='truthreader',
                   login_password=PASSWORD, database=db, config_file='/nonexistent/my.cnf')
    options.update(extra)
    params = mapping_watch.options(options)
    return reader.read(params)[0]


def dump_by_table(mariadb, database, path):
    """mariadb-dump's own file, cut where it starts each table (it dumps them in name order)."""
    with open(path, 'w') as handle:
        subprocess.run(['mariadb-dump', '--no-defaults', '--socket=' + mariadb.socket, '--user=root', database],
                       stdout=handle, check=True)
    text = open(path).read()
    cuts = [m.start() for m in re.finditer(r'^--\n-- Table structure for table `([^`]+)`', text, re.M)]
    names = re.findall(r'^-- Table structure for table `([^`]+)`', text, re.M)
    return [(name, text[start:end]) for name, start, end in zip(names, cuts, cuts[1:] + [len(text)])], text[:cuts[0]]


def test_a_restore_replayed_table_by_table_never_reads_as_another_source(mariadb, tmp_path):
    make_network(mariadb, 'truthsrc')
    chunks, head = dump_by_table(mariadb, 'truthsrc', str(tmp_path / 'dump.sql'))
    names = [name for name, chunk in chunks]
    # the order that made the restore window: core tables (sitemeta among them) before the plugin's
    assert names.index('wp_sitemeta') < names.index('wp_wu_domain_mappings')
    mariadb.sql('DROP DATABASE IF EXISTS truthdst; CREATE DATABASE truthdst;')
    mariadb.create_user('truthreader', PASSWORD, 'truthdst')
    outcomes = []
    for name, chunk in chunks:
        mariadb.sql(head + chunk, 'truthdst')
        try:
            result = watch_read(mariadb, 'truthdst')
        except SourceError as exc:
            outcomes.append((name, exc.source_kind))
            continue
        outcomes.append((name, result['source']))
        # whatever it reads, it reads as Ultimate Multisite: never WordPress's own mapping with one site
        assert result['source'] == 'ultimate_multisite', outcomes
    # the window itself: sitemeta is back, the plugin's table is not - refused, naming what it saw
    window = outcomes[names.index('wp_sitemeta'):names.index('wp_wu_domain_mappings')]
    assert window and all(kind == 'plugin_table_missing' for name, kind in window), outcomes
    assert outcomes[-1] == ('wp_wu_domain_mappings', 'ultimate_multisite')
    assert watch_read(mariadb, 'truthdst')['domains'] == CUSTOMERS


@pytest.mark.in_process
def test_a_plugin_removed_without_migrating_its_mappings_is_refused(mariadb):
    # deactivated and its table dropped; its settings row is what is left of it
    make_network(mariadb, 'truthgone', active=('akismet/akismet.php',))
    mariadb.sql('DROP TABLE wp_wu_domain_mappings', 'truthgone')
    with pytest.raises(SourceError) as info:
        watch_read(mariadb, 'truthgone')
    assert info.value.source_kind == 'plugin_table_missing'
    assert 'Ultimate Multisite: its network option wp-ultimo_v2_settings' in info.value.msg
    # named, the operator's choice is read: WordPress's own mapping, the one custom site
    assert watch_read(mariadb, 'truthgone', source='wordpress')['domains'] == ['own-domain.example']


@pytest.mark.in_process
def test_the_result_says_what_auto_saw_so_the_source_can_be_pinned(mariadb):
    make_network(mariadb, 'truthseen')
    result = watch_read(mariadb, 'truthseen')
    assert result['source'] == 'ultimate_multisite'
    assert result['source_signs'] == {'ultimate_multisite': ['network-active (%s)' % UM_FILE,
                                                             'its network option wp-ultimo_v2_settings']}
    assert 'network-active' in result['source_reason']


@pytest.mark.parametrize('config', [
    "$table_prefix = 'wp_';\n$table_prefix .= 'net2_';\n",
    "// the second network\r$table_prefix = 'wp_net2_';\r",
])
@pytest.mark.in_process
def test_the_prefix_php_reads_is_the_prefix_read(mariadb, tmp_path, config):
    # two networks in one database: a stale one under wp_, the live one under wp_net2_
    make_network(mariadb, 'truthprefix', customers=['stale.example.com'])
    make_network(mariadb, 'truthprefix2', prefix='wp_net2_', customers=CUSTOMERS)
    mariadb.sql('RENAME TABLE truthprefix2.wp_net2_site TO truthprefix.wp_net2_site, '
                'truthprefix2.wp_net2_blogs TO truthprefix.wp_net2_blogs, '
                'truthprefix2.wp_net2_sitemeta TO truthprefix.wp_net2_sitemeta, '
                'truthprefix2.wp_net2_wu_domain_mappings TO truthprefix.wp_net2_wu_domain_mappings')
    path = tmp_path / 'wp-config.php'
    path.write_bytes(("<?php\ndefine('DB_NAME', 'truthprefix');\ndefine('DB_USER', 'truthreader');\n"
                      "define('DB_PASSWORD', '%s');\ndefine('DB_HOST', '127.0.0.1:%d');\n" % (PASSWORD, mariadb.port)
                      + config).encode())
    result = watch_read(mariadb, None, wp_config=str(path), login_host=None, login_port=None, login_user=None,
                        login_password=None, database=None)
    assert result['domains'] == CUSTOMERS and 'stale.example.com' not in result['domains']


# -- the sync and the watcher, through the shipped playbook and rulebook ------------------------------------------

RULEBOOK = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'extensions',
                        'eda', 'rulebooks')


def network_vars(mariadb, app, db, **database):
    """One vars file of the rulebook and the playbook: serverpilot_network, whole."""
    description = dict(login_host='127.0.0.1', login_port=mariadb.port, login_user='truthreader',
                       login_password=PASSWORD, database=db, config_file='/nonexistent/my.cnf')
    description.update(database)
    return {'serverpilot_network': {
        'serverpilot_app_id': app, 'serverpilot_domains': ['network.example'], 'serverpilot_www': 'never',
        'serverpilot_database': description, 'serverpilot_verify_ssl': False, 'serverpilot_autossl': False}}


def test_the_sync_removes_nothing_inside_a_restore_window(standin, mariadb, tmp_path):
    make_network(mariadb, 'truthwin')
    mariadb.sql('DROP TABLE wp_wu_domain_mappings', 'truthwin')  # sitemeta is back, the plugin's table not yet
    app = standin.state.add_app(domains=['network.example', 'own-domain.example'] + CUSTOMERS)
    rc, out = run_shipped_playbook(standin, tmp_path, 'sync_network.yml', network_vars(mariadb, app, 'truthwin'))
    assert rc != 0 and 'plugin_table_missing' in out and 'Ultimate Multisite: network-active' in out, out[-3000:]
    assert standin.state.writes() == [] and PASSWORD not in out


def test_a_misspelt_or_retired_key_is_refused_before_anything_is_read(standin, mariadb, tmp_path):
    make_network(mariadb, 'truthkeys')
    app = standin.state.add_app(domains=['network.example', 'kept.example.org'] + CUSTOMERS)
    variables = network_vars(mariadb, app, 'truthkeys')
    variables['serverpilot_network']['serverpilot_keep_domains'] = ['kept.example.org']
    rc, out = run_shipped_playbook(standin, tmp_path, 'sync_network.yml', variables)
    assert rc != 0 and 'serverpilot_keep_domains (did you mean serverpilot_keep?)' in out, out[-3000:]
    variables = network_vars(mariadb, app, 'truthkeys')
    variables['serverpilot_network']['serverpilot_network_id'] = 2
    rc, out = run_shipped_playbook(standin, tmp_path, 'sync_network.yml', variables)
    assert rc != 0 and 'serverpilot_network_id as serverpilot_database.network_id' in out, out[-3000:]
    variables = network_vars(mariadb, app, 'truthkeys', tabel_prefix='wp2_')
    variables['serverpilot_network']['serverpilot_report_dir'] = str(tmp_path / 'reports')
    rc, out = run_shipped_playbook(standin, tmp_path, 'sync_network.yml', variables)
    assert rc != 0 and 'tabel_prefix (did you mean table_prefix?)' in out, out[-3000:]
    assert standin.state.writes() == [] and PASSWORD not in out
    # a refusal of the role's own variables is a failure with its kind, in the report of that run too
    report = json.loads((tmp_path / 'reports' / ('%s.json' % app)).read_text())
    assert report['error_kind'] == 'invalid_input' and 'tabel_prefix' in report['failure']
    assert report['stopped_at'] == "Read the mapped domains from the network's database"


def test_the_watcher_reads_the_network_its_sync_writes_from_one_vars_file(standin, mariadb, tmp_path):
    """The rulebooks hand the source serverpilot_network.serverpilot_database whole and nothing else beside it, and
    the role reads that same dict: a network other than the main one (network_id) is watched and synced alike."""
    import yaml
    for name in ('sync_on_change.yml', 'sync_on_change_controller.yml'):
        source = yaml.safe_load(open(os.path.join(RULEBOOK, name)))[0]['sources'][0]
        args = source['multisite.serverpilot.mapping_changes']
        assert set(args) == {'database_options', 'interval'}
        assert args['database_options'] == '{{ serverpilot_network.serverpilot_database }}'
    make_network(mariadb, 'truthnet2')
    mariadb.add_network('truthnet2', 'wp_', 2, rows=[{'blog_id': 30, 'domain': 'second.example.org'}])
    app = standin.state.add_app(domains=[])
    variables = network_vars(mariadb, app, 'truthnet2', network_id=2, source='ultimate_multisite')
    watched = mapping_watch.served(reader.read(_watch(variables))[0])
    rc, out = run_shipped_playbook(standin, tmp_path, 'sync_network.yml', variables)
    assert rc == 0, out[-3000:]
    assert watched == ['second.example.org']
    assert sorted(standin.state.app(app)['domains']) == sorted(watched + ['network.example'])


def _watch(variables):
    params = mapping_watch.options({'database_options': variables['serverpilot_network']['serverpilot_database']})
    return params
