# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's error types, and the fixed vocabulary of what failed.

Every failure a module reports carries one ``error_kind`` from ERROR_KINDS, so
playbooks decide on a word (``until: result.error_kind != 'autossl_unavailable'``)
and never on message text. Imports nothing, so the pure rules can raise it.
"""

import difflib

# kind -> what it means; each module's RETURN documents this list.
ERROR_KINDS = {
    'credentials': 'the API refused the client ID and key (HTTP 401), or the database its login',
    'not_found': 'no such app (HTTP 404)',
    'invalid_input': 'a bad option value or domain name; nothing was sent',
    'limit': "the app would hold more than ServerPilot's 300 domains",
    'removals': 'the run would remove more domains than max_removals (or max_removals_percent) allows',
    'autossl_unavailable': 'AutoSSL cannot be switched on yet: no certificate covers the domains',
    'custom_certificate': 'a custom certificate is installed and replace_custom_cert is false',
    'action_error': "a ServerPilot action ended in 'error'",
    'action_timeout': 'a ServerPilot action was still open after wait_timeout',
    'transport': 'retries exhausted, or a connection or TLS failure on the way to the API',
    'refused': 'ServerPilot refused the request (HTTP 400, 402, 403 or 409)',
    'unexpected_response': 'the API answered with something its document does not describe',
    'conflict': "another writer kept replacing the app's domain list",
    'health': 'a domain the task must fail for (required, or any with fail_on=any) is not healthy',
    'source': "the network's database could not be read (detail in source_error)",
    'missing_library': 'a Python package the module needs is not installed',
    'report': "the report's directory or one of its files could not be written (permissions, a full disk)",
}


class CollectionError(Exception):
    """A failure fit for an operator: ``msg`` says what to do, ``kind`` is one of ERROR_KINDS.

    ``details`` are extra facts returned beside ``msg`` (status, path, ...).
    """

    kind = 'invalid_input'

    def __init__(self, msg, kind=None, **details):
        super(CollectionError, self).__init__(msg)
        self.msg = msg
        if kind is not None:
            self.kind = kind
        if self.kind not in ERROR_KINDS:
            raise ValueError('unknown error kind %r' % self.kind)
        self.extra = dict((k, v) for k, v in details.items() if v is not None)

    def details(self):
        return dict(self.extra)


# HTTP status -> error kind for an API answer; anything else that fails is transport.
STATUS_KINDS = {401: 'credentials', 404: 'not_found', 400: 'refused', 402: 'refused', 403: 'refused',
                409: 'refused'}


class ServerPilotError(CollectionError):
    """A failed call to the ServerPilot API, with a message fit for an operator and the facts behind it.

    ``retryable``, ``retry_after`` and ``maybe_applied`` describe a failure another try might not meet; for a write
    the client did not replay (see api.ServerPilotClient.request) the caller reads again and decides. Workflows
    catch it by type.
    """

    kind = 'transport'

    def __init__(self, msg, status=None, method=None, path=None, tries=None, action_id=None, kind=None,
                 retry_after=None, maybe_applied=False):
        if kind is None:
            kind = STATUS_KINDS.get(status, 'transport')
        super(ServerPilotError, self).__init__(msg, kind=kind, status=status, method=method, path=path, tries=tries,
                                               action_id=action_id)
        self.status = status
        self.method = method
        self.path = path
        self.tries = tries
        self.action_id = action_id
        self.retry_after = retry_after
        self.maybe_applied = maybe_applied
        # a failure that another try might not meet (429, 5xx, a dropped connection, a timeout)
        self.retryable = False


class SourceError(CollectionError):
    """A failure of the network's database read: ``error_kind`` is ``source``, ``source_kind`` (returned as
    ``source_error``) says what went wrong - connect, connection_lost, timeout, lock, credentials, grants,
    database, table, query, wp_config, table_prefix, stages, network_id, settings, ambiguous (auto cannot tell
    which source, or several exist, or another plugin shows signs), plugin_table_missing (auto sees a plugin meant
    but not its table: a restore, a plugin removed without its mappings) or shape (a table is not the named
    source's). ``part`` (returned as
    ``source_part``) names the part of the read that failed, where one did."""

    kind = 'source'

    def __init__(self, source_kind, msg, part=None):
        super(SourceError, self).__init__(msg, source_error=source_kind, source_part=part)
        self.source_kind = source_kind
        self.part = part


def check_keys(given, known, what):
    """Refuse keys of ``given`` (a dict an operator wrote) that are not ``known``, naming each with the closest known
    one: a misspelt key ignored is a setting silently lost (serverpilot_keep_domains for serverpilot_keep lets the
    sync remove the name the operator meant to keep)."""
    unknown = sorted(str(key) for key in given if key not in known)
    if not unknown:
        return
    hints = []
    for key in unknown:
        near = closest(key, [str(k) for k in known])
        hints.append('%s (did you mean %s?)' % (key, near) if near else key)
    raise CollectionError('%s has no key %s; nothing was read or changed. Its keys are: %s.'
                          % (what, ', '.join(hints), ', '.join(sorted(str(k) for k in known))))


def closest(key, known):
    """The known key ``key`` most likely means: the longest one it extends or shortens (serverpilot_keep_domains:
    serverpilot_keep), else the most similar spelling (tabel_prefix: table_prefix), else None."""
    extended = [k for k in known if key.startswith(k + '_') or k.startswith(key)]
    if extended:
        return max(extended, key=len)
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return near[0] if near else None


def check_bounds(values, at_least=(), above=(), at_most=()):
    """Refuse the first option out of bounds: ``at_least``, ``above`` and ``at_most`` are (option, bound) pairs; an
    option not given (None) is left to its module, but for ``above``."""
    for option, least in at_least:
        if values.get(option) is not None and values[option] < least:
            raise CollectionError('%s must be %s.' % (option, '0 or more' if least == 0 else 'at least %s' % least))
    for option, most in at_most:
        if values.get(option) is not None and values[option] > most:
            raise CollectionError('%s must be at most %s.' % (option, most))
    for option, bound in above:
        if values.get(option) is None or values[option] <= bound:
            raise CollectionError('%s must be %s.' % (option, 'a positive number' if bound == 0 else 'above %s' % bound))
