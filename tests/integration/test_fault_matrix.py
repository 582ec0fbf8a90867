# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault matrix: transport faults, action faults, concurrent writers, bad inputs and secrecy,
each through a real ansible-playbook run against the stand-in."""

import json
import threading
import time

import pytest

from stand_in.server import DEFAULT_API_KEY, PRIVATE_KEY_MARKER

pytestmark = pytest.mark.integration


def domains_task(app, domains='[a.example.com]', **options):
    lines = ''.join('    %s: %s\n' % (k, v) for k, v in options.items())
    return ('- name: domains\n  multisite.serverpilot.serverpilot_app_domains:\n    app_id: %s\n    domains: %s\n%s'
            '  ignore_errors: true\n' % (app, domains, lines))


def methods(standin):
    return [(e['method'], e['status']) for e in standin.state.api_calls()]


# -- transport -----------------------------------------------------------------------------------------------------

def test_503_twice_then_success(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.add_fault(status=503, count=2, method='GET')
    result = playbook(domains_task(app)).results[0]
    assert not result['failed'], result
    assert methods(standin)[:3] == [('GET', 503), ('GET', 503), ('GET', 200)]
    assert standin.state.app(app)['domains'] == ['a.example.com', 'www.a.example.com']


def test_429_with_retry_after_is_honoured(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.add_fault(status=429, count=1, method='POST', retry_after=1)
    result = playbook(domains_task(app)).results[0]
    assert not result['failed'], result
    posts = [e for e in standin.state.api_calls() if e['method'] == 'POST']
    assert [p['status'] for p in posts] == [429, 200]
    assert posts[1]['time'] - posts[0]['time'] >= 1.0  # waited as Retry-After said


def test_dropped_connection_is_retried(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.add_fault(drop=True, count=1, method='GET')
    result = playbook(domains_task(app)).results[0]
    assert not result['failed'], result
    assert methods(standin)[0] == ('GET', 'dropped')


@pytest.mark.parametrize('fault, label', [({'cut': True}, 'applied-then-cut'), ({'drop': 'after'}, 'applied-then-dropped')])
def test_a_write_whose_answer_was_lost_is_confirmed_by_reading(standin, playbook, fault, label):
    """The POST went through but its answer was cut off or lost: the run reads the app, sees its list there,
    and says it changed the app - with one POST, never a replay."""
    app = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_fault(count=1, method='POST', **fault)
    result = playbook(domains_task(app, '[b.example.com]', www='never')).results[0]
    assert not result['failed'], result
    assert result['changed'] is True and result['domains'] == ['a.example.com', 'b.example.com']
    assert [m for m in methods(standin) if m[0] == 'POST'] == [('POST', label)]
    assert standin.state.app(app)['domains'] == ['a.example.com', 'b.example.com']


def test_a_read_cut_off_mid_body_is_retried(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_fault(cut=True, count=1, method='GET')
    result = playbook(domains_task(app, '[a.example.com]', www='never')).results[0]
    assert not result['failed'] and result['changed'] is False, result
    assert methods(standin) == [('GET', 'applied-then-cut'), ('GET', 200)]


@pytest.mark.parametrize('module, args, method', [
    ('serverpilot_autossl', 'force_ssl: true', 'POST'),
    ('serverpilot_app_domains', 'domains: [b.example.com]', 'POST'),
    ('serverpilot_app_info', '', 'GET'),
])
def test_a_redirect_fails_naming_the_location_and_changes_nothing(standin, playbook, module, args, method):
    app = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_fault(status=302, count=1, method=method, location='https://elsewhere.example/login')
    task = ('- name: redirected\n  multisite.serverpilot.%s:\n    app_id: %s\n    %s\n  ignore_errors: true\n'
            % (module, app, args))
    result = playbook(task).results[0]
    assert result['failed'] and result['changed'] is False, result
    assert result['error_kind'] == 'unexpected_response' and 'https://elsewhere.example/login' in result['msg']
    assert standin.state.app(app)['domains'] == ['a.example.com'] and standin.state.app(app)['ssl'] is None
    assert not any(e['path'].startswith('/login') for e in standin.state.api_calls())


def test_a_timeout_is_retried(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.add_fault(delay=2.5, count=1, method='GET', status=200)
    result = playbook(domains_task(app, timeout=1)).results[0]
    assert not result['failed'], result
    assert result['api_calls'] == 5  # one timed out, then GET, POST, poll, confirm


def test_retries_exhausted_says_how_many_tries(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.add_fault(status=502, count=10)
    result = playbook(domains_task(app, retries=2)).results[0]
    assert result['failed'] and 'Gave up after 3 tries' in result['msg'] and 'HTTP 502' in result['msg']
    assert result['tries'] == 3 and len(standin.state.api_calls()) == 3
    assert standin.state.writes() == []


def test_a_400_is_never_retried(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.add_fault(status=400, count=5, method='POST')
    result = playbook(domains_task(app)).results[0]
    assert result['failed'] and 'HTTP 400' in result['msg']
    assert result['changed'] is False and result['action_ids'] == []
    assert [m for m in methods(standin) if m[0] == 'POST'] == [('POST', 400)]
    assert standin.state.app(app)['domains'] == []


# -- actions -------------------------------------------------------------------------------------------------------

def test_an_action_ending_in_error(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.fail_next_actions = 1
    result = playbook(domains_task(app)).results[0]
    assert result['failed'] and "ended in 'error'" in result['msg'] and result['action_id'] in result['msg']
    # the write went through before the server failed to apply it: the result says so
    assert result['changed'] is True and result['action_ids'] == [result['action_id']]


def test_an_action_open_past_wait_timeout(standin, playbook):
    app = standin.state.add_app(domains=[])
    standin.state.action_open_polls = 1000
    result = playbook(domains_task(app, wait_timeout=3)).results[0]
    assert result['failed'] and "still 'open' after 3 seconds" in result['msg']
    polls = [e for e in standin.state.api_calls() if '/actions/' in e['path']]
    # polled at once, then after 0.25 s, 0.375 s, 0.56 s, 0.84 s and the rest of the 3 s: no tight loop (a slow
    # machine makes fewer)
    assert 3 <= len(polls) <= 6


# -- concurrent writers --------------------------------------------------------------------------------------------

def test_writer_between_our_write_and_our_confirming_read(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_mutation('POST', '^/v1/apps/', app_id=app, add=['theirs.example.net'])
    result = playbook(domains_task(app, '[ours.example.com]', www='never')).results[0]
    assert not result['failed'], result
    assert standin.state.app(app)['domains'] == ['a.example.com', 'ours.example.com', 'theirs.example.net']
    assert result['external_changes'] == {'added': ['theirs.example.net'], 'removed': []}
    assert result['added'] == ['ours.example.com']


def test_writer_replacing_the_list_after_our_write(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_mutation('POST', '^/v1/apps/', app_id=app, add=['theirs.example.net'],
                               remove=['ours.example.com'])
    result = playbook(domains_task(app, '[ours.example.com]', www='never')).results[0]
    assert not result['failed'], result
    assert sorted(standin.state.app(app)['domains']) == ['a.example.com', 'ours.example.com', 'theirs.example.net']
    assert len(result['action_ids']) == 2


def test_writer_between_our_read_and_our_write(standin, playbook):
    """ServerPilot's API takes the whole list and has no version to compare: a name another writer adds
    between our read and our write cannot be seen, so our write replaces it. The module keeps every name
    it asked for and does not claim to know of the other change."""
    app = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_mutation('GET', '^/v1/apps/', nth=1, app_id=app, add=['theirs.example.net'])
    result = playbook(domains_task(app, '[ours.example.com]', www='never')).results[0]
    assert not result['failed'], result
    assert standin.state.app(app)['domains'] == ['a.example.com', 'ours.example.com']
    assert 'external_changes' not in result


def test_two_runs_at_once_one_write_meeting_503_with_retry_after(standin, playbook):
    """Two real runs add different names to one app; the first run's POST is held by the stand-in while the
    second run writes, then answered 503 + Retry-After. The first run must plan again from a fresh read, not
    replay the list it computed before the second run wrote: both names end on the app. The test decides when
    the 503 goes out (after the second run's write), so a slow machine cannot reorder the two."""
    app = standin.state.add_app(domains=['a.example.com'])
    release = threading.Event()
    standin.state.add_fault(status=503, count=1, method='POST', path='^/v1/apps/', retry_after=1, hold=release)
    first = {}
    thread = threading.Thread(target=lambda: first.update(run=playbook(
        domains_task(app, '[first.example.com]', www='never'), name='first')))
    thread.start()
    deadline = time.monotonic() + 300
    while not standin.state.held:
        assert time.monotonic() < deadline, 'the first run never wrote'
        time.sleep(0.05)
    try:
        second = playbook(domains_task(app, '[second.example.com]', www='never'), name='second').results[0]
    finally:
        release.set()
    assert not second['failed'], second
    thread.join(300)
    result = first['run'].results[0]
    assert not result['failed'], first['run']
    assert sorted(standin.state.app(app)['domains']) == ['a.example.com', 'first.example.com', 'second.example.com']
    assert result['changed'] is True and result['external_changes'] == {'added': ['second.example.com'], 'removed': []}
    posts = [e for e in standin.state.api_calls() if e['method'] == 'POST']
    # the second run's write, then the first run's two: the refused one, and one planned from a fresh read
    assert [p['status'] for p in posts] == [200, 503, 200]
    assert posts[0]['body'] == {'domains': ['a.example.com', 'second.example.com']}
    assert posts[1]['body'] == {'domains': ['a.example.com', 'first.example.com']}
    # a replay would have sent [a, first] again and dropped the second run's name
    assert posts[2]['body'] == {'domains': ['a.example.com', 'second.example.com', 'first.example.com']}


def test_writers_in_both_windows_while_removing(standin, playbook):
    app = standin.state.add_app(domains=['a.example.com', 'gone.example.com'])
    standin.state.add_mutation('POST', '^/v1/apps/', nth=1, app_id=app, add=['gone.example.com', 'late.example.net'])
    result = playbook(domains_task(app, '[gone.example.com]', state='absent', www='never')).results[0]
    assert not result['failed'], result
    # the other writer put back the name we removed: removed again; its own new name kept
    assert standin.state.app(app)['domains'] == ['a.example.com', 'late.example.net']
    assert result['removed'] == ['gone.example.com']
    assert result['external_changes']['added'] == ['gone.example.com', 'late.example.net']


# -- bad inputs: a clear message and no write ----------------------------------------------------------------------

BAD_INPUTS = [
    ('malformed name', {'domains': '["exa mple.com"]'}, "'exa mple.com' has a label"),
    ('underscore', {'domains': '["bad_name.example.com"]'}, "'bad_name.example.com'"),
    ('64-character label', {'domains': '["%s.example.com"]' % ('a' * 64)}, 'label of 64 characters'),
    ('254-character name', {'domains': '["%s"]' % '.'.join(['a' * 63, 'b' * 63, 'c' * 63, 'd' * 62])},
     'is 254 characters long'),
    ('empty string', {'domains': '[""]'}, "'' is empty"),
    ('blank string', {'domains': '["   "]'}, 'is empty'),
    ('single label', {'domains': '[localhost]'}, 'at least two labels'),
    # an IP address is a valid entry (ServerPilot accepts them); a numeric last label is not
    ('a numeric top-level label', {'domains': '["example.123"]'}, 'numeric label'),
    ('a URL', {'domains': '["https://example.com/"]'}, "'https://example.com/'"),
    ('over 300 after www.', {'domains': '[%s]' % ', '.join('s%d.example.com' % i for i in range(151))},
     '302 domains requested'),
    ('exclusive and empty', {'domains': '[]', 'exclusive': 'true'}, 'remove every domain'),
    ('a non-string item', {'domains': '[{name: a.example.com}]'}, 'has a label'),
    ('wrong option type', {'wait_timeout': 'soon'}, 'wait_timeout'),
    ('unknown choice', {'state': 'gone'}, 'state'),
    ('unknown option', {'colour': 'blue'}, 'colour'),
    ('http to a remote host', {'api_url': 'http://api.serverpilot.io/v1'}, 'clear text'),
    ('API URL not a URL', {'api_url': '"api.serverpilot.io"'}, 'not an http(s) URL'),
    ('negative max_removals', {'max_removals': -1}, 'max_removals must be 0 or more'),
]


@pytest.mark.parametrize('label, options, words', BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input(standin, playbook, label, options, words):
    app = standin.state.add_app(domains=['keep.example.com'])
    options = dict(options)
    domains = options.pop('domains', '[a.example.com]')
    result = playbook(domains_task(app, domains, **options)).results[0]
    assert result['failed'], (label, result)
    assert words in result['msg'], (label, result['msg'])
    assert standin.state.api_calls() == [], label  # refused before any call


@pytest.mark.parametrize('label, setup, env, words', [
    ('unknown app', 'missing', {}, "App 'missing' was not found"),
    ('wrong credentials', None, {'SERVERPILOT_API_KEY': 'not-it-0000'}, 'HTTP 401'),
    ('non-JSON error from a proxy', 'proxy', {}, 'no ServerPilot error in the body (<html><body>Bad gateway'),
])
def test_bad_input_found_by_the_api(standin, playbook, label, setup, env, words):
    app = standin.state.add_app(domains=['keep.example.com'])
    if setup == 'proxy':
        standin.state.add_fault(status=403, body='<html><body>Bad gateway at the proxy</body></html>')
    result = playbook(domains_task('missing' if setup == 'missing' else app), env=env).results[0]
    assert result['failed'] and words in result['msg'], (label, result['msg'])
    assert standin.state.writes() == []
    assert standin.state.app(app)['domains'] == ['keep.example.com']


# -- secrecy -------------------------------------------------------------------------------------------------------

def test_every_module_at_vvvv_shows_no_secret(standin, messy_network, playbook, tmp_path, mariadb):
    app = standin.state.add_app(domains=['a.example.com'], ssl='custom')
    messy_network.set_dns(dict((name, [messy_network.server_address])
                               for name in ('a.example.com', 'b.example.com', 'www.b.example.com')))
    mariadb.create_network('secrecy', rows=[{'blog_id': 1, 'domain': 'mapped.example.com'}])
    mariadb.create_user('secreader', 'db-pass-5150', 'secrecy')
    run = playbook('''
    - name: info
      multisite.serverpilot.serverpilot_app_info:
    - name: domains
      multisite.serverpilot.serverpilot_app_domains:
        app_id: {app}
        domains: [b.example.com]
    - name: autossl
      multisite.serverpilot.serverpilot_autossl:
        app_id: {app}
        replace_custom_cert: true
        force_ssl: true
    - name: health
      multisite.serverpilot.serverpilot_domain_health:
        app_id: {app}
        nameservers: ["{dns}"]
        port: {port}
        ca_path: {ca}
    - name: database
      multisite.serverpilot.multisite_domains_info:
        source: ultimate_multisite
        login_host: 127.0.0.1
        login_port: {db_port}
        login_user: secreader
        login_password: db-pass-5150
        database: secrecy
        config_file: /nonexistent
    - name: a failing call shows no secret either
      multisite.serverpilot.serverpilot_app_domains:
        app_id: {app}
        domains: [c.example.com]
        api_key: wrong-key-for-the-error-path
      ignore_errors: true
    '''.format(app=app, port=messy_network.tls.port, ca=messy_network.tls.ca_path, db_port=mariadb.port,
               dns=messy_network.dns.nameserver), args=['-vvvv'])
    assert run.rc == 0, run
    assert [r['failed'] for r in run.results] == [False] * 5 + [True]
    text = run.stdout + json.dumps(run.results)
    for secret in (DEFAULT_API_KEY, PRIVATE_KEY_MARKER, 'BEGIN PRIVATE KEY', 'db-pass-5150',
                   'wrong-key-for-the-error-path'):
        assert secret not in text, secret


# -- answers the API document allows but the stand-in used to invent away -------------------------------------------

def test_writes_without_an_actionid(standin, playbook):
    """The document: actionid is there only "if any server configuration was required". No null in
    action_ids, and nothing waits for an action that does not exist."""
    app = standin.state.add_app(domains=['a.example.com'])
    standin.state.omit_actionid = 3
    run = playbook(domains_task(app, '[b.example.com]', www='never') + '''
- name: ssl
  multisite.serverpilot.serverpilot_autossl:
    app_id: {app}
    force_ssl: true
'''.format(app=app))
    domains, ssl = run.results
    assert not domains['failed'] and not ssl['failed'], run
    assert domains['changed'] and domains['action_id'] is None and domains['action_ids'] == []
    assert ssl['changed'] and ssl['action_ids'] == [] and ssl['ssl'] == {'auto': True, 'force': True,
                                                                         'custom_cert': False}
    assert not any(e['path'].startswith('/v1/actions/') for e in standin.state.api_calls())


def test_a_domain_already_on_another_app_is_accepted(standin, playbook):
    standin.state.add_app(name='other', domains=['shared.example.com'])
    app = standin.state.add_app(name='mine', domains=[])
    result = playbook(domains_task(app, '[shared.example.com]', www='never')).results[0]
    assert not result['failed'] and result['domains'] == ['shared.example.com'], result
