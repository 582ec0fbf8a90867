# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Will each name keep its HTTPS? serverpilot_domain_health through ansible-playbook in the messy network, with
CAA record sets served by the real dnsmasq (which the stand-in's AutoSSL honours as Let's Encrypt would) and
certificates of 6, 45 and 90 days at several points of their life from the TLS farm."""

import json
import os

import pytest

from integration.test_serverpilot_domain_health import by_name, health_task

pytestmark = pytest.mark.integration

SERVER = '127.0.0.2'
ACCOUNT = 'https://acme-v02.api.letsencrypt.org/acme/acct/424242'
CAA = {
    'allowed.example.com': [(0, 'issue', 'letsencrypt.org')],
    'other-ca.example.com': [(0, 'issue', 'digicert.com')],
    # a customer's old record, pinned to their own ACME account: inherited by every name under it
    'pinned.example.net': [(0, 'issue', 'letsencrypt.org; accounturi=%s' % ACCOUNT)],
    'dns-only.example.org': [(0, 'issue', 'letsencrypt.org; validationmethods=dns-01')],
    'critical.example.org': [(128, 'tbs', 'unknown'), (0, 'issue', 'letsencrypt.org')],
}
NAMES = ['allowed.example.com', 'other-ca.example.com', 'shop.pinned.example.net', 'dns-only.example.org',
         'critical.example.org', 'plain.example.com']
LIFETIMES = {  # name -> (lifetime, days left): the renewal watch
    'd90-fresh.example': (90, 80), 'd90-due.example': (90, 28), 'd90-late.example': (90, 20),
    'd45-late.example': (45, 10), 'd45-fine.example': (45, 20),
    'd6-young.example': (6, 5), 'd6-late.example': (6, 1),
}


def test_issuance_blockers_by_caa_for_names_ok_today_and_new_ones(messy_network, standin, playbook):
    messy_network.set_dns(dict((name, [SERVER]) for name in NAMES), CAA)
    # listed long ago, so issued before their records changed: all serve a valid certificate today
    app = standin.state.add_app(domains=NAMES, ssl='auto')
    result = playbook(health_task(messy_network, app_id=app, required=['plain.example.com'])).results[0]
    assert not result['failed'], result
    domains = by_name(result)
    assert {n: d['status'] for n, d in domains.items()} == {
        'allowed.example.com': 'ok', 'plain.example.com': 'ok', 'other-ca.example.com': 'caa_blocked',
        'shop.pinned.example.net': 'caa_blocked', 'dns-only.example.org': 'caa_blocked',
        'critical.example.org': 'caa_blocked'}
    assert domains['allowed.example.com']['caa_allows'] is True and domains['plain.example.com']['caa_allows'] is True
    other = domains['other-ca.example.com']
    assert other['issuer'] == 'Stand-in Encrypt'  # valid today ...
    assert 'renewal will fail' in other['reason'] and 'digicert.com' in other['reason']  # ... and not next month
    assert 'other-ca.example.com 0 issue "letsencrypt.org"' in other['reason']
    pinned = domains['shop.pinned.example.net']
    assert 'of pinned.example.net' in pinned['reason'] and 'accounturi' in pinned['reason']
    assert 'validationmethods' in domains['dns-only.example.org']['reason']
    assert 'critical' in domains['critical.example.org']['reason']
    assert result['summary']['caa_blocked'] == 4 and result['summary']['ok'] == 2

    # the account is ServerPilot's after all: the operator says so, and the pinned record no longer blocks
    result = playbook(health_task(messy_network, app_id=app, caa_account_uris=[ACCOUNT])).results[0]
    assert by_name(result)['shop.pinned.example.net']['status'] == 'ok'
    # not looked at at all: what it was before
    result = playbook(health_task(messy_network, app_id=app, caa=False)).results[0]
    assert set(d['status'] for d in result['domains']) == {'ok'}


def test_a_new_name_that_caa_forbids_is_blocked_not_pending_and_not_waited_for(messy_network, standin, playbook):
    messy_network.set_dns({'new.other-ca.example.com': [SERVER]}, {'example.com': [(0, 'issue', 'digicert.com')]})
    # listed just now: nothing issued yet
    app = standin.state.add_app(domains=['new.other-ca.example.com'], new_domains=['new.other-ca.example.com'],
                                ssl='auto')
    # a wait of 60 s would be spent on a pending name; a blocked one is never waited for
    result = playbook(health_task(messy_network, app_id=app, wait=60, wait_delay=1,
                                  required=['new.other-ca.example.com'])).results[0]
    entry = by_name(result)['new.other-ca.example.com']
    assert entry['status'] == 'caa_blocked' and 'ServerPilot cannot issue its certificate' in entry['reason']
    assert 'of example.com' in entry['reason']
    assert result['failed'] and result['error_kind'] == 'health'  # a required name: the operator's own


def test_a_failed_caa_lookup_blocks_too(messy_network, standin, playbook):
    """A parent whose nameservers refuse CAA queries: a CA cannot read CAA there, so it does not issue."""
    messy_network.set_dns({'shop.elsewhere.invalid': [SERVER]})
    app = standin.state.add_app(domains=['shop.elsewhere.invalid'], ssl='auto')
    entry = by_name(playbook(health_task(messy_network, app_id=app)).results[0])['shop.elsewhere.invalid']
    # dnsmasq is not authoritative for .invalid: its A record comes from the hosts file, its CAA query is refused
    assert entry['status'] == 'caa_blocked' and 'CAA lookup of' in entry['reason'] and 'failed' in entry['reason']


def test_the_renewal_watch_scales_with_each_certificates_lifetime(messy_network, standin, playbook):
    messy_network.set_dns(dict((name, [SERVER]) for name in LIFETIMES))
    for name, (lifetime, left) in LIFETIMES.items():
        messy_network.tls.serve_lifetime(name, lifetime, left)
    app = standin.state.add_app(domains=list(LIFETIMES), ssl='auto')
    result = playbook(health_task(messy_network, app_id=app)).results[0]
    domains = by_name(result)
    assert {n: d['status'] for n, d in domains.items()} == {
        'd90-fresh.example': 'ok', 'd90-due.example': 'ok', 'd90-late.example': 'expiring',
        'd45-late.example': 'expiring', 'd45-fine.example': 'ok', 'd6-young.example': 'ok',
        'd6-late.example': 'expiring'}
    late = domains['d6-late.example']
    assert late['lifetime_days'] == 6.0 and 'of its 6 days lifetime' in late['reason']
    assert 'should have been renewed' in late['reason'] and late['renew_by'] < late['not_after']
    # the fixed number of days stays an option: 14 days makes the 45-day certificate at 20 days fine and the 6-day
    # one never "expiring" from birth
    domains = by_name(playbook(health_task(messy_network, app_id=app, expiry_warning_days=14)).results[0])
    assert domains['d6-young.example']['status'] == 'ok' and domains['d90-late.example']['status'] == 'ok'
    assert domains['d45-late.example']['status'] == 'expiring'


@pytest.fixture
def dnssec(messy_network, tmp_path):
    """Signed zones behind a validating unbound that forwards every other name to the messy network's DNS."""
    import dnssec_world
    from needs import need
    need(dnssec_world.available(), "Debian's nsd, unbound and ldnsutils",
         'apt-get install --no-install-recommends nsd unbound ldnsutils')
    world = dnssec_world.DNSSECWorld(str(tmp_path / 'dnssec'), {
        'expired.test': ({'shop.expired.test': SERVER}, True),
        'valid.test': ({'shop.valid.test': SERVER}, False)}, messy_network.dns.nameserver)
    os.makedirs(world.workdir)
    yield world.start()
    world.stop()


def test_a_broken_dnssec_chain_is_found_though_the_site_still_resolves_elsewhere(
        messy_network, dnssec, standin, playbook):
    names = ['shop.expired.test', 'shop.valid.test', 'plain.example.com']
    # the non-validating DNS (dnsmasq) still answers every name: the site looks fine there
    messy_network.set_dns(dict((name, [SERVER]) for name in names))
    app = standin.state.add_app(domains=names, ssl='auto')
    fine = by_name(playbook(health_task(messy_network, app_id=app)).results[0])
    assert set(d['status'] for d in fine.values()) == {'ok'}
    # asked as a CA asks, through a validating resolver
    result = playbook(health_task(messy_network, app_id=app, nameservers=[dnssec.nameserver])).results[0]
    domains = by_name(result)
    assert {n: d['status'] for n, d in domains.items()} == {
        'shop.expired.test': 'dnssec_broken', 'shop.valid.test': 'ok', 'plain.example.com': 'ok'}
    broken = domains['shop.expired.test']
    assert 'fails DNSSEC validation' in broken['reason'] and 'DS record' in broken['reason']
    assert broken['dnssec'] and domains['shop.valid.test']['dnssec'] is None
    assert result['summary']['dnssec_broken'] == 1


def test_the_role_reports_a_blocker_without_waiting_and_fails_only_for_a_required_name(
        messy_network, standin, playbook, tmp_path):
    from integration.test_role_domain_mapping import final, role, statuses
    messy_network.set_dns({'network.example': [SERVER], 'www.network.example': [SERVER],
                           'blocked.example.com': [SERVER], 'www.blocked.example.com': [SERVER]},
                          {'example.com': [(0, 'issue', 'digicert.com')]})
    app = standin.state.add_app(domains=[])
    report = tmp_path / 'reports'
    variables = dict(serverpilot_domains=['network.example', 'blocked.example.com'],
                     serverpilot_required_domains=['network.example'], serverpilot_report_dir=str(report))
    # the role's wait is 600 s: a run that waited for the blocked customer would end long after this one does
    run = playbook(role(app, messy_network, **variables))
    assert run.rc == 0, run
    assert statuses(run) == {'network.example': 'ok', 'www.network.example': 'ok',
                             'blocked.example.com': 'caa_blocked', 'www.blocked.example.com': 'caa_blocked'}
    assert final(run)['summary']['caa_blocked'] == 2
    assert 'blocked.example.com: caa_blocked - ' in run.stdout and 'digicert.com' in run.stdout
    data = json.loads((report / ('%s.json' % app)).read_text())
    assert data['summary']['caa_blocked'] == 2 and 'caa_blocked' in (report / ('%s.html' % app)).read_text()
    # the operator's own name blocked: fail_on applies to it as to any failed status
    variables['serverpilot_required_domains'] = ['blocked.example.com']
    run = playbook(role(app, messy_network, **variables))
    assert run.rc != 0 and 'caa_blocked' in run.stdout


def test_caa_follows_a_cname_as_a_ca_does(messy_network, standin, playbook):
    """shop.example.com is a CNAME to a host whose CAA allows only another CA: the CAA query of the name answers
    the target's set, so Let's Encrypt will not issue for the name, though example.com has no CAA at all."""
    messy_network.set_dns({'shop.example.com': [SERVER], 'host.provider.example.net': [SERVER]},
                          caa={'host.provider.example.net': [(0, 'issue', 'digicert.com')]},
                          cnames={'shop.example.com': 'host.provider.example.net'})
    app = standin.state.add_app(domains=['shop.example.com'], new_domains=['shop.example.com'], ssl='auto')
    entry = by_name(playbook(health_task(messy_network, app_id=app)).results[0])['shop.example.com']
    assert entry['addresses'] == [SERVER]
    assert entry['status'] == 'caa_blocked' and 'digicert.com' in entry['reason'], entry
