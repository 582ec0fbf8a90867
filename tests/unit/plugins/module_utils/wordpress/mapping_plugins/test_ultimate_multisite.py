# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ultimate Multisite's plain rules: its table per network, its query, its rows, its settings row."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import Request
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.ultimate_multisite import (
    DEFAULT_STAGES, PLUGIN, www_setting)


def test_the_query_binds_every_value():
    sql, args = PLUGIN.query(Request('wp_', stages=['done', 'checking-dns'], blog_ids=[2, 3]), None)
    assert sql == ('SELECT id, blog_id, domain, active, primary_domain, secure, stage FROM `wp_wu_domain_mappings` '
                   "WHERE active = 1 AND COALESCE(stage, 'checking-dns') IN (%s, %s) AND blog_id IN (%s, %s) "
                   'ORDER BY blog_id, primary_domain DESC, id')
    assert args == ['done', 'checking-dns', 2, 3]
    sql, args = PLUGIN.query(Request('wp_', active_only=False), None)
    assert 'active' not in sql.split('WHERE')[1] and 'failed' not in args and args == list(DEFAULT_STAGES)


@pytest.mark.parametrize('network_id, table', [(None, 'wp_wu_domain_mappings'), (1, 'wp_wu_domain_mappings'),
                                               (2, 'wp_wu_2_domain_mappings')])
def test_one_table_per_network_and_the_main_one_for_network_1(network_id, table):
    assert PLUGIN.table(Request('wp_', network_id)) == table
    assert '`%s`' % table in PLUGIN.query(Request('wp_', network_id), None)[0]


@pytest.mark.parametrize('prefix, stages, kind', [
    ('wp_`; DROP TABLE x; --', None, 'table_prefix'),
    ('wp-', None, 'table_prefix'),
    ('wp_', ['done', 'finished'], 'stages'),
    ('wp_', [], 'stages'),
])
def test_the_query_refuses(prefix, stages, kind):
    with pytest.raises(SourceError) as info:
        PLUGIN.query(Request(prefix, stages=stages), None)
    assert info.value.kind == 'source' and info.value.source_kind == kind


def test_a_row_with_nulls_reads_as_the_plugin_casts_it():
    row = {'id': 4, 'blog_id': 3, 'domain': 'a.example', 'active': None, 'primary_domain': None, 'secure': None,
           'stage': None}
    assert PLUGIN.mapping(row) == {'id': 4, 'blog_id': 3, 'domain': 'a.example', 'active': False, 'primary': False,
                                   'primary_domain': False, 'secure': False, 'stage': None}


@pytest.mark.parametrize('value, expected', [
    (None, ('always', 'default')),
    ('a:0:{}', ('always', 'default')),
    ('a:1:{s:25:"auto_create_www_subdomain";s:9:"main_only";}', ('main_only', 'settings')),
])
def test_the_www_setting(value, expected):
    assert www_setting(value) == expected


@pytest.mark.parametrize('value, words', [
    ('a:1:{s:25:"auto_create_www_subdomain";s:5:"main_only";}', 'string length does not match'),
    ('a:1:{a:0:{}i:1;}', 'an array key must be an integer or a string'),
    ('a:1:{i:0;' * 3000 + 'N;' + '}' * 3000, 'nested deeper than 32 levels'),
    (b'a:1:{s:1:"\xff";s:0:"";}'.decode('latin-1'), ''),
    ('a:1:{s:25:"auto_create_www_subdomain";s:3:"yes";}', "auto_create_www_subdomain to 'yes'"),
])
def test_every_malformed_settings_row_is_a_settings_error(value, words):
    with pytest.raises(SourceError) as info:
        www_setting(value)
    assert info.value.source_kind == 'settings' and words in info.value.msg


class Rows:
    def __init__(self, answer):
        self.answer, self.queries = answer, []

    def rows(self, query, part, about):
        self.queries.append((query, part))
        return self.answer


def test_settings_are_read_only_when_asked_for():
    session = Rows([])
    assert PLUGIN.network_settings(session, Request('wp_', read_www_setting=False)) == (
        {'www_setting': None, 'www_setting_from': None}, [])
    assert session.queries == []
    assert PLUGIN.network_settings(session, Request('wp_', 3)) == ({'www_setting': 'always', 'www_setting_from': 'default'}, [])
    (sql, args), part = session.queries[0]
    assert '`wp_sitemeta`' in sql and args == [3, 'wp-ultimo_v2_settings'] and part == 'settings'


def test_a_settings_row_that_cannot_be_parsed_is_null_with_a_warning():
    found, warnings = PLUGIN.network_settings(Rows([{'meta_value': 's:5:"abc";'}]), Request('wp_'))
    assert found == {'www_setting': None, 'www_setting_from': None}
    assert 'not PHP-serialized data' in warnings[0] and 'www_setting is null' in warnings[0]
