# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The domain-list workflow, driven directly with a fake client: writes, waits, other writers, retried writes."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import domains_workflow
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError
from unit.fake_client import FakeClient


def add(*names):
    return lambda domains: domains + [n for n in names if n not in domains]


def remove(*names):
    return lambda domains: [d for d in domains if d not in names]


# id, start, wanted, options, client script, expected: final list, changed, POSTs, sleeps, external changes
CASES = [
    ('nothing to do: one read, no write',
     ['a.test'], ['a.test'], {}, {},
     (['a.test'], False, 0, [], None)),
    ('a new name: write, wait, confirm',
     ['a.test'], ['b.test'], {}, {},
     (['a.test', 'b.test'], True, 1, [], None)),
    ('a write without an action id waits for nothing',
     ['a.test'], ['b.test'], {}, {'writes': ['no_action']},
     (['a.test', 'b.test'], True, 1, [], None)),
    ('another writer after our write: its change kept, ours applied again',
     ['a.test'], ['b.test'], {}, {'other_writer': {2: lambda d: remove('b.test')(d) + ['x.test']}},
     (['a.test', 'x.test', 'b.test'], True, 2, [], {'added': ['x.test'], 'removed': ['b.test']})),
    ('503 with Retry-After: the app is read again and the list planned again, never replayed',
     ['a.test'], ['b.test'], {}, {'writes': ['503'], 'other_writer': {2: add('x.test')}},
     (['a.test', 'x.test', 'b.test'], True, 2, [2.0], {'added': ['x.test'], 'removed': []})),
    ('an answer lost after the write went through: confirmed by reading, changed, no second write',
     ['a.test'], ['b.test'], {}, {'writes': ['lost']},
     (['a.test', 'b.test'], True, 1, [1.0], None)),
    ('503, then another writer already did our work: nothing left to write',
     ['a.test'], ['b.test'], {}, {'writes': ['503'], 'other_writer': {2: add('b.test')}},
     (['a.test', 'b.test'], False, 1, [2.0], {'added': ['b.test'], 'removed': []})),
    ('exclusive with max_removals 0: a name another writer took away is added back, nothing removed',
     ['a.test'], ['a.test', 'b.test'], {'exclusive': True, 'max_removals': 0},
     {'other_writer': {2: remove('b.test')}},
     (['a.test', 'b.test'], True, 2, [], {'added': [], 'removed': ['b.test']})),
    ('check mode reads once and writes nothing',
     ['a.test'], ['b.test'], {'check_mode': True}, {},
     (['a.test', 'b.test'], True, 0, [], None)),
    ('absent removes the name',
     ['a.test', 'b.test'], ['b.test'], {'state': 'absent'}, {},
     (['a.test'], True, 1, [], None)),
]


@pytest.mark.parametrize('start, wanted, options, script, expected', [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sync_domains(start, wanted, options, script, expected):
    final, changed, posts, sleeps, external = expected
    client = FakeClient(domains=start, **script)
    result = domains_workflow.sync_domains(client, 'app1', wanted, **options)
    assert result['domains'] == final
    assert result['changed'] is changed
    assert len(client.posts) == posts
    assert client.sleeps == sleeps
    assert result.get('external_changes') == external
    assert None not in result['action_ids']
    if not options.get('check_mode'):
        assert client.app['domains'] == final  # what the result says is what the app holds
    # every write that started an action was waited for, and only those
    waited = [entry[1] for entry in client.log if isinstance(entry, tuple) and entry[0] == 'WAIT']
    assert waited == result['action_ids']


def test_a_write_that_keeps_failing_gives_up_after_the_retries():
    client = FakeClient(domains=['a.test'], retries=2, writes=['503', '503', '503'])
    with pytest.raises(CollectionError) as info:
        domains_workflow.sync_domains(client, 'app1', ['b.test'])
    assert info.value.kind == 'transport'
    assert len(client.posts) == 3 and client.sleeps == [2.0, 2.0]
    assert client.log.count('GET') == 3  # a fresh read before every new try


def test_another_writer_that_keeps_undoing_us_is_a_conflict():
    undo = remove('b.test')
    client = FakeClient(domains=['a.test'], other_writer={2: undo, 3: undo, 4: undo})
    result = {}
    with pytest.raises(CollectionError) as info:
        domains_workflow.sync_domains(client, 'app1', ['b.test'], result=result)
    assert info.value.kind == 'conflict' and 'after 3 writes' in info.value.msg
    assert len(client.posts) == domains_workflow.MAX_WRITES
    assert result['changed'] is True and len(result['action_ids']) == 3  # the failure still says we wrote


def test_max_removals_refuses_before_any_write():
    client = FakeClient(domains=['a.test', 'old1.test', 'old2.test'])
    with pytest.raises(CollectionError) as info:
        domains_workflow.sync_domains(client, 'app1', ['a.test'], exclusive=True, max_removals=1)
    assert info.value.kind == 'removals' and 'Nothing was changed' in info.value.msg
    assert client.posts == []


def test_an_empty_source_refuses_a_single_removal_before_any_write_even_in_check_mode():
    for check_mode in (True, False):
        client = FakeClient(domains=['network.test', 'customer.test', 'www.customer.test'])
        with pytest.raises(CollectionError) as info:
            domains_workflow.sync_domains(client, 'app1', ['network.test'], exclusive=True, max_removals=10,
                                          source_mappings=0, check_mode=check_mode)
        assert info.value.kind == 'removals' and 'returned no mappings' in info.value.msg
        assert client.posts == []
    # the same list from a source that gave mappings is up to max_removals
    client = FakeClient(domains=['network.test', 'customer.test'])
    domains_workflow.sync_domains(client, 'app1', ['network.test'], exclusive=True, max_removals=10, source_mappings=3)
    assert client.app['domains'] == ['network.test']


def test_a_rewrite_is_checked_against_what_it_removes():
    # another writer puts the dropped name back twice (two spellings): the re-write would remove both
    client = FakeClient(domains=['a.test', 'old.test'], other_writer={2: add('old.test', 'OLD.test')})
    result = {}
    with pytest.raises(CollectionError) as info:
        domains_workflow.sync_domains(client, 'app1', ['a.test'], exclusive=True, max_removals=1, result=result)
    assert info.value.kind == 'removals'
    assert 'already written the list once' in info.value.msg and 'Nothing was changed' not in info.value.msg
    assert len(client.posts) == 1 and result['changed'] is True


def test_an_app_over_the_cap_may_shrink_with_a_warning():
    names = ['n%d.test' % i for i in range(349)]
    client = FakeClient(domains=names)
    result = domains_workflow.sync_domains(client, 'app1', names[1:], exclusive=True)
    assert result['changed'] and len(client.app['domains']) == 348
    assert any('over the current limit of 300' in w for w in result['warnings'])


def test_an_app_over_the_cap_may_not_grow():
    names = ['n%d.test' % i for i in range(300)]
    client = FakeClient(domains=names)
    with pytest.raises(CollectionError) as info:
        domains_workflow.sync_domains(client, 'app1', ['new.test'])
    assert info.value.kind == 'limit' and client.posts == []


def test_the_share_guard_counts_what_the_app_holds_kept_entries_aside():
    from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import domains
    customers = ['c%d.example' % n for n in range(10)]
    start = ['network.example', 'www.network.example'] + customers + ['www.' + c for c in customers] + ['203.0.113.5']
    keep = domains.Keep(['0.0.0.0/0', '::/0'])
    # the source lost 7 of 10 customers: 7 > 25% of 11 removable domains (the IP is kept, www. forms count once)
    client = FakeClient(domains=start)
    with pytest.raises(CollectionError) as info:
        domains_workflow.sync_domains(client, 'app1', ['network.example', 'www.network.example'] + customers[:3],
                                      exclusive=True, max_removals=10, max_removals_percent=25, keep=keep)
    assert info.value.kind == 'removals' and 'of the 11 domains' in info.value.msg and 'is 2' in info.value.msg
    assert client.log == ['GET']  # read once, nothing written
    # two customers leaving: within the share, written
    client = FakeClient(domains=start)
    result = domains_workflow.sync_domains(client, 'app1', ['network.example', 'www.network.example'] + customers[2:]
                                           + ['www.' + c for c in customers[2:]], exclusive=True, max_removals=10,
                                           max_removals_percent=25, keep=keep)
    removed = ['c0.example', 'c1.example', 'www.c0.example', 'www.c1.example']
    assert result['changed'] and sorted(result['removed']) == removed
