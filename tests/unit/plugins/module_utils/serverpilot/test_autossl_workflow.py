# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The SSL workflow, driven directly with a fake client: ordered steps, waits, a retried step."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import autossl_workflow
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError
from unit.fake_client import FakeClient

OFF = {'auto': False, 'force': False, 'custom_cert': False}
AUTO = {'auto': True, 'force': False, 'custom_cert': False}
AUTO_FORCED = {'auto': True, 'force': True, 'custom_cert': False}
CUSTOM = {'auto': False, 'force': True, 'custom_cert': True}

# id, start, wish, client script, expected: log of calls after the first read, final ssl
CASES = [
    ('already as wished: one read',
     AUTO, {'force_ssl': False}, {},
     ([], AUTO)),
    ('AutoSSL on, waited for',
     OFF, {}, {},
     (['enable_autossl', ('WAIT', 'action1'), 'GET'], AUTO)),
    ('AutoSSL then ForceSSL: each waited for',
     OFF, {'force_ssl': True}, {},
     (['enable_autossl', ('WAIT', 'action1'), 'force_on', ('WAIT', 'action2'), 'GET'], AUTO_FORCED)),
    ('wait=false still waits between dependent steps, not after the last',
     OFF, {'force_ssl': True, 'wait': False}, {},
     (['enable_autossl', ('WAIT', 'action1'), 'force_on', 'GET'], AUTO_FORCED)),
    ('a custom certificate replaced: delete first, then AutoSSL',
     CUSTOM, {'replace_custom_cert': True}, {},
     (['delete_ssl', ('WAIT', 'action1'), 'enable_autossl', ('WAIT', 'action2'), 'GET'], AUTO)),
    ('wait=false: AutoSSL is enabled only once the DELETE of the custom certificate is applied',
     CUSTOM, {'replace_custom_cert': True, 'wait': False}, {},
     (['delete_ssl', ('WAIT', 'action1'), 'enable_autossl', 'GET'], AUTO)),
    ('a replayed step refused because the first try took effect: read, and go on',
     OFF, {'force_ssl': True}, {'step_outcomes': {'enable_autossl': 'replayed'}},
     (['enable_autossl', 'GET', 'force_on', ('WAIT', 'action1'), 'GET'], AUTO_FORCED)),
    ('absent switches AutoSSL off',
     AUTO_FORCED, {'state': 'absent'}, {},
     (['delete_ssl', ('WAIT', 'action1'), 'GET'], OFF)),
    ('check mode writes nothing and says what a run would leave',
     OFF, {'force_ssl': True, 'check_mode': True}, {},
     ([], AUTO_FORCED)),
]


@pytest.mark.parametrize('start, wish, script, expected', [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_sync_ssl(start, wish, script, expected):
    calls, final = expected
    client = FakeClient(domains=['a.test'], ssl=start, **script)
    result = autossl_workflow.sync_ssl(client, 'app1', **wish)
    assert client.log[0] == 'GET' and client.log[1:] == calls
    assert result['ssl'] == final
    assert result['changed'] is (final != start)
    assert result['diff'] == {'before': start, 'after': final}
    assert None not in result['action_ids']


@pytest.mark.parametrize('start, autossl, wish, kind', [
    (CUSTOM, None, {}, 'custom_certificate'),
    (OFF, {'available': False}, {}, 'autossl_unavailable'),
    (OFF, None, {'force_ssl': True, 'state': 'absent'}, 'invalid_input'),
])
def test_refusals_come_before_any_write(start, autossl, wish, kind):
    client = FakeClient(domains=['a.test'], ssl=start, autossl=autossl)
    with pytest.raises(CollectionError) as info:
        autossl_workflow.sync_ssl(client, 'app1', **wish)
    assert info.value.kind == kind
    assert client.log == ['GET']


def test_a_refused_step_that_did_not_take_effect_fails():
    client = FakeClient(domains=['a.test'], ssl=OFF, step_outcomes={'force_on': 'replayed'})
    # the fake applies the change before refusing; undo it so the read shows the step did not happen
    original = client.set_force_ssl

    def refused_without_effect(app_id, force):
        try:
            return original(app_id, force)
        finally:
            client.app['ssl']['force'] = False
    client.set_force_ssl = refused_without_effect
    result = {}
    with pytest.raises(CollectionError) as info:
        autossl_workflow.sync_ssl(client, 'app1', force_ssl=True, result=result)
    assert info.value.kind == 'refused'
    assert result['changed'] is True and result['action_ids'] == ['action1']  # AutoSSL went on before


@pytest.mark.parametrize('script, kind', [
    ({'failing_actions': ['action1']}, 'action_error'),           # the DELETE's action ends in error
    ({'step_outcomes': {'enable_autossl': 'refused'}}, 'refused'),  # AutoSSL refused after the DELETE
])
def test_replacing_a_custom_certificate_fails_truthfully(script, kind):
    client = FakeClient(domains=['a.test'], ssl=CUSTOM, **script)
    result = {}
    with pytest.raises(CollectionError) as info:
        autossl_workflow.sync_ssl(client, 'app1', replace_custom_cert=True, result=result)
    assert info.value.kind == kind
    # the result says what is true now, not the state before the run
    assert result['ssl'] == OFF and result['changed'] is True
    assert 'custom certificate was already deleted' in info.value.msg and 'no SSL at all' in info.value.msg


def test_a_final_state_other_than_planned_is_not_reported_as_success():
    client = FakeClient(domains=['a.test'], ssl=OFF)
    original = client.enable_autossl

    def accepted_but_ignored(app_id):
        action = original(app_id)
        client.app['ssl']['auto'] = False  # the server answered, yet nothing changed
        return action
    client.enable_autossl = accepted_but_ignored
    with pytest.raises(CollectionError) as info:
        autossl_workflow.sync_ssl(client, 'app1')
    assert info.value.kind == 'unexpected_response' and 'reports SSL' in info.value.msg
