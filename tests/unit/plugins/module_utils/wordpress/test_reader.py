# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reader's one loop over the mapping plugins: detection, a named source's shape, rows as domains, and a
read that is whole or fails - plain values in, a session answered from dicts."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import reader as ms
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import BY_NAME
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import Read

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
WP = Read('wp_')


def detect(found, read=WP):
    plugin, reason = ms.detect(found, read)
    return plugin.name, reason


@pytest.mark.parametrize('shape, source', [
    ('wpmudev_domain_mapping', 'wpmudev_domain_mapping'),
    ('wpmudev_before_4_2', 'wpmudev_domain_mapping'),
    ('dark_matter', 'dark_matter'),
    ('dark_matter_before_2_2', 'dark_matter'),
])
def test_auto_tells_the_plugins_apart_by_their_columns(shape, source):
    found, reason = detect(dict(CORE, wp_domain_mapping=SHAPES[shape]))
    assert found == source and reason.startswith('auto: wp_domain_mapping')


def test_auto_finds_ultimate_multisite_per_network():
    assert detect(dict(CORE, wp_wu_domain_mappings=UM))[0] == 'ultimate_multisite'
    assert detect(dict(CORE, wp_wu_2_domain_mappings=UM), Read('wp_', 2))[0] == 'ultimate_multisite'
    # the main network's table says nothing about network 2
    assert detect(dict(CORE, wp_wu_domain_mappings=UM), Read('wp_', 2))[0] == 'wordpress'


def test_without_a_plugin_table_the_sites_themselves_are_the_source():
    assert detect(CORE) == ('wordpress', 'auto: no mapping plugin table and no sign of one, so the sites of wp_blogs')


def test_mercators_shape_is_refused_naming_both_plugins():
    with pytest.raises(SourceError) as info:
        ms.detect(dict(CORE, wp_domain_mapping=SHAPES['mercator']), WP)
    assert info.value.source_kind == 'ambiguous'
    assert 'source: mercator or source: wpmu_domain_mapping' in info.value.msg
    assert 'Mercator and WPMU Domain Mapping' in info.value.msg
    assert 'WPMU Domain Mapping: active is the primary domain' in info.value.msg


def test_several_sources_are_refused_naming_each():
    with pytest.raises(SourceError) as info:
        ms.detect(dict(CORE, wp_domain_mapping=SHAPES['mercator'], wp_wu_domain_mappings=UM), WP)
    assert info.value.source_kind == 'ambiguous'
    assert ('Ultimate Multisite (wp_wu_domain_mappings); Mercator or WPMU Domain Mapping (wp_domain_mapping)'
            in info.value.msg)
    assert 'source: ultimate_multisite or source: mercator or source: wpmu_domain_mapping' in info.value.msg


def test_an_unknown_mapping_table_and_no_tables_at_all_are_refused():
    with pytest.raises(SourceError) as info:
        ms.detect(dict(CORE, wp_domain_mapping={'id', 'blog_id', 'url'}), WP)
    assert info.value.source_kind == 'shape' and 'no domain, active column' in info.value.msg
    with pytest.raises(SourceError) as info:
        ms.detect(dict(CORE, wp_wu_domain_mappings={'id', 'blog_id', 'domain'}), WP)
    assert info.value.source_kind == 'shape' and 'wp_wu_domain_mappings has no active, primary_domain' in info.value.msg
    with pytest.raises(SourceError) as info:
        ms.detect({}, Read('net_'))
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
        assert ms.check_named(BY_NAME[named], found, WP) is None
        return
    with pytest.raises(SourceError) as info:
        ms.check_named(BY_NAME[named], found, WP)
    assert info.value.source_kind == 'shape' and 'wp_domain_mapping' in info.value.msg


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
    result = ms.read_network(session, 'auto', WP)
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
        ms.read_network(session, 'auto', WP)
    assert info.value.source_kind == 'connection_lost' and info.value.details()['source_part'] == part


@pytest.mark.parametrize('source', ['wordpress', 'dark_matter', 'ultimate_multisite'])
def test_every_source_needs_the_networks_domain(source):
    session = FakeSession(CORE, {}, network_domain=None)
    with pytest.raises(SourceError) as info:
        ms.read_network(session, source, Read('wp_', 3))
    assert info.value.source_kind == 'network_id' and 'no network 3 in wp_site' in info.value.msg
    assert 'mappings' not in session.parts


def test_a_named_source_whose_table_is_not_visible_is_read_and_left_to_the_server():
    session = FakeSession(CORE, {'wp_domain_mapping': [{'id': 4, 'blog_id': 2, 'domain': 'x.example',
                                                        'active': 1}]})
    result = ms.read_network(session, 'mercator', WP)  # the query then fails with the server's own 1142 or 1146
    assert result['domains'] == ['x.example'] and result['source_reason'] == 'named'


def test_ultimate_multisite_reads_its_settings_in_the_same_session_only_when_asked():
    tables = dict(CORE, wp_wu_domain_mappings=UM)
    session = FakeSession(tables, {'wp_sitemeta': [{'meta_value': 'a:1:{s:25:"auto_create_www_subdomain";'
                                                                  's:5:"never";}'}]})
    result = ms.read_network(session, 'auto', WP)
    assert (result['www_setting'], result['www_setting_from']) == ('never', 'settings')
    assert session.parts[-1] == 'settings'
    session = FakeSession(tables, {})
    result = ms.read_network(session, 'auto', Read('wp_', settings=False))
    assert 'settings' not in session.parts and result['www_setting'] is None


def test_a_network_id_below_one_is_refused():
    with pytest.raises(SourceError) as info:
        ms.read_network(FakeSession(CORE, {}), 'auto', Read('wp_', 0))
    assert info.value.source_kind == 'network_id'


def test_the_reader_never_asks_which_plugin_it_holds():
    """What differs between plugins lives in their classes: the reader's loop names none of them."""
    with open(ms.__file__) as handle:
        text = handle.read()
    for name in ms.SOURCES:
        assert "'%s'" % name not in text, name


# -- detection never switches: every combination of plugin tables and plugin signs ---------------------------------

TABLE_SETS = {
    'none': {},
    'ultimate_multisite': {'wp_wu_domain_mappings': UM},
    'mercator shape': {'wp_domain_mapping': SHAPES['mercator']},
    'wpmudev': {'wp_domain_mapping': SHAPES['wpmudev_domain_mapping']},
    'dark_matter': {'wp_domain_mapping': SHAPES['dark_matter']},
    'ultimate_multisite and dark_matter': {'wp_wu_domain_mappings': UM, 'wp_domain_mapping': SHAPES['dark_matter']},
}
SIGNED = [name for name in ms.SOURCES if BY_NAME[name].plugin_files or BY_NAME[name].option_keys]


def _combinations():
    for tables in TABLE_SETS:
        for mask in range(2 ** len(SIGNED)):
            seen = dict((name, ['network-active']) for at, name in enumerate(SIGNED) if mask >> at & 1)
            for sunrise in (False, True):
                yield tables, seen, sunrise


def test_every_plugin_but_wordpress_has_a_sign_to_look_for():
    assert SIGNED == [name for name in ms.SOURCES if not BY_NAME[name].fallback]


@pytest.mark.parametrize('tables, seen, sunrise', list(_combinations()))
def test_detection_reads_a_source_only_where_nothing_says_another_is_meant(tables, seen, sunrise):
    found = dict(CORE, **TABLE_SETS[tables])
    read = Read('wp_', config_signs=['wp-config.php defines SUNRISE (line 9)'] if sunrise else [])
    fits = [p.name for which, t in ms.fitting(found, read) for p in which]
    try:
        plugin, reason = ms.detect(found, read, seen)
    except SourceError as exc:
        assert exc.source_kind in ('ambiguous', 'plugin_table_missing')
        # refused only for a reason: two tables, one table two plugins could have made, or a sign of a plugin
        # that is not the one the table says
        assert len(fits) > 1 or [n for n in seen if n not in fits] or (not fits and (seen or sunrise))
        return
    # what it reads is never contradicted by anything it saw
    assert all(name == plugin.name for name in seen)
    if plugin.fallback:
        assert not fits and not seen and not sunrise
    else:
        assert plugin.name in fits and plugin.table(read) in found


@pytest.mark.parametrize('tables, source', [('ultimate_multisite', 'ultimate_multisite'), ('wpmudev', 'wpmudev_domain_mapping'),
                                            ('dark_matter', 'dark_matter'), ('none', 'wordpress')])
def test_a_plugin_alone_with_its_own_signs_is_read(tables, source):
    seen = {} if source == 'wordpress' else {source: ['network-active (x/y.php)']}
    assert ms.detect(dict(CORE, **TABLE_SETS[tables]), WP, seen)[0].name == source


def test_the_shared_shape_is_told_apart_by_the_networks_own_signs():
    found = dict(CORE, wp_domain_mapping=SHAPES['mercator'])
    assert ms.detect(found, WP, {'wpmu_domain_mapping': ['its network option dm_ipaddress']})[0].name == \
        'wpmu_domain_mapping'
    assert ms.detect(found, WP, {'mercator': ['network-active (mercator/mercator.php)']})[0].name == 'mercator'


def test_a_restore_that_has_not_reached_the_plugins_table_is_refused_not_read_as_wordpress():
    seen = {'ultimate_multisite': ['network-active (ultimate-multisite/ultimate-multisite.php)',
                                   'its network option wp-ultimo_v2_settings']}
    with pytest.raises(SourceError) as info:
        ms.detect(CORE, WP, seen)
    assert info.value.source_kind == 'plugin_table_missing'
    assert 'Ultimate Multisite: network-active (ultimate-multisite/ultimate-multisite.php)' in info.value.msg
    assert 'source: wordpress' in info.value.msg and 'restore' in info.value.msg


def test_signs_are_read_from_the_networks_options():
    active = 'a:2:{s:41:"ultimate-multisite/ultimate-multisite.php";i:1;s:19:"akismet/akismet.php";i:2;}'
    seen = ms.signs([{'meta_key': 'active_sitewide_plugins', 'meta_value': active},
                     {'meta_key': 'dm_ipaddress', 'meta_value': '203.0.113.5'}])
    assert seen == {'ultimate_multisite': ['network-active (ultimate-multisite/ultimate-multisite.php)'],
                    'wpmu_domain_mapping': ['its network option dm_ipaddress']}
    # a plugin folder renamed on upload: its main file still names it
    renamed = 'a:1:{s:25:"um-2/ultimate-multisite.php";i:1;}'.replace('25', str(len('um-2/ultimate-multisite.php')))
    assert list(ms.signs([{'meta_key': 'active_sitewide_plugins', 'meta_value': renamed}])) == ['ultimate_multisite']
    assert ms.signs([{'meta_key': 'active_sitewide_plugins', 'meta_value': 'a:0:{}'}]) == {}
    with pytest.raises(SourceError) as info:
        ms.signs([{'meta_key': 'active_sitewide_plugins', 'meta_value': 'a:1:{s:3:"x";}'}])
    assert info.value.source_kind == 'settings' and info.value.details()['source_part'] == 'signs'


def test_the_signs_query_is_the_networks_own():
    sql, args = ms.signs_query(Read('net_', 2))
    assert '`net_sitemeta`' in sql and args[0] == 2 and 'active_sitewide_plugins' in args
    assert 'wp-ultimo_v2_settings' in args and 'dm_ipaddress' in args


def test_with_active_only_false_the_sites_own_addresses_are_still_the_live_sites_only():
    """active_only=false widens the plugin's mappings to inactive ones; a site's own address is a custom domain
    only while WordPress serves the site, so an archived, spam or deleted site's address is never kept."""
    queries = []

    class Recording(FakeSession):
        def rows(self, query, part, about):
            queries.append((part, query))
            return FakeSession.rows(self, query, part, about)
    ms.read_network(Recording(WPMUDEV_TABLES, dict(PLUGIN_ROWS, wp_blogs=SITES)), 'auto', Read('wp_', active_only=False))
    mappings_sql = [q for part, q in queries if part == 'mappings'][0][0]
    sites_sql, sites_args = [q for part, q in queries if part == 'sites'][0]
    assert 'active = 1' not in mappings_sql  # the plugin's inactive mappings are read, as asked
    where = sites_sql.split(' WHERE ')[1]
    for flag in ('archived', 'spam', 'deleted'):
        assert '%s = %%s' % flag in where  # the sites: live ones only, whatever active_only says
    assert sites_args.count('0') == 3
