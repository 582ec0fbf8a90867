# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""WordPress's own mapping: the sites of one network, live or not."""

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import Request
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.wordpress import PLUGIN


def test_the_query_reads_one_networks_live_sites():
    assert PLUGIN.query(Request('wp_'), None) == (
        'SELECT blog_id, domain, path, archived, spam, deleted FROM `wp_blogs` WHERE site_id = %s '
        'AND archived = %s AND spam = %s AND deleted = %s ORDER BY blog_id', [1, '0', '0', '0'])
    sql, args = PLUGIN.query(Request('wp_', 2, active_only=False, blog_ids=[3]), None)
    assert 'archived' not in sql.split('WHERE')[1] and args == [2, 3]


def test_a_site_is_live_unless_a_flag_is_set():
    row = {'blog_id': '5', 'domain': 'a.example', 'path': '/', 'archived': '0', 'spam': 0, 'deleted': 0}
    assert PLUGIN.mapping(row) == {'id': None, 'blog_id': 5, 'domain': 'a.example', 'active': True, 'primary': True,
                                   'path': '/'}
    for flag in ('archived', 'spam', 'deleted'):
        assert PLUGIN.mapping(dict(row, **{flag: '1'}))['active'] is False
    assert PLUGIN.lists_sites and PLUGIN.fallback
