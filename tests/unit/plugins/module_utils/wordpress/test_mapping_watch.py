# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source's rules, with plain values: options, events, backoff, log lines."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import mapping_watch
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError, SourceError


def read(domains, custom=(), source='ultimate_multisite'):
    return dict(domains=list(domains), custom_site_domains=list(custom), source=source,
                network_domain='network.example')


def test_the_first_good_read_is_the_initial_event_with_nothing_to_compare():
    event = mapping_watch.change(None, read(['b.example', 'a.example'], custom=['own.example']))
    assert event == {'mapping_change': dict(initial=True, domains=['a.example', 'b.example', 'own.example'],
                                            added=[], removed=[], source='ultimate_multisite',
                                            network_domain='network.example')}


def test_an_empty_network_is_still_an_initial_event():
    assert mapping_watch.change(None, read([]))['mapping_change']['domains'] == []


def test_the_same_set_is_no_event_and_a_change_names_what_came_and_went():
    assert mapping_watch.change(['a.example'], read(['a.example'])) is None
    event = mapping_watch.change(['a.example', 'gone.example'], read(['a.example', 'new.example']))['mapping_change']
    assert event['initial'] is False and event['added'] == ['new.example'] and event['removed'] == ['gone.example']
    assert event['domains'] == ['a.example', 'new.example']


def test_a_name_moving_from_mapping_to_site_address_is_no_change():
    assert mapping_watch.change(['a.example'], read([], custom=['a.example'])) is None


def test_options_take_the_roles_database_dict_whole_and_own_options_win():
    params = mapping_watch.options({'database_options': {'wp_config': '/srv/wp-config.php', 'host': 'wordpress',
                                                         'source': 'mercator'},
                                    'source': 'wordpress', 'interval': '5'})
    assert params['wp_config'] == '/srv/wp-config.php' and params['source'] == 'wordpress'
    assert params['interval'] == 5.0 and params['max_backoff'] == 60 and params['read_www_setting'] is False
    assert params['active_only'] is True and params['query_timeout'] == 30  # the reader's own defaults
    assert 'host' not in params


@pytest.mark.parametrize('args, words', [
    ({'source': 'joomla'}, 'source'),
    ({'interval': 0}, 'interval must be a positive'),
    ({'interval': 30, 'max_backoff': 10}, 'max_backoff at least interval'),
    ({'wp_config': '/x', 'unknown_option': 1}, 'unknown_option'),
    ({'database_options': 'wp-config.php'}, 'database_options must be a dict'),
    # the role's own dict, misspelt: refused as the role refuses it, never read as another network
    ({'database_options': {'wp_config': '/x', 'tabel_prefix': 'wp2_'}}, r'tabel_prefix \(did you mean table_prefix\?\)'),
    ({'database_options': {'wp_config': '/x', 'read_www_setting': True}}, 'has no key read_www_setting'),
])
def test_bad_options_are_refused_at_start(args, words):
    with pytest.raises(CollectionError, match=words):
        mapping_watch.options(args)


def test_backoff_doubles_up_to_the_cap_with_jitter_never_below_the_interval():
    assert mapping_watch.backoff(0, 10, 60) == 10
    assert [mapping_watch.backoff(n, 10, 60, rand=lambda: 1.0) for n in (1, 2, 3, 4, 5)] == [10, 20, 40, 60, 60]
    assert mapping_watch.backoff(3, 10, 60, rand=lambda: 0.0) == 20   # half of 40
    assert mapping_watch.backoff(1, 10, 60, rand=lambda: 0.0) == 10   # never sooner than the usual interval


def test_a_failed_read_is_described_without_its_secrets():
    line = mapping_watch.describe(SourceError('connect', 'Could not connect to localhost:3306: refused.', part='tables'))
    assert line == 'source (source_error connect, source_part tables): Could not connect to localhost:3306: refused.'
    assert mapping_watch.describe(KeyError('s3cret-password')) == \
        'unexpected KeyError (a defect of the reader: report it)'
