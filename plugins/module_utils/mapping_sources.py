# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where a WordPress network keeps its mapped domains, and how each plugin's table reads.

Pure rules - which source a set of tables and columns is, each source's SELECT, a row as a mapping - and
``read_network``, which runs them through one read-only session (wordpress_db.read). Each plugin's columns
and their meaning come from that plugin's own code: see the tests' DDL (tests/mariadb_server.py).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multisite.serverpilot.plugins.module_utils import domains
from ansible_collections.multisite.serverpilot.plugins.module_utils import ultimate_multisite as um
from ansible_collections.multisite.serverpilot.plugins.module_utils import wordpress_db
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress_db import SourceError, table

SOURCES = ('ultimate_multisite', 'wordpress', 'mercator', 'wpmu_domain_mapping', 'wpmudev_domain_mapping',
           'dark_matter')
NAMES = {'ultimate_multisite': 'Ultimate Multisite', 'wordpress': "WordPress's own domain mapping",
         'mercator': 'Mercator', 'wpmu_domain_mapping': 'WPMU Domain Mapping',
         'wpmudev_domain_mapping': 'WPMU DEV Domain Mapping', 'dark_matter': 'Dark Matter'}
PLUGIN_TABLE = 'domain_mapping'  # {prefix}domain_mapping: four plugins, one name
BASE_COLUMNS = ('id', 'blog_id', 'domain', 'active')
# Columns a plugin adds to the shared shape, by source: read where the table has them (older versions lack some).
EXTRA_COLUMNS = {'mercator': (), 'wpmu_domain_mapping': (), 'wpmudev_domain_mapping': ('is_primary', 'scheme'),
                 'dark_matter': ('is_primary', 'is_https', 'type')}
SCHEMES = {0: 'http', 1: 'https', 2: 'both'}  # WPMU DEV Domain Mapping's scheme column
DARK_MATTER_TYPES = {1: 'main', 2: 'media'}  # type 2: a media (CDN) domain, served elsewhere


def plugin_table_source(columns):
    """Which plugins could have made a {prefix}domain_mapping with these columns (a tuple of sources)."""
    if 'is_https' in columns or 'type' in columns:
        return ('dark_matter',)
    if 'scheme' in columns or 'is_primary' in columns:  # is_primary came in WPMU DEV 4.0.3, scheme in 4.2
        return ('wpmudev_domain_mapping',)
    return ('mercator', 'wpmu_domain_mapping')  # one shape, `active` read oppositely


def tables_to_look_at(prefix, network_id=None):
    return [um.mappings_table(prefix, network_id), table(prefix, PLUGIN_TABLE), table(prefix, 'blogs'),
            table(prefix, 'site')]


def columns_query(names):
    """The columns of those of ``names`` the user can see, in the session's database."""
    return ('SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() '
            'AND TABLE_NAME IN (%s)' % ', '.join(['%s'] * len(names)), list(names))


def _either(names):
    return ' or '.join('source: %s' % name for name in names)


def detect(found, prefix, network_id=None):
    """The source of a network whose visible tables and columns are ``found`` ({table: set of columns}):
    (source, why). Refuses rather than guesses."""
    um_table, plugin_table = um.mappings_table(prefix, network_id), table(prefix, PLUGIN_TABLE)
    candidates = []
    if um_table in found:
        candidates.append((('ultimate_multisite',), um_table))
    if plugin_table in found:
        columns = found[plugin_table]
        missing = [c for c in BASE_COLUMNS if c not in columns]
        if missing:
            raise SourceError('shape', '%s has no %s column, so it is no domain mapping table this reader knows '
                                       '(columns: %s). Check table_prefix, or name the source the network uses.'
                              % (plugin_table, ', '.join(missing), ', '.join(sorted(columns))))
        candidates.append((plugin_table_source(columns), plugin_table))
    if len(candidates) > 1:
        raise SourceError('ambiguous', 'Several mapping sources exist: %s. A migration often leaves the old '
                                       "plugin's table behind; name the one the network uses now (%s)."
                          % ('; '.join('%s (%s)' % (' or '.join(NAMES[s] for s in c), t) for c, t in candidates),
                             _either([s for c, t in candidates for s in c])))
    if candidates:
        (which, name), = candidates
        if len(which) > 1:
            raise SourceError('ambiguous', '%s has the columns %s, which both Mercator and WPMU Domain Mapping '
                                           'create, and the two read active oppositely (Mercator: the mapping is '
                                           'enabled; WPMU Domain Mapping: the primary domain, every row mapped). '
                                           'Name the plugin the network runs (%s).'
                              % (name, ', '.join(BASE_COLUMNS), _either(which)))
        extra = [c for c in EXTRA_COLUMNS.get(which[0], ()) if c in found[name]]
        return which[0], 'auto: %s%s' % (name, ' with column %s' % extra[-1] if extra else '')
    if table(prefix, 'blogs') in found:
        return 'wordpress', 'auto: no mapping plugin table, so the sites of %s' % table(prefix, 'blogs')
    raise SourceError('table', 'No multisite tables under table_prefix %r in this database (looked for %s). Check '
                               'database and table_prefix, and that the user may SELECT them: detection sees only '
                               'the tables a user has privileges on.'
                      % (prefix, ', '.join(tables_to_look_at(prefix, network_id))))


def check_named(source, found, prefix):
    """A named plugin source whose table is visible must have that plugin's shape: reading another plugin's
    table by the wrong rules would sync the wrong names (active means different things)."""
    name = table(prefix, PLUGIN_TABLE)
    if source not in EXTRA_COLUMNS or name not in found:
        return
    actual = plugin_table_source(found[name])
    if source in actual:
        return
    if len(actual) == 1:
        raise SourceError('shape', 'source is %s, but %s has the columns of %s (%s). Check which plugin the network '
                                   'runs (source: %s?).'
                          % (source, name, NAMES[actual[0]], ', '.join(sorted(found[name])), actual[0]))
    raise SourceError('shape', 'source is %s, but %s has only the columns %s, which %s never creates without %s.'
                      % (source, name, ', '.join(sorted(found[name])), NAMES[source],
                         ', '.join(c for c in EXTRA_COLUMNS[source] if c not in found[name])))


def _in(column, values, where, args):
    where.append('%s IN (%s)' % (column, ', '.join(['%s'] * len(values))))
    args.extend(int(v) for v in values)


def build_query(source, prefix, columns=None, active_only=True, blog_ids=None, network_id=None,
                stages=um.DEFAULT_STAGES):
    """The SELECT of ``source`` and its parameters. ``columns``: the table's visible columns (None: unknown, so
    every column the source may have is asked for and the server says what is wrong)."""
    if source == 'ultimate_multisite':
        return um.build_query(prefix, active_only, stages, blog_ids, network_id)
    where, args = [], []
    if source == 'wordpress':
        where.append('site_id = %s')
        args.append(int(network_id or 1))
        if active_only:  # bound as '0': older schemas made archived an enum('0','1')
            where.append('archived = %s AND spam = %s AND deleted = %s')
            args.extend(['0', '0', '0'])
        if blog_ids:
            _in('blog_id', blog_ids, where, args)
        return ('SELECT blog_id, domain, path, archived, spam, deleted FROM `%s` WHERE %s ORDER BY blog_id'
                % (table(prefix, 'blogs'), ' AND '.join(where)), args)
    wanted = list(BASE_COLUMNS) + [c for c in EXTRA_COLUMNS[source] if columns is None or c in columns]
    if active_only and source != 'wpmu_domain_mapping':  # there active marks the primary domain
        where.append('active = 1')
    if blog_ids:
        _in('blog_id', blog_ids, where, args)
    if network_id is not None:  # one table for every network of the install: its sites' rows only
        where.append('blog_id IN (SELECT blog_id FROM `%s` WHERE site_id = %%s)' % table(prefix, 'blogs'))
        args.append(int(network_id))
    primary = {'wpmu_domain_mapping': 'active'}.get(source, 'is_primary' if 'is_primary' in wanted else None)
    return ('SELECT %s FROM `%s`%s ORDER BY blog_id, %sid'
            % (', '.join(wanted), table(prefix, PLUGIN_TABLE), ' WHERE ' + ' AND '.join(where) if where else '',
               '%s DESC, ' % primary if primary else ''), args)


def network_query(prefix, network_id=None):
    return 'SELECT domain FROM `%s` WHERE id = %%s' % table(prefix, 'site'), [int(network_id or 1)]


def mapping(source, row):
    """One row of ``source`` as a mapping: id, blog_id, domain (as stored), active, primary (None where the source
    does not know), and what else the source says."""
    if source == 'ultimate_multisite':
        return um.mapping(row)
    if source == 'wordpress':
        live = not any(str(row[flag]) == '1' for flag in ('archived', 'spam', 'deleted'))
        return {'id': None, 'blog_id': int(row['blog_id']), 'domain': row['domain'], 'active': live,
                'primary': True, 'path': row['path']}
    found = {'id': int(row['id']), 'blog_id': int(row['blog_id']), 'domain': row['domain'],
             'active': bool(row['active']), 'primary': bool(row['is_primary']) if 'is_primary' in row else None}
    if source == 'wpmu_domain_mapping':
        found.update(active=True, primary=bool(row['active']))  # every row is mapped; active marks the primary
    if 'scheme' in row:
        found['scheme'] = SCHEMES.get(int(row['scheme']), str(row['scheme']))
    if source == 'dark_matter':
        found['is_https'] = bool(row['is_https']) if 'is_https' in row else None
        found['type'] = DARK_MATTER_TYPES.get(int(row['type']), str(row['type'])) if 'type' in row else 'main'
    return found


def shape(source, rows, network_domain=None):
    """Mappings -> (domains, mappings, invalid rows, subdomain sites), names normalised by the collection's rules.

    ``custom`` tells a customer's own domain from the network's domain and the names under it (subdomain sites:
    they get no www. form). WordPress's own mapping maps only the sites on a custom domain; Dark Matter's media
    domains are kept in ``mappings`` but are not served by the app, so they are not in ``domains``.
    """
    names, mappings, invalid, subdomains = [], [], [], []
    for row in rows:
        found = mapping(source, row)
        try:
            found['domain'] = domains.normalise_name(found['domain'])
        except ValueError as exc:
            invalid.append({'id': found['id'], 'blog_id': found['blog_id'], 'domain': found['domain'],
                            'reason': str(exc)})
            continue
        name = found['domain']
        found['custom'] = None if network_domain is None else (
            name != network_domain and not domains.is_under(name, [network_domain]))
        if source == 'wordpress' and not found['custom']:
            if name != network_domain and name not in subdomains:
                subdomains.append(name)
            continue
        mappings.append(found)
        if found.get('type', 'main') == 'main' and name not in names:
            names.append(name)
    return names, mappings, invalid, subdomains


def _network_domain(db, prefix, network_id, required):
    rows, problem = db.optional(network_query(prefix, network_id))
    if rows:
        try:
            return domains.normalise_name(rows[0][0]), None
        except ValueError as exc:
            problem = "the network's domain %r %s" % (rows[0][0], exc)
    problem = problem or 'no network %d in %s' % (network_id or 1, table(prefix, 'site'))
    if required:
        raise SourceError('network_id', "WordPress's own mapping needs the network's domain to tell mapped sites from "
                                        'the others, and %s. Check network_id and table_prefix.' % problem)
    return None, problem


def _sites_own_domains(db, result, prefix, blog_ids, network_id):
    """custom_site_domains: live sites whose own address is a custom domain the plugin does not list (changed in
    the site's settings, or WordPress's own mapping beside the plugin's), and what to tell the operator."""
    rows, why = db.optional(build_query('wordpress', prefix, None, True, blog_ids, network_id))
    if why:
        result['problems'].append("The sites' own addresses could not be read, so custom_site_domains is empty: %s"
                                  % why)
    if not rows:
        return
    names = shape('wordpress', [dict(zip(db.columns(), row)) for row in rows], result['network_domain'])[0]
    unlisted = result['custom_site_domains'] = [name for name in names if name not in result['domains']]
    if unlisted:
        result['problems'].append(
            '%d live site(s) have a custom domain of their own in %s that %s does not list (%s): WordPress serves each '
            'site at that name, so it is returned in custom_site_domains and the domain_mapping role keeps it on the '
            "app. Map it in the plugin too, or change the site's address if it is stale."
            % (len(unlisted), table(prefix, 'blogs'), NAMES[result['source']],
               ', '.join(unlisted[:5]) + (', ...' if len(unlisted) > 5 else '')))


def _table_read(source, prefix, network_id):
    if source == 'wordpress':
        return table(prefix, 'blogs')
    if source == 'ultimate_multisite':
        return um.mappings_table(prefix, network_id)
    return table(prefix, PLUGIN_TABLE)


def read_network(db, source, prefix, active_only=True, blog_ids=None, network_id=None, stages=um.DEFAULT_STAGES):
    """Everything the reader returns, through one read-only session ``db`` (wordpress_db.Session)."""
    if network_id is not None and int(network_id) < 1:
        raise SourceError('network_id', 'network_id must be a network ID (1 or more), got %r.' % network_id)
    found = {}
    for name, column in db.rows(columns_query(tables_to_look_at(prefix, network_id))):
        found.setdefault(name, set()).add(column)
    if source == 'auto':
        source, reason = detect(found, prefix, network_id)
    else:
        check_named(source, found, prefix)
        reason = 'named'
    network_domain, problem = _network_domain(db, prefix, network_id, required=source == 'wordpress')
    rows = db.rows(build_query(source, prefix, found.get(table(prefix, PLUGIN_TABLE)), active_only, blog_ids,
                               network_id, stages))
    columns = db.columns()
    names, mappings, invalid, subdomains = shape(source, [dict(zip(columns, row)) for row in rows], network_domain)
    result = dict(source=source, source_reason=reason, domains=names, mappings=mappings, count=len(mappings),
                  invalid_rows=invalid, network_domain=network_domain, subdomain_sites=subdomains,
                  table=_table_read(source, prefix, network_id), www_setting=None, www_setting_from=None,
                  custom_site_domains=[], problems=[])
    if problem:
        result['problems'].append("The network's domain could not be read, so each mapping's custom is null: %s"
                                  % problem)
    if source != 'wordpress' and network_domain:
        _sites_own_domains(db, result, prefix, blog_ids, network_id)
    if source == 'ultimate_multisite':
        meta, why = db.optional(um.settings_query(prefix, network_id))
        if why:
            result['problems'].append("The network's settings could not be read, so www_setting is null: %s" % why)
        else:
            result['www_setting'], result['www_setting_from'] = um.www_setting(meta[0][0] if meta else None)
    return result


# -- the readers' module flow (multisite_domains_info, ultimate_multisite_domains_info) ---------------------------

def argument_spec(source_choice=True):
    """The reader's options; the Ultimate Multisite name takes them all but the source."""
    spec = wordpress_db.argument_spec()
    spec.update(
        active_only=dict(type='bool', default=True),
        stages=dict(type='list', elements='str', choices=list(um.STAGES),
                    default=list(um.DEFAULT_STAGES)),
        blog_ids=dict(type='list', elements='int'),
        network_id=dict(type='int'),
    )
    if source_choice:
        spec['source'] = dict(type='str', default='auto', choices=['auto'] + list(SOURCES))
    return spec


def work(run, source=None):
    params = run.params
    result = wordpress_db.read_with(params, lambda db, prefix: read_network(
        db, source or params['source'], prefix, params['active_only'], params['blog_ids'], params['network_id'],
        params['stages']))
    for row in result['invalid_rows']:
        run.warn('Skipped mapping row %s (blog %s): domain %r %s; fix it in %s.'
                 % ('id %s' % row['id'] if row['id'] is not None else 'of the site', row['blog_id'], row['domain'],
                    row['reason'], NAMES[result['source']]))
    for problem in result.pop('problems'):
        run.warn(problem)
    return dict(result, changed=False)
