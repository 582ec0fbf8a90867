# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The decisions of the domain_mapping role, as pure functions of its variables and its steps' results.

The role's tasks only pass values along: ``plan`` says, once the network's
database is read, what each step is given, and ``result`` builds the role's
``serverpilot_result`` from what the steps returned. Both take and return plain
values, so unit tests call them without Ansible.
"""

from ansible_collections.multisite.serverpilot.plugins.module_utils import domain_names
from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import domains, history as names_history
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import reader
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import BY_NAME, PLUGINS
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError, check_keys

# keep_ip_addresses: these networks hold every IPv4 and IPv6 entry
EVERY_IP = ['0.0.0.0/0', '::/0']

# Role variables that said a second time what serverpilot_database says, and where each lives now.
RETIRED = {'serverpilot_source': 'source', 'serverpilot_network_id': 'network_id'}


class PlanError(CollectionError):
    """The role's variables ask for something this run cannot do; nothing was changed."""


def retired(names):
    """Refuse role variables that are no longer read (``names``: those the run defines), saying where each lives."""
    found = sorted(name for name in names if name in RETIRED)
    if found:
        raise PlanError('%s: serverpilot_database is the one description of what is read, for the role and the event '
                        'source alike, so give %s there instead. Nothing was read or changed.'
                        % (', '.join(found), ', '.join('%s as serverpilot_database.%s' % (name, RETIRED[name])
                                                       for name in found)))


def read_options(database, www):
    """The reader's arguments for the role's database step: ``serverpilot_database`` checked as the event source
    checks it (reader.read_options), and the network's www rule read only where it is followed."""
    options = reader.read_options(database)
    options['read_www_setting'] = www == 'source'
    return options


def network_variables(network, known):
    """``serverpilot_network`` (sync_network's variables as one dict) checked against the role's variables
    ``known``: a misspelt key is refused naming the closest, a retired one saying where it lives now."""
    if not isinstance(network, dict):
        raise PlanError('serverpilot_network must be a dict of the role\'s serverpilot_* variables, got %s.'
                        % type(network).__name__)
    retired(network)
    check_keys(network, known, 'serverpilot_network')
    return network


def _www(www, mapped):
    """The www mode of the sync: ``source`` is the network's own setting, which only a plugin that keeps a www.
    rule gives (its ``www_rule``)."""
    if www != 'source':
        return www
    givers = ' or '.join('an %s source' % plugin.title for plugin in PLUGINS if plugin.www_rule)
    if mapped is None:
        why = 'only %s gives (set serverpilot_database)' % givers
    elif not getattr(BY_NAME.get(mapped.get('source')), 'www_rule', False):
        why = 'only %s gives, and this network is read from %s' % (givers, mapped.get('source'))
    elif mapped.get('www_setting') is None:
        why = 'could not be read (see the warning above)'
    else:
        return mapped['www_setting']
    raise PlanError("serverpilot_www=source follows the network's auto_create_www_subdomain setting, which %s. "
                    'Set serverpilot_www to always, apex, main_only or never instead.' % why)


def _www_skip_under(variables, mapped):
    """Set by the operator, else in a database sync the operator's names and the network's own domain."""
    if variables['www_skip_under'] is not None:
        return list(variables['www_skip_under'])
    if mapped is None:
        return []
    base = mapped.get('subdomain_base')
    return list(variables['domains']) + ([base] if base else [])


def plan(variables, mapped=None, history=None, previous=None):
    """What the role's steps are given, from its variables (``variables``: the role's serverpilot_* variables
    without the prefix - domains, domains_state, domains_exclusive, www, www_skip_under, keep, keep_ip_addresses,
    max_removals, max_removals_percent, source_may_be_empty, required_domains, database) and the database's read.

    ``mapped`` is multisite_domains_info's result when ``variables['database']``
    is set, else None. Returns a dict:

    - ``sync``: the arguments of serverpilot_app_domains (``max_removals`` and
      ``source_mappings`` only where they apply), or None where the run syncs
      nothing (no names, not exclusive, no database);
    - ``health_domains``: the names the health steps check - every name the
      sync asks for (``www.`` forms included; none for a removal) and every
      required one;
    - ``required``: the names whose failure fails the run;
    - ``history``: what the last run knew of each name, for the health step ({name: {'status', 'since'}}: the
      fact cache's ``history``, else the last report's, ``previous``; None before the first).
    """
    from_db = variables['database'] is not None
    if from_db and mapped is None:
        raise PlanError('serverpilot_database is set but the database was not read')
    mapped = mapped if from_db else None
    present = variables['domains_state'] == 'present'
    www = _www(variables['www'], mapped)
    sync = None
    if from_db or variables['domains'] or variables['domains_exclusive']:
        exclusive = from_db or variables['domains_exclusive']
        names = (list(mapped['domains']) + list(mapped['custom_site_domains']) + list(variables['domains'])
                 if from_db else list(variables['domains']))
        sync = dict(
            domains=names,
            state='present' if from_db else variables['domains_state'],
            exclusive=exclusive,
            www=www,
            www_skip_under=_www_skip_under(variables, mapped),
            keep=list(variables['keep']) + (EVERY_IP if variables['keep_ip_addresses'] else []),
        )
        # only an exclusive sync removes names the task did not list
        if exclusive and variables['max_removals'] is not None:
            sync['max_removals'] = variables['max_removals']
        if exclusive and variables['max_removals_percent'] is not None:
            sync['max_removals_percent'] = variables['max_removals_percent']
        # an emptied table looks exactly like a network whose customers all left
        if from_db and not variables['source_may_be_empty']:
            sync['source_mappings'] = mapped['count']
    required = []
    if present:
        required = list(variables['domains'] if variables['required_domains'] is None else variables['required_domains'])
    checked = []
    if sync is not None and sync['state'] == 'present':
        # the names the sync asks for, as serverpilot_app_domains computes them (its own check comes first)
        checked = domains.requested(sync['domains'], sync['www'], skip_under=sync['www_skip_under'])
    # normalise also drops a required name the sync already asks for
    return dict(sync=sync, health_domains=domain_names.normalise(checked + required), required=required,
                history=_known_history(history, previous))


def autossl_again(first, before, retries):
    """Whether the AutoSSL step asks again: only when the first answer was "not available yet", only with tries
    to spend, and only while a name on the app's list points at the server (``before``: the health step's look at
    each name just before) - ServerPilot issues nothing for names whose DNS is elsewhere, so waiting for them could
    only end in a timeout."""
    if not retries or (_if_it_ran(first) or {}).get('error_kind') != 'autossl_unavailable':
        return False
    return any(entry.get('points_to_server') and entry.get('listed')
               for entry in (_if_it_ran(before) or {}).get('domains') or [])


def _if_it_ran(result):
    """A registered result of a task that ran (not skipped, not absent)."""
    return result if result and not result.get('skipped') else None


def _known_history(history, previous):
    """What the last run knew of each name: the fact cache's ``history``, else the last report's (``previous``)."""
    return history if history is not None else _history_of(previous)


def _history_of(previous):
    """The history the last report holds, for a run without a fact cache: {name: {'status', 'since'}}."""
    entries = (previous or {}).get('health') or []
    if not entries or not all(e.get('since') for e in entries):
        return None
    return dict((e['name'], {'status': e['status'], 'since': e['since']}) for e in entries)


def result(app_id, mapped=None, sync=None, autossl_first=None, autossl_again=None, health=None, stopped=None,
           previous=None, history=None, credentials=None):
    """The role's ``serverpilot_result`` from its steps' registered results (None or skipped: the step did not run).

    The AutoSSL step asks a second time only when the first said "not available
    yet"; the later answer is the one that stands. ``stopped`` is where a run
    that failed before its end stopped ({'task', 'msg', 'error_kind'}): the
    result (and the report made from it) says so - ``failure``, ``stopped_at``,
    ``error_kind`` - and, since this run checked no health, carries the health
    findings of ``previous`` (the last report) marked as from that run
    (``health_from``), never as this run's.

    ``history`` is what the last run knew of each name ({name: {'status',
    'since'}}, from the fact cache; None: the last report's, or none at all):
    the health step was given it (plan's ``history``), so its entries carry
    ``since``, ``change`` and ``failing_days`` and it returns the ``history``
    to keep; without a health step what was known stays. The result also
    gives ``changes`` (a summary for a notification) and ``capacity``.

    ``credentials`` is the result of taking the credentials from Ultimate Multisite's constants: only where each
    came from is kept (``credentials_from``), never a value. ``plugin_integration`` is what the read said of the
    plugin's own ServerPilot integration (true: a second writer of the app).
    """
    mapped, sync, health = _if_it_ran(mapped), _if_it_ran(sync), _if_it_ran(health)
    if mapped is not None and 'domains' not in mapped:
        mapped = None  # the read failed: it says nothing of the network
    autossl = _if_it_ran(autossl_again) or _if_it_ran(autossl_first) or {}
    sync = sync or {}
    health = health or {}
    health_failure = health.get('msg') if health.get('error_kind') else None
    found = dict(
        app_id=app_id,
        app_name=health.get('app_name') or (previous or {}).get('app_name'),
        source=mapped.get('source') if mapped else None,
        plugin_integration=mapped.get('plugin_integration') if mapped else None,
        credentials_from=(_if_it_ran(credentials) or {}).get('credentials_from'),
        mapped_domains=mapped['domains'] if mapped else None,
        domains=sync.get('domains'),
        added=sync.get('added', []),
        removed=sync.get('removed', []),
        ssl=autossl.get('ssl'),
        uncovered_domains=autossl.get('uncovered_domains', []),
        health=health.get('domains', []),
        summary=health.get('summary', {}),
        health_failure=health_failure,
        health_from=None,
        failure=health_failure,
        stopped_at=None,
        error_kind=health.get('error_kind') if health_failure else None,
    )
    if stopped:
        found.update(failure='%s: %s' % (stopped.get('task') or 'a step', stopped.get('msg') or 'failed'),
                     stopped_at=stopped.get('task'), error_kind=stopped.get('error_kind'))
        if not health and previous and previous.get('health'):
            found.update(health=previous['health'], summary=previous.get('summary') or {},
                         health_from=previous.get('health_from') or previous.get('generated_at'))
    if health.get('history') is not None and found['health_from'] is None:
        found['history'] = health['history']  # the health step advanced what it was given (plan's history)
    else:  # nothing checked this run: what was known stays as it was
        found['history'] = _known_history(history, previous) or {}
    found['changes'] = names_history.summary_of_changes(found['health'] if found['health_from'] is None else [])
    found['capacity'] = names_history.capacity(len(sync['domains'])) if sync.get('domains') is not None else None
    found['health'] = for_reading(found['health'], mapped)
    return found


def for_reading(entries, mapped=None):
    """The health entries as a person reads them: required names that are not ok first, then the other names
    that are not ok, then the ok ones (each group in the order checked), each with the site (blog ID) that the
    network's mapping gives it, and its www. form the same site."""
    sites = {}
    for mapping in (mapped or {}).get('mappings') or []:
        sites.setdefault(mapping.get('domain'), mapping.get('blog_id'))

    def site(name):
        return sites.get(name, sites.get(name[4:]) if name.startswith('www.') else None)

    def need(entry):
        bad = entry.get('status') != 'ok' or entry.get('probe_error')
        return 0 if bad and entry.get('required') else 1 if bad else 2
    return [dict(entry, site=entry.get('site', site(entry.get('name') or ''))) for entry in sorted(entries, key=need)]
