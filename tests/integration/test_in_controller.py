# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which way a task of the collection runs, and what stays the same either way: the task's own environment, the
argument checks and their messages, no_log at any verbosity. (Every other integration test runs both ways:
tests/integration/conftest.py.)"""

import pytest

from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID

pytestmark = pytest.mark.integration

INFO = '''
- name: info
  multisite.serverpilot.serverpilot_app_info:
    app_id: "{app}"
  register: info
  ignore_errors: true
'''


def test_the_way_a_task_runs_is_said_at_verbosity(standin, playbook, task_path):
    app = standin.state.add_app(domains=['a.example'])
    run = playbook(INFO.format(app=app), args=['-vvv'])
    assert run.rc == 0 and run.results[0]['apps'][0]['domains'] == ['a.example'], run
    if task_path == 'controller':
        assert 'multisite.serverpilot.serverpilot_app_info ran in the controller process.' in run.stdout
        assert 'runs as a module' not in run.stdout
    else:
        assert ('multisite.serverpilot.serverpilot_app_info runs as a module: SERVERPILOT_RUN_AS_MODULE is set.'
                in run.stdout)


def test_an_asynchronous_task_runs_as_a_module(standin, playbook, task_path):
    app = standin.state.add_app(domains=['a.example'])
    run = playbook('- name: info\n  multisite.serverpilot.serverpilot_app_info:\n    app_id: "%s"\n'
                   '  async: 60\n  poll: 1\n' % app, args=['-v'])
    assert run.rc == 0, run
    assert run.results[0]['apps'][0]['id'] == app
    if task_path == 'controller':
        assert 'serverpilot_app_info runs as a module: the task is asynchronous.' in run.stdout


def test_the_tasks_environment_is_what_the_options_fall_back_to(standin, playbook, task_path):
    """env_fallback reads the environment the module would have had: the controller's, with the task's
    environment: over it - never only the controller's."""
    app = standin.state.add_app(domains=['a.example'])
    task = INFO.format(app=app) + '  environment:\n    SERVERPILOT_CLIENT_ID: "%s"\n    SERVERPILOT_API_KEY: "%s"\n'
    good = playbook(task % (DEFAULT_CLIENT_ID, DEFAULT_API_KEY), credentials=False, args=['-vvvv'])
    assert not good.results[0]['failed'], good
    wrong = playbook(task % (DEFAULT_CLIENT_ID, 'not-the-key-at-all'), args=['-vvvv'])
    assert wrong.results[0]['failed'] and wrong.results[0]['error_kind'] == 'credentials'
    if task_path == 'controller':
        # in the controller nothing prints the task's environment; as a module, Ansible's own EXEC line at -vvv
        # does (give the key in the job's environment - an AWX credential - not in a task's environment:)
        for run in (good, wrong):
            assert DEFAULT_API_KEY not in run.stdout and 'not-the-key-at-all' not in run.stdout


def test_argument_checks_say_what_the_module_says(standin, playbook, task_path):
    app = standin.state.add_app(domains=[])
    run = playbook('''
- name: unknown option
  multisite.serverpilot.serverpilot_app_domains:
    app_id: "%s"
    domains: [a.example]
    colour: blue
  ignore_errors: true
- name: wrong type
  multisite.serverpilot.serverpilot_app_domains:
    app_id: "%s"
    domains: [a.example]
    max_removals: many
  ignore_errors: true
- name: missing option
  multisite.serverpilot.serverpilot_autossl:
    app_id: "%s"
    state: sometimes
  ignore_errors: true
''' % (app, app, app))
    unknown, wrong, choice = run.results
    assert unknown['msg'].startswith('Unsupported parameters for (multisite.serverpilot.serverpilot_app_domains) '
                                     'module: colour. Supported parameters include: api_key, api_url, app_id')
    assert "argument 'max_removals' is of type str" in wrong['msg'] and "we were unable to convert to int" in wrong['msg']
    assert choice['msg'].startswith('value of state must be one of: present, absent, got: sometimes')
    for result in (unknown, wrong, choice):
        assert result['failed'] and result['error_kind'] == 'invalid_input'
        assert result['invocation']['module_args']['api_key'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert standin.state.api_calls() == []


def test_a_warning_is_shown_and_returned_either_way(standin, playbook, task_path):
    app = standin.state.add_app(domains=[])
    long_name = '.'.join(['a' * 60] * 4)[:250].rstrip('.') + '.example'  # its www. form would pass 253
    run = playbook('''
- name: sync
  multisite.serverpilot.serverpilot_app_domains:
    app_id: "%s"
    domains: ["%s"]
  check_mode: true
''' % (app, long_name))
    result, = run.results
    assert any('kept without their www. form' in w for w in result['warnings']), result
    assert '[WARNING]: 1 name(s) are kept without their www. form' in run.stdout
    assert result['changed'] and standin.state.writes() == []  # check mode either way
