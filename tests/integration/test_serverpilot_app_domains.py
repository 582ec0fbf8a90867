# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serverpilot_app_domains through real ansible-playbook runs against the stand-in."""

import pytest

from stand_in.server import DEFAULT_API_KEY, PRIVATE_KEY_MARKER

pytestmark = pytest.mark.integration

TASK = '''
- name: domains
  multisite.serverpilot.serverpilot_app_domains:
    app_id: {app}
    domains: {domains}
{extra}
  ignore_errors: true
'''


def task(app, domains, **options):
    extra = ''.join('    %s: %s\n' % (k, v) for k, v in options.items())
    return TASK.format(app=app, domains=domains, extra=extra.rstrip('\n'))


def calls(standin):
    return [(e['method'], e['path'].split('/')[2]) for e in standin.state.api_calls()]


def test_converge_then_unchanged_with_one_call(standin, playbook):
    app = standin.state.add_app(domains=['network.example'])
    first = playbook(task(app, '[Shop.Example.com, "bücher.de."]'))
    result = first.results[0]
    assert first.rc == 0, first
    assert result['changed'] is True
    assert result['added'] == ['shop.example.com', 'www.shop.example.com', 'xn--bcher-kva.de', 'www.xn--bcher-kva.de']
    assert result['removed'] == []
    assert result['action_id'] and result['action_ids'] == [result['action_id']]
    assert standin.state.app(app)['domains'] == ['network.example'] + result['added']
    # GET, POST, one action poll, one confirming GET
    assert calls(standin) == [('GET', 'apps'), ('POST', 'apps'), ('GET', 'actions'), ('GET', 'apps')]
    assert result['api_calls'] == 4

    standin.state.log.clear()
    second = playbook(task(app, '[Shop.Example.com, "bücher.de."]'))
    assert second.rc == 0, second
    assert second.results[0]['changed'] is False
    assert second.results[0]['action_id'] is None
    assert second.results[0]['added'] == [] and second.results[0]['removed'] == []
    assert calls(standin) == [('GET', 'apps')]


def test_check_mode_makes_no_write_and_predicts_the_real_run(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com', 'old.example.com'])
    checked = playbook(task(app, '[b.example.com, a.example.com]', exclusive='true'), args=['--check', '--diff'])
    assert checked.rc == 0, checked
    assert standin.state.writes() == []
    assert calls(standin) == [('GET', 'apps')]
    assert standin.state.app(app)['domains'] == ['a.example.com', 'old.example.com']
    predicted = checked.results[0]
    real = playbook(task(app, '[b.example.com, a.example.com]', exclusive='true')).results[0]
    for key in ('changed', 'domains', 'added', 'removed'):
        assert predicted[key] == real[key], key
    assert predicted['action_id'] is None


def test_diff_shows_before_and_after(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com'])
    run = playbook(task(app, '[b.example.com]'), args=['--diff'])
    assert run.rc == 0, run
    assert '-        "a.example.com"' in run.stdout
    assert '+        "b.example.com",' in run.stdout
    assert '+        "www.b.example.com"' in run.stdout
    diff = run.results[0]['diff']
    assert diff == {'before': {'domains': ['a.example.com']},
                    'after': {'domains': ['a.example.com', 'b.example.com', 'www.b.example.com']}}


def test_absent_removes_the_name_and_its_www_form(standin, playbook):
    app = standin.state.add_app(domains=['keep.example.com', 'gone.example.com', 'www.gone.example.com'])
    run = playbook(task(app, '[Gone.Example.com]', state='absent'))
    assert run.rc == 0, run
    assert run.results[0]['removed'] == ['gone.example.com', 'www.gone.example.com']
    assert standin.state.app(app)['domains'] == ['keep.example.com']
    again = playbook(task(app, '[gone.example.com]', state='absent'))
    assert again.results[0]['changed'] is False


def test_exclusive_makes_the_list_exact(standin, playbook):
    app = standin.state.add_app(domains=['stale.example.com', 'keep.example.com', 'www.keep.example.com'])
    run = playbook(task(app, '[keep.example.com, new.example.com]', exclusive='true'))
    assert run.rc == 0, run
    assert standin.state.app(app)['domains'] == ['keep.example.com', 'www.keep.example.com', 'new.example.com',
                                                 'www.new.example.com']
    assert run.results[0]['removed'] == ['stale.example.com']


@pytest.mark.parametrize('www, expected', [
    ('apex', ['example.co.uk', 'www.example.co.uk', 'shop.example.co.uk', '*.example.co.uk']),
    ('never', ['example.co.uk', 'shop.example.co.uk', '*.example.co.uk']),
    ('always', ['example.co.uk', 'www.example.co.uk', 'shop.example.co.uk', 'www.shop.example.co.uk',
                '*.example.co.uk']),
])
def test_www_modes(standin, playbook, www, expected):
    app = standin.state.add_app(domains=[])
    run = playbook(task(app, '[example.co.uk, shop.example.co.uk, "*.example.co.uk"]', www=www))
    assert run.rc == 0, run
    assert standin.state.app(app)['domains'] == expected


def test_app_id_and_credentials_from_the_environment(standin, playbook):
    app = standin.state.add_app(domains=[])
    run = playbook('''
    - name: domains
      multisite.serverpilot.serverpilot_app_domains:
        domains: [env.example.com]
    ''', env={'SERVERPILOT_APP_ID': app})
    assert run.rc == 0, run
    assert standin.state.app(app)['domains'] == ['env.example.com', 'www.env.example.com']


def test_module_defaults_group_gives_credentials_once(standin, playbook):
    app = standin.state.add_app(domains=[])
    run = playbook('''
    - name: with group defaults
      module_defaults:
        group/multisite.serverpilot.serverpilot:
          client_id: cid-standin
          api_key: %s
          api_url: %s
      block:
        - name: domains
          multisite.serverpilot.serverpilot_app_domains:
            app_id: %s
            domains: [grouped.example.com]
    ''' % (DEFAULT_API_KEY, standin.url, app), credentials=False)
    assert run.rc == 0, run
    assert standin.state.app(app)['domains'] == ['grouped.example.com', 'www.grouped.example.com']


@pytest.mark.parametrize('domains, options, words', [
    ('["bad_name.example.com", "ok.example.com", ""]', {}, "'bad_name.example.com'"),
    ('["%s.example.com"]' % ('x' * 64), {}, 'label of 64 characters'),
    ('["%s"]' % '.'.join(['a' * 63] * 4), {}, 'characters long'),
    ('[""]', {}, "'' is empty"),
    ('["1.2.3.4.5"]', {}, 'numeric label'),
    ('[%s]' % ', '.join('d%d.example.com' % i for i in range(151)), {}, '302 domains requested'),
    ('[]', {'exclusive': 'true'}, 'remove every domain'),
    ('[a.example.com]', {'api_url': 'http://api.serverpilot.io/v1'}, 'clear text'),
    ('[a.example.com]', {'api_url': 'not-a-url'}, 'not an http(s) URL'),
    ('[a.example.com]', {'wait_timeout': 'soon'}, 'wait_timeout'),
    ('[a.example.com]', {'www': 'sometimes'}, 'www'),
    ('[a.example.com]', {'timeout': 0}, 'timeout must be a positive'),
])
def test_bad_input_fails_before_any_call(standin, playbook, domains, options, words):
    app = standin.state.add_app(domains=['a.example.com'])
    run = playbook(task(app, domains, **options))
    result = run.results[0]
    assert result.get('failed') is True, run
    assert words in result['msg']
    assert standin.state.api_calls() == []


def test_wrong_credentials(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com'])
    run = playbook(task(app, '[b.example.com]'), env={'SERVERPILOT_API_KEY': 'not-the-key-987654'})
    result = run.results[0]
    assert result['failed'] and 'HTTP 401' in result['msg'] and 'SERVERPILOT_API_KEY' in result['msg']
    assert standin.state.writes() == []


def test_missing_credentials(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com'])
    run = playbook(task(app, '[b.example.com]'), credentials=False)
    result = run.results[0]
    assert result['failed'] and 'client_id' in result['msg'] and 'api_key' in result['msg']
    assert standin.state.api_calls() == []


def test_unknown_app(standin, playbook):
    run = playbook(task('doesnotexist', '[b.example.com]'))
    result = run.results[0]
    assert result['failed'] and "App 'doesnotexist' was not found" in result['msg']
    assert result['status'] == 404


def test_merged_list_over_the_limit_is_refused_without_a_write(standin, playbook):
    app = standin.state.add_app(domains=['d%d.example.com' % i for i in range(299)])
    run = playbook(task(app, '[new.example.com]'))
    result = run.results[0]
    assert result['failed'] and '301 domains, over the limit of 300' in result['msg']
    assert standin.state.writes() == []


def test_transient_errors_are_retried(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.add_fault(status=503, count=2, method='GET')
    standin.state.add_fault(drop=True, count=1, method='POST')
    run = playbook(task(app, '[retry.example.com]'))
    assert run.rc == 0, run
    assert standin.state.app(app)['domains'] == ['retry.example.com', 'www.retry.example.com']
    # GET 503, GET 503, GET; POST dropped; GET (a failed list write is planned again from a fresh read,
    # never replayed); POST; the action; the confirming GET
    assert run.results[0]['api_calls'] == 8
    assert [(e['method'], e['path'].startswith('/v1/apps/')) for e in standin.state.api_calls()] == [
        ('GET', True)] * 3 + [('POST', True), ('GET', True), ('POST', True), ('GET', False), ('GET', True)]


def test_action_error_fails_naming_the_action(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.fail_next_actions = 1
    result = playbook(task(app, '[a.example.com]')).results[0]
    assert result['failed']
    assert result['action_id'] in result['msg'] and "'error'" in result['msg']


def test_action_open_past_wait_timeout(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.action_open_polls = 100
    result = playbook(task(app, '[a.example.com]', wait_timeout=2)).results[0]
    assert result['failed'] and 'after 2 seconds (wait_timeout)' in result['msg']


def test_wait_false_skips_polling(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.action_open_polls = 100
    run = playbook(task(app, '[a.example.com]', wait='false'))
    assert run.rc == 0, run
    assert calls(standin) == [('GET', 'apps'), ('POST', 'apps'), ('GET', 'apps')]


def test_another_writer_adding_after_our_write_is_kept(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_mutation('POST', '^/v1/apps/', app_id=app, add=['theirs.example.net'])
    result = playbook(task(app, '[ours.example.com]', exclusive='true', www='never')).results[0]
    assert not result.get('failed'), result
    assert standin.state.app(app)['domains'] == ['ours.example.com', 'theirs.example.net']
    assert result['external_changes'] == {'added': ['theirs.example.net'], 'removed': []}
    assert len(result['action_ids']) == 1


def test_another_writer_replacing_our_list_is_merged_again(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com'])
    # e.g. the WordPress plugin writing its stale copy of the list right after ours
    standin.state.add_mutation('POST', '^/v1/apps/', app_id=app, add=['theirs.example.net'],
                               remove=['ours.example.com'])
    result = playbook(task(app, '[ours.example.com]', www='never')).results[0]
    assert not result.get('failed'), result
    assert sorted(standin.state.app(app)['domains']) == ['a.example.com', 'ours.example.com', 'theirs.example.net']
    assert len(result['action_ids']) == 2
    assert result['added'] == ['ours.example.com']
    assert result['external_changes'] == {'added': ['theirs.example.net'], 'removed': ['ours.example.com']}
    assert any('Another writer changed' in w for w in result['warnings'])


def test_no_secret_in_verbose_output(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com'], ssl='custom')
    run = playbook(task(app, '[b.example.com]'), args=['-vvvv', '--diff'])
    assert run.rc == 0, run
    assert DEFAULT_API_KEY not in run.stdout
    assert PRIVATE_KEY_MARKER not in run.stdout
    assert 'BEGIN' not in run.stdout


@pytest.mark.parametrize('args', [(), ('--check',)])
def test_max_removals_refuses_a_mass_removal_before_any_write(standin, playbook, args):
    app = standin.state.add_app(domains=['keep.example.com'] + ['old%d.example.com' % i for i in range(7)])
    result = playbook(task(app, '[keep.example.com]', exclusive='true', www='never', max_removals=5),
                      args=args).results[0]
    assert result['failed']
    assert 'would remove 7 domains' in result['msg'] and 'max_removals=5' in result['msg']
    assert 'old0.example.com, old1.example.com' in result['msg']
    assert standin.state.writes() == []
    ok = playbook(task(app, '[keep.example.com]', exclusive='true', www='never', max_removals=7)).results[0]
    assert not ok['failed'] and standin.state.app(app)['domains'] == ['keep.example.com']


def test_ip_entries_are_listed_in_canonical_form_without_www(standin, playbook):
    """ServerPilot's help on app domains: IP addresses are valid entries."""
    app = standin.state.add_app(domains=['network.example'])
    result = playbook(task(app, '["203.0.113.44", "2001:DB8:0::44", shop.example.com]')).results[0]
    assert not result['failed'], result
    assert standin.state.app(app)['domains'] == ['network.example', '203.0.113.44', '2001:db8::44',
                                                 'shop.example.com', 'www.shop.example.com']
