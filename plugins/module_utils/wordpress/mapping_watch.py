# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure rules of the event source mapping_changes: its options, what a read gives, when an event is due, backoff.

The source itself (extensions/eda/plugins/event_source/mapping_changes.py) only
loops: read (reader.read, the module's own reader), ask these
rules, put the event, sleep. Nothing here touches a database or asyncio.
"""

import random

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import reader
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

EVENT = 'mapping_change'


def argument_spec():
    """The reader's options (multisite_domains_info's, same names) and the source's own."""
    spec = reader.argument_spec()
    # what the reader's caller decides, the watcher decides: only the domains are watched - the network's www
    # setting and whether the plugin's own integration is on are no part of an event (the sync reports them)
    for option in reader.NOT_DESCRIBED:
        spec.pop(option)
    spec.update(
        interval=dict(type='float', default=10),
        max_backoff=dict(type='float', default=60),
    )
    return spec


def options(args):
    """The validated options, or CollectionError naming every bad one.

    ``database_options`` is a whole ``serverpilot_database`` dict (as the
    rulebook passes it), read through reader.read_options like the
    role's: the same keys, an unknown one refused, ``host`` dropped (the source
    reads where it runs). An option given on its own wins over the same key in it.
    """
    args = dict(args or {})
    database = args.pop('database_options', None) or {}
    merged = reader.read_options(database, 'mapping_changes: database_options')
    merged.update((k, v) for k, v in args.items() if v is not None)
    result = ArgumentSpecValidator(argument_spec()).validate(merged)
    if result.error_messages:
        raise CollectionError('mapping_changes: ' + '; '.join(result.error_messages))
    params = result.validated_parameters
    params.update(dict.fromkeys(reader.NOT_DESCRIBED, False))
    if params['interval'] <= 0 or params['max_backoff'] < params['interval']:
        raise CollectionError('mapping_changes: interval must be a positive number of seconds and max_backoff at '
                              'least interval (got %s and %s).' % (params['interval'], params['max_backoff']))
    return params


def served(result):
    """The names a read says the network serves: its mappings and the sites' own custom domains, sorted."""
    return sorted(set(result['domains']) | set(result.get('custom_site_domains') or ()))


def change(previous, result):
    """The event a good read calls for, or None when the set is what the last good read saw.

    ``previous`` is the last good read's served names (None before the first):
    the first good read is always an event (``initial``), with nothing added or
    removed since there is nothing to compare with.
    """
    domains = served(result)
    if previous is not None and domains == previous:
        return None
    before = set(previous or ())
    body = dict(
        initial=previous is None,
        domains=domains,
        added=[] if previous is None else sorted(set(domains) - before),
        removed=[] if previous is None else sorted(before - set(domains)),
        source=result['source'],
        network_domain=result['network_domain'],
    )
    return {EVENT: body}


def backoff(failures, interval, cap, rand=random.random):
    """Seconds before the next read after ``failures`` failed reads in a row (0: the usual interval).

    Doubles from the interval up to ``cap``, with jitter (between half and all
    of it), so that many watchers of one database server do not retry in step.
    """
    if failures <= 0:
        return interval
    delay = min(interval * 2 ** (failures - 1), cap)
    return max(interval, delay * (0.5 + rand() / 2))


def describe(exc):
    """One log line for a failed read: what failed and what to check, never a secret.

    The reader's errors (CollectionError) already say it without the password; any other
    exception is named by type only, since its text may quote what it was given.
    """
    if isinstance(exc, CollectionError):
        details = exc.details()
        what = ', '.join('%s %s' % (key, details[key]) for key in ('source_error', 'source_part') if key in details)
        return '%s%s: %s' % (exc.kind, ' (%s)' % what if what else '', exc.msg)
    return 'unexpected %s (a defect of the reader: report it)' % type(exc).__name__
