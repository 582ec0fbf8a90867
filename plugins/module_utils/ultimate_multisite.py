# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Ultimate Multisite (and WP Ultimo 2.x) as a mapping source: its table, stages and settings.

Pure rules; the database is read through wordpress_db.read. Nothing here ever writes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress_db import SourceError, php_unserialize, table

# The stage enum of {prefix}wu_domain_mappings, as the plugin's installer creates it.
STAGES = ('checking-dns', 'checking-ssl-cert', 'done-without-ssl', 'done', 'failed', 'ssl-failed')
DEFAULT_STAGES = tuple(stage for stage in STAGES if stage != 'failed')
TABLE = 'wu_domain_mappings'


def mappings_table(prefix, network_id=None):
    """The mappings table: the main network's, or since Ultimate Multisite 2.4.8 ``wu_<id>_domain_mappings`` for
    another network of a multi-network install."""
    if network_id in (None, 1):
        return table(prefix, TABLE)
    if int(network_id) < 1:
        raise SourceError('network_id', 'network_id must be a network ID (1 or more), got %r.' % network_id)
    return table(prefix, 'wu_%d_domain_mappings' % int(network_id))


def build_query(prefix, active_only=True, stages=DEFAULT_STAGES, blog_ids=None, network_id=None):
    """The SELECT and its parameters; the table name is checked, every value is a bound parameter."""
    name = mappings_table(prefix, network_id)
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise SourceError('stages', 'Unknown stage(s) %s; the stages are %s.' % (', '.join(unknown), ', '.join(STAGES)))
    where, args = [], []
    if active_only:
        where.append('active = 1')
    if not stages:
        raise SourceError('stages', 'stages is empty, so no mapping could ever match.')
    where.append('stage IN (%s)' % ', '.join(['%s'] * len(stages)))
    args.extend(stages)
    if blog_ids:
        where.append('blog_id IN (%s)' % ', '.join(['%s'] * len(blog_ids)))
        args.extend(int(b) for b in blog_ids)
    sql = ('SELECT id, blog_id, domain, active, primary_domain, secure, stage FROM `%s` WHERE %s '
           'ORDER BY blog_id, primary_domain DESC, id' % (name, ' AND '.join(where)))
    return sql, args


def mapping(row):
    """One row of the query above as a mapping (its domain as stored: the caller normalises it)."""
    return {'id': int(row['id']), 'blog_id': int(row['blog_id']), 'domain': row['domain'], 'active': bool(row['active']),
            'primary': bool(row['primary_domain']), 'primary_domain': bool(row['primary_domain']),
            'secure': bool(row['secure']), 'stage': row['stage']}


# -- the network's settings: PHP-serialized data, parsed as data -----------------------------------------------

SETTINGS_KEY = 'wp-ultimo_v2_settings'  # wu_save_option('v2_settings') -> a network option in {prefix}sitemeta
WWW_SETTINGS = ('always', 'main_only', 'never')


def www_setting(meta_value):
    """The network's auto_create_www_subdomain from its serialized settings: (setting, where it came from)."""
    if meta_value is None:
        return 'always', 'default'  # never saved: the plugin's default
    try:
        settings = php_unserialize(meta_value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError('settings', "The network's settings (%s) are not PHP-serialized data this reader can parse "
                                      '(%s); give serverpilot_www explicitly.' % (SETTINGS_KEY, exc))
    value = settings.get('auto_create_www_subdomain') if isinstance(settings, dict) else None
    if value is None:
        return 'always', 'default'
    if value not in WWW_SETTINGS:
        raise SourceError('settings', 'The network sets auto_create_www_subdomain to %r, not one of %s; give '
                                      'serverpilot_www explicitly.' % (value, ', '.join(WWW_SETTINGS)))
    return value, 'settings'


def settings_query(prefix, network_id=None):
    """The SELECT of the network's settings row ({prefix}sitemeta holds network options)."""
    return ('SELECT meta_value FROM `%s` WHERE site_id = %%s AND meta_key = %%s ORDER BY meta_id DESC LIMIT 1'
            % table(prefix, 'sitemeta'), [int(network_id or 1), SETTINGS_KEY])
