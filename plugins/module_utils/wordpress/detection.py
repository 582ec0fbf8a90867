# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Which mapping plugin a network's rows belong to, from what its database shows: the tables and columns under
its prefix, its network-activated plugins and the options each plugin keeps, and what wp-config.php says.
Detection never switches and never guesses: a state two plugins could explain is refused. Pure: the reader
(reader.py) runs the queries and hands the rows in.
"""

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import BY_NAME, PLUGINS
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import placeholders, table


def _source_options(plugins):
    return ' or '.join('source: %s' % plugin.name for plugin in plugins)


def _plugin_titles(plugins):
    return ' or '.join(plugin.title for plugin in plugins)


def tables_to_look_at(request):
    names = []
    for plugin in PLUGINS:
        if plugin.table(request) not in names:
            names.append(plugin.table(request))
    return names + [table(request.prefix, 'site')]


def columns_query(names):
    """The columns of those of ``names`` the user can see, in the session's database."""
    return ('SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() '
            'AND TABLE_NAME IN (%s)' % placeholders(names), list(names))


def _sharing(plugin, request):
    """The plugins that keep their rows in ``plugin``'s table, and the columns any of them adds."""
    same = [other for other in PLUGINS if other.table(request) == plugin.table(request)]
    return same, [column for other in same for column in other.extra_columns]


def fitting(found, request):
    """[(plugins that could have made it, table)] for every plugin table in ``found`` ({table: columns}); a table
    that no plugin fits is refused: reading it by any plugin's rules would sync the wrong names."""
    candidates = []
    for plugin in PLUGINS:
        name = plugin.table(request)
        if plugin.fallback or name not in found or any(name == t for c, t in candidates):
            continue
        same, extra = _sharing(plugin, request)
        which = [p for p in same if p.fits(found[name], extra)]
        if not which:
            shared = [c for c in same[0].columns if all(c in p.columns for p in same)]
            missing = [c for c in shared if c not in found[name]]
            raise SourceError('shape', '%s has %s, so it is no mapping table this reader knows (columns: %s). Check '
                                       'table_prefix, or name the source the network uses.'
                              % (name, 'no %s column' % ', '.join(missing) if missing else 'no column set of %s'
                                 % _plugin_titles(same), ', '.join(sorted(found[name]))), part='tables')
        candidates.append((which, name))
    return candidates


ACTIVE_PLUGINS = 'active_sitewide_plugins'  # the network's network-activated plugins: {file: time}


def signs_query(request):
    """The network options that say which mapping plugin is meant: its network-activated plugins and the
    options each plugin keeps ({prefix}sitemeta)."""
    keys = [ACTIVE_PLUGINS] + [key for plugin in PLUGINS for key in plugin.option_keys]
    return ('SELECT meta_key, meta_value FROM `%s` WHERE site_id = %%s AND meta_key IN (%s)'
            % (table(request.prefix, 'sitemeta'), placeholders(keys)), [request.network] + keys)


def signs(rows):
    """{plugin name: [what says it is meant]} from the rows of signs_query; a plugin with no sign is absent.

    active_sitewide_plugins that cannot be parsed fails the read: detection without it could switch plugins."""
    found = {}
    for row in rows:
        if row['meta_key'] != ACTIVE_PLUGINS:
            for plugin in PLUGINS:
                if row['meta_key'] in plugin.option_keys:
                    found.setdefault(plugin.name, []).append('its network option %s' % row['meta_key'])
            continue
        try:
            active = php.unserialize(row['meta_value'] or b'a:0:{}')
        except ValueError as exc:
            raise SourceError('settings', "The network's %s cannot be parsed (%s), so source: auto cannot tell which "
                                          'mapping plugin is active. Name the source.' % (ACTIVE_PLUGINS, exc),
                              part='signs')
        for path in sorted(str(key) for key in (active if isinstance(active, dict) else {})):
            for plugin in PLUGINS:
                if path.rsplit('/', 1)[-1] in plugin.plugin_files:
                    found.setdefault(plugin.name, []).insert(0, 'network-active (%s)' % path)
    return found


def _said(found):
    return '; '.join('%s: %s' % (BY_NAME[name].title, ', '.join(what)) for name, what in sorted(found.items()))


def detect(found, request, seen=None):
    """The plugin of a network whose visible tables and columns are ``found`` and whose signs (signs()) are
    ``seen``: (plugin, why). Never switches: a plugin table is read only where no other plugin shows a sign, and
    WordPress's own mapping only where no mapping plugin shows any (a restore that has not reached the plugin's
    table yet, a plugin removed without migrating its mappings). Refuses rather than guesses."""
    seen = dict(seen or {})
    candidates = fitting(found, request)
    if len(candidates) > 1:
        raise SourceError('ambiguous', 'Several mapping sources exist: %s. A migration often leaves the old '
                                       "plugin's table behind; name the one the network uses now (%s)."
                          % ('; '.join('%s (%s)' % (_plugin_titles(c), t) for c, t in candidates),
                             _source_options([p for c, t in candidates for p in c])), part='tables')
    if candidates:
        (which, name), = candidates
        signed = [p for p in which if p.name in seen]
        if len(which) > 1 and len(signed) == 1:
            which = signed  # one table shape, two plugins: the network's own signs say which
        if len(which) > 1:
            raise SourceError('ambiguous', '%s has the columns %s, which %s each create, and they read its rows '
                                           'differently (%s). Name the plugin the network runs (%s).'
                              % (name, ', '.join(sorted(found[name])), ' and '.join(p.title for p in which),
                                 '; '.join('%s: active is %s' % (p.title, p.active_means) for p in which),
                                 _source_options(which)), part='tables')
        plugin = which[0]
        others = dict((n, what) for n, what in seen.items() if n != plugin.name)
        if others:
            raise SourceError('ambiguous', 'source: auto found %s (%s), but the network shows signs of another '
                                           'mapping plugin (%s). Reading either could drop the other\'s domains; '
                                           'name the source the network uses now (%s).'
                              % (plugin.title, name, _said(others),
                                 _source_options([plugin] + [BY_NAME[n] for n in sorted(others)])), part='tables')
        extra = [c for c in plugin.extra_columns if c in found[name]]
        return plugin, 'auto: %s%s%s' % (name, ' with column %s' % extra[-1] if extra else '',
                                         ' and %s' % _said({plugin.name: seen[plugin.name]}) if plugin.name in seen
                                         else '')
    for plugin in PLUGINS:
        if plugin.fallback and plugin.table(request) in found:
            if seen or request.config_signs:
                raise SourceError(
                    'plugin_table_missing',
                    'No mapping plugin table exists under %r, yet %s. A restore that has not reached the plugin\'s '
                    'table, or a plugin removed without migrating its mappings, looks exactly like this; reading '
                    "WordPress's own mapping now would remove that plugin's domains. Wait for the restore; if the "
                    'network really maps its domains with WordPress alone now, name it (source: wordpress).'
                    % (request.prefix, '; '.join(([_said(seen)] if seen else []) + request.config_signs)), part='tables')
            return plugin, 'auto: no mapping plugin table and no sign of one, so the sites of %s' % plugin.table(request)
    raise SourceError('table', 'No multisite tables under table_prefix %r in this database (looked for %s). Check '
                               'database and table_prefix, and that the user may SELECT them: detection sees only '
                               'the tables a user has privileges on.'
                      % (request.prefix, ', '.join(tables_to_look_at(request))), part='tables')


def check_named(plugin, found, request):
    """A named source whose table is visible must have that plugin's shape: reading another plugin's table by
    the wrong rules would sync the wrong names (active means different things)."""
    name = plugin.table(request)
    if name not in found:
        return  # the query then fails with the server's own 1142 or 1146
    same, extra = _sharing(plugin, request)
    if plugin.fits(found[name], extra):
        return
    actual = [p for p in same if p.fits(found[name], extra)]
    if len(actual) == 1:
        raise SourceError('shape', 'source is %s, but %s has the columns of %s (%s). Check which plugin the network '
                                   'runs (source: %s?).'
                          % (plugin.name, name, actual[0].title, ', '.join(sorted(found[name])), actual[0].name),
                          part='tables')
    raise SourceError('shape', 'source is %s, but %s has only the columns %s, which %s never creates without %s.'
                      % (plugin.name, name, ', '.join(sorted(found[name])), plugin.title,
                         ', '.join(c for c in plugin.columns + plugin.marks if c not in found[name])), part='tables')
