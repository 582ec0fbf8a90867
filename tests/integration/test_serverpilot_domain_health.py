# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serverpilot_domain_health through ansible-playbook in a messy network: a real DNS server (dnsmasq), the
app's server on 127.0.0.2, a CDN on 127.0.0.3, and the stand-in API whose AutoSSL covers a name only once its
DNS points at the server, after an issuance delay."""

import json

import pytest

from conftest import once

pytestmark = pytest.mark.integration

SERVER = '127.0.0.2'
RECORDS = {
    'good.example': [SERVER],                     # points, covered: ok
    'cdn.example': ['127.0.0.3'],                 # behind a CDN
    'v6stray.example': [SERVER, '2001:db8::7'],   # A right, AAAA elsewhere
    'left.example': ['198.51.100.7'],             # a customer who left: another host
}
LISTED = ['good.example', 'www.good.example', 'cdn.example', 'v6stray.example', 'left.example', 'gone.example',
          '*.network.example', '203.0.113.44']


def health_task(world, **options):
    base = {'nameservers': [world.dns.nameserver], 'port': world.tls.port, 'ca_path': world.tls.ca_path,
            'connect_timeout': 3}
    base.update(options)
    return ('- name: health\n  multisite.serverpilot.serverpilot_domain_health: %s\n  register: health\n'
            '  ignore_errors: true\n' % json.dumps(base))


@pytest.fixture
def app(messy_network, standin):
    messy_network.set_dns(RECORDS)
    return standin.state.add_app(domains=LISTED, ssl='auto')


def by_name(result):
    return dict((d['name'], d) for d in result['domains'])


def test_every_domain_gets_a_status_and_a_reason(messy_network, app, playbook):
    result = playbook(health_task(messy_network, app_id=app)).results[0]
    assert not result['failed'], result  # nothing required: the network's mess is reported, not fatal
    domains = by_name(result)
    assert {name: d['status'] for name, d in domains.items()} == {
        'good.example': 'ok', 'www.good.example': 'dns_missing', 'cdn.example': 'dns_elsewhere',
        'v6stray.example': 'dns_elsewhere', 'left.example': 'dns_elsewhere', 'gone.example': 'dns_missing',
        '*.network.example': 'unchecked', '203.0.113.44': 'unchecked'}
    assert result['summary'] == {'ok': 1, 'expiring': 0, 'pending': 0, 'dns_missing': 2, 'dns_elsewhere': 3,
                                 'certificate_invalid': 0, 'unreachable': 0, 'unchecked': 2,
                                 'caa_blocked': 0, 'dnssec_broken': 0}
    good = domains['good.example']
    assert good['points_to_server'] and good['listed'] and good['covered'] and good['issuer'] == 'Stand-in Encrypt'
    assert good['days_left'] >= 88 and good['addresses'] == [SERVER]
    assert '127.0.0.3' in domains['cdn.example']['reason'] and SERVER in domains['cdn.example']['reason']
    assert 'AAAA record points elsewhere (2001:db8::7)' in domains['v6stray.example']['reason']
    assert 'no A or AAAA record' in domains['gone.example']['reason']
    assert result['api_calls'] == 3  # the app, its server's lastaddress, and the account's apps
    assert all(d['other_apps'] == [] for d in result['domains'])


def test_no_connection_ever_goes_where_a_customer_points(messy_network, app, playbook):
    playbook(health_task(messy_network, app_id=app))
    # the CDN listens on the same port on 127.0.0.3: a handshake there would show
    assert sum(messy_network.cdn.handshakes.values()) == 0
    assert set(messy_network.tls.handshakes) == {'good.example'}  # one handshake, for the one name that points


@pytest.mark.parametrize('options, failed', [
    ({'required': ['good.example']}, []),
    ({'required': ['good.example', 'cdn.example']}, ['cdn.example']),
    ({'fail_on': 'any'}, ['www.good.example', 'cdn.example', 'v6stray.example', 'left.example', 'gone.example']),
    ({'fail_on': 'never', 'required': ['cdn.example']}, []),
])
def test_fail_only_for_what_the_operator_requires(messy_network, app, playbook, options, failed):
    result = playbook(health_task(messy_network, app_id=app, **options)).results[0]
    assert result['failed'] is bool(failed), result
    if failed:
        assert result['error_kind'] == 'health'
        for name in failed:
            assert name in result['msg']
        assert 'good.example: ok' not in result['msg']
    assert len(result['domains']) == len(LISTED)  # the report is whole either way


def pending_app(messy_network, standin, other):
    """An app with new.example just listed and pointing, and ``other``: new.example stays pending, for as long as
    this machine takes, until the test says it is issued (standin.state.issue_now)."""
    messy_network.set_dns(dict(RECORDS, **{'new.example': [SERVER]}))
    app = standin.state.add_app(domains=['new.example', other], ssl='auto', new_domains=['new.example'])
    standin.state.hold_issuance()
    return app


def test_pending_is_waited_for_and_nothing_else(messy_network, standin, playbook):
    app = pending_app(messy_network, standin, 'cdn.example')
    first = playbook(health_task(messy_network, app_id=app)).results[0]
    assert by_name(first)['new.example']['status'] == 'pending', first
    assert by_name(first)['new.example']['covered'] is False
    standin.state.log.clear()
    # issued once the waiting run's first check has made its handshake (so that check saw it pending)
    seen = messy_network.tls.handshake_count('new.example')
    once(lambda: messy_network.tls.handshake_count('new.example') > seen, standin.state.issue_now)
    waited = playbook(health_task(messy_network, app_id=app, wait=600, wait_delay=0.5,
                                  required=['new.example'])).results[0]
    assert not waited['failed'], waited
    assert by_name(waited)['new.example']['status'] == 'ok'
    assert by_name(waited)['cdn.example']['status'] == 'dns_elsewhere'  # never waited on
    # waited for: the app's coverage was read again; the account's apps only once per run
    paths = [e['path'] for e in standin.state.api_calls()]
    assert paths.count('/v1/apps/%s' % app) >= 2 and paths.count('/v1/apps') == 1


def test_a_503_spell_during_the_wait_ends_it_with_what_is_known(messy_network, standin, playbook):
    app = pending_app(messy_network, standin, 'good.example')
    # once the first check is done, ServerPilot answers 503 for longer than the client retries
    once(lambda: messy_network.tls.handshake_count('new.example') > 0,
         lambda: standin.state.add_fault(status=503, count=1000, method='GET', path='^/v1/apps/%s$' % app))
    run = playbook(health_task(messy_network, app_id=app, wait=600, wait_delay=0.2, fail_on='never', retries=1))
    result = run.results[0]
    assert not result['failed'], result
    assert by_name(result)['good.example']['status'] == 'ok'
    pending = by_name(result)['new.example']
    assert pending['status'] == 'pending' and 'the API could not be read again' in pending['reason']
    assert 'The wait for pending domains ended early' in run.stdout
    # the same spell with the name required fails as required says, with every result
    standin.state.faults.clear()
    # counted from here: the first run may have re-checked new.example before its spell began
    seen = messy_network.tls.handshake_count('new.example')
    once(lambda: messy_network.tls.handshake_count('new.example') > seen,
         lambda: standin.state.add_fault(status=503, count=1000, method='GET', path='^/v1/apps/%s$' % app))
    required = playbook(health_task(messy_network, app_id=app, wait=600, wait_delay=0.2, retries=1,
                                    required=['new.example'])).results[0]
    assert required['failed'] and required['error_kind'] == 'health' and len(required['domains']) == 2


def test_an_odd_certificate_is_one_names_result(messy_network, standin, playbook):
    messy_network.set_dns(dict(RECORDS, **{'odd.example': [SERVER]}))
    app = standin.state.add_app(domains=['odd.example', 'good.example'], ssl='auto')
    messy_network.tls.serve('odd.example', 'odd-extension')
    result = playbook(health_task(messy_network, app_id=app, fail_on='never')).results[0]
    assert not result['failed'], result
    odd = by_name(result)['odd.example']
    assert odd['status'] == 'certificate_invalid' and odd['issuer'] is None
    assert 'unreadable certificate' in odd['reason'] and 'could not be read' in odd['reason']
    assert by_name(result)['good.example']['status'] == 'ok'


def test_never_waits_for_what_cannot_happen(messy_network, standin, app, playbook):
    result = playbook(health_task(messy_network, app_id=app, wait=600, wait_delay=1)).results[0]
    assert not result['failed']
    # nothing was pending: no re-check at all (a wait would read the app's coverage again)
    assert [e['path'] for e in standin.state.api_calls()].count('/v1/apps/%s' % app) == 1


def test_a_wrong_certificate_on_a_covered_name_is_named(messy_network, app, playbook):
    messy_network.tls.serve('good.example', 'expired')
    result = playbook(health_task(messy_network, app_id=app, required=['good.example'])).results[0]
    good = by_name(result)['good.example']
    assert result['failed'] and good['status'] == 'certificate_invalid'
    assert 'expired' in good['reason'] and 'Stand-in Encrypt' in good['reason']


def test_without_the_api(messy_network, app, playbook):
    result = playbook(health_task(messy_network, domains=['good.example', 'cdn.example'],
                                  server_addresses=[SERVER]), credentials=False).results[0]
    assert not result['failed'], result
    assert by_name(result)['good.example']['status'] == 'ok' and by_name(result)['good.example']['listed'] is None
    assert result['api_calls'] == 0


def test_server_addresses_for_a_load_balancer(messy_network, app, playbook):
    """With the CDN's address named as the server's, cdn.example points at "the server"."""
    result = playbook(health_task(messy_network, app_id=app, server_addresses=[SERVER, '127.0.0.3'])).results[0]
    assert by_name(result)['cdn.example']['points_to_server'] is True
    assert result['api_calls'] == 2  # no GET /servers/:id


def test_check_mode_runs_as_normal(messy_network, app, playbook):
    result = playbook(health_task(messy_network, app_id=app), args=['--check']).results[0]
    assert by_name(result)['good.example']['status'] == 'ok' and standin_writes(messy_network) == []


def standin_writes(world):
    return world.state.writes()


def test_a_domain_on_another_app_is_marked_with_its_name(messy_network, app, standin, playbook):
    standin.state.add_app(name='aaa-old-network', domains=['good.example', 'other.example'])
    result = playbook(health_task(messy_network, app_id=app)).results[0]
    good = by_name(result)['good.example']
    assert good['other_apps'] == ['aaa-old-network'] and 'also on app(s) aaa-old-network' in good['reason']
    assert by_name(result)['cdn.example']['other_apps'] == []


def test_history_given_back_says_what_changed_and_for_how_long(messy_network, app, playbook):
    """The module keeps nothing: the caller gives back the history it returned, and each name's since and change
    continue from it."""
    first = playbook(health_task(messy_network, app_id=app)).results[0]
    assert all(d['change'] is None and d['since'] for d in first['domains'])  # no history: nothing is new
    assert first['history']['good.example']['status'] == 'ok'
    known = dict(first['history'])
    known['left.example'] = {'status': 'dns_elsewhere', 'since': '2026-01-01T00:00:00Z'}  # months ago
    del known['cdn.example']  # a name the last check did not have
    messy_network.set_dns(dict(RECORDS, **{'good.example': ['198.51.100.9']}))  # stops pointing at the server
    second = by_name(playbook(health_task(messy_network, app_id=app, history=known,
                                          departed_after_days=30)).results[0])
    assert second['good.example']['change'] == 'new' and second['good.example']['status'] == 'dns_elsewhere'
    assert second['good.example']['since'] >= first['history']['good.example']['since']  # its clock restarted
    assert second['cdn.example']['change'] == 'new'
    left = second['left.example']
    assert left['change'] is None and left['since'] == '2026-01-01T00:00:00Z' and left['long_standing'] is True
    assert 'a customer who left?' in left['reason']
    assert second['gone.example']['change'] is None and second['gone.example']['since'] == \
        first['history']['gone.example']['since']


def test_a_mangled_history_is_refused(messy_network, app, playbook):
    result = playbook(health_task(messy_network, app_id=app,
                                  history={'good.example': {'status': 'ok', 'since': 'yesterday'}})).results[0]
    assert result['failed'] and result['error_kind'] == 'invalid_input' and "history['good.example']" in result['msg']
