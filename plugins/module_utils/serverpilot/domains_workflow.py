# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The domain-list workflow: read, plan, write, wait, confirm, merge another writer's change.

ServerPilot takes an app's whole domain list on every write, so a write is
only as fresh as the read it was computed from. Two rules follow:

- a write that fails on the way (503, 429, a dropped connection) is never
  replayed: the app is read again and the plan applied to what it holds now;
- after a write, the app is read once more; if another writer changed the
  list meanwhile, its change is kept and ours applied on top, a bounded
  number of times.

Talks to the API only through the client it is given, so tests drive it with
a small fake client.
"""

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import domains
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError, ServerPilotError

# A write is repeated only while another writer keeps undoing it; past this we stop and say so.
MAX_WRITES = 3


def _note_external(external, expected, current):
    """Record what another writer added or removed, compared with the list we expected to find."""
    for key, names in zip(('added', 'removed'), domains.difference(expected, current)):
        external[key].extend(n for n in names if n not in external[key])


def _same(first, second):
    return domains.difference(first, second) == ([], [])


def sync_domains(client, app_id, wanted, *, state='present', exclusive=False, max_removals=None, wait=True,
                 wait_timeout=300, check_mode=False, result=None, keep=None, source_mappings=None,
                 max_removals_percent=None):
    """Converge the app's list to the plan for ``wanted``; returns ``result``, filled as it goes.

    ``result`` (a dict) holds ``changed``, ``domains``, ``added``, ``removed``,
    ``action_id``, ``action_ids``, ``external_changes`` and ``diff``; a caller
    that catches a failure still finds in it what was written before.
    ``keep`` (a domains.Keep) holds what an exclusive run never removes;
    ``source_mappings`` how many mappings the source of ``wanted`` returned
    (0 refuses every removal; None: not a mapping source); ``max_removals`` and
    ``max_removals_percent`` cap the removals (domains.removal_limit), the share
    taken of what the app holds before the run, kept entries aside.
    """
    result = {} if result is None else result
    result.setdefault('action_ids', [])
    result.setdefault('action_id', None)
    before = client.get_app(app_id)['domains']
    plan = domains.plan(before, wanted, state, exclusive, keep)
    result.setdefault('warnings', [])
    domains.check_limit(plan.after, before)
    if len(plan.after) > domains.MAX_DOMAINS:
        result['warnings'].append('App %s holds %d domains, over the current limit of %d; ServerPilot may refuse '
                                  'to add more. Remove unused domains or split them across apps.'
                                  % (app_id, len(plan.after), domains.MAX_DOMAINS))
    domains.check_empty_source(plan.removed, source_mappings, app_id)
    # the share is of what the app holds before this run, entries the run may never remove aside
    held = domains.removal_count([c for c in before if not (exclusive and c in (keep or domains.Keep()))])
    domains.check_removals(plan.removed, max_removals, app_id, percent=max_removals_percent, held=held)
    result.update(changed=plan.changed, domains=plan.after, added=plan.added, removed=plan.removed,
                  diff=dict(before=dict(domains=before), after=dict(domains=plan.after)))
    if not plan.changed or check_mode:
        return result
    result['changed'] = False  # until a write goes through
    expected, target = before, plan.after
    external = dict(added=[], removed=[])
    writes = failed_tries = 0
    while True:
        try:
            action_id = client.set_app_domains(app_id, target)[0]
        except ServerPilotError as exc:
            if not exc.retryable or failed_tries >= client.retries:
                raise
            # The list we sent was computed from an earlier read: read again and plan again, never replay it.
            failed_tries += 1
            client.sleep(client.retry_delay(failed_tries - 1, exc.retry_after))
            current = client.get_app(app_id)['domains']
            if exc.maybe_applied and _same(current, target):
                result['changed'] = True  # it went through; only its answer was lost
                expected = target
        else:
            writes += 1
            result.update(changed=True, action_id=action_id or result['action_id'])
            if action_id:
                result['action_ids'].append(action_id)
                if wait:
                    client.wait_for_action(action_id, wait_timeout)
            current = client.get_app(app_id)['domains']
            expected = target
        _note_external(external, expected, current)
        if external['added'] or external['removed']:
            result['external_changes'] = external
        missing, stale = domains.missing_and_stale(current, plan)
        if not missing and not stale:
            if 'external_changes' in result:
                result['warnings'].append(
                    "Another writer changed the domain list of app %s during this run (added: %s; removed: %s). Its "
                    "changes were kept and this run's applied on top."
                    % (app_id, external['added'] or 'none', external['removed'] or 'none'))
            result['domains'] = current
            result['diff']['after'] = dict(domains=current)
            return result
        if writes >= MAX_WRITES:
            raise CollectionError('The app %s still lacks %s or still holds %s after %d writes: another writer keeps '
                                  'replacing its domain list. Stop the other writer and run again.'
                                  % (app_id, missing, stale, MAX_WRITES), kind='conflict')
        # Keep the other writer's change, apply ours on top; the guards look at this write's own effect.
        expected, target = current, domains.reconcile(current, plan)
        domains.check_limit(target, current, written=result['changed'])
        domains.check_removals(domains.difference(current, target)[1], max_removals, app_id,
                               written=result['changed'], percent=max_removals_percent, held=held)
