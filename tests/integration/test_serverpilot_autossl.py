# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serverpilot_autossl through real ansible-playbook runs against the stand-in."""

import pytest

from stand_in.server import DEFAULT_API_KEY, PRIVATE_KEY_MARKER

pytestmark = pytest.mark.integration

DOMAINS = ['shop.example.com', 'www.shop.example.com']


def task(app, **options):
    lines = ''.join('    %s: %s\n' % (k, v) for k, v in options.items())
    return ('- name: autossl\n  multisite.serverpilot.serverpilot_autossl:\n    app_id: %s\n%s'
            '  ignore_errors: true\n' % (app, lines))


def ssl_calls(standin):
    return [(e['method'], e['path']) for e in standin.state.api_calls()]


def ssl_of(standin, app):
    ssl = standin.state.app(app)['ssl']
    if ssl is None:
        return None
    return {'auto': ssl['auto'], 'force': ssl['force']}


def test_switch_on_then_unchanged_with_one_call(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS)
    result = playbook(task(app)).results[0]
    assert not result['failed'], result
    assert result['changed'] and result['ssl'] == {'auto': True, 'force': False, 'custom_cert': False}
    assert len(result['action_ids']) == 1
    assert result['autossl'] == {'available': True, 'domains': DOMAINS}
    assert result['uncovered_domains'] == []
    path = '/v1/apps/%s' % app
    assert ssl_calls(standin) == [('GET', path), ('POST', path + '/ssl'),
                                  ('GET', '/v1/actions/%s' % result['action_ids'][0]), ('GET', path)]
    assert ssl_of(standin, app) == {'auto': True, 'force': False}

    standin.state.log.clear()
    again = playbook(task(app)).results[0]
    assert again['changed'] is False and again['action_ids'] == []
    assert ssl_calls(standin) == [('GET', path)]


@pytest.mark.parametrize('start, options, end, writes', [
    (None, {'force_ssl': 'true'}, {'auto': True, 'force': True}, [('POST', {'auto': True}), ('POST', {'force': True})]),
    ('auto', {'force_ssl': 'true'}, {'auto': True, 'force': True}, [('POST', {'force': True})]),
    ('auto+force', {'force_ssl': 'false'}, {'auto': True, 'force': False}, [('POST', {'force': False})]),
    ('auto+force', {'state': 'absent'}, None, [('DELETE', None)]),
    ('auto', {'state': 'absent', 'force_ssl': 'false'}, None, [('DELETE', None)]),
    ('custom', {'replace_custom_cert': 'true'}, {'auto': True, 'force': False}, [('DELETE', None),
                                                                                 ('POST', {'auto': True})]),
    (None, {'state': 'absent'}, None, []),
    ('auto+force', {'force_ssl': 'true'}, {'auto': True, 'force': True}, []),
])
def test_transitions(standin, playbook, start, options, end, writes):
    app = standin.state.add_app(domains=DOMAINS, ssl=start)
    result = playbook(task(app, **options)).results[0]
    assert not result['failed'], result
    assert ssl_of(standin, app) == end
    assert [(w['method'], w.get('body')) for w in standin.state.writes()] == writes
    assert result['changed'] is bool(writes)
    # every action was waited for before the next step and before the end
    assert len(result['action_ids']) == len(writes)
    polled = [e['path'].rsplit('/', 1)[1] for e in standin.state.api_calls() if '/actions/' in e['path']]
    assert polled == result['action_ids']
    again = playbook(task(app, **options)).results[0]
    assert again['changed'] is False, again


def test_custom_certificate_is_refused_without_replace(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS, ssl='custom')
    result = playbook(task(app)).results[0]
    assert result['failed'] and 'replace_custom_cert=true' in result['msg']
    assert standin.state.writes() == []


def test_custom_certificate_stays_when_autossl_is_not_available(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS, ssl='custom', dns_domains=[])
    result = playbook(task(app, replace_custom_cert='true')).results[0]
    assert result['failed'] and 'AutoSSL is not available' in result['msg']
    assert standin.state.writes() == []
    assert standin.state.app(app)['ssl']['auto'] is False


def test_absent_leaves_a_custom_certificate(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS, ssl='custom')
    result = playbook(task(app, state='absent')).results[0]
    assert not result['failed'] and result['changed'] is False
    assert any('leaves in place' in w for w in result['warnings'])
    assert standin.state.writes() == []


def test_not_available_fails_naming_the_uncovered_domains(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS + ['new.example.org'], dns_domains=[])
    result = playbook(task(app)).results[0]
    assert result['failed']
    assert 'shop.example.com, www.shop.example.com, new.example.org' in result['msg']
    assert '5-15 minutes' in result['msg']
    assert result['uncovered_domains'] == DOMAINS + ['new.example.org']
    assert standin.state.writes() == []


def test_available_with_some_domains_uncovered_reports_them(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS + ['new.example.org'], dns_domains=DOMAINS)
    result = playbook(task(app)).results[0]
    assert not result['failed'], result
    assert result['uncovered_domains'] == ['new.example.org']


def test_check_mode_makes_no_write_and_matches_the_real_run(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS, ssl='custom')
    checked = playbook(task(app, replace_custom_cert='true', force_ssl='true'), args=['--check', '--diff'])
    predicted = checked.results[0]
    assert not predicted['failed'], predicted
    assert standin.state.writes() == []
    assert predicted['diff'] == {'before': {'auto': False, 'force': False, 'custom_cert': True},
                                 'after': {'auto': True, 'force': True, 'custom_cert': False}}
    assert '+    "auto": true' in checked.stdout
    real = playbook(task(app, replace_custom_cert='true', force_ssl='true')).results[0]
    assert (predicted['changed'], predicted['ssl']) == (real['changed'], real['ssl'])
    assert len(real['action_ids']) == 3


def test_check_mode_warns_while_not_available(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS, dns_domains=[])
    result = playbook(task(app), args=['--check']).results[0]
    assert not result['failed'] and result['changed'] is True
    assert any('A real run would now fail' in w for w in result['warnings'])
    assert standin.state.writes() == []


def test_until_loop_waits_for_autossl_to_become_available(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS, autossl_after_polls=3)
    run = playbook('''
    - name: autossl
      multisite.serverpilot.serverpilot_autossl:
        app_id: %s
      register: autossl
      until: autossl is not failed
      retries: 5
      delay: 0
    ''' % app)
    assert run.rc == 0, run
    assert ssl_of(standin, app) == {'auto': True, 'force': False}
    assert len([e for e in standin.state.api_calls() if e['method'] == 'GET' and e['path'].endswith(app)]) == 4


def test_action_error_fails_naming_the_action(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS)
    standin.state.fail_next_actions = 1
    result = playbook(task(app)).results[0]
    assert result['failed'] and "'error'" in result['msg']
    assert result['action_ids'][0] in result['msg']
    assert result['changed'] is True  # the call went through; the server failed to apply it


def test_replacing_a_custom_certificate_that_fails_half_way_reports_the_truth(standin, playbook):
    """The DELETE went through, then its action ended in error: the certificate is gone, and the failure
    must say so instead of reporting the state before the run."""
    app = standin.state.add_app(domains=DOMAINS, ssl='custom')
    standin.state.fail_next_actions = 1
    result = playbook(task(app, replace_custom_cert='true', force_ssl='true')).results[0]
    assert result['failed'] and result['error_kind'] == 'action_error' and result['changed'] is True
    assert standin.state.app(app)['ssl'] is None
    assert result['ssl'] == {'auto': False, 'force': False, 'custom_cert': False}
    assert 'custom certificate was already deleted' in result['msg'] and 'no SSL at all' in result['msg']


def test_force_true_with_absent_is_refused_before_any_call(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS, ssl='auto')
    result = playbook(task(app, state='absent', force_ssl='true')).results[0]
    assert result['failed'] and 'force_ssl=true needs SSL' in result['msg']
    assert standin.state.api_calls() == []


def test_a_delete_whose_answer_was_lost_is_not_an_error(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS, ssl='auto')
    standin.state.add_fault(method='DELETE', drop='after')
    result = playbook(task(app, state='absent')).results[0]
    assert not result['failed'], result
    assert ssl_of(standin, app) is None
    # the replay finds nothing to delete: answered like any other change that needs no server work
    assert [e['status'] for e in standin.state.api_calls() if e['method'] == 'DELETE'] == [
        'applied-then-dropped', 200]


def test_unknown_app_and_wrong_credentials(standin, playbook):
    result = playbook(task('nosuchapp')).results[0]
    assert result['failed'] and "App 'nosuchapp' was not found" in result['msg']
    app = standin.state.add_app(domains=DOMAINS)
    result = playbook(task(app), env={'SERVERPILOT_API_KEY': 'wrong-key-5555'}).results[0]
    assert result['failed'] and 'HTTP 401' in result['msg']


def test_no_secret_in_verbose_output(standin, playbook):
    app = standin.state.add_app(domains=DOMAINS, ssl='custom')
    run = playbook(task(app, replace_custom_cert='true', force_ssl='true'), args=['-vvvv', '--diff'])
    assert run.rc == 0, run
    assert not run.results[0]['failed']
    for secret in (DEFAULT_API_KEY, PRIVATE_KEY_MARKER, 'BEGIN'):
        assert secret not in run.stdout
