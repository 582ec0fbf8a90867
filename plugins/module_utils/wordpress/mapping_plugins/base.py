# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a mapping plugin declares, and the shape four of them share ({prefix}domain_mapping).

A plugin is one small class: its table, the columns that identify it, its query, its row-to-mapping step. The
reader (reader.py) loops over them and never asks which one it holds. Pure: no database library.
"""

import re

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError

_PREFIX = re.compile(r'^[A-Za-z0-9_]+$')


def table(prefix, name):
    """A table name under ``prefix``, which is checked: table names cannot be bound parameters."""
    if not _PREFIX.match(prefix):
        raise SourceError('table_prefix', 'table_prefix %r may only hold letters, digits and underscores.' % prefix)
    return prefix + name


def placeholders(values):
    return ', '.join(['%s'] * len(values))


def only_blogs(request, where, args):
    """Add the ``blog_ids`` filter, where the read asks for one."""
    if request.blog_ids:
        where.append('blog_id IN (%s)' % placeholders(request.blog_ids))
        args.extend(int(b) for b in request.blog_ids)


class Request(object):
    """What one read asks for: the reader's options, as plain values (``source``: a plugin's name, or auto)."""

    def __init__(self, prefix='wp_', network_id=None, active_only=True, blog_ids=None, stages=None,
                 read_www_setting=True, config_signs=(), read_plugin_integration=False, source='auto'):
        self.prefix, self.network_id, self.active_only = prefix, network_id, active_only
        self.blog_ids, self.stages, self.source = blog_ids, stages, source
        # whether to read the network's www. rule (the role reads it only where it follows it)
        self.read_www_setting = read_www_setting
        # whether to read what the plugin's own ServerPilot integration is set to (a second writer of the app)
        self.read_plugin_integration = read_plugin_integration
        # what wp-config.php says of a mapping plugin (a SUNRISE drop-in), for detection
        self.config_signs = list(config_signs)

    @property
    def network(self):
        return int(self.network_id or 1)


class MappingPlugin(object):
    """One source of mappings. Subclasses set the attributes and write ``query`` and ``mapping``."""

    name = None          # the value of the reader's ``source`` option
    title = None         # the plugin's name, for messages
    table_name = None    # under the prefix
    columns = ()         # the columns every version of its table has; the query reads them
    extra_columns = ()   # columns some versions add, read where the table has them
    marks = ()           # columns only this plugin adds: one of them must be there (none: any table of the shape)
    lists_sites = False  # its rows are the sites themselves (WordPress's own mapping), not mappings of them
    fallback = False     # the source when no plugin table exists
    # signs on the network that the plugin is meant, table or not: the file names of its main plugin file in the
    # network's active_sitewide_plugins, and network options ({prefix}sitemeta) it keeps
    plugin_files = ()
    option_keys = ()
    www_rule = False     # its settings hold a www. rule the role can follow (serverpilot_www=source)
    options = {}         # reader options only this plugin reads (an argument spec's entries)

    def table(self, request):
        return table(request.prefix, self.table_name)

    def fits(self, columns, others_extra=()):
        """Whether a table with ``columns`` can be this plugin's: its own columns, no column another plugin of the
        same table adds (``others_extra``) that it never creates, and one of its marks."""
        if any(column not in columns for column in self.columns):
            return False
        if any(column in columns and column not in self.extra_columns for column in others_extra):
            return False
        return not self.marks or any(column in columns for column in self.marks)

    def query(self, request, columns):
        """(sql, args) of its rows; ``columns``: its table's visible columns (None: unknown)."""
        raise NotImplementedError

    def mapping(self, row):
        """One row as a mapping: id, blog_id, domain (as stored), active, primary (None where the plugin does not
        know), and what else it says. Raises ValueError (or TypeError) for a row it cannot read."""
        raise NotImplementedError

    def served(self, mapping):
        """Whether the app serves the mapping's domain (Dark Matter's media domains are served elsewhere)."""
        return True

    def network_settings(self, session, request):
        """What the network's settings say that the role can follow, read in the same snapshot: ``www_setting``
        and where it came from (``www_setting_from``), null where the plugin keeps no www. rule (``www_rule``
        false) or the request does not ask for it; with warnings."""
        return {'www_setting': None, 'www_setting_from': None}, []

    def integration(self, session, request):
        """Whether the plugin's own ServerPilot integration is switched on (``plugin_integration``: a second
        writer of the app's domain list), and the names of the network options where it keeps ServerPilot
        credentials (``plugin_credentials_stored``), with warnings. None: the plugin has no such integration."""
        return {'plugin_integration': None, 'plugin_credentials_stored': []}, []


class DomainMappingTable(MappingPlugin):
    """{prefix}domain_mapping as Mercator, WPMU Domain Mapping, WPMU DEV and Dark Matter create it: one table for
    every network of the install, the same four columns, and what each plugin adds."""

    table_name = 'domain_mapping'
    columns = ('id', 'blog_id', 'domain', 'active')
    active_filter = True           # with active_only, only active = 1 rows
    active_means = 'whether the mapping is enabled'
    primary_column = 'is_primary'  # which column marks the site's primary domain, where the table has it

    def query(self, request, columns):
        wanted = list(self.columns) + [c for c in self.extra_columns if columns is None or c in columns]
        where, args = [], []
        if request.active_only and self.active_filter:
            where.append('active = 1')
        only_blogs(request, where, args)
        if request.network_id is not None:  # one table for every network of the install: its sites' rows only
            where.append('blog_id IN (SELECT blog_id FROM `%s` WHERE site_id = %%s)' % table(request.prefix, 'blogs'))
            args.append(request.network)
        primary = self.primary_column if self.primary_column in wanted else None
        return ('SELECT %s FROM `%s`%s ORDER BY blog_id, %sid'
                % (', '.join(wanted), self.table(request), ' WHERE ' + ' AND '.join(where) if where else '',
                   '%s DESC, ' % primary if primary else ''), args)

    def mapping(self, row):
        # the plugins cast as PHP does ((int), (bool)): a NULL in a nullable column reads as 0 / false there too
        primary = self.primary_column
        return {'id': int(row['id']), 'blog_id': int(row['blog_id']), 'domain': row['domain'],
                'active': php.to_bool(row['active']),
                'primary': php.to_bool(row[primary]) if primary in row else None}
