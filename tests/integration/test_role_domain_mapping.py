# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The domain_mapping role end to end: stand-in API, and a real TLS endpoint with a test CA."""

import re

import pytest

from stand_in.server import DEFAULT_API_KEY, PRIVATE_KEY_MARKER

pytestmark = pytest.mark.integration


def role(app, tls, **variables):
    base = {
        'serverpilot_app_id': app,
        'serverpilot_verify_address': '127.0.0.1',
        'serverpilot_verify_port': tls.port,
        'serverpilot_verify_ca_path': tls.ca_path,
        'serverpilot_verify_delay': 0,
        'serverpilot_verify_timeout': 2,
        'serverpilot_autossl_delay': 0,
    }
    base.update(variables)
    lines = ''.join('    %s: %s\n' % (k, v if not isinstance(v, str) else "'%s'" % v) for k, v in base.items())
    return ('- name: _role\n  ansible.builtin.include_role:\n    name: multisite.serverpilot.domain_mapping\n'
            '  vars:\n' + lines.replace('\n    ', '\n      ').replace('    serverpilot_app_id', '      serverpilot_app_id', 1)
            + '- name: _result\n  ansible.builtin.debug:\n    var: serverpilot_result\n')


def recap(run):
    match = re.search(r'ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)', run.stdout)
    return dict(zip(('ok', 'changed', 'failed'), map(int, match.groups())))


def record(run, task):
    found = [r for r in run.records if r['task'] == task or r['task'].endswith(' : ' + task)]
    return found[-1] if found else None


def final(run):
    return record(run, '_result')['result']['serverpilot_result']


def test_happy_path_then_idempotent(standin, tls_endpoint, playbook):
    app = standin.state.add_app(domains=['network.example', 'www.network.example'])
    run = playbook(role(app, tls_endpoint, serverpilot_domains=['Shop.Example.com'], serverpilot_force_ssl=True))
    assert run.rc == 0, run
    result = final(run)
    assert result['added'] == ['shop.example.com', 'www.shop.example.com']
    assert result['ssl'] == {'auto': True, 'force': True, 'custom_cert': False}
    certs = {c['domain']: c for c in result['certificates']}
    assert sorted(certs) == ['shop.example.com', 'www.shop.example.com']
    for cert in certs.values():
        assert cert['valid'] and cert['issuer'] == 'Stand-in Encrypt'
        assert cert['days_left'] in (88, 89) and cert['not_after'].endswith('Z')
    assert 'shop.example.com: issued by Stand-in Encrypt, expires' in run.stdout
    assert standin.state.app(app)['domains'][-2:] == ['shop.example.com', 'www.shop.example.com']

    standin.state.log.clear()
    again = playbook(role(app, tls_endpoint, serverpilot_domains=['Shop.Example.com'], serverpilot_force_ssl=True))
    assert again.rc == 0, again
    assert recap(again)['changed'] == 0
    assert standin.state.writes() == []
    # one GET for the domains, one for AutoSSL
    assert len(standin.state.api_calls()) == 2


def test_www_rules(standin, tls_endpoint, playbook):
    app = standin.state.add_app(domains=[])
    run = playbook(role(app, tls_endpoint, serverpilot_domains=['example.co.uk', 'shop.example.co.uk'],
                        serverpilot_www='apex'))
    assert run.rc == 0, run
    assert standin.state.app(app)['domains'] == ['example.co.uk', 'www.example.co.uk', 'shop.example.co.uk']
    assert sorted(c['domain'] for c in final(run)['certificates']) == [
        'example.co.uk', 'shop.example.co.uk', 'www.example.co.uk']


def test_removal_skips_verification(standin, tls_endpoint, playbook):
    app = standin.state.add_app(domains=['keep.example.com', 'gone.example.com', 'www.gone.example.com'], ssl='auto')
    run = playbook(role(app, tls_endpoint, serverpilot_domains=['gone.example.com'],
                        serverpilot_domains_state='absent'))
    assert run.rc == 0, run
    assert standin.state.app(app)['domains'] == ['keep.example.com']
    assert final(run)['removed'] == ['gone.example.com', 'www.gone.example.com']
    assert final(run)['certificates'] == []


def test_certificate_served_correctly_only_after_a_few_tries(standin, tls_endpoint, playbook):
    app = standin.state.add_app(domains=[])
    # the first two handshakes still get the server's default certificate
    tls_endpoint.serve('late.example.com', 'self-signed', after=2, then='valid')
    run = playbook(role(app, tls_endpoint, serverpilot_domains=['late.example.com'], serverpilot_www='never',
                        serverpilot_verify_retries=5))
    assert run.rc == 0, run
    cert = final(run)['certificates'][0]
    assert cert['valid'] and cert['tries'] == 3
    assert tls_endpoint.handshakes['late.example.com'] == 3


@pytest.mark.parametrize('kind, reason', [
    ('expired', 'expired'), ('wrong-name', 'name mismatch'), ('self-signed', 'self-signed'),
])
def test_bad_certificates_fail_per_domain_after_the_configured_tries(standin, tls_endpoint, playbook, kind, reason):
    app = standin.state.add_app(domains=[])
    tls_endpoint.serve('bad.example.com', kind)
    run = playbook(role(app, tls_endpoint, serverpilot_domains=['bad.example.com', 'good.example.com'],
                        serverpilot_www='never', serverpilot_verify_retries=3))
    assert run.rc != 0
    verify = record(run, 'Verify the certificate each domain serves')
    assert verify['status'] == 'failed'
    result = verify['result']
    assert 'bad.example.com: %s' % reason in result['msg']
    assert 'after 3 tries' in result['msg']
    assert result['failed_domains'] == ['bad.example.com']
    good = [c for c in result['certificates'] if c['domain'] == 'good.example.com'][0]
    assert good['valid'] and good['tries'] == 1
    # three tries and no more (plus one unverified handshake to describe the failure)
    assert tls_endpoint.handshakes['bad.example.com'] == 4
    assert tls_endpoint.handshakes['good.example.com'] == 1


def test_autossl_retried_until_available(standin, tls_endpoint, playbook):
    app = standin.state.add_app(domains=[], autossl_after_polls=4)
    run = playbook(role(app, tls_endpoint, serverpilot_domains=['slow.example.com']))
    assert run.rc == 0, run
    assert record(run, 'Switch AutoSSL on, retrying while ServerPilot waits for DNS')['result']['attempts'] > 1
    assert final(run)['ssl']['auto'] is True


def test_check_mode_makes_no_write(standin, tls_endpoint, playbook):
    app = standin.state.add_app(domains=['network.example'])
    run = playbook(role(app, tls_endpoint, serverpilot_domains=['new.example.com'], serverpilot_force_ssl=True),
                   args=['--check'])
    assert run.rc == 0, run
    assert standin.state.writes() == []
    assert final(run)['added'] == ['new.example.com', 'www.new.example.com']


def test_bad_variable_type_fails_before_any_call(standin, tls_endpoint, playbook):
    app = standin.state.add_app(domains=[])
    run = playbook(role(app, tls_endpoint, serverpilot_domains=['a.example.com'], serverpilot_verify_retries='many'))
    assert run.rc != 0
    assert 'serverpilot_verify_retries' in run.stdout
    assert standin.state.api_calls() == []


def test_credentials_from_the_environment_and_no_key_at_vvvv(standin, tls_endpoint, playbook):
    app = standin.state.add_app(domains=[], ssl='custom')
    run = playbook(role(app, tls_endpoint, serverpilot_domains=['secret.example.com'],
                        serverpilot_replace_custom_cert=True), args=['-vvvv'])
    assert run.rc == 0, run
    for secret in (DEFAULT_API_KEY, PRIVATE_KEY_MARKER, 'BEGIN PRIVATE'):
        assert secret not in run.stdout
