# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading Ultimate Multisite's domain mappings from the network's own database.

The parsing and shaping rules are plain functions; only ``fetch_mappings``
talks to MySQL/MariaDB, through PyMySQL. Nothing here ever writes.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from ansible_collections.multisite.serverpilot.plugins.module_utils import domains
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

try:
    import pymysql
except ImportError:
    pymysql = None  # the module flow (runner.py) reports it before any read

# The stage enum of {prefix}wu_domain_mappings, as the plugin's installer creates it.
STAGES = ('checking-dns', 'checking-ssl-cert', 'done-without-ssl', 'done', 'failed', 'ssl-failed')
DEFAULT_STAGES = tuple(stage for stage in STAGES if stage != 'failed')
TABLE = 'wu_domain_mappings'
# Where mysqli looks for the server's socket when DB_HOST is plain "localhost".
DEFAULT_SOCKETS = ('/run/mysqld/mysqld.sock', '/var/run/mysqld/mysqld.sock', '/tmp/mysql.sock')

_PREFIX = re.compile(r'^[A-Za-z0-9_]+$')
_STRING = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"""
_DEFINE = re.compile(r"""\bdefine\s*\(\s*%s\s*,\s*%s\s*\)""" % (_STRING, _STRING))
_TABLE_PREFIX = re.compile(r"""^\s*\$table_prefix\s*=\s*%s\s*;""" % _STRING, re.M)


class SourceError(CollectionError):
    """A failure of the database read: ``error_kind`` is ``source``, ``source_kind`` (returned as
    ``source_error``) says what went wrong - connect, credentials, database, table, wp_config,
    table_prefix or stages."""

    kind = 'source'

    def __init__(self, source_kind, msg):
        super(SourceError, self).__init__(msg, source_error=source_kind)
        self.source_kind = source_kind


def _unquote(single, double):
    value = single if single is not None else double
    return re.sub(r'\\(.)', r'\1', value)


def _without_comments(text):
    """PHP source with its comments blanked out; string literals (a password with // or #) kept whole."""
    out, i, n = [], 0, len(text)
    while i < n:
        char = text[i]
        if char in ('"', "'"):
            end = i + 1
            while end < n and text[end] != char:
                end += 2 if text[end] == '\\' else 1
            out.append(text[i:end + 1])
            i = end + 1
        elif text.startswith('/*', i):
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
            out.append(' ')
        elif char == '#' or text.startswith('//', i):
            end = text.find('\n', i)
            i = n if end < 0 else end
        else:
            out.append(char)
            i += 1
    return ''.join(out)


def parse_wp_config(text):
    """The database settings of a wp-config.php, read as text: it is never executed.

    Returns a dict with any of DB_NAME, DB_USER, DB_PASSWORD, DB_HOST and table_prefix.
    """
    text = _without_comments(text)
    found = {}
    for match in _DEFINE.finditer(text):
        name = _unquote(match.group(1), match.group(2))
        if name in ('DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST') and name not in found:
            found[name] = _unquote(match.group(3), match.group(4))
    prefix = _TABLE_PREFIX.search(text)
    if prefix:
        found['table_prefix'] = _unquote(prefix.group(1), prefix.group(2))
    return found


def read_wp_config(path):
    try:
        with open(os.path.expanduser(path), 'r') as handle:
            settings = parse_wp_config(handle.read())
    except (IOError, OSError) as exc:
        raise SourceError('wp_config', 'Cannot read wp_config %s: %s. Check the path and that the user running '
                                       'the task may read it.' % (path, exc.strerror or exc))
    missing = [name for name in ('DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST') if name not in settings]
    if missing:
        raise SourceError('wp_config', 'wp_config %s does not define %s. Give the missing settings as module '
                                       'options instead.' % (path, ', '.join(missing)))
    return settings


def parse_db_host(value):
    """WordPress's DB_HOST forms: host, host:port, host:/path/to/socket, [v6]:port."""
    value = (value or '').strip()
    host, port, socket = value, None, None
    if value.startswith('['):
        host, sep, rest = value[1:].partition(']')
        if rest.startswith(':') and rest[1:].isdigit():
            port = int(rest[1:])
    elif value.count(':') == 1:
        host, rest = value.split(':')
        if rest.isdigit():
            port = int(rest)
        elif rest.startswith('/'):
            socket = rest
    return {'host': host or None, 'port': port, 'unix_socket': socket}


def connection_settings(params, exists=os.path.exists):
    """What to connect with: explicit options win over wp-config.php, which wins over the option file."""
    settings = {'host': None, 'port': None, 'unix_socket': None, 'user': None, 'password': None,
                'database': None, 'table_prefix': None}
    if params.get('wp_config'):
        wp = read_wp_config(params['wp_config'])
        settings.update(parse_db_host(wp['DB_HOST']))
        settings.update(user=wp['DB_USER'], password=wp['DB_PASSWORD'], database=wp['DB_NAME'],
                        table_prefix=wp.get('table_prefix'))
    for option, key in (('login_host', 'host'), ('login_port', 'port'), ('login_unix_socket', 'unix_socket'),
                        ('login_user', 'user'), ('login_password', 'password'), ('database', 'database'),
                        ('table_prefix', 'table_prefix')):
        if params.get(option) is not None:
            settings[key] = params[option]
            if option == 'login_host':  # a host given on its own means TCP, whatever wp-config said
                settings['unix_socket'] = params.get('login_unix_socket')
    settings['table_prefix'] = settings['table_prefix'] or 'wp_'
    if settings['host'] == 'localhost' and not settings['port'] and not settings['unix_socket']:
        settings['unix_socket'] = next((path for path in DEFAULT_SOCKETS if exists(path)), None)
    return settings


def build_query(prefix, active_only=True, stages=DEFAULT_STAGES, blog_ids=None):
    """The SELECT and its parameters; the table name is checked, every value is a bound parameter."""
    if not _PREFIX.match(prefix):
        raise SourceError('table_prefix', 'table_prefix %r may only hold letters, digits and underscores.' % prefix)
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
    sql = ('SELECT id, blog_id, domain, active, primary_domain, secure, stage FROM `%s%s` WHERE %s '
           'ORDER BY blog_id, primary_domain DESC, id' % (prefix, TABLE, ' AND '.join(where)))
    return sql, args


def shape(rows):
    """Rows -> (domains, mappings, invalid rows), names normalised by the collection's own rules.

    Domains keep the query's order (by blog, primary domain first) without duplicates.
    """
    names, seen, mappings, invalid = [], set(), [], []
    for row in rows:
        row_id, blog_id, raw, active, primary, secure, stage = row
        try:
            name = domains.normalise_name(raw)
        except ValueError as exc:
            invalid.append({'id': int(row_id), 'blog_id': int(blog_id), 'domain': raw, 'reason': str(exc)})
            continue
        mappings.append({'id': int(row_id), 'blog_id': int(blog_id), 'domain': name, 'active': bool(active),
                         'primary_domain': bool(primary), 'secure': bool(secure), 'stage': stage})
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names, mappings, invalid


# MySQL/MariaDB error numbers, by what the operator has to check.
_ERRORS = {
    1045: ('credentials', 'Access denied: check login_user and login_password (or DB_USER/DB_PASSWORD in wp_config, '
                          'or the option file).'),
    1044: ('credentials', 'The user may not use that database: check its grants.'),
    1049: ('database', 'No such database: check database (DB_NAME in wp_config).'),
    1146: ('table', 'No such table: check table_prefix ($table_prefix in wp_config), and that Ultimate Multisite '
                    'is installed and its tables created.'),
}


def fetch_mappings(settings, query, config_file=None, ca_cert=None, check_hostname=True, connect_timeout=10):
    """Connect (read-only use) and return the rows of ``query``."""
    kwargs = dict(host=settings['host'] or 'localhost', user=settings['user'], password=settings['password'],
                  database=settings['database'], port=int(settings['port'] or 0), unix_socket=settings['unix_socket'],
                  connect_timeout=connect_timeout, charset='utf8mb4', autocommit=True)
    if config_file and os.path.exists(os.path.expanduser(config_file)):
        kwargs['read_default_file'] = os.path.expanduser(config_file)
    if ca_cert:
        kwargs['ssl'] = {'ca': ca_cert, 'check_hostname': check_hostname}
    try:
        connection = pymysql.connect(**kwargs)
    except pymysql.err.OperationalError as exc:
        raise _error(exc, settings)
    except pymysql.err.MySQLError as exc:
        raise SourceError('connect', 'Cannot connect to the database: %s' % exc)
    try:
        with connection.cursor() as cursor:
            # Belt and braces: this session can read, never write.
            cursor.execute('SET SESSION TRANSACTION READ ONLY')
            cursor.execute(query[0], query[1])
            return cursor.fetchall()
    except pymysql.err.MySQLError as exc:
        raise _error(exc, settings)
    finally:
        connection.close()


def _error(exc, settings):
    code = exc.args[0] if exc.args else None
    detail = exc.args[1] if len(exc.args) > 1 else str(exc)
    if code in _ERRORS:
        kind, advice = _ERRORS[code]
        return SourceError(kind, '%s (MySQL error %s: %s)' % (advice, code, detail))
    where = settings['unix_socket'] or '%s:%s' % (settings['host'] or 'localhost', settings['port'] or 3306)
    return SourceError('connect', 'Cannot connect to the database at %s: %s. Check login_host/login_port or '
                                  'login_unix_socket, that the server runs, and that it listens there (MySQL '
                                  'often listens on localhost only: run the task on the WordPress server).'
                       % (where, detail))
