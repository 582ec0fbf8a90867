# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A network's wp-config.php, for its database settings: what PHP has when the file loads WordPress (evaluated by
php.evaluate, never executed), each setting refused with its line where the reader cannot be sure, and what the
file says of a mapping plugin (SUNRISE). The connection it leads to is database.py's.
"""

import os

from ansible_collections.multisite.serverpilot.plugins.module_utils import addresses
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php


# wp-config.php's settings the reader takes, and the option that replaces each.
SETTINGS = ('DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST', '$table_prefix')
# what wp-config.php may say about the network's domain mapping: WordPress loads wp-content/sunrise.php, the
# drop-in domain-mapping plugins install, wherever SUNRISE is defined, whatever its value (wp-includes/ms-settings.php)
SIGNS = ('SUNRISE',)
OPTIONS = {'DB_NAME': ('database',), 'DB_USER': ('login_user',), 'DB_PASSWORD': ('login_password',),
           'DB_HOST': ('login_host', 'login_unix_socket'), '$table_prefix': ('table_prefix',)}


def parse(text, path='wp-config.php'):
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


def decode(raw):
    """A PHP file's bytes as text here. PHP strings are bytes: undecodable ones (a Latin-1 comment) survive as
    surrogates, and the password goes to the server as the very bytes the file holds (see
    database._password_bytes)."""
    return raw.decode('utf-8', 'surrogateescape')


def read_text(path):
    """The text of the file at ``path`` (decode); OSError where it cannot be read, which the caller words with
    unreadable() under its own error kind."""
    with open(os.path.expanduser(path), 'rb') as handle:
        return decode(handle.read())


def unreadable(path, exc):
    """What to say of a wp_config that cannot be read (``exc``: read_text's OSError)."""
    return ('Cannot read wp_config %s: %s. Check the path and that the user running the task may read it.'
            % (path, exc.strerror or exc))


def read_file(path):
    """parse() of the file at ``path``."""
    try:
        text = read_text(path)
    except (IOError, OSError) as exc:
        raise SourceError('wp_config', unreadable(path, exc))
    return parse(text, path)


def signs(path, found):
    """What the parsed wp-config.php at ``path`` says of a mapping plugin, as sentences for detection."""
    if 'SUNRISE' not in found:
        return []
    return ['%s defines SUNRISE (line %d), so WordPress loads a sunrise.php drop-in, which domain-mapping plugins '
            'install' % (path, found['SUNRISE'][0])]


def database_settings(path, params, found=None):
    """The settings of the wp-config.php at ``path`` that no option replaces: {setting: value}.

    A setting the file lacks, or sets to an expression (``getenv('WP_TABLE_PREFIX') ?: 'wpx_'``, the official
    image's ``getenv_docker(...)``), is refused with its line unless its option is given: the controller's
    environment is not the web server's, and a default would read another network's tables.
    """
    found = read_file(path) if found is None else found
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
