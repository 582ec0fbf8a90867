# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The network's WordPress database, read and never written: where to connect (options, wp-config.php read as
text, the MySQL option file), one read-only session, and MySQL's errors turned into what the operator checks.

Every mapping source (mapping_sources.py, ultimate_multisite.py) reads through ``read``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import configparser
import os
import re

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

try:
    import pymysql
except ImportError:
    pymysql = None  # the module flow (runner.py) reports it before any read


# Where mysqli looks for the server's socket when DB_HOST is plain "localhost".
DEFAULT_SOCKETS = ('/run/mysqld/mysqld.sock', '/var/run/mysqld/mysqld.sock', '/tmp/mysql.sock')

_PREFIX = re.compile(r'^[A-Za-z0-9_]+$')
_STRING = r"""(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"""
_DEFINE = re.compile(r"""\bdefine\s*\(\s*%s\s*,\s*%s\s*\)""" % (_STRING, _STRING))
_TABLE_PREFIX = re.compile(r"""^\s*\$table_prefix\s*=\s*%s\s*;""" % _STRING, re.M)


class SourceError(CollectionError):
    """A failure of the database read: ``error_kind`` is ``source``, ``source_kind`` (returned as
    ``source_error``) says what went wrong - connect, connection_lost, credentials, grants, database, table,
    query, wp_config, table_prefix, stages, network_id, settings, ambiguous (auto cannot tell which source, or
    several exist) or shape (a table is not the named source's)."""

    kind = 'source'

    def __init__(self, source_kind, msg):
        super(SourceError, self).__init__(msg, source_error=source_kind)
        self.source_kind = source_kind


_DOUBLE_ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', 'v': '\v', 'e': '\x1b', 'f': '\f', '\\': '\\', '$': '$',
                   '"': '"'}
_DOUBLE_ESCAPE = re.compile(r'\\([0-7]{1,3}|x[0-9A-Fa-f]{1,2}|u\{[0-9A-Fa-f]+\}|.)', re.S)


def _double_escape(match):
    code = match.group(1)
    if code[0] in '01234567':
        return chr(int(code, 8) & 0xFF)
    if code[0] == 'x' and len(code) > 1:
        return chr(int(code[1:], 16))
    if code.startswith('u{'):
        return chr(int(code[2:-1], 16))
    # PHP keeps an unknown escape as written, backslash and all
    return _DOUBLE_ESCAPES.get(code, '\\' + code)


def _unquote(single, double):
    """A PHP string literal's value, by PHP's rules.

    In single quotes only \\' and \\\\ are escapes (PHP keeps 'ab\\cd' as written);
    in double quotes PHP's escape sequences apply and unknown ones keep their backslash.
    """
    if single is not None:
        return re.sub(r"\\([\\'])", r'\1', single)
    return _DOUBLE_ESCAPE.sub(_double_escape, double)


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
            end = n if end < 0 else end + 2
            out.append(' ' + '\n' * text.count('\n', i, end))  # line numbers stay true for messages
            i = end
        elif char == '#' or text.startswith('//', i):
            end = text.find('\n', i)
            i = n if end < 0 else end
        else:
            out.append(char)
            i += 1
    return ''.join(out)


SETTINGS = ('DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST')


def parse_wp_config(text, path='wp-config.php'):
    """The database settings of a wp-config.php, read as text: it is never executed.

    Returns a dict with any of DB_NAME, DB_USER, DB_PASSWORD, DB_HOST and table_prefix.
    A setting given twice with different values is refused with its line numbers: PHP keeps the first
    ``define`` and the last ``$table_prefix``, but a file like that usually holds a stale copy, and a
    guess here would sync the network from the wrong tables. The message never shows a value.
    """
    text = _without_comments(text)
    seen = {}
    for match in _DEFINE.finditer(text):
        name = _unquote(match.group(1), match.group(2))
        if name in SETTINGS:
            seen.setdefault(name, []).append((text.count('\n', 0, match.start()) + 1,
                                              _unquote(match.group(3), match.group(4))))
    for match in _TABLE_PREFIX.finditer(text):
        where = match.start() + match.group(0).index('$')  # the pattern's leading white space may span lines
        seen.setdefault('table_prefix', []).append((text.count('\n', 0, where) + 1,
                                                    _unquote(match.group(1), match.group(2))))
    for name, places in sorted(seen.items()):
        if len(set(value for line, value in places)) > 1:
            raise SourceError('wp_config', '%s sets %s %d times with different values (lines %s). Remove the stale '
                                           'one, or give the setting as a module option.'
                              % (path, '$table_prefix' if name == 'table_prefix' else name, len(places),
                                 ', '.join(str(line) for line, value in places)))
    return dict((name, places[0][1]) for name, places in seen.items())


def read_wp_config(path):
    try:
        with open(os.path.expanduser(path), 'rb') as handle:
            raw = handle.read()
    except (IOError, OSError) as exc:
        raise SourceError('wp_config', 'Cannot read wp_config %s: %s. Check the path and that the user running '
                                       'the task may read it.' % (path, exc.strerror or exc))
    # PHP strings are bytes: undecodable bytes (a Latin-1 comment) survive as surrogates, and the password goes
    # to the server as the very bytes the file holds (see _password_bytes)
    settings = parse_wp_config(raw.decode('utf-8', 'surrogateescape'), path)
    missing = [name for name in SETTINGS if name not in settings]
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


def table(prefix, name):
    """A table name under ``prefix``, which is checked: table names cannot be bound parameters."""
    if not _PREFIX.match(prefix):
        raise SourceError('table_prefix', 'table_prefix %r may only hold letters, digits and underscores.' % prefix)
    return prefix + name


# MySQL/MariaDB error numbers, by what the operator has to check.
_ERRORS = {
    1045: ('credentials', 'Access denied: check login_user and login_password (or DB_USER/DB_PASSWORD in wp_config, '
                          'or the option file).'),
    1044: ('credentials', 'The user may not use that database: check its grants.'),
    1049: ('database', 'No such database: check database (DB_NAME in wp_config).'),
    1142: ('grants', 'The user may connect but not SELECT from the mappings table: GRANT SELECT on it (or on the '
                     'database) to that user.'),
    1143: ('grants', 'The user may not read a column of the mappings table: GRANT SELECT on the whole table.'),
    1146: ('table', 'No such table: check table_prefix ($table_prefix in wp_config), and that the mapping plugin '
                    'is installed and its tables created.'),
}


def option_file_target(config_file):
    """host, port and socket of the option file's [client] group (None where it says nothing), as PyMySQL reads it."""
    found = {'host': None, 'port': None, 'socket': None}
    if not config_file or not os.path.exists(os.path.expanduser(config_file)):
        return found
    parser = configparser.RawConfigParser(allow_no_value=True, strict=False)
    try:
        parser.read(os.path.expanduser(config_file))
    except configparser.Error:
        return found
    for key in found:
        if parser.has_option('client', key):
            found[key] = (parser.get('client', key) or '').strip().strip('"\'') or None
    return found


def effective_target(settings, config_file=None):
    """Where the connection goes: explicit settings, then the option file, then PyMySQL's defaults."""
    from_file = option_file_target(config_file)
    socket = settings['unix_socket'] or from_file['socket']
    if socket:
        return socket
    return '%s:%s' % (settings['host'] or from_file['host'] or 'localhost', settings['port'] or from_file['port'] or 3306)


def _password_bytes(password):
    # WordPress sends the PHP string's bytes; a value read from wp-config.php carries them as surrogates
    return None if password is None else password.encode('utf-8', 'surrogateescape')


def _redact(text, password):
    """Never let any part of the password reach a message."""
    text = str(text)
    if password:
        for form in (password, repr(password)[1:-1]):
            if form:
                text = text.replace(form, '********')
    return text


class Session:
    """One read-only session: ``rows`` for what the read needs, ``optional`` for facts it can do without."""

    def __init__(self, cursor, target, password):
        self._cursor, self._target, self._password = cursor, target, password

    def rows(self, query):
        """The rows of ``query`` (sql, args); a failure ends the read with a SourceError."""
        self._cursor.execute(query[0], query[1])
        return self._cursor.fetchall()

    def columns(self):
        """The column names of the last query's rows."""
        return [column[0] for column in self._cursor.description or ()]

    def optional(self, query):
        """(rows, None), or (None, why they could not be read) - the read goes on either way."""
        try:
            return self.rows(query), None
        except pymysql.err.MySQLError as exc:
            return None, _error(exc, self._target, self._password).msg


def read(settings, work, config_file=None, ca_cert=None, check_hostname=True, connect_timeout=10, query_timeout=30):
    """Connect, make the session read-only, and return ``work(session)``.

    ``connect_timeout`` bounds the TCP connect, ``query_timeout`` every later read and write (the server's
    greeting included), so a server that accepts and never answers cannot hang the run.
    """
    target = effective_target(settings, config_file)
    # host stays None when not given, so the option file's host applies (PyMySQL falls back to localhost)
    kwargs = dict(host=settings['host'], user=settings['user'], password=_password_bytes(settings['password']),
                  database=settings['database'], port=int(settings['port'] or 0), unix_socket=settings['unix_socket'],
                  connect_timeout=connect_timeout, read_timeout=query_timeout, write_timeout=query_timeout,
                  charset='utf8mb4', autocommit=True)
    if config_file and os.path.exists(os.path.expanduser(config_file)):
        kwargs['read_default_file'] = os.path.expanduser(config_file)
    if ca_cert:
        kwargs['ssl'] = {'ca': ca_cert, 'check_hostname': check_hostname}
    try:
        connection = pymysql.connect(**kwargs)
    except pymysql.err.MySQLError as exc:
        raise _error(exc, target, settings['password'], connecting=True)
    except (UnicodeError, ValueError, TypeError) as exc:
        # never the exception's own words: a UnicodeError quotes the character and its place in the password
        raise SourceError('connect', 'Cannot connect to the database at %s: the connection settings could not be '
                                     'used (%s). Check login_user, login_password and the option file.'
                          % (target, type(exc).__name__))
    try:
        with connection.cursor() as cursor:
            # Belt and braces: this session can read, never write.
            cursor.execute('SET SESSION TRANSACTION READ ONLY')
            return work(Session(cursor, target, settings['password']))
    except pymysql.err.MySQLError as exc:
        raise _error(exc, target, settings['password'])
    finally:
        connection.close()


def _error(exc, target, password, connecting=False):
    code = exc.args[0] if exc.args else None
    detail = _redact(exc.args[1] if len(exc.args) > 1 else exc, password)
    if code in _ERRORS:
        kind, advice = _ERRORS[code]
        return SourceError(kind, '%s (MySQL error %s at %s: %s)' % (advice, code, target, detail))
    if code in (2006, 2013) and not connecting:
        return SourceError('connection_lost', 'The database at %s closed the connection during the query (MySQL error '
                                              '%s: %s). The server may have restarted or hit a limit '
                                              '(max_execution_time, wait_timeout); run again, and look at its error '
                                              'log if it keeps happening.' % (target, code, detail))
    if not connecting:
        return SourceError('query', 'The query on the database at %s failed (MySQL error %s: %s).' % (target, code, detail))
    return SourceError('connect', 'Cannot connect to the database at %s: %s. Check login_host/login_port or '
                                  'login_unix_socket (or the option file), that the server runs, and that it listens '
                                  'there (MySQL often listens on localhost only: run the task on the WordPress server).'
                       % (target, detail))


def php_unserialize(data):
    """A value PHP's serialize() wrote, read as data: nothing is ever executed or instantiated.

    Handles null, booleans, integers, floats, strings (lengths in bytes) and
    arrays; an object becomes a dict of its properties. Raises ValueError for
    anything else or for a malformed value.
    """
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogateescape')
    value, end = _php_value(data, 0)
    if end != len(data):
        raise ValueError('trailing data after the value at byte %d' % end)
    return value


def _php_until(data, pos, stop):
    end = data.find(stop, pos)
    if end < 0:
        raise ValueError('unterminated value at byte %d' % pos)
    return data[pos:end].decode('ascii'), end + len(stop)


def _php_value(data, pos):
    kind = data[pos:pos + 2]
    if data[pos:pos + 2] == b'N;':
        return None, pos + 2
    if kind in (b'b:', b'i:', b'd:'):
        text, pos = _php_until(data, pos + 2, b';')
        if kind == b'b:':
            return text == '1', pos
        return (int(text) if kind == b'i:' else float(text)), pos
    if kind == b's:':
        length, pos = _php_until(data, pos + 2, b':"')
        end = pos + int(length)
        if data[end:end + 2] != b'";':
            raise ValueError('string length does not match at byte %d' % pos)
        return data[pos:end].decode('utf-8', 'surrogateescape'), end + 2
    if kind in (b'a:', b'O:'):
        if kind == b'O:':  # O:<len>:"<class>":<count>:{...} - the class name is skipped, never used
            length, pos = _php_until(data, pos + 2, b':"')
            pos += int(length) + 2
            count, pos = _php_until(data, pos, b':{')
        else:
            count, pos = _php_until(data, pos + 2, b':{')
        result = {}
        for dummy in range(int(count)):
            key, pos = _php_value(data, pos)
            result[key], pos = _php_value(data, pos)
        if data[pos:pos + 1] != b'}':
            raise ValueError('array not closed at byte %d' % pos)
        return result, pos + 1
    raise ValueError('unsupported PHP serialized type %r at byte %d' % (data[pos:pos + 1], pos))


def argument_spec():
    """The connection options every database reader takes (documented once: the wordpress_database doc fragment)."""
    return dict(
        login_host=dict(type='str'),
        login_port=dict(type='int'),
        login_unix_socket=dict(type='path'),
        login_user=dict(type='str'),
        login_password=dict(type='str', no_log=True),
        config_file=dict(type='path', default='~/.my.cnf'),
        database=dict(type='str'),
        table_prefix=dict(type='str'),
        wp_config=dict(type='path'),
        ca_cert=dict(type='path'),
        check_hostname=dict(type='bool', default=True),
        connect_timeout=dict(type='int', default=10),
        query_timeout=dict(type='int', default=30),
    )


def read_with(params, work):
    """``work(session, table_prefix)`` on the database the module options name."""
    settings = connection_settings(params)
    return read(settings, lambda session: work(session, settings['table_prefix']), params['config_file'],
                params['ca_cert'], params['check_hostname'], params['connect_timeout'], params['query_timeout'])
