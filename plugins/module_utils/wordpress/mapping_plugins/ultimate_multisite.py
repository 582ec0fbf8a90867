# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Ultimate Multisite (and WP Ultimo 2.x): {prefix}wu_domain_mappings (per network since 2.4.8), its stages, and
the network's own www. rule in its settings row."""

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import (
    MappingPlugin, only_blogs, placeholders, table)

# The stage enum of {prefix}wu_domain_mappings, as the plugin's installer creates it (the first is its default).
STAGES = ('checking-dns', 'checking-ssl-cert', 'done-without-ssl', 'done', 'failed', 'ssl-failed')
DEFAULT_STAGES = tuple(stage for stage in STAGES if stage != 'failed')
SETTINGS_KEY = 'wp-ultimo_v2_settings'  # wu_save_option('v2_settings') -> a network option in {prefix}sitemeta
# Its host integrations' switches: a network option, a PHP-serialized array of integration id => bool (2.4.x's
# Base_Host_Provider::get_enabled_list(), and 2.5's Integration::$enabled_option_key, kept for compatibility).
INTEGRATIONS_KEY = 'wu_host_integrations_enabled'
INTEGRATION_ID = 'serverpilot'  # ServerPilot_Host_Provider::$id
# 2.5 may keep an integration's credentials encrypted in network options named after its constants
# (Integration::get_credential); only their names are ever read here.
CREDENTIAL_KEY_PREFIX = 'wu_hosting_credential_WU_SERVER_PILOT_'
SWITCH = ('Ultimate Multisite > Settings > Domain Mapping > Host Integrations (ServerPilot), the network option '
          "wu_host_integrations_enabled['serverpilot']")
WWW_SETTINGS = ('always', 'main_only', 'never')


def www_setting(meta_value):
    """The network's auto_create_www_subdomain from its serialized settings: (setting, where it came from).

    Every malformed value is a SourceError(settings), never another exception."""
    if meta_value is None:
        return 'always', 'default'  # never saved: the plugin's default
    try:
        settings = php.unserialize(meta_value)
    except ValueError as exc:  # UnicodeDecodeError is one
        raise SourceError('settings', "The network's settings (%s) are not PHP-serialized data this reader can parse "
                                      '(%s), as a plain SQL search-replace of a domain leaves them.'
                          % (SETTINGS_KEY, exc), part='settings')
    value = settings.get('auto_create_www_subdomain') if isinstance(settings, dict) else None
    if value is None:
        return 'always', 'default'
    if value not in WWW_SETTINGS:
        raise SourceError('settings', 'The network sets auto_create_www_subdomain to %r, not one of %s.'
                          % (value, ', '.join(WWW_SETTINGS)), part='settings')
    return value, 'settings'


class UltimateMultisite(MappingPlugin):
    name = 'ultimate_multisite'
    title = 'Ultimate Multisite'
    columns = ('id', 'blog_id', 'domain', 'active', 'primary_domain', 'secure', 'stage')
    # not wp-ultimo.php: WP Ultimo 1.x had that file too, and mapped through Mercator's table
    plugin_files = ('ultimate-multisite.php',)
    option_keys = (SETTINGS_KEY,)
    www_rule = True  # auto_create_www_subdomain
    options = {'stages': dict(type='list', elements='str', choices=list(STAGES), default=list(DEFAULT_STAGES))}

    def table(self, request):
        """The main network's table, or since Ultimate Multisite 2.4.8 ``wu_<id>_domain_mappings`` for another
        network of a multi-network install."""
        if request.network == 1:
            return table(request.prefix, 'wu_domain_mappings')
        return table(request.prefix, 'wu_%d_domain_mappings' % request.network)

    def query(self, request, columns):
        stages = DEFAULT_STAGES if request.stages is None else request.stages
        unknown = [s for s in stages if s not in STAGES]
        if unknown:
            raise SourceError('stages', 'Unknown stage(s) %s; the stages are %s.' % (', '.join(unknown), ', '.join(STAGES)))
        if not stages:
            raise SourceError('stages', 'stages is empty, so no mapping could ever match.')
        where, args = [], []
        if request.active_only:
            where.append('active = 1')
        # a NULL stage is filtered as the column's default: dropped, an active mapping would be removed from the app
        where.append("COALESCE(stage, '%s') IN (%s)" % (STAGES[0], placeholders(stages)))
        args.extend(stages)
        only_blogs(request, where, args)
        return ('SELECT %s FROM `%s` WHERE %s ORDER BY blog_id, primary_domain DESC, id'
                % (', '.join(self.columns), self.table(request), ' AND '.join(where)), args)

    def mapping(self, row):
        primary = php.to_bool(row['primary_domain'])
        return {'id': int(row['id']), 'blog_id': int(row['blog_id']), 'domain': row['domain'],
                'active': php.to_bool(row['active']), 'primary': primary, 'primary_domain': primary,
                'secure': php.to_bool(row['secure']), 'stage': row['stage']}

    def network_settings(self, session, request):
        """www_setting / www_setting_from, when asked for: a row that cannot be parsed is null with a warning
        (only serverpilot_www=source needs it); a failed query fails the read like any other."""
        found = {'www_setting': None, 'www_setting_from': None}
        if not request.read_www_setting:
            return found, []
        rows = session.rows(settings_query(request), 'settings', "the network's settings (%s in %s)"
                            % (SETTINGS_KEY, table(request.prefix, 'sitemeta')))
        try:
            found['www_setting'], found['www_setting_from'] = www_setting(rows[0]['meta_value'] if rows else None)
        except SourceError as exc:
            return found, ['%s So www_setting is null; give serverpilot_www explicitly.' % exc.msg]
        return found, []

    def integration(self, session, request):
        sql, args = integration_query(request)
        rows = session.rows((sql, args), 'integration', "Ultimate Multisite's host integrations (%s in %s)"
                            % (INTEGRATIONS_KEY, table(request.prefix, 'sitemeta')))
        switch = next((row['meta_value'] for row in rows if row['meta_key'] == INTEGRATIONS_KEY), None)
        stored = sorted(set(row['meta_key'] for row in rows if row['meta_key'] != INTEGRATIONS_KEY))
        found = {'plugin_integration': None, 'plugin_credentials_stored': stored}
        try:
            found['plugin_integration'] = integration_switch(switch)
        except ValueError as exc:
            return found, ['The network option %s is not PHP-serialized data this reader can parse (%s), so whether '
                           "Ultimate Multisite's ServerPilot integration is on is unknown (plugin_integration is "
                           'null): look at %s.' % (INTEGRATIONS_KEY, exc, SWITCH)]
        if found['plugin_integration']:
            return found, ["Ultimate Multisite's ServerPilot integration is switched on: the plugin writes the app's "
                           'domain list too, adding each mapped domain and its www. form on every mapping by its own '
                           'rule, so with another serverpilot_www rule the two would add and remove the same names '
                           'in turn. Switch it off under %s, once this collection keeps the app.' % SWITCH]
        return found, []


def php_true(value):
    """PHP's (bool) of an unserialized value: an empty array is false too."""
    if isinstance(value, (dict, list)):
        return bool(value)
    return php.to_bool(value)


def integration_switch(meta_value):
    """Whether the ServerPilot integration is on, as the plugin decides it from the option's value (None: never
    saved, the plugin's default []); raises ValueError for a value it cannot parse."""
    if meta_value is None:
        return False
    switches = php.unserialize(meta_value)
    if not isinstance(switches, dict):  # isset() on anything but an array of switches finds no switch
        return False
    return php_true(switches.get(INTEGRATION_ID, False))


def integration_query(request):
    """The switches' row and the names (never the values) of the credential options, one SELECT."""
    return ("SELECT meta_key, CASE WHEN meta_key = %%s THEN meta_value END AS meta_value FROM `%s` "
            "WHERE site_id = %%s AND (meta_key = %%s OR meta_key LIKE %%s) ORDER BY meta_id DESC"
            % table(request.prefix, 'sitemeta'),
            [INTEGRATIONS_KEY, request.network, INTEGRATIONS_KEY, CREDENTIAL_KEY_PREFIX.replace('_', '\\_') + '%'])


def settings_query(request):
    """The SELECT of the network's settings row ({prefix}sitemeta holds network options)."""
    return ('SELECT meta_value FROM `%s` WHERE site_id = %%s AND meta_key = %%s ORDER BY meta_id DESC LIMIT 1'
            % table(request.prefix, 'sitemeta'), [request.network, SETTINGS_KEY])


PLUGIN = UltimateMultisite()
