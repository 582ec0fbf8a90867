# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The network's WordPress database, read and never written: where to connect (options, then wp-config.php's
settings as wp_config.py reads them, then the MySQL option file), one read-only session that reads every table of
a run in one consistent snapshot, and MySQL's errors turned into what the operator checks.

The mapping reader (reader.py) reads through ``in_snapshot_for``.
"""

import configparser
import os

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import wp_config

try:
    import pymysql
except ImportError:
    pymysql = None  # the module flow (runner.py) reports it before any read


# Where mysqli looks for the server's socket when DB_HOST is plain "localhost".
DEFAULT_SOCKETS = ('/run/mysqld/mysqld.sock', '/var/run/mysqld/mysqld.sock', '/tmp/mysql.sock')


def connection_settings(params, exists=os.path.exists):
    """What to connect with: explicit options win over wp-config.php, which wins over the option file."""
    connection = {'host': None, 'port': None, 'unix_socket': None, 'user': None, 'password': None,
                  'database': None, 'table_prefix': None, 'config_signs': []}
    if params.get('wp_config'):
        found = wp_config.read_file(params['wp_config'])
        connection['config_signs'] = wp_config.signs(params['wp_config'], found)
        wp = wp_config.database_settings(params['wp_config'], params, found)
        if 'DB_HOST' in wp:
            connection.update(wp_config.parse_db_host(wp['DB_HOST']))
        connection.update(user=wp.get('DB_USER'), password=wp.get('DB_PASSWORD'), database=wp.get('DB_NAME'),
                          table_prefix=wp.get('$table_prefix'))
    for option, key in (('login_host', 'host'), ('login_port', 'port'), ('login_unix_socket', 'unix_socket'),
                        ('login_user', 'user'), ('login_password', 'password'), ('database', 'database'),
                        ('table_prefix', 'table_prefix')):
        if params.get(option) is not None:
            connection[key] = params[option]
            if option == 'login_host':  # a host given on its own means TCP, whatever wp-config said
                connection['unix_socket'] = params.get('login_unix_socket')
    if connection['table_prefix'] is None:  # no wp_config (it names its own or is refused): the documented default
        connection['table_prefix'] = 'wp_'
    if connection['host'] == 'localhost' and not connection['port'] and not connection['unix_socket']:
        connection['unix_socket'] = next((path for path in DEFAULT_SOCKETS if exists(path)), None)
    return connection


# MySQL/MariaDB error numbers, by what the operator has to check.
_ERRORS = {
    1045: ('credentials', 'Access denied: check login_user and login_password (or DB_USER/DB_PASSWORD in wp_config, '
                          'or the option file).'),
    1044: ('credentials', 'The user may not use that database: check its grants.'),
    1049: ('database', 'No such database: check database (DB_NAME in wp_config).'),
    1142: ('grants', 'The user may connect but not SELECT from a table the read needs: GRANT SELECT on the '
                     'database (or on each of the network\'s tables) to that user.'),
    1143: ('grants', 'The user may not read a column of a table the read needs: GRANT SELECT on the whole table.'),
    1146: ('table', 'No such table: check table_prefix ($table_prefix in wp_config), and that the mapping plugin '
                    'is installed and its tables created.'),
    1205: ('lock', 'Another session holds a lock on a table the read needs (a backup with --lock-tables, a '
                   'migration), longer than query_timeout; nothing was synced from a part-read. Run again once it '
                   'is done.'),
    1969: ('timeout', 'The server stopped the query at its max_statement_time; raise that limit for this user.'),
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


def effective_target(connection, config_file=None):
    """Where the connection goes: what ``connection`` says, then the option file, then PyMySQL's defaults."""
    from_file = option_file_target(config_file)
    socket = connection['unix_socket'] or from_file['socket']
    if socket:
        return socket
    return '%s:%s' % (connection['host'] or from_file['host'] or 'localhost', connection['port'] or from_file['port'] or 3306)


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
    """One read-only session inside one consistent snapshot: every answer it gives is of the same moment."""

    def __init__(self, cursor, target, password):
        self._cursor, self._target, self._password = cursor, target, password
        self.queries = 0

    def rows(self, query, part, about):
        """The rows of ``query`` (sql, args) as dicts. There is no optional query: every answer feeds the sync,
        so a failure ends the whole read with a SourceError naming ``part`` (a word, returned as source_part)
        and ``about`` (what was being read, for the message)."""
        self.queries += 1
        try:
            self._cursor.execute(query[0], query[1])
            names = [column[0] for column in self._cursor.description or ()]
            return [dict(zip(names, row)) for row in self._cursor.fetchall()]
        except pymysql.err.MySQLError as exc:
            raise _error(exc, self._target, self._password, part=part, about=about)


def in_snapshot(connection, work, config_file=None, ca_cert=None, check_hostname=True, connect_timeout=10, query_timeout=30):
    """Connect, open one read-only transaction with a consistent snapshot, and return ``work(session)``.

    ``connect_timeout`` bounds the TCP connect, ``query_timeout`` every later read and write (the server's
    greeting included), so a server that accepts and never answers cannot hang the run; a table locked by
    another session (``mysqldump --lock-tables``) fails within it too.
    """
    target = effective_target(connection, config_file)
    # host stays None when not given, so the option file's host applies (PyMySQL falls back to localhost)
    kwargs = dict(host=connection['host'], user=connection['user'], password=_password_bytes(connection['password']),
                  database=connection['database'], port=int(connection['port'] or 0), unix_socket=connection['unix_socket'],
                  connect_timeout=connect_timeout, read_timeout=query_timeout, write_timeout=query_timeout,
                  charset='utf8mb4', autocommit=True)
    if config_file and os.path.exists(os.path.expanduser(config_file)):
        kwargs['read_default_file'] = os.path.expanduser(config_file)
    if ca_cert:
        kwargs['ssl'] = {'ca': ca_cert, 'check_hostname': check_hostname}
    try:
        server = pymysql.connect(**kwargs)
    except pymysql.err.MySQLError as exc:
        raise _error(exc, target, connection['password'], connecting=True)
    except (UnicodeError, ValueError, TypeError) as exc:
        # never the exception's own words: a UnicodeError quotes the character and its place in the password
        raise SourceError('connect', 'Cannot connect to the database at %s: the connection settings could not be '
                                     'used (%s). Check login_user, login_password and the option file.'
                          % (target, type(exc).__name__))
    try:
        with server.cursor() as cursor:
            # A lock (a backup's LOCK TABLES) is waited for half the socket's own timeout, so the server has time
            # to say why it gave up, however slow; the session can read, never write; and every table of the run
            # is read in one snapshot, so a concurrent edit never yields a mix of two states.
            cursor.execute('SET SESSION lock_wait_timeout = %d' % max(1, int(query_timeout) // 2))
            cursor.execute('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ')
            cursor.execute('SET SESSION TRANSACTION READ ONLY')
            cursor.execute('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY')
            result = work(Session(cursor, target, connection['password']))
            cursor.execute('ROLLBACK')
            return result
    except pymysql.err.MySQLError as exc:
        raise _error(exc, target, connection['password'])
    finally:
        server.close()


def _error(exc, target, password, connecting=False, part=None, about=None):
    code = exc.args[0] if exc.args else None
    detail = _redact(exc.args[1] if len(exc.args) > 1 else exc, password)
    where = ' while reading %s' % about if about else ''
    if code in _ERRORS:
        kind, advice = _ERRORS[code]
        return SourceError(kind, '%s (MySQL error %s at %s%s: %s)' % (advice, code, target, where, detail), part)
    if code in (2006, 2013) and not connecting and 'timed out' in detail:
        return SourceError('timeout', 'The database at %s did not answer within query_timeout%s (MySQL error %s: %s). '
                                      'A lock held by another session (a backup with --lock-tables, a migration) '
                                      'or a slow server; nothing was synced from a part-read. Run again, or raise '
                                      'query_timeout.' % (target, where, code, detail), part)
    if code in (2006, 2013) and not connecting:
        return SourceError('connection_lost', 'The database at %s closed the connection%s (MySQL error %s: %s). '
                                              'The server may have restarted or hit a limit (max_execution_time, '
                                              'wait_timeout); nothing was synced from a part-read. Run again, and '
                                              'look at its error log if it keeps happening.'
                           % (target, where, code, detail), part)
    if not connecting:
        return SourceError('query', 'The query on the database at %s failed%s (MySQL error %s: %s).'
                           % (target, where, code, detail), part)
    return SourceError('connect', 'Cannot connect to the database at %s: %s. Check login_host/login_port or '
                                  'login_unix_socket (or the option file), that the server runs, and that it listens '
                                  'there (MySQL often listens on localhost only: run the task on the WordPress server).'
                       % (target, detail))


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


def in_snapshot_for(params, work):
    """``work(session, connection)`` in one snapshot of the database the module options name (``connection``:
    connection_settings, its ``table_prefix`` and ``config_signs`` among them)."""
    connection = connection_settings(params)
    return in_snapshot(connection, lambda session: work(session, connection), params['config_file'],
                       params['ca_cert'], params['check_hostname'], params['connect_timeout'], params['query_timeout'])
