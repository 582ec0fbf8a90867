# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Ultimate Multisite source's plain rules: its query and its rows."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils import mapping_sources
from ansible_collections.multisite.serverpilot.plugins.module_utils import ultimate_multisite as um


def test_build_query_binds_every_value():
    sql, args = um.build_query('wp_', True, ['done', 'checking-dns'], [2, 3])
    assert sql == ('SELECT id, blog_id, domain, active, primary_domain, secure, stage FROM `wp_wu_domain_mappings` '
                   'WHERE active = 1 AND stage IN (%s, %s) AND blog_id IN (%s, %s) '
                   'ORDER BY blog_id, primary_domain DESC, id')
    assert args == ['done', 'checking-dns', 2, 3]
    sql, args = um.build_query('wp_', False, um.DEFAULT_STAGES)
    assert 'active' not in sql.split('WHERE')[1] and 'failed' not in args


@pytest.mark.parametrize('prefix, stages, kind', [
    ('wp_`; DROP TABLE x; --', um.DEFAULT_STAGES, 'table_prefix'),
    ('wp-', um.DEFAULT_STAGES, 'table_prefix'),
    ('wp_', ['done', 'finished'], 'stages'),
    ('wp_', [], 'stages'),
])
def test_build_query_refuses(prefix, stages, kind):
    with pytest.raises(um.SourceError) as info:
        um.build_query(prefix, True, stages)
    assert info.value.kind == 'source' and info.value.source_kind == kind


def test_shape_normalises_dedupes_and_sets_bad_rows_apart():
    columns = ('id', 'blog_id', 'domain', 'active', 'primary_domain', 'secure', 'stage')
    rows = [dict(zip(columns, row)) for row in [
        (1, 2, 'Shop.Example.com.', 1, 1, 1, 'done'), (2, 2, 'shop.example.com', 1, 0, 0, 'done'),
        (3, 3, 'bücher.example', 1, 1, 0, 'checking-dns'), (4, 3, 'bad_name..example', 1, 0, 0, 'done'),
        (5, 4, 'shop.network.example', 1, 1, 0, 'done')]]
    domains, mappings, invalid, subdomains = mapping_sources.shape('ultimate_multisite', rows, 'network.example')
    assert domains == ['shop.example.com', 'xn--bcher-kva.example', 'shop.network.example'] and subdomains == []
    assert mappings[0] == {'id': 1, 'blog_id': 2, 'domain': 'shop.example.com', 'active': True, 'primary': True,
                           'primary_domain': True, 'secure': True, 'stage': 'done', 'custom': True}
    assert mappings[-1]['custom'] is False  # a mapped name under the network's domain: no www. form for it
    assert len(mappings) == 4
    assert invalid == [{'id': 4, 'blog_id': 3, 'domain': 'bad_name..example',
                        'reason': "has a label 'bad_name' with characters other than letters, digits and inner "
                                  "hyphens"}]


@pytest.mark.parametrize('build, table', [
    (um.build_query, '`wp_wu_domain_mappings`'),
    (lambda prefix: um.build_query(prefix, network_id=2), '`wp_wu_2_domain_mappings`'),
    (um.settings_query, '`wp_sitemeta`'),
])
def test_every_table_name_checks_the_prefix(build, table):
    with pytest.raises(um.SourceError) as info:
        build("wp_; DROP TABLE x")
    assert info.value.source_kind == 'table_prefix'
    assert table in build('wp_')[0]
