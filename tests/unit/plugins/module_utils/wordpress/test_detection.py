# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Detection: which plugin's rows a network's tables, columns and signs say to read, refusing where two could
be meant; and a named source's shape - plain values in."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import detection, reader as ms
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import BY_NAME
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import Request

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
WP = Request('wp_')


def detect(found, request=WP):
    plugin, reason = detection.detect(found, request)
    return plugin.name, reason


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
    assert detect(dict(CORE, wp_wu_2_domain_mappings=UM), Request('wp_', 2))[0] == 'ultimate_multisite'
    # the main network's table says nothing about network 2
    assert detect(dict(CORE, wp_wu_domain_mappings=UM), Request('wp_', 2))[0] == 'wordpress'


def test_without_a_plugin_table_the_sites_themselves_are_the_source():
    assert detect(CORE) == ('wordpress', 'auto: no mapping plugin table and no sign of one, so the sites of wp_blogs')


def test_mercators_shape_is_refused_naming_both_plugins():
    with pytest.raises(SourceError) as info:
        detection.detect(dict(CORE, wp_domain_mapping=SHAPES['mercator']), WP)
    assert info.value.source_kind == 'ambiguous'
    assert 'source: mercator or source: wpmu_domain_mapping' in info.value.msg
    assert 'Mercator and WPMU Domain Mapping' in info.value.msg
    assert 'WPMU Domain Mapping: active is the primary domain' in info.value.msg


def test_several_sources_are_refused_naming_each():
    with pytest.raises(SourceError) as info:
        detection.detect(dict(CORE, wp_domain_mapping=SHAPES['mercator'], wp_wu_domain_mappings=UM), WP)
    assert info.value.source_kind == 'ambiguous'
    assert ('Ultimate Multisite (wp_wu_domain_mappings); Mercator or WPMU Domain Mapping (wp_domain_mapping)'
            in info.value.msg)
    assert 'source: ultimate_multisite or source: mercator or source: wpmu_domain_mapping' in info.value.msg


def test_an_unknown_mapping_table_and_no_tables_at_all_are_refused():
    with pytest.raises(SourceError) as info:
        detection.detect(dict(CORE, wp_domain_mapping={'id', 'blog_id', 'url'}), WP)
    assert info.value.source_kind == 'shape' and 'no domain, active column' in info.value.msg
    with pytest.raises(SourceError) as info:
        detection.detect(dict(CORE, wp_wu_domain_mappings={'id', 'blog_id', 'domain'}), WP)
    assert info.value.source_kind == 'shape' and 'wp_wu_domain_mappings has no active, primary_domain' in info.value.msg
    with pytest.raises(SourceError) as info:
        detection.detect({}, Request('net_'))
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
        assert detection.check_named(BY_NAME[named], found, WP) is None
        return
    with pytest.raises(SourceError) as info:
        detection.check_named(BY_NAME[named], found, WP)
    assert info.value.source_kind == 'shape' and 'wp_domain_mapping' in info.value.msg


@pytest.mark.parametrize('tables, seen, sunrise', list(_combinations()))
def test_detection_reads_a_source_only_where_nothing_says_another_is_meant(tables, seen, sunrise):
    found = dict(CORE, **TABLE_SETS[tables])
    read = Request('wp_', config_signs=['wp-config.php defines SUNRISE (line 9)'] if sunrise else [])
    fits = [p.name for which, t in detection.fitting(found, read) for p in which]
    try:
        plugin, reason = detection.detect(found, read, seen)
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
    assert detection.detect(dict(CORE, **TABLE_SETS[tables]), WP, seen)[0].name == source


def test_the_shared_shape_is_told_apart_by_the_networks_own_signs():
    found = dict(CORE, wp_domain_mapping=SHAPES['mercator'])
    assert detection.detect(found, WP, {'wpmu_domain_mapping': ['its network option dm_ipaddress']})[0].name == \
        'wpmu_domain_mapping'
    assert detection.detect(found, WP, {'mercator': ['network-active (mercator/mercator.php)']})[0].name == 'mercator'


def test_a_restore_that_has_not_reached_the_plugins_table_is_refused_not_read_as_wordpress():
    seen = {'ultimate_multisite': ['network-active (ultimate-multisite/ultimate-multisite.php)',
                                   'its network option wp-ultimo_v2_settings']}
    with pytest.raises(SourceError) as info:
        detection.detect(CORE, WP, seen)
    assert info.value.source_kind == 'plugin_table_missing'
    assert 'Ultimate Multisite: network-active (ultimate-multisite/ultimate-multisite.php)' in info.value.msg
    assert 'source: wordpress' in info.value.msg and 'restore' in info.value.msg


def test_signs_are_read_from_the_networks_options():
    active = 'a:2:{s:41:"ultimate-multisite/ultimate-multisite.php";i:1;s:19:"akismet/akismet.php";i:2;}'
    seen = detection.signs([{'meta_key': 'active_sitewide_plugins', 'meta_value': active},
                            {'meta_key': 'dm_ipaddress', 'meta_value': '203.0.113.5'}])
    assert seen == {'ultimate_multisite': ['network-active (ultimate-multisite/ultimate-multisite.php)'],
                    'wpmu_domain_mapping': ['its network option dm_ipaddress']}
    # a plugin folder renamed on upload: its main file still names it
    renamed = 'a:1:{s:25:"um-2/ultimate-multisite.php";i:1;}'.replace('25', str(len('um-2/ultimate-multisite.php')))
    assert list(detection.signs([{'meta_key': 'active_sitewide_plugins', 'meta_value': renamed}])) == ['ultimate_multisite']
    assert detection.signs([{'meta_key': 'active_sitewide_plugins', 'meta_value': 'a:0:{}'}]) == {}
    with pytest.raises(SourceError) as info:
        detection.signs([{'meta_key': 'active_sitewide_plugins', 'meta_value': 'a:1:{s:3:"x";}'}])
    assert info.value.source_kind == 'settings' and info.value.details()['source_part'] == 'signs'


def test_the_signs_query_is_the_networks_own():
    sql, args = detection.signs_query(Request('net_', 2))
    assert '`net_sitemeta`' in sql and args[0] == 2 and 'active_sitewide_plugins' in args
    assert 'wp-ultimo_v2_settings' in args and 'dm_ipaddress' in args
