# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The mapping sources' plain rules: detection, each source's query, a row as a mapping."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils import mapping_sources as ms
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress_db import SourceError

CORE = {'wp_blogs': {'blog_id', 'site_id', 'domain', 'path', 'archived', 'spam', 'deleted'},
        'wp_site': {'id', 'domain', 'path'}}
SHAPES = {
    'mercator': {'id', 'blog_id', 'domain', 'active'},
    'wpmudev_domain_mapping': {'id', 'blog_id', 'is_primary', 'domain', 'active', 'scheme'},
    'wpmudev_before_4_2': {'id', 'blog_id', 'is_primary', 'domain', 'active'},
    'dark_matter': {'id', 'blog_id', 'is_primary', 'domain', 'active', 'is_https', 'type'},
    'dark_matter_before_2_2': {'id', 'blog_id', 'is_primary', 'domain', 'active', 'is_https'},
}
UM = {'id', 'blog_id', 'domain', 'active', 'primary_domain', 'secure', 'stage'}


@pytest.mark.parametrize('shape, source', [
    ('wpmudev_domain_mapping', 'wpmudev_domain_mapping'),
    ('wpmudev_before_4_2', 'wpmudev_domain_mapping'),
    ('dark_matter', 'dark_matter'),
    ('dark_matter_before_2_2', 'dark_matter'),
])
def test_auto_tells_the_plugins_apart_by_their_columns(shape, source):
    found, reason = ms.detect(dict(CORE, wp_domain_mapping=SHAPES[shape]), 'wp_')
    assert found == source and reason.startswith('auto: wp_domain_mapping')


def test_auto_finds_ultimate_multisite_per_network():
    assert ms.detect(dict(CORE, wp_wu_domain_mappings=UM), 'wp_')[0] == 'ultimate_multisite'
    assert ms.detect(dict(CORE, wp_wu_2_domain_mappings=UM), 'wp_', 2)[0] == 'ultimate_multisite'
    # the main network's table says nothing about network 2
    assert ms.detect(dict(CORE, wp_wu_domain_mappings=UM), 'wp_', 2)[0] == 'wordpress'


def test_without_a_plugin_table_the_sites_themselves_are_the_source():
    assert ms.detect(CORE, 'wp_') == ('wordpress', 'auto: no mapping plugin table, so the sites of wp_blogs')


def test_mercators_shape_is_refused_naming_both_plugins():
    with pytest.raises(SourceError) as info:
        ms.detect(dict(CORE, wp_domain_mapping=SHAPES['mercator']), 'wp_')
    assert info.value.source_kind == 'ambiguous'
    assert 'source: mercator or source: wpmu_domain_mapping' in info.value.msg
    assert 'Mercator and WPMU Domain Mapping' in info.value.msg


def test_several_sources_are_refused_naming_each():
    with pytest.raises(SourceError) as info:
        ms.detect(dict(CORE, wp_domain_mapping=SHAPES['mercator'], wp_wu_domain_mappings=UM), 'wp_')
    assert info.value.source_kind == 'ambiguous'
    assert ('Ultimate Multisite (wp_wu_domain_mappings); Mercator or WPMU Domain Mapping (wp_domain_mapping)'
            in info.value.msg)
    assert 'source: ultimate_multisite or source: mercator or source: wpmu_domain_mapping' in info.value.msg


def test_an_unknown_domain_mapping_table_and_no_tables_at_all_are_refused():
    with pytest.raises(SourceError) as info:
        ms.detect(dict(CORE, wp_domain_mapping={'id', 'blog_id', 'url'}), 'wp_')
    assert info.value.source_kind == 'shape' and 'no domain, active column' in info.value.msg
    with pytest.raises(SourceError) as info:
        ms.detect({}, 'net_')
    assert info.value.source_kind == 'table' and 'net_blogs' in info.value.msg and 'privileges' in info.value.msg


@pytest.mark.parametrize('named, shape, ok', [
    ('mercator', 'mercator', True),
    ('wpmu_domain_mapping', 'mercator', True),
    ('mercator', 'wpmudev_domain_mapping', False),
    ('wpmu_domain_mapping', 'dark_matter', False),
    ('dark_matter', 'wpmudev_domain_mapping', False),
    ('wpmudev_domain_mapping', 'mercator', False),
    ('dark_matter', 'dark_matter_before_2_2', True),
])
def test_a_named_source_must_fit_the_table(named, shape, ok):
    found = dict(CORE, wp_domain_mapping=SHAPES[shape])
    if ok:
        ms.check_named(named, found, 'wp_')
        return
    with pytest.raises(SourceError) as info:
        ms.check_named(named, found, 'wp_')
    assert info.value.source_kind == 'shape' and 'wp_domain_mapping' in info.value.msg


def test_a_named_source_whose_table_is_not_visible_is_left_to_the_server():
    ms.check_named('mercator', CORE, 'wp_')  # the query then fails with the server's own 1142 or 1146


@pytest.mark.parametrize('source, columns, sql, args', [
    ('mercator', SHAPES['mercator'],
     'SELECT id, blog_id, domain, active FROM `wp_domain_mapping` WHERE active = 1 ORDER BY blog_id, id', []),
    ('wpmu_domain_mapping', SHAPES['mercator'],
     'SELECT id, blog_id, domain, active FROM `wp_domain_mapping` ORDER BY blog_id, active DESC, id', []),
    ('wpmudev_domain_mapping', SHAPES['wpmudev_before_4_2'],
     'SELECT id, blog_id, domain, active, is_primary FROM `wp_domain_mapping` WHERE active = 1 '
     'ORDER BY blog_id, is_primary DESC, id', []),
    ('dark_matter', None,
     'SELECT id, blog_id, domain, active, is_primary, is_https, type FROM `wp_domain_mapping` WHERE active = 1 '
     'ORDER BY blog_id, is_primary DESC, id', []),
    ('wordpress', None,
     'SELECT blog_id, domain, path, archived, spam, deleted FROM `wp_blogs` WHERE site_id = %s '
     'AND archived = %s AND spam = %s AND deleted = %s ORDER BY blog_id', [1, '0', '0', '0']),
])
def test_each_sources_query(source, columns, sql, args):
    assert ms.build_query(source, 'wp_', columns) == (sql, args)


def test_queries_bind_blog_ids_and_the_network():
    sql, args = ms.build_query('mercator', 'wp_', None, active_only=False, blog_ids=[4, 5], network_id=2)
    assert sql == ('SELECT id, blog_id, domain, active FROM `wp_domain_mapping` WHERE blog_id IN (%s, %s) AND '
                   'blog_id IN (SELECT blog_id FROM `wp_blogs` WHERE site_id = %s) ORDER BY blog_id, id')
    assert args == [4, 5, 2]
    sql, args = ms.build_query('wordpress', 'wp_', None, active_only=False, blog_ids=[3], network_id=2)
    assert 'archived' not in sql.split('WHERE')[1] and args == [2, 3]


@pytest.mark.parametrize('source', ['mercator', 'wordpress', 'dark_matter'])
def test_every_table_name_checks_the_prefix(source):
    with pytest.raises(SourceError) as info:
        ms.build_query(source, 'wp_`; DROP TABLE x; --')
    assert info.value.source_kind == 'table_prefix'


def rows(*dicts):
    return [dict(d) for d in dicts]


def test_wpmu_domain_mapping_maps_every_row_and_active_marks_the_primary():
    names, mappings, invalid, subdomains = ms.shape('wpmu_domain_mapping', rows(
        {'id': 1, 'blog_id': 2, 'domain': 'Shop.Example.com', 'active': 1},
        {'id': 2, 'blog_id': 2, 'domain': 'old-shop.example.com', 'active': 0}), 'network.example')
    assert names == ['shop.example.com', 'old-shop.example.com'] and not invalid and not subdomains
    assert [(m['active'], m['primary']) for m in mappings] == [(True, True), (True, False)]


def test_mercator_does_not_know_a_primary_domain():
    names, mappings, invalid, subdomains = ms.shape('mercator', rows(
        {'id': 7, 'blog_id': 3, 'domain': 'a.example.org', 'active': 1}), None)
    assert mappings == [{'id': 7, 'blog_id': 3, 'domain': 'a.example.org', 'active': True, 'primary': None,
                         'custom': None}]


def test_wpmudev_scheme_and_dark_matter_media_domains():
    names, mappings, invalid, subdomains = ms.shape('wpmudev_domain_mapping', rows(
        {'id': 1, 'blog_id': 2, 'is_primary': 1, 'domain': 'a.example', 'active': 1, 'scheme': 1},
        {'id': 2, 'blog_id': 2, 'is_primary': 0, 'domain': 'b.example', 'active': 1, 'scheme': 2}), 'network.example')
    assert [(m['primary'], m['scheme']) for m in mappings] == [(True, 'https'), (False, 'both')]
    names, mappings, invalid, subdomains = ms.shape('dark_matter', rows(
        {'id': 1, 'blog_id': 2, 'is_primary': 1, 'domain': 'a.example', 'active': 1, 'is_https': 1, 'type': 1},
        {'id': 2, 'blog_id': 2, 'is_primary': 0, 'domain': 'cdn.a.example', 'active': 1, 'is_https': 1, 'type': 2}),
        'network.example')
    assert names == ['a.example']  # the media domain is served elsewhere
    assert [(m['domain'], m['type'], m['is_https']) for m in mappings] == [
        ('a.example', 'main', True), ('cdn.a.example', 'media', True)]


def test_wordpress_maps_only_sites_on_a_custom_domain():
    names, mappings, invalid, subdomains = ms.shape('wordpress', rows(
        {'blog_id': 1, 'domain': 'network.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
        {'blog_id': 2, 'domain': 'alice.network.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
        {'blog_id': 3, 'domain': 'Bob-Shop.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
        {'blog_id': 4, 'domain': 'network.example', 'path': '/carol/', 'archived': 0, 'spam': 0, 'deleted': 0},
        {'blog_id': 5, 'domain': 'gone.example', 'path': '/', 'archived': '1', 'spam': 0, 'deleted': 0}),
        'network.example')
    assert names == ['bob-shop.example', 'gone.example'] and subdomains == ['alice.network.example']
    assert mappings[0] == {'id': None, 'blog_id': 3, 'domain': 'bob-shop.example', 'active': True, 'primary': True,
                           'path': '/', 'custom': True}
    assert mappings[1]['active'] is False  # read with active_only=false: shown, and said to be archived


class FakeSession:
    """The two calls read_network makes of a session, answered from plain values."""

    def __init__(self, tables, rows_by_table, network_domain='network.example'):
        self.tables, self.rows_by_table, self.network_domain = tables, rows_by_table, network_domain
        self.queries, self._columns = [], []

    def rows(self, query):
        self.queries.append(query)
        sql = query[0]
        if 'information_schema' in sql:
            return [(t, c) for t, columns in self.tables.items() for c in sorted(columns) if t in query[1]]
        table = sql.split('FROM `')[1].split('`')[0]
        found = self.rows_by_table[table]
        self._columns = list(found[0]) if found else []
        return [tuple(r.values()) for r in found]

    def columns(self):
        return self._columns

    def optional(self, query):
        if 'FROM `wp_blogs`' in query[0] and 'wp_blogs' in self.rows_by_table:
            return self.rows(query), None
        self.queries.append(query)
        if 'FROM `wp_site`' in query[0]:
            return ([(self.network_domain,)], None) if self.network_domain else ((), None)
        if 'FROM `wp_blogs`' in query[0]:
            return None, 'MySQL error 1142: SELECT command denied'
        return (), None


def test_read_network_detects_then_reads_once():
    session = FakeSession(dict(CORE, wp_domain_mapping=SHAPES['wpmudev_domain_mapping']), {'wp_domain_mapping': [
        {'id': 1, 'blog_id': 2, 'domain': 'a.example', 'active': 1, 'is_primary': 1, 'scheme': 0}], 'wp_blogs': []})
    result = ms.read_network(session, 'auto', 'wp_')
    assert result['source'] == 'wpmudev_domain_mapping' and result['domains'] == ['a.example']
    assert result['source_reason'] == 'auto: wp_domain_mapping with column scheme'
    assert result['network_domain'] == 'network.example' and result['table'] == 'wp_domain_mapping'
    assert result['www_setting'] is None and not result['problems']
    # the columns, the network's domain, the rows, the sites' own domains
    assert len(session.queries) == 4 and result['custom_site_domains'] == []


def test_the_sites_own_custom_addresses_are_returned_or_said_to_be_unread():
    plugin_rows = {'wp_domain_mapping': [
        {'id': 1, 'blog_id': 2, 'domain': 'a.example', 'active': 1, 'is_primary': 1, 'scheme': 0}]}
    sites = [{'blog_id': 1, 'domain': 'network.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
             {'blog_id': 2, 'domain': 'a.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0},
             {'blog_id': 3, 'domain': 'moved.example', 'path': '/', 'archived': 0, 'spam': 0, 'deleted': 0}]
    tables = dict(CORE, wp_domain_mapping=SHAPES['wpmudev_domain_mapping'])
    result = ms.read_network(FakeSession(tables, dict(plugin_rows, wp_blogs=sites)), 'auto', 'wp_')
    assert result['custom_site_domains'] == ['moved.example'] and 'moved.example' in result['problems'][0]
    unread = ms.read_network(FakeSession(tables, plugin_rows), 'auto', 'wp_')
    assert unread['custom_site_domains'] == [] and 'SELECT command denied' in unread['problems'][0]


def test_wordpress_needs_the_networks_domain():
    session = FakeSession(CORE, {'wp_blogs': []}, network_domain=None)
    with pytest.raises(SourceError) as info:
        ms.read_network(session, 'wordpress', 'wp_', network_id=3)
    assert info.value.source_kind == 'network_id' and 'no network 3 in wp_site' in info.value.msg


def test_a_plugin_source_without_the_networks_domain_says_so():
    session = FakeSession(dict(CORE, wp_domain_mapping=SHAPES['dark_matter']), {'wp_domain_mapping': [
        {'id': 1, 'blog_id': 2, 'domain': 'a.example', 'active': 1, 'is_primary': 1, 'is_https': 0, 'type': 1}]},
        network_domain=None)
    result = ms.read_network(session, 'dark_matter', 'wp_')
    assert result['mappings'][0]['custom'] is None and result['source_reason'] == 'named'
    assert "The network's domain could not be read" in result['problems'][0]
