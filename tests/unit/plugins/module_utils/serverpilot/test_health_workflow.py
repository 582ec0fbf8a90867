# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health workflow with plain fakes: one name's failing probe stays its own, and a wait the API cannot
serve ends with what is known."""

import dns.resolver
import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import health_workflow, health
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

SERVER = '127.0.0.2'
OPTIONS = {'port': 443, 'ca_path': None, 'connect_timeout': 1, 'concurrency': 4, 'wait': 600, 'wait_delay': 5,
           'expiry_warning_days': 14, 'caa_account_uris': [], 'required': {'broken.example'}}


class Record:
    def __init__(self, text):
        self.text = text

    def to_text(self):
        return self.text


class Resolver:
    """Every name points at the server (A only)."""

    def resolve(self, name, rdtype, search=False):
        if rdtype == 'A':
            return [Record(SERVER)]
        raise dns.resolver.NoAnswer()


def handshake(name, address, port=443, timeout=1, ca_path=None, describe_failure=True):
    assert address == SERVER  # only ever the server's own address
    if name == 'broken.example':
        raise RuntimeError('something no probe expected')
    return {'domain': name, 'valid': False, 'reason': 'self-signed', 'detail': 'self-signed certificate'}


class Clock:
    def __init__(self):
        self.now, self.sleeps = 0.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def facts(covered=()):
    return health_workflow.AppFacts(listed={'new.example', 'broken.example', 'left.example', 'good.example'},
                                    covered=set(covered),
                                    server_addresses=[SERVER])


def test_a_probe_that_raises_is_that_names_result_only():
    entries, dummy = health_workflow.check_all(['new.example', 'broken.example'], Resolver(), facts(), OPTIONS,
                                               handshake)
    by_name = dict((e['name'], e) for e in entries)
    assert by_name['new.example']['status'] == health.PENDING
    broken = by_name['broken.example']
    assert broken['status'] == health.UNCHECKED and broken['probe_error'] == 'RuntimeError'
    assert 'something no probe expected' in broken['reason'] and broken['required'] is True
    # it could not be vouched for: a required name fails, and so does any with fail_on=any
    assert [e['name'] for e in health.failures(entries, 'required', {'broken.example'})] == ['broken.example']
    assert health.failures(entries, 'never', {'broken.example'}) == []


def test_a_wait_the_api_cannot_serve_ends_with_what_is_known():
    clock, warnings, refreshes = Clock(), [], []

    def refresh():
        refreshes.append(1)
        raise CollectionError('HTTP 503 after 5 tries', kind='transport')

    entries = health_workflow.run_health(['new.example'], Resolver(), facts(), OPTIONS, refresh, sleep=clock.sleep,
                                         clock=clock, handshake=handshake, warn=warnings.append)
    assert len(refreshes) == 1 and clock.sleeps == [5]
    assert entries[0]['status'] == health.PENDING
    assert 'the API could not be read again' in entries[0]['reason'] and '(transport)' in entries[0]['reason']
    assert warnings == ['The wait for pending domains ended early, as ServerPilot could not be read again: '
                        'HTTP 503 after 5 tries']


def test_a_wait_that_can_read_the_api_goes_on_until_the_deadline():
    clock = Clock()
    entries = health_workflow.run_health(['new.example'], Resolver(), facts(), dict(OPTIONS, wait=12), facts,
                                         sleep=clock.sleep, clock=clock, handshake=handshake)
    assert clock.sleeps == [5, 5, 2] and entries[0]['status'] == health.PENDING
    assert 'could not be read again' not in entries[0]['reason']


def test_the_wait_rechecks_only_pending_names_and_ends_as_soon_as_none_is_pending():
    """Two names: one a customer's DNS keeps elsewhere, one being issued. Re-checks go only to the pending one, and
    the wait ends at the check where ServerPilot covers it - not at the deadline (600 s)."""
    clock, handshakes, reads = Clock(), [], []

    class Elsewhere(Resolver):
        def resolve(self, name, rdtype, search=False):
            if name == 'left.example' and rdtype == 'A':
                return [Record('198.51.100.7')]
            return super(Elsewhere, self).resolve(name, rdtype, search)

    def counted(name, address, port=443, timeout=1, ca_path=None, describe_failure=True):
        handshakes.append(name)
        return {'domain': name, 'valid': True, 'issuer': 'Test CA', 'not_after': '2027-02-01T00:00:00Z',
                'days_left': 58, 'lifetime_days': 90.0} if name == 'good.example' or len(reads) >= 2 \
            else handshake(name, address)

    def refresh():
        reads.append(1)  # the second read sees AutoSSL covering the name
        return facts(covered=('good.example', 'new.example') if len(reads) >= 2 else ('good.example',))

    entries = health_workflow.run_health(['left.example', 'good.example', 'new.example'], Elsewhere(),
                                         facts(covered=('good.example',)), dict(OPTIONS, caa=False), refresh,
                                         sleep=clock.sleep, clock=clock, handshake=counted)
    by_name = dict((e['name'], e['status']) for e in entries)
    assert by_name == {'left.example': health.DNS_ELSEWHERE, 'good.example': health.OK, 'new.example': health.OK}
    assert clock.sleeps == [5, 5] and len(reads) == 2  # ended at once, far from the 600 s deadline
    # only the pending name is checked again: once at first, then at each of the two re-checks
    assert handshakes.count('new.example') == 3 and handshakes.count('good.example') == 1
    assert 'left.example' not in handshakes  # never a handshake where a customer points


def test_without_an_app_the_names_and_addresses_given_are_checked_and_required_names_join_them():
    names, facts, refresh, app_name = health_workflow.app_facts(None, None, ['a.example'], ['b.example', 'a.example'],
                                                                [SERVER])
    assert names == ['a.example', 'b.example'] and facts.server_addresses == {SERVER}
    assert refresh is None and app_name is None
    for given in ((None, [SERVER]), (['a.example'], None)):
        with pytest.raises(CollectionError) as info:
            health_workflow.app_facts(None, None, given[0], [], given[1])
        assert 'Give app_id' in info.value.msg


def test_server_addresses_are_addresses_or_refused():
    assert health_workflow.server_addresses(None) is None
    assert health_workflow.server_addresses(['127.0.0.2']) == ['127.0.0.2']
    with pytest.raises(CollectionError) as info:
        health_workflow.server_addresses(['server.example'])
    assert 'server_addresses must be IP addresses' in info.value.msg and info.value.kind == 'invalid_input'


def test_only_what_fail_on_counts_fails_the_check():
    broken = [{'name': 'a.example', 'status': 'dns_missing', 'reason': 'no A record'},
              {'name': 'b.example', 'status': 'ok', 'reason': ''}]
    health_workflow.check_failures(broken, 'required', {'b.example'})
    health_workflow.check_failures(broken, 'never', {'a.example'})
    with pytest.raises(CollectionError) as info:
        health_workflow.check_failures(broken, 'required', {'a.example'})
    assert info.value.kind == 'health' and info.value.msg.startswith('1 of 2 domains are not healthy (fail_on=required)')
