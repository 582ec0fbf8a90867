# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The network's mapped domains, read whole or not at all: one loop over the mapping plugins.

The read (every query required, all in one snapshot of database.in_snapshot), the shaping of rows into domains
and the reader's options are written once here, detection (which plugin's rows to read) in detection.py; what
differs between plugins lives in mapping_plugins/, one small class each.
"""

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import (
    CollectionError, SourceError, check_keys)
from ansible_collections.multisite.serverpilot.plugins.module_utils import domain_names
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import database, detection
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import BY_NAME, PLUGINS
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import Request, table

SOURCES = tuple(plugin.name for plugin in PLUGINS)
# the sites' own addresses, read beside every plugin that maps them: the source whose rows are the sites
SITE_ADDRESSES = next(plugin for plugin in PLUGINS if plugin.lists_sites)


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
            found['domain'] = domain_names.normalise_name(found['domain'])
        except (ValueError, TypeError, KeyError) as exc:
            invalid.append({'id': row.get('id'), 'blog_id': row.get('blog_id'), 'domain': row.get('domain'),
                            'reason': str(exc) if isinstance(exc, ValueError) else 'cannot be read (%s)' % exc})
            continue
        name = found['domain']
        found['custom'] = name not in (network_domain, base) and not domain_names.is_under(name, [base])
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


def _network_domain(session, request):
    """The network's domain ({prefix}site): required, since it tells mapped names from subdomain sites."""
    name = table(request.prefix, 'site')
    rows = session.rows(('SELECT domain FROM `%s` WHERE id = %%s' % name, [request.network]), 'network',
                        "the network's domain (%s)" % name)
    if not rows:
        raise SourceError('network_id', 'There is no network %d in %s, so mapped sites cannot be told from the '
                                        "network's own. Check network_id and table_prefix."
                          % (request.network, name), part='network')
    try:
        return domain_names.normalise_name(rows[0]['domain'])
    except ValueError as exc:
        raise SourceError('network_id', "The network's domain %r in %s %s. Check network_id and table_prefix."
                          % (rows[0]['domain'], name, exc), part='network')


def _sites_own_domains(session, request, result, plugin):
    """custom_site_domains: live sites whose own address is a custom domain the plugin does not list (changed in
    the site's settings, or WordPress's own mapping beside the plugin's). Required like every other part: read
    as empty, these sites' domains would be removed by the exclusive sync."""
    live = Request(request.prefix, request.network_id, True, request.blog_ids, source=SITE_ADDRESSES.name)
    rows = session.rows(SITE_ADDRESSES.query(live, None), 'sites',
                        "the sites' own addresses (%s)" % SITE_ADDRESSES.table(request))
    names = to_domains(SITE_ADDRESSES, rows, result['network_domain'])[0]
    mapped = set(result['domains'])
    unlisted = result['custom_site_domains'] = [name for name in names if name not in mapped]
    if unlisted:
        result['problems'].append(
            '%d live site(s) have a custom domain of their own in %s that %s does not list (%s): WordPress serves each '
            'site at that name, so it is returned in custom_site_domains and the domain_mapping role keeps it on the '
            "app. Map it in the plugin too, or change the site's address if it is stale."
            % (len(unlisted), SITE_ADDRESSES.table(request), plugin.title,
               domain_names.first_few(unlisted)))


def read_network(session, request):
    """Everything the reader returns, through one read-only snapshot ``session`` (database.Session)."""
    if request.network_id is not None and int(request.network_id) < 1:
        raise SourceError('network_id', 'network_id must be a network ID (1 or more), got %r.' % request.network_id)
    found = {}
    for row in session.rows(detection.columns_query(detection.tables_to_look_at(request)), 'tables',
                            'which tables exist (information_schema)'):
        found.setdefault(row['TABLE_NAME'], set()).add(row['COLUMN_NAME'])
    seen = None
    if request.source == 'auto':
        # no table visible at all: detection says so, with what to grant
        seen = detection.signs(session.rows(
            detection.signs_query(request), 'signs', "the network's active plugins and plugin options (%s)"
            % table(request.prefix, 'sitemeta'))) if found else {}
        plugin, reason = detection.detect(found, request, seen)
    else:
        plugin, reason = BY_NAME[request.source], 'named'
        detection.check_named(plugin, found, request)
    network_domain = _network_domain(session, request)
    rows = session.rows(plugin.query(request, found.get(plugin.table(request))), 'mappings',
                        '%s mappings (%s)' % (plugin.title, plugin.table(request)))
    names, mappings, invalid, subdomains = to_domains(plugin, rows, network_domain)
    result = dict(source=plugin.name, source_reason=reason, source_signs=seen, domains=names, mappings=mappings,
                  count=len(mappings), invalid_rows=invalid, network_domain=network_domain,
                  subdomain_base=subdomain_base(network_domain), subdomain_sites=subdomains,
                  table=plugin.table(request), custom_site_domains=[], problems=[])
    if not plugin.lists_sites:
        _sites_own_domains(session, request, result, plugin)
    # what the plugin says of the network beyond its rows (its hooks give every key, null where it has none)
    extra, problems = plugin.network_settings(session, request)
    result.update(extra)
    result['problems'].extend(problems)
    if request.read_plugin_integration:
        extra, problems = plugin.integration(session, request)
        result.update(extra)
        result['problems'].extend(problems)
    return result


# -- the reader's options and whole read, for multisite_domains_info and the event source mapping_changes -----------

def argument_spec():
    """The reader's options: the database's, the reader's own, and those a mapping plugin adds (its own)."""
    spec = database.argument_spec()
    spec.update(
        active_only=dict(type='bool', default=True),
        blog_ids=dict(type='list', elements='int'),
        network_id=dict(type='int'),
        read_www_setting=dict(type='bool', default=True),
        read_plugin_integration=dict(type='bool', default=True),
        source=dict(type='str', default='auto', choices=['auto'] + list(SOURCES)),
    )
    for plugin in PLUGINS:
        spec.update(plugin.options)
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


def read_options(description, what='serverpilot_database'):
    """The reader's options from the one description of what is read - the role's ``serverpilot_database``, which
    the role, the reader module, the event source and sync_network all read through - without ``host``.

    Every key must be one of described_keys(): an unknown one is refused naming the closest, never ignored."""
    if not isinstance(description, dict):
        raise CollectionError('%s must be a dict of multisite_domains_info options (and host), got %s.'
                              % (what, type(description).__name__))
    check_keys(description, described_keys(), what)
    return dict((key, value) for key, value in description.items() if key not in WHERE)


def read(params):
    """The whole read the reader's options ``params`` ask for: (result, warnings)."""
    result = database.in_snapshot_for(params, lambda session, connection: read_network(session, Request(
        connection['table_prefix'], params['network_id'], params['active_only'], params['blog_ids'],
        params['stages'], params['read_www_setting'], connection['config_signs'], params['read_plugin_integration'],
        params['source'])))
    warnings = ['Skipped mapping row %s (blog %s): domain %r %s; fix it in %s.'
                % ('id %s' % row['id'] if row['id'] is not None else 'of the site', row['blog_id'], row['domain'],
                   row['reason'], BY_NAME[result['source']].title)
                for row in result['invalid_rows']]
    return result, warnings + result.pop('problems')
