# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What changed since the last run, for how long, and how full an app is: plain values in."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import history
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

T0, T1 = '2026-12-01T00:00:00Z', '2026-12-01T00:15:00Z'


def entry(name, status, reason='why'):
    return {'name': name, 'status': status, 'reason': reason}


def test_the_first_run_calls_nothing_new_and_starts_every_clock():
    entries, kept = history.advance(None, [entry('a.example', 'ok'), entry('b.example', 'dns_elsewhere')], T0)
    assert [(e['since'], e['change']) for e in entries] == [(T0, None), (T0, None)]
    assert kept == {'a.example': {'status': 'ok', 'since': T0}, 'b.example': {'status': 'dns_elsewhere', 'since': T0}}


def test_new_recovered_and_unchanged():
    previous = {'a.example': {'status': 'ok', 'since': T0}, 'b.example': {'status': 'dns_missing', 'since': T0},
                'c.example': {'status': 'dns_elsewhere', 'since': T0}}
    entries, kept = history.advance(previous, [
        entry('a.example', 'dns_elsewhere'),  # stopped pointing at the server
        entry('b.example', 'ok'),             # recovered
        entry('c.example', 'dns_elsewhere'),  # still broken: its clock runs on
        entry('d.example', 'pending')], T1)   # a name the last run did not have
    got = dict((e['name'], (e['change'], e['since'])) for e in entries)
    assert got == {'a.example': ('new', T1), 'b.example': ('recovered', T1), 'c.example': (None, T0),
                   'd.example': ('new', T1)}
    assert kept['c.example'] == {'status': 'dns_elsewhere', 'since': T0}
    assert [e['failing_days'] for e in entries] == [0.0, None, 0.0, 0.0]


def test_a_failure_that_lasts_is_called_out_as_a_customer_who_left():
    previous = {'old.example': {'status': 'dns_elsewhere', 'since': '2026-10-21T00:00:00Z'},
                'young.example': {'status': 'dns_elsewhere', 'since': '2026-11-30T00:00:00Z'}}
    entries, dummy = history.advance(previous, [entry('old.example', 'dns_elsewhere', 'points elsewhere.'),
                                                entry('young.example', 'dns_elsewhere')], T1)
    old, young = entries
    assert old['long_standing'] and old['failing_days'] == 41.0
    assert 'It has been dns_elsewhere for 41 days: a customer who left?' in old['reason']
    assert not young['long_standing'] and young['reason'] == 'why'
    assert history.advance(previous, [entry('old.example', 'dns_elsewhere')], T1, departed_after_days=60)[0][0][
        'long_standing'] is False


def test_capacity_warns_at_80_and_90_percent():
    assert history.capacity(150) == {'used': 150, 'limit': 300, 'percent': 50, 'warning': None}
    assert 'Past 300 it refuses more' in history.capacity(240)['warning'] and history.capacity(240)['percent'] == 80
    assert history.capacity(270)['percent'] == 90 and history.capacity(239)['warning'] is None


def test_the_summary_of_changes_names_the_first_few():
    entries = [dict(entry('n%d.example' % i, 'dns_missing'), change='new', long_standing=False) for i in range(7)]
    entries.append(dict(entry('r.example', 'ok'), change='recovered', long_standing=False))
    found = history.summary_of_changes(entries)
    assert found['newly_failing'] == {'count': 7, 'first': ['n0.example', 'n1.example', 'n2.example', 'n3.example',
                                                            'n4.example']}
    assert found['recovered'] == {'count': 1, 'first': ['r.example']}
    assert found['long_standing']['count'] == 0


def test_the_fleet_report_puts_what_needs_a_person_first():
    def result(app_id, failure=None, domains=()):
        return {'app_id': app_id, 'app_name': app_id, 'summary': {}, 'capacity': history.capacity(len(domains)),
                'failure': failure, 'health': list(domains)}
    results = [result('calm', domains=[dict(entry('a.example', 'ok'), change=None)]),
               result('late', domains=[dict(entry('b.example', 'expiring'), change=None)]),
               None,  # a host whose run recorded nothing
               result('new', domains=[dict(entry('c.example', 'dns_elsewhere'), change='new')]),
               result('old', domains=[dict(entry('d.example', 'dns_elsewhere'), change=None, long_standing=True)]),
               result('red', failure='network.example: dns_missing')]
    report = history.fleet(['calm', 'late', 'gone', 'new', 'old', 'red'],
                           ['id-calm', 'id-late', 'id-gone', 'id-new', 'id-old', 'id-red'], results, T1)
    assert report['generated_at'] == T1
    assert [a['app_name'] for a in report['apps']] == ['gone', 'red', 'new', 'late', 'old', 'calm']
    assert report['apps'][0]['app_id'] == 'id-gone' and 'ended before it recorded' in report['apps'][0]['failure']
    assert set(report['apps'][2]['domains'][0]) >= {'name', 'status', 'reason', 'since', 'change'}


def test_a_history_given_from_outside_is_read_whole_or_refused():
    good = {'a.example': {'status': 'ok', 'since': T0}}
    assert history.checked(good) is good and history.checked(None) is None
    for bad in ({'a.example': 'ok'}, {'a.example': {'since': T0}}, {'a.example': {'status': 'ok'}},
                {'a.example': {'status': 'ok', 'since': '2026-12-01 00:00'}}):
        with pytest.raises(CollectionError) as caught:
            history.checked(bad)
        assert "history['a.example']" in caught.value.msg
    assert len(history.now()) == len(T0) and history.now().endswith('Z')
