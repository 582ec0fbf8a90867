# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Ultimate Multisite's own ServerPilot settings, read for a migration: its three wp-config.php constants, and the
app its plugin directory's path names.

Pure: the file's text, what the run was given and the account's apps in; the values and where each came from out,
or a refusal that says what to set instead. No message ever holds a value.
"""

import re

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php, wp_config
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

# what the run takes -> the plugin's constant (ServerPilot_Host_Provider::$constants)
CONSTANTS = (('client_id', 'WU_SERVER_PILOT_CLIENT_ID'), ('api_key', 'WU_SERVER_PILOT_API_KEY'),
             ('app_id', 'WU_SERVER_PILOT_APP_ID'))
INSTEAD = {'client_id': 'serverpilot_client_id (or SERVERPILOT_CLIENT_ID)',
           'api_key': 'serverpilot_api_key (or SERVERPILOT_API_KEY, an AWX credential)',
           'app_id': 'serverpilot_app_id (or SERVERPILOT_APP_ID)'}
# ServerPilot's layout, which the plugin's detect() looks for: /srv/users/SYSUSER/apps/APP/...
APP_PATH = re.compile(r'/srv/users/([^/]+)/apps/([^/]+)/')


def app_from_path(path):
    """(system user, app name) that a path under ServerPilot's layout names, or None."""
    found = APP_PATH.search(path or '')
    return found.groups() if found else None


def from_wp_config(text, path, given, stored=()):
    """The credentials: ``given`` ({key: value}, empty for what the run was not given) wins; the rest comes from the
    constants of wp-config.php ``text``, read by php.evaluate as PHP would have them. Returns (values, sources, the
    keys still missing - only ``app_id`` may be, to be found from the path). ``stored`` are the network options in
    which Ultimate Multisite 2.5 keeps credentials encrypted: named in a refusal, never read."""
    try:
        found = php.evaluate(text, [constant for dummy, constant in CONSTANTS])
    except ValueError as exc:
        raise CollectionError('wp_config %s cannot be read as PHP (%s), so its WU_SERVER_PILOT_* constants are '
                              'unknown. Give %s instead.' % (path, exc, ', '.join(INSTEAD.values())))
    values, sources, missing = {}, {}, []
    for key, constant in CONSTANTS:
        if given.get(key):
            values[key], sources[key] = given[key], 'given'
            continue
        if constant not in found:
            missing.append(key)
            continue
        line, value = found[constant]
        if isinstance(value, php.Unsure):
            raise CollectionError('wp_config %s: %s %s, so PHP may have another value there. Give %s instead.'
                                  % (path, constant, value.why, INSTEAD[key]))
        if isinstance(value, php.Code):
            raise CollectionError('wp_config %s defines %s as PHP code (line %d), not a plain string, and the '
                                  'collection never runs code. Give %s instead.' % (path, constant, line, INSTEAD[key]))
        if not php.to_bool(value):  # the plugin counts a constant that is defined but empty as not set
            missing.append(key)
            continue
        values[key], sources[key] = value, 'wp_config %s (%s, line %d)' % (path, constant, line)
    unfound = [key for key in missing if key != 'app_id']
    if unfound:
        kept = [name for name in stored if any(name.endswith(dict(CONSTANTS)[key]) for key in unfound)]
        where = (' Ultimate Multisite keeps %s encrypted in the network option(s) %s, which only the plugin can '
                 'decrypt with its own key; the collection does not guess at it.' % (
                     ' and '.join(dict(CONSTANTS)[key] for key in unfound), ', '.join(kept)) if kept else '')
        raise CollectionError('wp_config %s does not define %s.%s Give %s instead.' % (
            path, ' or '.join(dict(CONSTANTS)[key] for key in unfound), where,
            ', '.join(INSTEAD[key] for key in unfound)))
    return values, sources, missing


def pick_app(apps, path):
    """The ID of the one app the path's ServerPilot layout names, from the account's apps (id, name, serverid,
    sysuserid); a refusal naming the candidates when there are none or several."""
    named = app_from_path(path)
    if named is None:
        raise CollectionError('wp_config %s defines no WU_SERVER_PILOT_APP_ID, and its path is not under '
                              "ServerPilot's /srv/users/SYSUSER/apps/APP/, so the app is unknown. Give %s."
                              % (path, INSTEAD['app_id']))
    sysuser, name = named
    candidates = [app for app in apps if app.get('name') == name]
    if len(candidates) == 1:
        return candidates[0]['id']
    if not candidates:
        raise CollectionError('wp_config %s defines no WU_SERVER_PILOT_APP_ID, and no app of the account is named '
                              '%s (from its path, system user %s). Give %s.' % (path, name, sysuser, INSTEAD['app_id']))
    raise CollectionError('wp_config %s defines no WU_SERVER_PILOT_APP_ID, and %d apps of the account are named %s '
                          '(from its path, system user %s): %s. Give %s.' % (
                              path, len(candidates), name, sysuser,
                              ', '.join('%s (server %s)' % (app['id'], app.get('serverid')) for app in candidates),
                              INSTEAD['app_id']))


def read_text(path):
    """The file's text (wp_config.read_text); one that cannot be read is this module's bad input."""
    try:
        return wp_config.read_text(path)
    except (IOError, OSError) as exc:
        raise CollectionError(wp_config.unreadable(path, exc))


def find(text, params, client_for):
    """The credentials for a run: from_wp_config, then the app from the path where the file names none.
    ``client_for(client_id, api_key)`` gives the API client that lists the account's apps (one call)."""
    path = params['wp_config']
    given = dict((key, params.get(key)) for key, dummy in CONSTANTS)
    values, sources, missing = from_wp_config(text, path, given, params.get('stored') or ())
    if 'app_id' in missing:
        client = client_for(values['client_id'], values['api_key'])
        try:
            values['app_id'] = pick_app(client.list_apps(), path)
        finally:
            client.close()
        sources['app_id'] = 'the path of wp_config %s (app %s)' % (path, app_from_path(path)[1])
    return values, sources
