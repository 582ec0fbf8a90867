# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The domain_mapping role end to end in a messy network: the stand-in API, a real DNS server, the app's server
on 127.0.0.2 (a TLS endpoint with a test CA) and a CDN elsewhere."""

import html
import json
import os
import re

import pytest

from conftest import once

from stand_in.server import DEFAULT_API_KEY, PRIVATE_KEY_MARKER

pytestmark = pytest.mark.integration
SERVER = '127.0.0.2'


def role(app, world, **variables):
    base = {
        'serverpilot_app_id': app,
        'serverpilot_dns_nameservers': [world.dns.nameserver],
        'serverpilot_verify_port': world.tls.port,
        'serverpilot_verify_ca_path': world.tls.ca_path,
        'serverpilot_verify_timeout': 2,
        # a bound, not a duration: names just added are pending until the stand-in issues them, and the wait ends
        # as soon as they are ok, however fast or slow the machine
        'serverpilot_verify_wait': 600,
        'serverpilot_verify_wait_delay': 0.5,
        # with the retries, a bound (20 s), not a duration: AutoSSL is available once the stand-in has issued
        # (0.5 s after a name points); delay 0 would spend the 20 tries within that on a fast path
        'serverpilot_autossl_delay': 1,
    }
    base.update(variables)
    return ('- name: _role\n  ansible.builtin.include_role:\n    name: multisite.serverpilot.domain_mapping\n'
            '  vars: %s\n- name: _result\n  ansible.builtin.debug:\n    var: serverpilot_result\n' % json.dumps(base))


def recap(run):
    match = re.search(r'ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)', run.stdout)
    return dict(zip(('ok', 'changed', 'failed'), map(int, match.groups())))


def record(run, task):
    found = [r for r in run.records if r['task'] == task or r['task'].endswith(' : ' + task)]
    return found[-1] if found else None


def final(run):
    return record(run, '_result')['result']['serverpilot_result']


def statuses(run):
    return dict((d['name'], d['status']) for d in final(run)['health'])


def test_happy_path_then_idempotent(standin, messy_network, playbook):
    messy_network.set_dns({'shop.example.com': [SERVER], 'www.shop.example.com': [SERVER]})
    app = standin.state.add_app(domains=['network.example', 'www.network.example'])
    run = playbook(role(app, messy_network, serverpilot_domains=['Shop.Example.com'], serverpilot_force_ssl=True))
    assert run.rc == 0, run
    result = final(run)
    assert result['added'] == ['shop.example.com', 'www.shop.example.com']
    assert result['ssl'] == {'auto': True, 'force': True, 'custom_cert': False}
    health = dict((d['name'], d) for d in result['health'])
    assert sorted(health) == ['shop.example.com', 'www.shop.example.com']
    for entry in health.values():
        assert entry['status'] == 'ok' and entry['issuer'] == 'Stand-in Encrypt'
        assert entry['days_left'] in (88, 89) and entry['not_after'].endswith('Z')
    assert health['shop.example.com']['required'] and not health['www.shop.example.com']['required']
    assert result['summary']['ok'] == 2
    # all ok: no line per domain; but the names the sync added are said, without --diff
    assert 'shop.example.com: ok' not in run.stdout
    assert 'Added: shop.example.com, www.shop.example.com. Removed: none.' in run.stdout
    assert standin.state.app(app)['domains'][-2:] == ['shop.example.com', 'www.shop.example.com']

    standin.state.log.clear()
    again = playbook(role(app, messy_network, serverpilot_domains=['Shop.Example.com'], serverpilot_force_ssl=True))
    assert again.rc == 0, again
    assert recap(again)['changed'] == 0
    assert standin.state.writes() == [] and 'Added: ' not in again.stdout
    # one GET for the domains, one for AutoSSL, and the health check's three (the app, its server, the apps)
    assert len(standin.state.api_calls()) == 5


def test_a_messy_network_stays_green_and_says_what_is_wrong(standin, messy_network, playbook, tmp_path):
    """The operator's own name is fine; customers: one never pointed DNS, one points only the apex, one sits
    behind a CDN. The run is green, the report names each problem, and AutoSSL is on for the one that points."""
    messy_network.set_dns({'network.example': [SERVER], 'www.network.example': [SERVER],
                           'apex-only.example': [SERVER], 'behind-cdn.example': ['127.0.0.3']})
    app = standin.state.add_app(domains=[])
    report = tmp_path / 'reports'
    customers = ['never-pointed.example', 'apex-only.example', 'behind-cdn.example', '<b>evil</b>.example']
    run = playbook(role(app, messy_network, serverpilot_domains=['network.example'] + customers[:3],
                        serverpilot_required_domains=['network.example'], serverpilot_report_dir=str(report)))
    assert run.rc == 0, run
    assert statuses(run) == {
        'network.example': 'ok', 'www.network.example': 'ok',
        'never-pointed.example': 'dns_missing', 'www.never-pointed.example': 'dns_missing',
        'apex-only.example': 'ok', 'www.apex-only.example': 'dns_missing',
        'behind-cdn.example': 'dns_elsewhere', 'www.behind-cdn.example': 'dns_missing'}
    # one line per domain that is not ok, with its reason
    assert 'behind-cdn.example: dns_elsewhere - behind-cdn.example points at 127.0.0.3' in run.stdout
    assert 'www.apex-only.example: dns_missing' in run.stdout and 'apex-only.example: ok' not in run.stdout
    assert sum(messy_network.cdn.handshakes.values()) == 0
    # the report: JSON, and HTML with every value escaped
    data = json.loads((report / ('%s.json' % app)).read_text())
    assert data['summary']['dns_missing'] == 4 and len(data['health']) == 8
    # built for reading: titled by the app's name, what needs a person first, what the run did, the SSL state
    assert data['app_name'] == 'app' and data['ssl']['auto'] is True
    assert [d['status'] for d in data['health']][-3:] == ['ok', 'ok', 'ok']
    assert data['added'] and data['removed'] == []
    page = (report / ('%s.html' % app)).read_text()
    assert '<td>behind-cdn.example</td>' in page and 'dns_elsewhere' in page
    assert html.escape(data['health'][0]['reason'], quote=True) in page


def test_a_required_name_that_fails_turns_the_run_red(standin, messy_network, playbook):
    messy_network.set_dns({'network.example': ['198.51.100.9']})
    app = standin.state.add_app(domains=[])
    run = playbook(role(app, messy_network, serverpilot_domains=['network.example'], serverpilot_www='never'))
    assert run.rc != 0
    result = record(run, "Check every domain's health, waiting only for those ServerPilot is still issuing")
    assert result['result']['error_kind'] == 'health'
    assert 'network.example: dns_elsewhere' in result['result']['msg']
    # the run fails last, after its per-domain lines and stats
    failed = record(run, 'Fail as the run said, now that its report is written')
    assert failed['status'] == 'failed' and 'network.example: dns_elsewhere' in failed['result']['msg']
    assert record(run, 'Show the count per status on the job (AWX shows it with the job)')['status'] == 'ok'


def test_a_failing_run_writes_its_own_report_then_fails(standin, messy_network, playbook, tmp_path):
    messy_network.set_dns({'net.example': [SERVER]})
    app = standin.state.add_app(domains=['net.example'], ssl='auto')
    report = tmp_path / 'reports'
    variables = dict(serverpilot_domains=['net.example'], serverpilot_www='never', serverpilot_report_dir=str(report))
    green = playbook(role(app, messy_network, **variables))
    assert green.rc == 0, green
    first = json.loads((report / ('%s.json' % app)).read_text())
    assert first['health'][0]['status'] == 'ok' and first['failure'] is None
    messy_network.tls.stop()  # the app's web server goes down
    red = playbook(role(app, messy_network, **variables))
    assert red.rc != 0
    # the report describes this run, not the last green one, and says why it failed
    second = json.loads((report / ('%s.json' % app)).read_text())
    assert second['health'][0]['status'] == 'unreachable', second
    assert 'net.example: unreachable' in second['failure'] and second['generated_at'].endswith('Z')
    assert second['generated_at'] >= first['generated_at']
    page = (report / ('%s.html' % app)).read_text()
    assert 'The run failed here' in page and 'unreachable' in page and 'Made %s' % second['generated_at'] in page
    # its one line per problem and its job stats came first
    assert 'net.example: unreachable - ' in red.stdout
    assert record(red, 'Show the count per status on the job (AWX shows it with the job)')['status'] == 'ok'
    assert not [name for name in os.listdir(report) if name not in ('%s.json' % app, '%s.html' % app)]


def test_a_run_refused_before_its_health_step_rewrites_the_report_to_say_so(
        standin, messy_network, playbook, tmp_path):
    """The guard does its job, and the report no longer says all is well: it names the step and why, and keeps
    the last findings marked as from the earlier run."""
    messy_network.set_dns({'net.example': [SERVER], 'www.net.example': [SERVER]})
    app = standin.state.add_app(domains=['net.example', 'www.net.example', 'leaving.example'], ssl='auto')
    report = tmp_path / 'reports'
    variables = dict(serverpilot_domains=['net.example'], serverpilot_report_dir=str(report),
                     serverpilot_domains_exclusive=True, serverpilot_keep=['leaving.example'])
    green = playbook(role(app, messy_network, **variables))
    assert green.rc == 0, green
    first = json.loads((report / ('%s.json' % app)).read_text())
    assert first['failure'] is None and first['health_from'] is None and first['health']
    # the operator forgets the keep: the sync would remove a name, and max_removals 0 refuses it
    variables.update(serverpilot_keep=[], serverpilot_max_removals=0)
    red = playbook(role(app, messy_network, **variables))
    assert red.rc != 0 and standin.state.app(app)['domains'][-1] == 'leaving.example'
    second = json.loads((report / ('%s.json' % app)).read_text())
    assert second['stopped_at'] == "Sync the app's domain list" and second['error_kind'] == 'removals'
    assert second['failure'].startswith("Sync the app's domain list: This run would remove 1 domains")
    assert second['generated_at'] >= first['generated_at']
    assert second['health'] == first['health'] and second['health_from'] == first['generated_at']
    page = (report / ('%s.html' % app)).read_text()
    assert 'The run failed here, at the step' in page and 'the findings below are from the run of' in page
    # no per-domain lines or job stats of old findings on this run
    assert 'net.example: ok' not in red.stdout
    assert record(red, 'Show the count per status on the job (AWX shows it with the job)')['status'] == 'skipped'
    assert record(red, 'Fail as the run said, now that its report is written')['status'] == 'failed'


def test_names_from_a_source_are_reported_not_required(standin, messy_network, playbook):
    """With an explicit required list, a customer's broken DNS never fails the run; fail_on any does."""
    messy_network.set_dns({'network.example': [SERVER]})
    app = standin.state.add_app(domains=[])
    variables = dict(serverpilot_domains=['network.example', 'customer.example'], serverpilot_www='never',
                     serverpilot_required_domains=['network.example'])
    assert playbook(role(app, messy_network, **variables)).rc == 0
    assert playbook(role(app, messy_network, serverpilot_fail_on='any', **variables)).rc != 0


def test_autossl_waits_only_while_a_listed_domain_points(standin, messy_network, playbook):
    messy_network.set_dns({})
    app = standin.state.add_app(domains=[])
    run = playbook(role(app, messy_network, serverpilot_domains=['nowhere.example'], serverpilot_www='never',
                        serverpilot_autossl_delay=5, serverpilot_autossl_retries=20,
                        serverpilot_required_domains=[]))
    assert run.rc == 0, run
    first = record(run, 'Switch AutoSSL on')['result']
    assert first['error_kind'] == 'autossl_unavailable' and not record(run, 'Switch AutoSSL on')['status'] == 'failed'
    # nothing points at the server: no retry at all (20 tries 5 s apart would take 100 s)
    assert record(run, 'Switch AutoSSL on, waiting only while a listed domain points at the server')[
        'status'] == 'skipped'
    assert statuses(run) == {'nowhere.example': 'dns_missing'}


def test_autossl_retried_until_available(standin, messy_network, playbook):
    messy_network.set_dns({'slow.example.com': [SERVER], 'www.slow.example.com': [SERVER]})
    # the sync's two reads, the first AutoSSL try and the health look come first: AutoSSL turns available on the
    # app's sixth read, the second try of the waiting step
    app = standin.state.add_app(domains=[], autossl_after_polls=6)
    run = playbook(role(app, messy_network, serverpilot_domains=['slow.example.com']))
    assert run.rc == 0, run
    assert record(run, 'Switch AutoSSL on, waiting only while a listed domain points at the server')[
        'result']['attempts'] == 2
    assert final(run)['ssl']['auto'] is True
    assert statuses(run) == {'slow.example.com': 'ok', 'www.slow.example.com': 'ok'}


def test_a_new_domain_is_waited_for_while_serverpilot_issues(standin, messy_network, playbook):
    messy_network.set_dns({'network.example': [SERVER], 'fresh.example': [SERVER]})
    # the network's own name was listed long ago: it has had its certificate for a while
    app = standin.state.add_app(domains=['network.example'], ssl='auto')
    # fresh.example is issued when this test says, not after a delay a slow machine could outlast
    standin.state.hold_issuance()
    variables = dict(serverpilot_domains=['network.example', 'fresh.example'], serverpilot_www='never')
    # without waiting: fresh.example is pending, and, being required, fails the run
    quick = playbook(role(app, messy_network, serverpilot_verify_wait=0, **variables))
    assert quick.rc != 0
    health = record(quick, "Check every domain's health, waiting only for those ServerPilot is still issuing")
    assert 'fresh.example: pending' in health['result']['msg']
    # waiting: issued once the health step has looked at it, it becomes ok while the run waits, and the run is green
    seen = messy_network.tls.handshake_count('fresh.example')
    once(lambda: messy_network.tls.handshake_count('fresh.example') > seen, standin.state.issue_now)
    run = playbook(role(app, messy_network, serverpilot_verify_wait=600, **variables))
    assert run.rc == 0, run
    assert statuses(run) == {'network.example': 'ok', 'fresh.example': 'ok'}


def test_removal_checks_nothing(standin, messy_network, playbook):
    app = standin.state.add_app(domains=['keep.example.com', 'gone.example.com', 'www.gone.example.com'], ssl='auto')
    run = playbook(role(app, messy_network, serverpilot_domains=['gone.example.com'],
                        serverpilot_domains_state='absent'))
    assert run.rc == 0, run
    assert standin.state.app(app)['domains'] == ['keep.example.com']
    assert final(run)['removed'] == ['gone.example.com', 'www.gone.example.com']
    assert final(run)['health'] == []


def test_www_rules(standin, messy_network, playbook):
    messy_network.set_dns({n: [SERVER] for n in ('example.co.uk', 'www.example.co.uk', 'shop.example.co.uk')})
    app = standin.state.add_app(domains=[])
    run = playbook(role(app, messy_network, serverpilot_domains=['example.co.uk', 'shop.example.co.uk'],
                        serverpilot_www='apex'))
    assert run.rc == 0, run
    assert standin.state.app(app)['domains'] == ['example.co.uk', 'www.example.co.uk', 'shop.example.co.uk']
    assert sorted(statuses(run)) == ['example.co.uk', 'shop.example.co.uk', 'www.example.co.uk']


def test_check_mode_makes_no_write_and_never_fails_on_health(standin, messy_network, playbook):
    app = standin.state.add_app(domains=['network.example'])
    run = playbook(role(app, messy_network, serverpilot_domains=['new.example.com'], serverpilot_force_ssl=True),
                   args=['--check'])
    assert run.rc == 0, run
    assert standin.state.writes() == []
    assert final(run)['added'] == ['new.example.com', 'www.new.example.com']
    assert statuses(run)['new.example.com'] == 'dns_missing'


def test_bad_variable_type_fails_before_any_call(standin, messy_network, playbook):
    app = standin.state.add_app(domains=[])
    run = playbook(role(app, messy_network, serverpilot_domains=['a.example.com'], serverpilot_verify_wait='long'))
    assert run.rc != 0
    assert 'serverpilot_verify_wait' in run.stdout
    assert standin.state.api_calls() == []


def test_credentials_from_the_environment_and_no_key_at_vvvv(standin, messy_network, playbook):
    messy_network.set_dns({'secret.example.com': [SERVER], 'www.secret.example.com': [SERVER]})
    app = standin.state.add_app(domains=[], ssl='custom')
    run = playbook(role(app, messy_network, serverpilot_domains=['secret.example.com'],
                        serverpilot_replace_custom_cert=True), args=['-vvvv'])
    assert run.rc == 0, run
    for secret in (DEFAULT_API_KEY, PRIVATE_KEY_MARKER, 'BEGIN PRIVATE'):
        assert secret not in run.stdout


def test_what_changed_since_the_last_run_and_for_how_long_through_the_fact_cache(
        standin, messy_network, playbook, tmp_path):
    """Three runs with Ansible's jsonfile fact cache (what AWX keeps per host): a customer stops pointing at the
    server (new), comes back (recovered); a failure the cache says is 41 days old is called out."""
    cache = tmp_path / 'facts'
    env = {'ANSIBLE_CACHE_PLUGIN': 'jsonfile', 'ANSIBLE_CACHE_PLUGIN_CONNECTION': str(cache)}
    pointing = {'net.example': [SERVER], 'shop.example': [SERVER]}
    messy_network.set_dns(pointing)
    app = standin.state.add_app(domains=[])
    variables = dict(serverpilot_domains=['net.example', 'shop.example'], serverpilot_www='never',
                     serverpilot_required_domains=['net.example'])
    first = playbook(role(app, messy_network, **variables), env=env)
    assert first.rc == 0, first
    assert [(e['name'], e['change']) for e in final(first)['health']] == [('net.example', None), ('shop.example', None)]
    messy_network.set_dns(dict(pointing, **{'shop.example': ['127.0.0.3']}))
    second = playbook(role(app, messy_network, **variables), env=env)
    shop = dict((e['name'], e) for e in final(second)['health'])['shop.example']
    assert shop['status'] == 'dns_elsewhere' and shop['change'] == 'new'
    assert 'shop.example: dns_elsewhere (new) - ' in second.stdout
    assert final(second)['changes']['newly_failing'] == {'count': 1, 'first': ['shop.example']}
    messy_network.set_dns(pointing)
    third = playbook(role(app, messy_network, **variables), env=env)
    shop = dict((e['name'], e) for e in final(third)['health'])['shop.example']
    assert shop['status'] == 'ok' and shop['change'] == 'recovered' and 'shop.example: ok (recovered)' in third.stdout
    # a failure the history dates 41 days back: a customer who left
    messy_network.set_dns(dict(pointing, **{'shop.example': ['127.0.0.3']}))
    facts_file, = cache.glob('*localhost')  # the jsonfile cache's own file of the host
    stored = json.loads(facts_file.read_text())
    # ansible-core 2.19 keeps the facts as a JSON payload whose values may carry their tags
    facts = json.loads(stored['__payload__'])

    def plain(value):
        return value['value'] if isinstance(value, dict) and '__ansible_type' in value else value
    by_app = plain(facts['serverpilot_history'])
    plain(by_app[app])['shop.example'] = {'status': 'dns_elsewhere', 'since': '2026-01-01T00:00:00Z'}
    facts_file.write_text(json.dumps({'__payload__': json.dumps(facts)}))
    fourth = playbook(role(app, messy_network, **variables), env=env)
    shop = dict((e['name'], e) for e in final(fourth)['health'])['shop.example']
    assert shop['change'] is None and shop['long_standing'] and 'a customer who left?' in shop['reason']
    assert 'since 2026-01-01T00:00:00Z' in fourth.stdout
    assert fourth.rc == 0  # still the customer's problem, never the run's


def test_an_app_near_the_300_name_ceiling_is_warned_of(standin, messy_network, playbook):
    seeded = ['customer%03d.example.com' % n for n in range(268)]
    app = standin.state.add_app(domains=seeded)
    run = playbook(role(app, messy_network, serverpilot_domains=['net.example'], serverpilot_www='always',
                        serverpilot_verify_ssl=False, serverpilot_autossl=False))
    assert run.rc == 0, run
    capacity = final(run)['capacity']
    assert capacity == {'used': 270, 'limit': 300, 'percent': 90, 'warning': capacity['warning']}
    assert 'The app holds 270 of its 300 domains (90%' in run.stdout and 'split the network' in run.stdout
