# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reader's one loop over the mapping plugins: rows as domains, and a read that is whole or fails - plain
values in, a session answered from dicts (detection's own tests: test_detection.py)."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import reader as ms
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import BY_NAME
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import Request

from unit.plugins.module_utils.wordpress.test_detection import CORE, SHAPES, UM, WP


def rows(*dicts):
    return [dict(d) for d in dicts]


def to_domains(source, found, network_domain='network.example'):
    return ms.to_domains(BY_NAME[source], found, network_domain)


def test_wpmu_domain_mapping_maps_every_row_and_active_marks_the_primary():
    names, mappings, invalid, subdomains = to_domains('wpmu_domain_mapping', rows(
        {'id': 1, 'blog_id': 2, 'domain': 'Shop.Example.com', 'active': 1},
        {'id': 2, 'blog_id': 2, 'domain': 'old-shop.example.com', 'active': 0}))
    assert names == ['shop.example.com', 'old-shop.example.com'] and not invalid and not subdomains
    assert [(m['active'], m['primary']) for m in mappings] == [(True, True), (True, False)]


def test_dark_matter_media_domains_are_kept_but_not_served():
    names, mappings, invalid, subdomains = to_domains('dark_matter', rows(
        {'id': 1, 'blog_id': 2, 'is_primary': 1, 'domain': 'a.example', 'active': 1, 'is_https': 1, 'type': 1},
        {'id': 2, 'blog_id': 2, 'is_primary': 0, 'domain': 'cdn.a.example', 'active': 1, 'is_https': 1, 'type': 2},
        {'id': 3, 'blog_id': 3, 'is_primary': 1, 'domain': 'b.example', 'active': 1, 'is_https': 0, 'type': None}))
    assert names == ['a.example', 'b.example']  # the media domain is served elsewhere; a NULL type is no media
    assert [(m['domain'], m['type']) for m in mappings] == [
        ('a.example', 'main'), ('cdn.a.example', 'media'), ('b.example', 'main')]


def test_a_row_the_plugin_cannot_read_is_set_apart_by_its_id():
    names, mappings, invalid, subdomains = to_domains('mercator', rows(
        {'id': 1, 'blog_id': None, 'domain': 'a.example', 'active': 1},
        {'id': 2, 'blog_id': 3, 'domain': 'bad_name..example', 'active': 1},
        {'id': 3, 'blog_id': 3, 'domain': 'c.example', 'active': 1}))
    assert names == ['c.example']
    assert [(row['id'], row['reason'].split(' ')[0]) for row in invalid] == [(1, 'cannot'), (2, 'has')]


def test_wordpress_maps_only_sites_on_a_custom_domain():
    names, mappings, invalid, subdomains = to_domains('wordpress', rows(
        {'blog_id': 1, 'domain': 'network.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
        {'blog_id': 2, 'domain': 'alice.network.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
        {'blog_id': 3, 'domain': 'Bob-Shop.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
        {'blog_id': 4, 'domain': 'network.example', 'path': '/carol/', 'archived': 0, 'spam': 0, 'deleted': 0},
        {'blog_id': 5, 'domain': 'gone.example', 'path': '/', 'archived': '1', 'spam': 0, 'deleted': 0}))
    assert names == ['bob-shop.example', 'gone.example'] and subdomains == ['alice.network.example']
    assert mappings[0] == {'id': None, 'blog_id': 3, 'domain': 'bob-shop.example', 'active': True, 'primary': True,
                           'path': '/', 'custom': True}
    assert mappings[1]['active'] is False  # read with active_only=false: shown, and said to be archived


def test_a_www_network_has_its_subdomain_sites_under_the_name_without_www():
    # WordPress's own code (wpmu_validate_blog_signup, site-new.php) builds sub2.second.test on www.second.test
    names, mappings, invalid, subdomains = to_domains('wordpress', rows(
        {'blog_id': 1, 'domain': 'www.second.test', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
        {'blog_id': 2, 'domain': 'sub2.second.test', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
        {'blog_id': 3, 'domain': 'shop.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0}),
        'www.second.test')
    assert names == ['shop.example'] and subdomains == ['sub2.second.test']
    names, mappings, invalid, subdomains = to_domains('mercator', rows(
        {'id': 1, 'blog_id': 2, 'domain': 'sub2.second.test', 'active': 1}), 'www.second.test')
    assert mappings[0]['custom'] is False
    assert ms.subdomain_base('www.second.test') == 'second.test' and ms.subdomain_base('a.test') == 'a.test'


class FakeSession:
    """A session answered from plain values: {table: rows}; a table listed in ``failing`` raises as a dropped
    connection would."""

    def __init__(self, tables, rows_by_table, network_domain='network.example', failing=()):
        self.tables, self.rows_by_table, self.network_domain = tables, rows_by_table, network_domain
        self.failing, self.parts = failing, []

    def rows(self, query, part, about):
        self.parts.append(part)
        sql = query[0]
        if 'information_schema' in sql:
            return [{'TABLE_NAME': t, 'COLUMN_NAME': c} for t, columns in self.tables.items() for c in sorted(columns)
                    if t in query[1]]
        name = sql.split('FROM `')[1].split('`')[0]
        if name in self.failing:
            raise SourceError('connection_lost', 'The database closed the connection while reading %s' % about, part)
        if name == 'wp_site':
            return [{'domain': self.network_domain}] if self.network_domain else []
        if 'meta_key IN' in sql:  # the network's signs of a mapping plugin
            return self.rows_by_table.get('signs', [])
        return self.rows_by_table.get(name, [])


PLUGIN_ROWS = {'wp_domain_mapping': [
    {'id': 1, 'blog_id': 2, 'domain': 'a.example', 'active': 1, 'is_primary': 1, 'scheme': 0}]}
SITES = [{'blog_id': 1, 'domain': 'network.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
         {'blog_id': 2, 'domain': 'a.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
         {'blog_id': 3, 'domain': 'moved.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0}]
WPMUDEV_TABLES = dict(CORE, wp_domain_mapping=SHAPES['wpmudev_domain_mapping'])


def test_read_network_detects_then_reads_each_part_once():
    session = FakeSession(WPMUDEV_TABLES, dict(PLUGIN_ROWS, wp_blogs=SITES))
    result = ms.read_network(session, WP)
    assert result['source'] == 'wpmudev_domain_mapping' and result['domains'] == ['a.example']
    assert result['source_reason'] == 'auto: wp_domain_mapping with column scheme'
    assert result['network_domain'] == 'network.example' and result['table'] == 'wp_domain_mapping'
    assert result['www_setting'] is None and result['subdomain_base'] == 'network.example'
    assert session.parts == ['tables', 'signs', 'network', 'mappings', 'sites']
    assert result['source_signs'] == {}
    assert result['custom_site_domains'] == ['moved.example'] and 'moved.example' in result['problems'][0]


@pytest.mark.parametrize('table, part', [('wp_blogs', 'sites'), ('wp_domain_mapping', 'mappings'),
                                         ('wp_site', 'network')])
def test_a_part_that_cannot_be_read_fails_the_whole_read(table, part):
    # never "none": read as empty, the sites' own domains would be removed by the exclusive sync
    session = FakeSession(WPMUDEV_TABLES, dict(PLUGIN_ROWS, wp_blogs=SITES), failing=(table,))
    with pytest.raises(SourceError) as info:
        ms.read_network(session, WP)
    assert info.value.source_kind == 'connection_lost' and info.value.details()['source_part'] == part


@pytest.mark.parametrize('source', ['wordpress', 'dark_matter', 'ultimate_multisite'])
def test_every_source_needs_the_networks_domain(source):
    session = FakeSession(CORE, {}, network_domain=None)
    with pytest.raises(SourceError) as info:
        ms.read_network(session, Request('wp_', 3, source=source))
    assert info.value.source_kind == 'network_id' and 'no network 3 in wp_site' in info.value.msg
    assert 'mappings' not in session.parts


def test_a_named_source_whose_table_is_not_visible_is_read_and_left_to_the_server():
    session = FakeSession(CORE, {'wp_domain_mapping': [{'id': 4, 'blog_id': 2, 'domain': 'x.example',
                                                        'active': 1}]})
    result = ms.read_network(session, Request('wp_', source='mercator'))  # the query then fails with the server's own 1142 or 1146
    assert result['domains'] == ['x.example'] and result['source_reason'] == 'named'


def test_ultimate_multisite_reads_its_settings_in_the_same_session_only_when_asked():
    tables = dict(CORE, wp_wu_domain_mappings=UM)
    session = FakeSession(tables, {'wp_sitemeta': [{'meta_value': 'a:1:{s:25:"auto_create_www_subdomain";'
                                                                  's:5:"never";}'}]})
    result = ms.read_network(session, WP)
    assert (result['www_setting'], result['www_setting_from']) == ('never', 'settings')
    assert session.parts[-1] == 'settings'
    session = FakeSession(tables, {})
    result = ms.read_network(session, Request('wp_', read_www_setting=False))
    assert 'settings' not in session.parts and result['www_setting'] is None


def test_a_network_id_below_one_is_refused():
    with pytest.raises(SourceError) as info:
        ms.read_network(FakeSession(CORE, {}), Request('wp_', 0))
    assert info.value.source_kind == 'network_id'


def test_the_reader_never_asks_which_plugin_it_holds():
    """What differs between plugins lives in their classes: the reader's loop names none of them."""
    with open(ms.__file__) as handle:
        text = handle.read()
    for name in ms.SOURCES:
        assert "'%s'" % name not in text, name


# -- detection never switches: every combination of plugin tables and plugin signs ---------------------------------

def test_with_active_only_false_the_sites_own_addresses_are_still_the_live_sites_only():
    """active_only=false widens the plugin's mappings to inactive ones; a site's own address is a custom domain
    only while WordPress serves the site, so an archived, spam or deleted site's address is never kept."""
    queries = []

    class Recording(FakeSession):
        def rows(self, query, part, about):
            queries.append((part, query))
            return FakeSession.rows(self, query, part, about)
    ms.read_network(Recording(WPMUDEV_TABLES, dict(PLUGIN_ROWS, wp_blogs=SITES)), Request('wp_', active_only=False))
    mappings_sql = [q for part, q in queries if part == 'mappings'][0][0]
    sites_sql, sites_args = [q for part, q in queries if part == 'sites'][0]
    assert 'active = 1' not in mappings_sql  # the plugin's inactive mappings are read, as asked
    where = sites_sql.split(' WHERE ')[1]
    for flag in ('archived', 'spam', 'deleted'):
        assert '%s = %%s' % flag in where  # the sites: live ones only, whatever active_only says
    assert sites_args.count('0') == 3
