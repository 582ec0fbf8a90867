# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The four plugins of {prefix}domain_mapping: Mercator, WPMU Domain Mapping, WPMU DEV, Dark Matter - each
one's query and rows, NULLs in their nullable columns read as the plugin's own PHP casts read them."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import (
    dark_matter, mercator, wpmu_domain_mapping, wpmudev_domain_mapping)
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import Request

MERCATOR, WPMU, WPMUDEV, DARK_MATTER = (mercator.PLUGIN, wpmu_domain_mapping.PLUGIN, wpmudev_domain_mapping.PLUGIN,
                                        dark_matter.PLUGIN)
BASE = {'id', 'blog_id', 'domain', 'active'}


@pytest.mark.parametrize('plugin, columns, sql', [
    (MERCATOR, BASE, 'SELECT id, blog_id, domain, active FROM `wp_domain_mapping` WHERE active = 1 ORDER BY blog_id, id'),
    (WPMU, BASE, 'SELECT id, blog_id, domain, active FROM `wp_domain_mapping` ORDER BY blog_id, active DESC, id'),
    (WPMUDEV, BASE | {'is_primary'}, 'SELECT id, blog_id, domain, active, is_primary FROM `wp_domain_mapping` '
                                     'WHERE active = 1 ORDER BY blog_id, is_primary DESC, id'),
    (DARK_MATTER, None, 'SELECT id, blog_id, domain, active, is_primary, is_https, type FROM `wp_domain_mapping` '
                        'WHERE active = 1 ORDER BY blog_id, is_primary DESC, id'),
])
def test_each_plugins_query(plugin, columns, sql):
    assert plugin.query(Request('wp_'), columns) == (sql, [])


def test_queries_bind_blog_ids_and_the_network():
    sql, args = MERCATOR.query(Request('wp_', 2, active_only=False, blog_ids=[4, 5]), None)
    assert sql == ('SELECT id, blog_id, domain, active FROM `wp_domain_mapping` WHERE blog_id IN (%s, %s) AND '
                   'blog_id IN (SELECT blog_id FROM `wp_blogs` WHERE site_id = %s) ORDER BY blog_id, id')
    assert args == [4, 5, 2]


def test_wpmu_maps_every_row_and_active_marks_the_primary():
    assert [(WPMU.mapping(dict(id=1, blog_id=2, domain='a.example', active=a))['active'],
             WPMU.mapping(dict(id=1, blog_id=2, domain='a.example', active=a))['primary']) for a in (1, 0, None)] == [
        (True, True), (True, False), (True, False)]


def test_mercator_knows_no_primary_domain_and_a_null_active_is_inactive():
    assert MERCATOR.mapping({'id': 7, 'blog_id': 3, 'domain': 'a.example.org', 'active': None}) == {
        'id': 7, 'blog_id': 3, 'domain': 'a.example.org', 'active': False, 'primary': None}


@pytest.mark.parametrize('scheme, expected', [(0, 'http'), (1, 'https'), (2, 'both'), (None, 'http'), (7, '7')])
def test_wpmudev_scheme(scheme, expected):
    row = {'id': 1, 'blog_id': 2, 'is_primary': 1, 'domain': 'a.example', 'active': 1, 'scheme': scheme}
    assert WPMUDEV.mapping(row)['scheme'] == expected


@pytest.mark.parametrize('type_, expected, served', [(1, 'main', True), (2, 'media', False), (None, 'main', True),
                                                     (0, 'main', True)])
def test_dark_matter_type_null_is_no_media_domain(type_, expected, served):
    # DM_Domain casts with (int): NULL is 0, and only 2 is a media domain
    found = DARK_MATTER.mapping({'id': 1, 'blog_id': 2, 'is_primary': None, 'domain': 'a.example', 'active': 1,
                                 'is_https': None, 'type': type_})
    assert (found['type'], found['is_https'], found['primary']) == (expected, False, False)
    assert DARK_MATTER.served(found) is served


SHAPES = {
    'mercator': BASE,
    'wpmudev': BASE | {'is_primary', 'scheme'},
    'wpmudev_before_4_2': BASE | {'is_primary'},
    'dark_matter': BASE | {'is_primary', 'is_https', 'type'},
    'dark_matter_before_2_2': BASE | {'is_primary', 'is_https'},
}
EXTRA = ('is_primary', 'scheme', 'is_primary', 'is_https', 'type')


@pytest.mark.parametrize('shape, fit', [
    ('mercator', {MERCATOR, WPMU}),
    ('wpmudev', {WPMUDEV}),
    ('wpmudev_before_4_2', {WPMUDEV}),
    ('dark_matter', {DARK_MATTER}),
    ('dark_matter_before_2_2', {DARK_MATTER}),
])
def test_which_plugins_a_table_fits(shape, fit):
    assert set(p for p in (MERCATOR, WPMU, WPMUDEV, DARK_MATTER) if p.fits(SHAPES[shape], EXTRA)) == fit
