# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The SSL workflow: read the app once, let autossl.decide plan the steps, apply them in order.

Each SSL call carries a whole setting (``{"auto": true}``, ``{"force": x}``,
``DELETE``), so the client may replay it; a replay that ServerPilot refuses
because the first try already took effect is recognised by reading the app.
A later step always waits for the action of the one before it.
"""

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import autossl
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError, ServerPilotError

# What each step leaves behind, to recognise a step that a retried call had already applied.
STEP_RESULT = {
    autossl.DELETE: lambda ssl: not ssl['auto'] and not ssl['custom_cert'],
    autossl.ENABLE_AUTO: lambda ssl: ssl['auto'],
    autossl.FORCE_ON: lambda ssl: ssl['force'],
    autossl.FORCE_OFF: lambda ssl: not ssl['force'],
}


def apply_step(client, app_id, step):
    """Send one step; returns its action id (None when there is none to wait for)."""
    calls = {
        autossl.DELETE: lambda: client.delete_ssl(app_id),
        autossl.ENABLE_AUTO: lambda: client.enable_autossl(app_id),
        autossl.FORCE_ON: lambda: client.set_force_ssl(app_id, True),
        autossl.FORCE_OFF: lambda: client.set_force_ssl(app_id, False),
    }
    try:
        return calls[step]()
    except ServerPilotError as exc:
        # A retry after a lost answer may be refused because the first try took effect.
        if exc.status == 400 and (exc.tries or 0) > 1 and STEP_RESULT[step](
                client.get_app(app_id)['ssl']):
            return None
        raise


def _observe(result, app):
    result.update(ssl=app['ssl'], autossl=app.get('autossl'),
                  uncovered_domains=autossl.uncovered_domains(app['domains'], app.get('autossl')))


def sync_ssl(client, app_id, *, state='present', force_ssl=None, replace_custom_cert=False, wait=True,
             wait_timeout=300, check_mode=False, result=None):
    """Take the app's SSL to the wish; returns ``result`` (``ssl``, ``autossl``, ``uncovered_domains``,
    ``action_ids``, ``changed``, ``diff``, ``warnings``), filled as it learns, so a failure reports it too."""
    result = {} if result is None else result
    result.setdefault('action_ids', [])
    result.setdefault('changed', False)
    app = client.get_app(app_id)
    before = app['ssl']
    _observe(result, app)
    plan = autossl.decide(app_id, app['ssl'], app.get('autossl'), app['domains'], state, force_ssl,
                          replace_custom_cert, check_mode)
    result['warnings'] = list(plan.warnings)
    if check_mode or not plan.changed:
        result.update(changed=plan.changed, ssl=plan.after, diff=dict(before=before, after=plan.after))
        return result
    try:
        for index, step in enumerate(plan.steps):
            action_id = apply_step(client, app_id, step)
            result['changed'] = True
            if action_id:
                result['action_ids'].append(action_id)
                # a later step needs this one applied, whatever wait says
                if wait or index < len(plan.steps) - 1:
                    client.wait_for_action(action_id, wait_timeout)
    except CollectionError as exc:
        if result['changed']:
            _after_failure(client, app_id, before, result, exc)
        raise
    _observe(result, client.get_app(app_id))
    result['diff'] = dict(before=before, after=result['ssl'])
    if wait and result['ssl'] != plan.after:
        raise CollectionError('App %s reports SSL %s after this run, not the %s its steps should have left. Look at the '
                              'app in the ServerPilot dashboard, then run again.' % (app_id, result['ssl'], plan.after),
                              kind='unexpected_response')
    return result


def _after_failure(client, app_id, before, result, exc):
    """A step failed after an earlier one went through: report the app as it is now, never as it was."""
    try:
        _observe(result, client.get_app(app_id))
    except CollectionError:
        result['ssl'] = None  # unknown: better than the state before the run
        exc.msg += ' The app could not be read again, so its SSL state is unknown: look at it in the dashboard.'
        return
    if before['custom_cert'] and not result['ssl']['custom_cert']:
        exc.msg += (' The custom certificate was already deleted, so app %s now has %s; run again once AutoSSL is '
                    'available to switch it on.' % (app_id, 'AutoSSL' if result['ssl']['auto'] else 'no SSL at all'))
    exc.args = (exc.msg,)
