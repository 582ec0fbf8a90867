# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The network's WordPress database, read and never written: where to connect (options, the settings of a
wp-config.php, the MySQL option file), one read-only session that reads every table of a run in one consistent
snapshot, and MySQL's errors turned into what the operator checks.

The mapping reader (reader.py) reads through ``read``; PHP text is parsed in php.py.
"""

import configparser
import os

from ansible_collections.multisite.serverpilot.plugins.module_utils import addresses
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError

try:
    import pymysql
except ImportError:
    pymysql = None  # the module flow (runner.py) reports it before any read


# Where mysqli looks for the server's socket when DB_HOST is plain "localhost".
DEFAULT_SOCKETS = ('/run/mysqld/mysqld.sock', '/var/run/mysqld/mysqld.sock', '/tmp/mysql.sock')

# wp-config.php's settings the reader takes, and the option that replaces each.
SETTINGS = ('DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST', '$table_prefix')
# what wp-config.php may say about the network's domain mapping: WordPress loads wp-content/sunrise.php, the
# drop-in domain-mapping plugins install, wherever SUNRISE is defined, whatever its value (wp-includes/ms-settings.php)
SIGNS = ('SUNRISE',)
OPTIONS = {'DB_NAME': ('database',), 'DB_USER': ('login_user',), 'DB_PASSWORD': ('login_password',),
           'DB_HOST': ('login_host', 'login_unix_socket'), '$table_prefix': ('table_prefix',)}


def parse_wp_config(text, path='wp-config.php'):
    """The database settings of a wp-config.php as PHP has them when the file loads WordPress: the file is
    evaluated by php.evaluate, never executed.

    Returns {setting: (line, value)} for the SETTINGS the file sets, value a string (exactly PHP's), php.Code()
    (an expression, never evaluated) or php.Unsure (a form the reader cannot follow may set it: a condition, an
    include, a compound assignment of an unknown value, the same setting set twice with different values).
    Raises SourceError where PHP would not read the file at all, or would read it differently from server to
    server. No message ever shows a value.
    """
    try:
        found = php.evaluate(text, SETTINGS + SIGNS)
    except ValueError as exc:
        raise SourceError('wp_config', 'wp_config %s cannot be read as PHP (%s). Give the settings as module '
                                       'options instead.' % (path, exc))
    return dict((name, found[name]) for name in SETTINGS + SIGNS if name in found)


def read_wp_config(path):
    """parse_wp_config of the file at ``path``."""
    try:
        with open(os.path.expanduser(path), 'rb') as handle:
            raw = handle.read()
    except (IOError, OSError) as exc:
        raise SourceError('wp_config', 'Cannot read wp_config %s: %s. Check the path and that the user running '
                                       'the task may read it.' % (path, exc.strerror or exc))
    # PHP strings are bytes: undecodable bytes (a Latin-1 comment) survive as surrogates, and the password goes
    # to the server as the very bytes the file holds (see _password_bytes)
    return parse_wp_config(raw.decode('utf-8', 'surrogateescape'), path)


def config_signs(path, found):
    """What the parsed wp-config.php at ``path`` says of a mapping plugin, as sentences for detection."""
    if 'SUNRISE' not in found:
        return []
    return ['%s defines SUNRISE (line %d), so WordPress loads a sunrise.php drop-in, which domain-mapping plugins '
            'install' % (path, found['SUNRISE'][0])]


def wp_config_settings(path, params, found=None):
    """The settings of the wp-config.php at ``path`` that no option replaces: {setting: value}.

    A setting the file lacks, or sets to an expression (``getenv('WP_TABLE_PREFIX') ?: 'wpx_'``, the official
    image's ``getenv_docker(...)``), is refused with its line unless its option is given: the controller's
    environment is not the web server's, and a default would read another network's tables.
    """
    found = read_wp_config(path) if found is None else found
    needed = [name for name in SETTINGS if not any(params.get(option) is not None for option in OPTIONS[name])]
    missing = [name for name in needed if name not in found]
    if missing:
        raise SourceError('wp_config', 'wp_config %s does not set %s. Give %s as module options instead.'
                          % (path, ', '.join(missing), ', '.join(OPTIONS[name][0] for name in missing)))
    unsure = [(name, found[name][1]) for name in needed if isinstance(found[name][1], php.Unsure)]
    if unsure:
        raise SourceError('wp_config', 'wp_config %s: %s. The reader takes only what it can read exactly as PHP does, '
                                       'and PHP may have another value there. Give %s as module options instead.'
                          % (path, '; '.join('%s %s' % (name, value.why) for name, value in unsure),
                             ', '.join(OPTIONS[name][0] for name, value in unsure)))
    code = [(name, found[name][0]) for name in needed if isinstance(found[name][1], php.Code)]
    if code:
        raise SourceError('wp_config', 'wp_config %s sets %s to PHP code, not a plain string literal, and the reader '
                                       'never runs code (the web server\'s environment is not this one). Give %s as '
                                       'module options instead.'
                          % (path, ', '.join('%s (line %d)' % place for place in code),
                             ', '.join(OPTIONS[name][0] for name, line in code)))
    return dict((name, found[name][1]) for name in needed)


def parse_db_host(value):
    """WordPress's DB_HOST forms: host, host:port, host:/path/to/socket, [v6]:port."""
    host, rest = addresses.split_host(value)
    port = int(rest) if rest and rest.isdigit() else None
    socket = rest if rest and rest.startswith('/') else None
    return {'host': host or None, 'port': port, 'unix_socket': socket}


def connection_settings(params, exists=os.path.exists):
    """What to connect with: explicit options win over wp-config.php, which wins over the option file."""
    settings = {'host': None, 'port': None, 'unix_socket': None, 'user': None, 'password': None,
                'database': None, 'table_prefix': None, 'config_signs': []}
    if params.get('wp_config'):
        found = read_wp_config(params['wp_config'])
        settings['config_signs'] = config_signs(params['wp_config'], found)
        wp = wp_config_settings(params['wp_config'], params, found)
        if 'DB_HOST' in wp:
            settings.update(parse_db_host(wp['DB_HOST']))
        settings.update(user=wp.get('DB_USER'), password=wp.get('DB_PASSWORD'), database=wp.get('DB_NAME'),
                        table_prefix=wp.get('$table_prefix'))
    for option, key in (('login_host', 'host'), ('login_port', 'port'), ('login_unix_socket', 'unix_socket'),
                        ('login_user', 'user'), ('login_password', 'password'), ('database', 'database'),
                        ('table_prefix', 'table_prefix')):
        if params.get(option) is not None:
            settings[key] = params[option]
            if option == 'login_host':  # a host given on its own means TCP, whatever wp-config said
                settings['unix_socket'] = params.get('login_unix_socket')
    if settings['table_prefix'] is None:  # no wp_config (it names its own or is refused): the documented default
        settings['table_prefix'] = 'wp_'
    if settings['host'] == 'localhost' and not settings['port'] and not settings['unix_socket']:
        settings['unix_socket'] = next((path for path in DEFAULT_SOCKETS if exists(path)), None)
    return settings


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


def read(settings, work, config_file=None, ca_cert=None, check_hostname=True, connect_timeout=10, query_timeout=30):
    """Connect, open one read-only transaction with a consistent snapshot, and return ``work(session)``.

    ``connect_timeout`` bounds the TCP connect, ``query_timeout`` every later read and write (the server's
    greeting included), so a server that accepts and never answers cannot hang the run; a table locked by
    another session (``mysqldump --lock-tables``) fails within it too.
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
            # A lock (a backup's LOCK TABLES) is waited for half the socket's own timeout, so the server has time
            # to say why it gave up, however slow; the session can read, never write; and every table of the run
            # is read in one snapshot, so a concurrent edit never yields a mix of two states.
            cursor.execute('SET SESSION lock_wait_timeout = %d' % max(1, int(query_timeout) // 2))
            cursor.execute('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ')
            cursor.execute('SET SESSION TRANSACTION READ ONLY')
            cursor.execute('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY')
            result = work(Session(cursor, target, settings['password']))
            cursor.execute('ROLLBACK')
            return result
    except pymysql.err.MySQLError as exc:
        raise _error(exc, target, settings['password'])
    finally:
        connection.close()


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


def read_with(params, work):
    """``work(session, settings)`` on the database the module options name (``settings``: connection_settings,
    its ``table_prefix`` and ``config_signs`` among them)."""
    settings = connection_settings(params)
    return read(settings, lambda session: work(session, settings), params['config_file'],
                params['ca_cert'], params['check_hostname'], params['connect_timeout'], params['query_timeout'])
