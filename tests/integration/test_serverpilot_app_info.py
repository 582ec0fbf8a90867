# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""serverpilot_app_info through ansible-playbook against the stand-in."""

import json

import pytest

from stand_in.server import PRIVATE_KEY_MARKER

pytestmark = pytest.mark.integration


def test_one_app_and_every_app(standin, playbook):
    one = standin.state.add_app(name='network', domains=['network.example'], ssl='custom', runtime='php8.3')
    standin.state.add_app(name='blog', domains=['blog.example'], ssl='auto+force')
    run = playbook('''
    - name: one
      multisite.serverpilot.serverpilot_app_info:
        app_id: %s
    - name: all
      multisite.serverpilot.serverpilot_app_info:
    - name: all without details
      multisite.serverpilot.serverpilot_app_info:
        details: false
    ''' % one, args=['--check'])
    assert run.rc == 0, run
    single, every, cheap = run.results
    assert single['apps'] == [{
        'id': one, 'name': 'network', 'serverid': 'srv-standin', 'sysuserid': 'sysuser-srv-standin',
        'runtime': 'php8.3', 'domains': ['network.example'],
        'ssl': {'auto': False, 'force': False, 'custom_cert': True},
        'autossl': {'available': True, 'domains': ['network.example']}}]
    assert single['changed'] is False and single['api_calls'] == 1
    assert [a['name'] for a in every['apps']] == ['network', 'blog']
    assert every['apps'][1]['ssl'] == {'auto': True, 'force': True, 'custom_cert': False}
    assert every['api_calls'] == 3
    assert cheap['api_calls'] == 1 and cheap['apps'][0]['autossl'] is None
    assert PRIVATE_KEY_MARKER not in json.dumps(run.results) and PRIVATE_KEY_MARKER not in run.stdout
    assert standin.state.writes() == []


def test_unknown_app(standin, playbook):
    run = playbook('''
    - name: one
      multisite.serverpilot.serverpilot_app_info:
        app_id: nope
      ignore_errors: true
    ''')
    assert "App 'nope' was not found" in run.results[0]['msg']
