# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The network's mapped domains, read whole or not at all: one loop over the mapping plugins.

Detection (which plugin's table is there), the read (every query required, all in one snapshot of
database.read) and the shaping of rows into domains are written once here; what differs between plugins
lives in mapping_plugins/, one small class each.
"""

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import domains
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import database
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import (
    CollectionError, SourceError, check_keys)
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import BY_NAME, PLUGINS
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import Read, placeholders, table
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.ultimate_multisite import (
    DEFAULT_STAGES, STAGES)

SOURCES = tuple(plugin.name for plugin in PLUGINS)
# the sites' own addresses, read beside every plugin that maps them: the source whose rows are the sites
SITE_ADDRESSES = next(plugin for plugin in PLUGINS if plugin.lists_sites)


def _source_options(plugins):
    return ' or '.join('source: %s' % plugin.name for plugin in plugins)


def _plugin_titles(plugins):
    return ' or '.join(plugin.title for plugin in plugins)


def tables_to_look_at(read):
    names = []
    for plugin in PLUGINS:
        if plugin.table(read) not in names:
            names.append(plugin.table(read))
    return names + [table(read.prefix, 'site')]


def columns_query(names):
    """The columns of those of ``names`` the user can see, in the session's database."""
    return ('SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() '
            'AND TABLE_NAME IN (%s)' % placeholders(names), list(names))


def _sharing(plugin, read):
    """The plugins that keep their rows in ``plugin``'s table, and the columns any of them adds."""
    same = [other for other in PLUGINS if other.table(read) == plugin.table(read)]
    return same, [column for other in same for column in other.extra_columns]


def fitting(found, read):
    """[(plugins that could have made it, table)] for every plugin table in ``found`` ({table: columns}); a table
    that no plugin fits is refused: reading it by any plugin's rules would sync the wrong names."""
    candidates = []
    for plugin in PLUGINS:
        name = plugin.table(read)
        if plugin.fallback or name not in found or any(name == t for c, t in candidates):
            continue
        same, extra = _sharing(plugin, read)
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


def signs_query(read):
    """The network options that say which mapping plugin is meant: its network-activated plugins and the
    options each plugin keeps ({prefix}sitemeta)."""
    keys = [ACTIVE_PLUGINS] + [key for plugin in PLUGINS for key in plugin.option_keys]
    return ('SELECT meta_key, meta_value FROM `%s` WHERE site_id = %%s AND meta_key IN (%s)'
            % (table(read.prefix, 'sitemeta'), placeholders(keys)), [read.network] + keys)


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


def detect(found, read, seen=None):
    """The plugin of a network whose visible tables and columns are ``found`` and whose signs (signs()) are
    ``seen``: (plugin, why). Never switches: a plugin table is read only where no other plugin shows a sign, and
    WordPress's own mapping only where no mapping plugin shows any (a restore that has not reached the plugin's
    table yet, a plugin removed without migrating its mappings). Refuses rather than guesses."""
    seen = dict(seen or {})
    candidates = fitting(found, read)
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
        if plugin.fallback and plugin.table(read) in found:
            if seen or read.config_signs:
                raise SourceError(
                    'plugin_table_missing',
                    'No mapping plugin table exists under %r, yet %s. A restore that has not reached the plugin\'s '
                    'table, or a plugin removed without migrating its mappings, looks exactly like this; reading '
                    "WordPress's own mapping now would remove that plugin's domains. Wait for the restore; if the "
                    'network really maps its domains with WordPress alone now, name it (source: wordpress).'
                    % (read.prefix, '; '.join(([_said(seen)] if seen else []) + read.config_signs)), part='tables')
            return plugin, 'auto: no mapping plugin table and no sign of one, so the sites of %s' % plugin.table(read)
    raise SourceError('table', 'No multisite tables under table_prefix %r in this database (looked for %s). Check '
                               'database and table_prefix, and that the user may SELECT them: detection sees only '
                               'the tables a user has privileges on.'
                      % (read.prefix, ', '.join(tables_to_look_at(read))), part='tables')


def check_named(plugin, found, read):
    """A named source whose table is visible must have that plugin's shape: reading another plugin's table by
    the wrong rules would sync the wrong names (active means different things)."""
    name = plugin.table(read)
    if name not in found:
        return  # the query then fails with the server's own 1142 or 1146
    same, extra = _sharing(plugin, read)
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


def subdomain_base(network_domain):
    """The domain the network's subdomain sites sit under: its own, less a leading www. (wpmu_validate_blog_signup
    and site-new.php strip it, so a network on www.second.test has its sites under second.test)."""
    if network_domain and network_domain.startswith('www.'):
        return network_domain[len('www.'):]
    return network_domain


def to_domains(plugin, rows, network_domain):
    """Rows -> (domains, mappings, invalid rows, subdomain sites), names normalised by the collection's rules.

    ``custom`` tells a customer's own domain from the network's domain and the names under it (subdomain sites:
    they get no www. form). A plugin whose rows are the sites (WordPress's own mapping) maps only the sites on a
    custom domain; a mapping the app does not serve (a Dark Matter media domain) is kept in ``mappings`` only.
    A row the plugin cannot read, or whose domain is malformed, is set apart in ``invalid``, never passed on.
    """
    names, mappings, invalid, subdomains = [], [], [], []
    named, listed = set(), set()  # what names and subdomains hold: membership in constant time, order kept
    base = subdomain_base(network_domain)
    for row in rows:
        try:
            found = plugin.mapping(row)
            found['domain'] = domains.normalise_name(found['domain'])
        except (ValueError, TypeError, KeyError) as exc:
            invalid.append({'id': row.get('id'), 'blog_id': row.get('blog_id'), 'domain': row.get('domain'),
                            'reason': str(exc) if isinstance(exc, ValueError) else 'cannot be read (%s)' % exc})
            continue
        name = found['domain']
        found['custom'] = name not in (network_domain, base) and not domains.is_under(name, [base])
        if plugin.lists_sites and not found['custom']:
            if name not in (network_domain, base) and name not in listed:
                listed.add(name)
                subdomains.append(name)
            continue
        mappings.append(found)
        if plugin.served(found) and name not in named:
            named.add(name)
            names.append(name)
    return names, mappings, invalid, subdomains


def _network_domain(db, read):
    """The network's domain ({prefix}site): required, since it tells mapped names from subdomain sites."""
    name = table(read.prefix, 'site')
    rows = db.rows(('SELECT domain FROM `%s` WHERE id = %%s' % name, [read.network]), 'network',
                   "the network's domain (%s)" % name)
    if not rows:
        raise SourceError('network_id', 'There is no network %d in %s, so mapped sites cannot be told from the '
                                        "network's own. Check network_id and table_prefix."
                          % (read.network, name), part='network')
    try:
        return domains.normalise_name(rows[0]['domain'])
    except ValueError as exc:
        raise SourceError('network_id', "The network's domain %r in %s %s. Check network_id and table_prefix."
                          % (rows[0]['domain'], name, exc), part='network')


def _sites_own_domains(db, read, result, plugin):
    """custom_site_domains: live sites whose own address is a custom domain the plugin does not list (changed in
    the site's settings, or WordPress's own mapping beside the plugin's). Required like every other part: read
    as empty, these sites' domains would be removed by the exclusive sync."""
    rows = db.rows(SITE_ADDRESSES.query(Read(read.prefix, read.network_id, True, read.blog_ids), None), 'sites',
                   "the sites' own addresses (%s)" % SITE_ADDRESSES.table(read))
    names = to_domains(SITE_ADDRESSES, rows, result['network_domain'])[0]
    mapped = set(result['domains'])
    unlisted = result['custom_site_domains'] = [name for name in names if name not in mapped]
    if unlisted:
        result['problems'].append(
            '%d live site(s) have a custom domain of their own in %s that %s does not list (%s): WordPress serves each '
            'site at that name, so it is returned in custom_site_domains and the domain_mapping role keeps it on the '
            "app. Map it in the plugin too, or change the site's address if it is stale."
            % (len(unlisted), SITE_ADDRESSES.table(read), plugin.title,
               domains.first_few(unlisted)))


def read_network(db, source, read):
    """Everything the reader returns, through one read-only snapshot ``db`` (database.Session)."""
    if read.network_id is not None and int(read.network_id) < 1:
        raise SourceError('network_id', 'network_id must be a network ID (1 or more), got %r.' % read.network_id)
    found = {}
    for row in db.rows(columns_query(tables_to_look_at(read)), 'tables', 'which tables exist (information_schema)'):
        found.setdefault(row['TABLE_NAME'], set()).add(row['COLUMN_NAME'])
    seen = None
    if source == 'auto':
        # no table visible at all: detection says so, with what to grant
        seen = signs(db.rows(signs_query(read), 'signs', "the network's active plugins and plugin options (%s)"
                             % table(read.prefix, 'sitemeta'))) if found else {}
        plugin, reason = detect(found, read, seen)
    else:
        plugin, reason = BY_NAME[source], 'named'
        check_named(plugin, found, read)
    network_domain = _network_domain(db, read)
    rows = db.rows(plugin.query(read, found.get(plugin.table(read))), 'mappings',
                   '%s mappings (%s)' % (plugin.title, plugin.table(read)))
    names, mappings, invalid, subdomains = to_domains(plugin, rows, network_domain)
    result = dict(source=plugin.name, source_reason=reason, source_signs=seen, domains=names, mappings=mappings,
                  count=len(mappings), invalid_rows=invalid, network_domain=network_domain,
                  subdomain_base=subdomain_base(network_domain), subdomain_sites=subdomains, table=plugin.table(read),
                  custom_site_domains=[], problems=[])
    if not plugin.lists_sites:
        _sites_own_domains(db, read, result, plugin)
    extra, problems = plugin.settings(db, read)
    result.update(www_setting=None, www_setting_from=None)
    result.update(extra)
    result['problems'].extend(problems)
    if read.integration:
        extra, problems = plugin.integration(db, read)
        result.update(extra)
        result['problems'].extend(problems)
    return result


# -- the reader's options and whole read, for multisite_domains_info and the event source mapping_changes -----------

def argument_spec():
    """The reader's options."""
    spec = database.argument_spec()
    spec.update(
        active_only=dict(type='bool', default=True),
        stages=dict(type='list', elements='str', choices=list(STAGES), default=list(DEFAULT_STAGES)),
        blog_ids=dict(type='list', elements='int'),
        network_id=dict(type='int'),
        read_www_setting=dict(type='bool', default=True),
        read_plugin_integration=dict(type='bool', default=True),
        source=dict(type='str', default='auto', choices=['auto'] + list(SOURCES)),
    )
    return spec


# Where the read runs, beside what it reads: the role delegates its read to this inventory host; the event source
# reads where it runs.
WHERE = ('host',)
# What the reader's caller decides, never the description: the role reads the www rule only where it follows it.
NOT_DESCRIBED = ('read_www_setting', 'read_plugin_integration')


def described_keys():
    """The keys of the one description of what is read (the role's serverpilot_database): the reader's options
    and ``host``."""
    return sorted([key for key in argument_spec() if key not in NOT_DESCRIBED] + list(WHERE))


def read_options(database, what='serverpilot_database'):
    """The reader's options from the one description of what is read - the role's ``serverpilot_database``, which
    the role, the reader module, the event source and sync_network all read through - without ``host``.

    Every key must be one of described_keys(): an unknown one is refused naming the closest, never ignored."""
    if not isinstance(database, dict):
        raise CollectionError('%s must be a dict of multisite_domains_info options (and host), got %s.'
                              % (what, type(database).__name__))
    check_keys(database, described_keys(), what)
    return dict((key, value) for key, value in database.items() if key not in WHERE)


def read_from(params, source):
    """The whole read the module options ask for: (result, warnings)."""
    result = database.read_with(params, lambda db, settings: read_network(db, source, Read(
        settings['table_prefix'], params['network_id'], params['active_only'], params['blog_ids'], params['stages'],
        params['read_www_setting'], settings['config_signs'], params['read_plugin_integration'])))
    warnings = ['Skipped mapping row %s (blog %s): domain %r %s; fix it in %s.'
                % ('id %s' % row['id'] if row['id'] is not None else 'of the site', row['blog_id'], row['domain'],
                   row['reason'], BY_NAME[result['source']].title)
                for row in result['invalid_rows']]
    return result, warnings + result.pop('problems')
