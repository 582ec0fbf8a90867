# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""multisite_domains_info against a real MariaDB: each plugin's table made by that plugin's own DDL
(tests/mariadb_server.py), WordPress core's own tables beside it, detection by auto for each shape."""

import itertools

import pytest

from ansible_collections.multisite.serverpilot.plugins.modules.multisite_domains_info import main
from unit.module_main import run_main

pytestmark = pytest.mark.integration
PASSWORD = 'wp-sources-pw-77'
_names = itertools.count()

ROWS = {
    # active = 1 enabled; inactive ignored; no primary
    'mercator': [
        {'blog_id': 2, 'domain': 'shop.example.com', 'active': 1},
        {'blog_id': 2, 'domain': 'old-shop.example.com', 'active': 0},
        {'blog_id': 3, 'domain': 'Third.Example.org', 'active': 1},
        {'blog_id': 4, 'domain': 'alice.network.example', 'active': 1},  # mapped, yet under the network's domain
    ],
    # every row mapped; active = 1 marks the primary
    'wpmu_domain_mapping': [
        {'blog_id': 2, 'domain': 'old-shop.example.com', 'active': 0},
        {'blog_id': 2, 'domain': 'shop.example.com', 'active': 1},
        {'blog_id': 3, 'domain': 'third.example.org', 'active': 0},
    ],
    'wpmudev_domain_mapping': [
        {'blog_id': 2, 'is_primary': 0, 'domain': 'alias.example.com', 'active': 1, 'scheme': 0},
        {'blog_id': 2, 'is_primary': 1, 'domain': 'shop.example.com', 'active': 1, 'scheme': 1},
        {'blog_id': 3, 'is_primary': 1, 'domain': 'off.example.com', 'active': 0, 'scheme': 2},
    ],
    'dark_matter': [
        {'blog_id': 2, 'is_primary': 1, 'domain': 'shop.example.com', 'active': 1, 'is_https': 1, 'type': 1},
        {'blog_id': 2, 'is_primary': 0, 'domain': 'media.shop-cdn.example', 'active': 1, 'is_https': 1, 'type': 2},
        {'blog_id': 2, 'is_primary': 0, 'domain': 'www.shop.example.com', 'active': 1, 'is_https': 1, 'type': 1},
        {'blog_id': 3, 'is_primary': 1, 'domain': 'paused.example.com', 'active': 0, 'is_https': 0, 'type': 1},
    ],
}
SITES = [  # blog_id, domain, path, flags
    (2, 'alice.network.example', '/', {}),
    (3, 'Bob-Shop.example', '/', {}),
    (4, 'spam.example', '/', {'spam': 1}),
    (5, 'deleted.example', '/', {'deleted': 1}),
    (6, 'archived.example', '/', {'archived': 1}),
    (7, 'network.example', '/carol/', {}),
    (8, 'private.example', '/', {'public': 0}),  # not public is still served: WordPress does not skip it
]


def network(mariadb, source=None, prefix='wp_'):
    database = 'sources%d' % next(_names)
    mariadb.create_wordpress(database, prefix)
    for blog_id, domain, path, flags in SITES:
        mariadb.add_site(database, prefix, blog_id, domain, path, **flags)
    if source:
        mariadb.add_plugin(database, prefix, source, ROWS[source])
    mariadb.create_user('wpsources', PASSWORD, database)
    return database


def read(mariadb, database, **options):
    args = dict(login_host='127.0.0.1', login_port=mariadb.port, login_user='wpsources', login_password=PASSWORD,
                database=database, config_file='/nonexistent/my.cnf')
    args.update(options)
    return run_main(main, args)


def by_domain(result):
    return dict((m['domain'], m) for m in result['mappings'])


@pytest.mark.in_process
def test_mercator_named(mariadb):
    result = read(mariadb, network(mariadb, 'mercator'), source='mercator')
    assert result['source'] == 'mercator' and result['source_reason'] == 'named'
    assert result['domains'] == ['shop.example.com', 'third.example.org', 'alice.network.example']
    mappings = by_domain(result)
    assert mappings['shop.example.com']['primary'] is None and mappings['shop.example.com']['custom'] is True
    assert mappings['alice.network.example']['custom'] is False  # told apart: no www. form for it
    assert result['network_domain'] == 'network.example' and result['table'] == 'wp_domain_mapping'
    # sites whose own address is a custom domain Mercator does not list: WordPress serves them there
    assert result['custom_site_domains'] == ['bob-shop.example', 'private.example']
    assert any('2 live site(s) have a custom domain of their own in wp_blogs that Mercator does not list' in w
               for w in result['warnings'])
    inactive = read(mariadb, network(mariadb, 'mercator'), source='mercator', active_only=False)
    assert 'old-shop.example.com' in inactive['domains']


@pytest.mark.in_process
def test_wpmu_domain_mapping_named_maps_every_row(mariadb):
    result = read(mariadb, network(mariadb, 'wpmu_domain_mapping'), source='wpmu_domain_mapping')
    # by blog, the primary (active = 1) first; the rows with active = 0 are mapped all the same
    assert result['domains'] == ['shop.example.com', 'old-shop.example.com', 'third.example.org']
    assert [(m['domain'], m['primary'], m['active']) for m in result['mappings']] == [
        ('shop.example.com', True, True), ('old-shop.example.com', False, True), ('third.example.org', False, True)]


@pytest.mark.in_process
def test_the_shared_shape_is_refused_by_auto_naming_both(mariadb):
    database = network(mariadb, 'mercator')
    result = read(mariadb, database)
    assert result['failed'] and result['error_kind'] == 'source' and result['source_error'] == 'ambiguous'
    assert 'source: mercator or source: wpmu_domain_mapping' in result['msg']
    assert 'domains' not in result


@pytest.mark.parametrize('source, reason', [
    ('wpmudev_domain_mapping', 'auto: wp_domain_mapping with column scheme'),
    ('dark_matter', 'auto: wp_domain_mapping with column type'),
])
@pytest.mark.in_process
def test_auto_detects_wpmudev_and_dark_matter(mariadb, source, reason):
    result = read(mariadb, network(mariadb, source))
    assert not result.get('failed'), result
    assert (result['source'], result['source_reason']) == (source, reason)
    mappings = by_domain(result)
    if source == 'wpmudev_domain_mapping':
        assert result['domains'] == ['shop.example.com', 'alias.example.com']  # primary first, inactive left out
        assert (mappings['shop.example.com']['primary'], mappings['shop.example.com']['scheme']) == (True, 'https')
        assert mappings['alias.example.com']['scheme'] == 'http'
    else:
        assert result['domains'] == ['shop.example.com', 'www.shop.example.com']  # the media domain is not served
        assert mappings['media.shop-cdn.example']['type'] == 'media'
        assert mappings['shop.example.com']['is_https'] is True and 'paused.example.com' not in mappings


@pytest.mark.in_process
def test_wordpress_own_mapping_is_what_auto_reads_without_a_plugin(mariadb):
    result = read(mariadb, network(mariadb))
    assert result['source'] == 'wordpress' and result['table'] == 'wp_blogs'
    assert result['domains'] == ['bob-shop.example', 'private.example']  # spam, deleted, archived skipped
    assert result['subdomain_sites'] == ['alice.network.example'] and result['custom_site_domains'] == []
    assert by_domain(result)['bob-shop.example'] == {'id': None, 'blog_id': 3, 'domain': 'bob-shop.example',
                                                     'active': True, 'primary': True, 'path': '/', 'custom': True}
    everything = read(mariadb, network(mariadb), source='wordpress', active_only=False)
    assert {'spam.example', 'deleted.example', 'archived.example'} <= set(everything['domains'])
    assert by_domain(everything)['spam.example']['active'] is False


@pytest.mark.in_process
def test_several_sources_are_refused_naming_each(mariadb):
    database = network(mariadb, 'dark_matter')
    mariadb.sql("CREATE TABLE wp_wu_domain_mappings (id bigint(20) unsigned NOT NULL AUTO_INCREMENT, "
                "blog_id bigint(20) unsigned NOT NULL, domain varchar(191) NOT NULL, active tinyint(4) DEFAULT 1, "
                "primary_domain tinyint(4) DEFAULT 0, secure tinyint(4) DEFAULT 0, stage varchar(32), "
                "PRIMARY KEY (id))", database)
    result = read(mariadb, database)
    assert result['source_error'] == 'ambiguous'
    assert 'Ultimate Multisite (wp_wu_domain_mappings); Dark Matter (wp_domain_mapping)' in result['msg']
    named = read(mariadb, database, source='dark_matter')  # naming one settles it
    assert named['domains'] == ['shop.example.com', 'www.shop.example.com']


@pytest.mark.in_process
def test_a_named_source_that_does_not_fit_the_table_is_refused(mariadb):
    result = read(mariadb, network(mariadb, 'wpmudev_domain_mapping'), source='wpmu_domain_mapping')
    assert result['failed'] and result['source_error'] == 'shape'
    assert 'WPMU DEV Domain Mapping' in result['msg'] and 'source: wpmudev_domain_mapping' in result['msg']


@pytest.mark.in_process
def test_a_plugin_table_is_read_for_one_networks_sites(mariadb):
    database = network(mariadb, 'mercator')
    mariadb.sql("INSERT INTO wp_site (id, domain, path) VALUES (2, 'second.example', '/')", database)
    mariadb.add_site(database, 'wp_', 9, 'second.example', site_id=2)
    mariadb.sql("INSERT INTO wp_domain_mapping (blog_id, domain, active) VALUES (9, 'second-shop.example', 1)",
                database)
    second = read(mariadb, database, source='mercator', network_id=2)
    assert second['domains'] == ['second-shop.example'] and second['network_domain'] == 'second.example'
    first = read(mariadb, database, source='mercator', network_id=1)
    assert 'second-shop.example' not in first['domains'] and 'shop.example.com' in first['domains']


@pytest.mark.in_process
def test_detection_without_grants_on_any_table_names_the_privileges(mariadb):
    database = network(mariadb, 'dark_matter')
    mariadb.sql("CREATE TABLE IF NOT EXISTS `%s`.other (id INT)" % database)
    for host in ('localhost', '127.0.0.1'):
        mariadb.sql("CREATE USER IF NOT EXISTS 'wpnarrow'@'%s' IDENTIFIED BY '%s'; "
                    "GRANT SELECT ON `%s`.other TO 'wpnarrow'@'%s';" % (host, PASSWORD, database, host))
    result = read(mariadb, database, login_user='wpnarrow')
    assert result['source_error'] == 'table' and 'privileges' in result['msg']
    named = read(mariadb, database, login_user='wpnarrow', source='dark_matter')
    assert named['source_error'] == 'grants'  # the server's own answer, 1142


def test_auto_through_ansible_playbook_in_check_mode(mariadb, playbook):
    database = network(mariadb, 'wpmudev_domain_mapping', prefix='net5_')
    run = playbook('''
        - name: read
          multisite.serverpilot.multisite_domains_info:
            login_host: 127.0.0.1
            login_port: %d
            login_user: wpsources
            login_password: %s
            database: %s
            table_prefix: net5_
            config_file: /nonexistent/my.cnf
        ''' % (mariadb.port, PASSWORD, database), args=['--check', '-vvv'])
    result = run.results[0]
    assert not result['failed'], result
    assert result['source'] == 'wpmudev_domain_mapping' and result['table'] == 'net5_domain_mapping'
    assert result['domains'] == ['shop.example.com', 'alias.example.com'] and result['changed'] is False
    assert PASSWORD not in run.stdout


@pytest.mark.in_process
def test_main_reads_wordpress_own_mapping(mariadb):
    mariadb.create_wordpress('unitsources')
    mariadb.add_site('unitsources', 'wp_', 2, 'Shop.Example.com')
    mariadb.create_user('unitsources', 'unit-pw-2', 'unitsources')
    result = run_main(main, dict(login_host='127.0.0.1', login_port=mariadb.port, login_user='unitsources',
                                 login_password='unit-pw-2', database='unitsources', config_file='/nonexistent'))
    assert result['changed'] is False and result['domains'] == ['shop.example.com'] and result['count'] == 1
    assert result['source'] == 'wordpress' and 'api_calls' not in result
