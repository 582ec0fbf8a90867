# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure rules for an app's domain list: www forms, plan, reconcile, the guards (names.py normalises each name).

Nothing here talks to the API or to Ansible, so unit tests call every rule
with plain values.
"""

import ipaddress

from ansible_collections.multisite.serverpilot.plugins.module_utils.addresses import ip_entry, is_ip
from ansible_collections.multisite.serverpilot.plugins.module_utils.domain_names import (
    MAX_NAME_LENGTH, DomainError, comparison_key, first_few, is_under, normalise, normalise_name)

# The API document's current cap (older revisions said 1000).
MAX_DOMAINS = 300
WWW_MODES = ('always', 'apex', 'main_only', 'never')
# Ultimate Multisite's main_only rule (Domain_Manager::should_create_www_subdomain): two labels, or three
# under one of these suffixes (its filter wu_multi_part_tlds can add more).
MAIN_ONLY_SUFFIXES = ('.co.uk', '.com.au', '.co.nz', '.com.br', '.co.in')


_PSL = None


def is_apex(name):
    """True when ``name`` is a registrable domain (example.com, example.co.uk).

    Uses the Public Suffix List shipped inside the ``publicsuffixlist``
    package, so no network is needed at run time. Imported on first use:
    only ``www: apex`` pays for loading the list.
    """
    global _PSL
    if name.startswith('*.') or is_ip(name):
        return False
    if _PSL is None:
        from publicsuffixlist import PublicSuffixList
        _PSL = PublicSuffixList()
    return _PSL.privatesuffix(name) == name


def www_form(name):
    """The ``www.`` form of a name, or None for wildcards, IP addresses and names already under www."""
    if name.startswith('*.') or name.startswith('www.') or is_ip(name):
        return None
    return 'www.' + name


def is_main_only(name):
    """Ultimate Multisite's main_only rule: example.com and example.co.uk are main domains, shop.example.com is not."""
    labels = name.split('.')
    if len(labels) <= 2:
        return True
    return len(labels) == 3 and '.' + '.'.join(labels[-2:]) in MAIN_ONLY_SUFFIXES


def expand_www(names, mode, apex_check=is_apex, skip_under=(), too_long=None):
    """Each name followed by its ``www.`` form, as ``mode`` wants, without duplicates.

    Names strictly below one of ``skip_under`` (the network's own domains: its
    subdomain sites) never get one, as Ultimate Multisite adds none for them.
    A name whose ``www.`` form would be longer than a name may be (a valid
    250-character name) is that name's problem alone: it is kept without the
    form, and listed in ``too_long`` (a list) for the caller's warning.
    """
    if mode not in WWW_MODES:
        raise DomainError('www must be one of %s, got %r' % (', '.join(WWW_MODES), mode))
    result, seen = [], set()
    for name in names:
        extra = None
        wanted = (mode == 'always' or (mode == 'apex' and apex_check(name))
                  or (mode == 'main_only' and is_main_only(name)))
        if wanted and not is_under(name, skip_under):
            extra = www_form(name)
        if extra is not None and len(extra) > MAX_NAME_LENGTH:
            if too_long is not None:
                too_long.append(name)
            extra = None
        for item in (name, extra):
            if item is not None and item not in seen:
                seen.add(item)
                result.append(item)
    return result


def too_long_warning(names):
    """The warning for names kept without their ``www.`` form, or None."""
    if not names:
        return None
    return ('%d name(s) are kept without their www. form, which would be longer than the %d characters a name may '
            'have: %s.' % (len(names), MAX_NAME_LENGTH, first_few(names)))


def requested(names, mode, apex_check=is_apex, skip_under=(), too_long=None):
    """The validated, www-expanded list a task asks for (``too_long``: see expand_www)."""
    return expand_www(normalise(names), mode, apex_check, normalise(skip_under), too_long)


class Keep:
    """Entries an exclusive run never removes: names, IP addresses, IP networks (CIDR) and ``*.`` patterns
    (the pattern itself and every name below it)."""

    def __init__(self, entries=()):
        self.names, self.networks, self.parents, problems = set(), [], [], []
        for raw in entries or ():
            text = str(raw).strip()
            if '/' in text:
                try:
                    self.networks.append(ipaddress.ip_network(text, strict=False))
                except ValueError as exc:
                    problems.append((raw, 'is not an IP network (%s)' % exc))
                continue
            try:
                name = normalise_name(text)
            except ValueError as exc:
                problems.append((raw, str(exc)))
                continue
            self.names.add(name)
            if name.startswith('*.'):
                self.parents.append(name[2:])
        if problems:
            raise DomainError('Invalid keep entries: %s. Fix these entries and run again; nothing was changed.'
                              % '; '.join("'%s' %s" % (raw, reason) for raw, reason in problems))

    def __contains__(self, entry):
        key = comparison_key(entry)
        if key in self.names or is_under(key, self.parents):
            return True
        address = ip_entry(key)
        return address is not None and any(ipaddress.ip_address(address) in net for net in self.networks)


def check_request(wanted, state, exclusive, limit=MAX_DOMAINS):
    """Refuse, before any API call, requests that can only end badly."""
    if state == 'present' and exclusive and not wanted:
        raise DomainError('exclusive=true with an empty domain list would remove every domain from the app. '
                          'Refusing; list the domains the app must keep.')
    if state == 'present' and len(wanted) > limit:
        raise DomainError('%d domains requested (www. forms included), over the limit of %d per app. '
                          'Split the domains across apps or use www=apex/never.' % (len(wanted), limit), kind='limit')


class Plan:
    """What a run will do to an app's list: ``after`` plus the keys it ensures and drops."""

    def __init__(self, before, after, added, removed, ensure, drop):
        self.before = before
        self.after = after
        self.added = added
        self.removed = removed
        self.ensure = ensure
        self.drop = drop

    @property
    def changed(self):
        return self.after != self.before


def plan(current, wanted, state, exclusive, keep=None):
    """Merge the app's ``current`` list with the ``wanted`` names.

    Existing entries keep their order and spelling, new names are appended,
    and the compare ignores order, so a list that already holds everything
    plans no write. An exclusive run never removes what ``keep`` (a Keep)
    holds.
    """
    keep = keep or Keep()
    current = list(current or [])
    keys = [comparison_key(c) for c in current]
    wanted_set = set(wanted)
    if state == 'absent':
        drop = wanted_set & set(keys)
        after = [c for c, k in zip(current, keys) if k not in drop]
        removed = [c for c, k in zip(current, keys) if k in drop]
        return Plan(current, after, [], removed, [], sorted(drop))
    if state != 'present':
        raise DomainError("state must be 'present' or 'absent', got %r" % state)
    after, seen, removed = [], set(), []
    for c, k in zip(current, keys):
        if exclusive and k not in wanted_set and c not in keep:
            removed.append(c)
            continue
        if exclusive and k in seen:
            removed.append(c)  # an exclusive list holds each name once: a second spelling goes, and is counted
            continue
        seen.add(k)
        after.append(c)
    added = [w for w in wanted if w not in seen]
    after.extend(added)
    drop = sorted(set(comparison_key(r) for r in removed) - wanted_set)
    return Plan(current, after, added, removed, list(wanted), drop)


def missing_and_stale(current, planned):
    """What ``current`` still lacks of the plan, and what it still holds that the plan drops."""
    keys = set(comparison_key(c) for c in current)
    drop = set(planned.drop)
    missing = [e for e in planned.ensure if e not in keys]
    stale = [c for c in current if comparison_key(c) in drop]
    return missing, stale


def reconcile(current, planned):
    """Re-apply a plan onto a list another writer changed: keep their changes, redo ours."""
    drop = set(planned.drop)
    after = [c for c in current if comparison_key(c) not in drop]
    keys = set(comparison_key(c) for c in after)
    after.extend(e for e in planned.ensure if e not in keys)
    return after


NOTHING_CHANGED = 'Nothing was changed'
# said instead when an earlier write of the same run went through
EARLIER_WRITE = 'This run had already written the list once (see action_ids)'


def check_limit(after, before=None, limit=MAX_DOMAINS, written=False):
    """Refuse a list over the cap, unless it does not grow ``before`` (the app's list now): apps created under the
    older limit of 1000 exist, and a run that does not grow them must still be able to bring them down."""
    if len(after) > limit and (before is None or len(after) > len(before)):
        raise DomainError('The app would hold %d domains, over the limit of %d per app. %s; remove unused domains '
                          'first or split them across apps.'
                          % (len(after), limit, EARLIER_WRITE if written else NOTHING_CHANGED), kind='limit')


def removal_count(removed):
    """How many domains ``removed`` takes away: a name and its ``www.`` form count once, so a cap of N can
    never be met by N/2 customers; every other entry (a second spelling too) counts on its own."""
    return len(set(comparison_key(r)[4:] if comparison_key(r).startswith('www.') else comparison_key(r)
                   for r in removed)) + (len(removed) - len(set(comparison_key(r) for r in removed)))


def removal_limit(max_removals=None, percent=None, held=0):
    """How many removals one run may make (None: no cap): at most ``max_removals``, and at most ``percent`` of the
    ``held`` domains the app holds that the run could remove (counted by removal_count), rounded down but never
    below one - so one customer can always leave a network of three, and no run empties a network of ten."""
    limits = [] if max_removals is None else [max_removals]
    if percent is not None:
        limits.append(max(1, held * percent // 100))
    return min(limits) if limits else None


def check_removals(removed, max_removals, app_id, written=False, percent=None, held=0):
    """Refuse a run that would remove more domains than removal_limit allows, counted by removal_count."""
    count = removal_count(removed)
    limit = removal_limit(max_removals, percent, held)
    if limit is not None and count > limit:
        shown = first_few(removed)
        why = []
        if percent is not None:
            why.append('max_removals_percent=%d of the %d domains the app holds that a run may remove is %d'
                       % (percent, held, max(1, held * percent // 100)))
        if max_removals is not None:
            why.append('max_removals=%d' % max_removals)
        raise DomainError('This run would remove %d domains from app %s (%s), more than it may (%s). %s. If the '
                          'source of the domain list is right, raise %s for one run.'
                          % (count, app_id, shown, '; '.join(why), EARLIER_WRITE if written else NOTHING_CHANGED,
                             ' and '.join(n for n, v in (('max_removals_percent', percent),
                                                         ('max_removals', max_removals)) if v is not None)),
                          kind='removals')


def check_empty_source(removed, source_mappings, app_id):
    """Refuse any removal when the mapping source that gave the list returned no mappings (None: not asked).

    An emptied table, a wrong table prefix or a restore in progress looks exactly
    like a network whose customers all left; a cap such as max_removals cannot
    tell the two apart for a small network.
    """
    if source_mappings != 0 or not removed:
        return
    shown = first_few(removed)
    raise DomainError('The mapping source returned no mappings, yet this run would remove %d domains from app %s (%s). '
                      'An emptied table, a wrong table prefix or a restore in progress would strip the app, so nothing '
                      'was changed. If the network really has no mapped domains any more, run once without '
                      'source_mappings (the domain_mapping role: serverpilot_source_may_be_empty=true).'
                      % (removal_count(removed), app_id, shown), kind='removals')


def difference(old, new):
    """Names in ``new`` not in ``old`` and names in ``old`` not in ``new``, by comparison key."""
    old_keys = set(comparison_key(o) for o in old)
    new_keys = set(comparison_key(n) for n in new)
    return ([n for n in new if comparison_key(n) not in old_keys],
            [o for o in old if comparison_key(o) not in new_keys])


def shared_domains(apps):
    """Domains listed on more than one app: {domain: [app names, sorted]}.

    ServerPilot allows it and sends the requests to the app whose name sorts
    first, so for the other apps it is a silent outage.
    """
    holders = {}
    for app in apps:
        for name in app.get('domains') or []:
            holders.setdefault(comparison_key(name), set()).add(app.get('name') or app.get('id'))
    return dict((name, sorted(owners)) for name, owners in sorted(holders.items()) if len(owners) > 1)
