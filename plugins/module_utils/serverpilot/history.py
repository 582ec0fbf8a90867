# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What changed since the last run, per name, and for how long a failure has lasted; and how full an app is.

Pure: the last run's history ({name: {'status', 'since'}}) and this run's health entries in, the entries with
``since`` and ``change`` and the new history out. Where the history lives between runs (the fact cache, the
report directory) is the role's business.
"""

import datetime

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import domains, health
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

NEW = 'new'
RECOVERED = 'recovered'
DEPARTED_AFTER_DAYS = 14
CAPACITY_WARNINGS = (90, 80)  # percent of the app's domain limit, the higher first


STAMP = '%Y-%m-%dT%H:%M:%SZ'


def now():
    """This moment, as the history writes it (ISO 8601, UTC, whole seconds)."""
    return datetime.datetime.now(datetime.timezone.utc).strftime(STAMP)


def checked(known):
    """A history given from outside ({name: {'status', 'since'}}), or None; refused with what is wrong, never
    half-read: a mangled history would call every name new, or none."""
    if known is None:
        return None
    for name, entry in known.items():
        if not isinstance(entry, dict) or not isinstance(entry.get('status'), str):
            raise CollectionError('history[%r] must be {status, since}, as the last check returned it.' % name)
        try:
            _parse(entry.get('since'))
        except (TypeError, ValueError):
            raise CollectionError('history[%r].since must be a time as the last check wrote it (%s), not %r.'
                                  % (name, '2026-12-05T09:45:00Z', entry.get('since')))
    return known


def _parse(stamp):
    return datetime.datetime.strptime(stamp, STAMP)


def _days(since, now):
    return (_parse(now) - _parse(since)).total_seconds() / 86400.0


def advance(previous, entries, now, departed_after_days=DEPARTED_AFTER_DAYS):
    """This run's entries, each with ``since`` (when it took its current status, as far as the history knows),
    ``change`` (``new`` when its status differs from the last run's - a name the last run did not have included -,
    ``recovered`` when it became ``ok``, else None) and ``failing_days``; and the history to keep for the next run.

    ``previous`` is None before the first run with a history: nothing is then called new. A failure that has
    lasted ``departed_after_days`` says so in its reason: a name that keeps failing for weeks is a customer who
    left, and one that keeps failing validation spends the rate limits of ServerPilot's Let's Encrypt account.
    """
    out, kept = [], {}
    for entry in entries:
        name, status = entry['name'], entry['status']
        before = (previous or {}).get(name)
        if before and before.get('status') == status and before.get('since'):
            since, change = before['since'], None
        else:
            since = now
            change = None if previous is None else (RECOVERED if status == health.OK and before else NEW)
        failing = status != health.OK and status != health.UNCHECKED
        days = round(_days(since, now), 1) if failing else None
        entry = dict(entry, since=since, change=change, failing_days=days)
        if failing and days is not None and days >= departed_after_days:
            entry['reason'] = ('%s It has been %s for %d days: a customer who left? Unmap it in WordPress (or remove '
                               'it from the app) - a name that keeps failing validation also spends the rate limits '
                               "of ServerPilot's Let's Encrypt account." % (entry['reason'], status, int(days)))
            entry['long_standing'] = True
        else:
            entry['long_standing'] = False
        kept[name] = {'status': status, 'since': since}
        out.append(entry)
    return out, kept


def capacity(used, limit=domains.MAX_DOMAINS):
    """{'used', 'limit', 'percent', 'warning'}: how full the app's domain list is, and what to do at 80% and 90%."""
    percent = 100 * used // limit if limit else 0
    warning = None
    for threshold in CAPACITY_WARNINGS:
        if percent >= threshold:
            warning = ('The app holds %d of its %d domains (%d%%, www. forms included). Past %d it refuses more: '
                       'remove unused domains (customers who left), use www=apex or never, or split the network '
                       'across apps.' % (used, limit, percent, limit))
            break
    return {'used': used, 'limit': limit, 'percent': percent, 'warning': warning}


def summary_of_changes(entries, count=5):
    """What changed, for a notification: per kind (new failures, recovered, long-standing) the count and the
    first few names."""
    kinds = {
        'newly_failing': [e['name'] for e in entries if e.get('change') == NEW and e['status'] != health.OK],
        'recovered': [e['name'] for e in entries if e.get('change') == RECOVERED],
        'long_standing': [e['name'] for e in entries if e.get('long_standing')],
    }
    return dict((kind, {'count': len(names), 'first': names[:count]}) for kind, names in kinds.items())


def _need(app):
    """An app's place in the fleet report: what needs a person first."""
    domains_ = app['domains']
    if app['failure']:
        return 0  # the run failed for it: a required name, a refused sync, an unreachable database
    if any(d.get('change') == NEW and d['status'] != health.OK for d in domains_):
        return 1
    if any(d['status'] == health.EXPIRING for d in domains_):
        return 2
    if any(d.get('long_standing') for d in domains_):
        return 3
    return 4


def fleet(hosts, app_ids, results, now):
    """One report over every app of a run: {'generated_at', 'apps'}, each app with ``app_id``, ``app_name``,
    ``summary``, ``capacity``, ``failure`` and its ``domains`` (``name``, ``status``, ``reason``, ``since``,
    ``change``), sorted by what needs a person first - a failed run, names newly failing, renewals overdue,
    long-standing failures, the rest. A host whose run recorded nothing is an app whose run failed before it."""
    apps = []
    for host, app_id, result in zip(hosts, app_ids, results):
        if not result:
            apps.append({'app_id': app_id, 'app_name': host, 'summary': {}, 'capacity': None, 'domains': [],
                         'failure': 'The run of %s ended before it recorded anything (unreachable, or a failure '
                                    'outside the role): look at its job output.' % host})
            continue
        apps.append({
            'app_id': result.get('app_id') or app_id, 'app_name': result.get('app_name') or host,
            'summary': result.get('summary') or {}, 'capacity': result.get('capacity'),
            'failure': result.get('failure'), 'health_from': result.get('health_from'),
            'domains': [dict((key, entry.get(key)) for key in ('name', 'status', 'reason', 'since', 'change',
                                                               'required', 'long_standing'))
                        for entry in result.get('health') or []]})
    apps.sort(key=_need)
    return {'generated_at': now, 'apps': apps}
