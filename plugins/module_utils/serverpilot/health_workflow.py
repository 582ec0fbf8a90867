# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The health workflow: the app's facts, every domain probed in parallel, classified, pending ones waited for.

Per domain, the chain an operator would check by hand: DNS (A and AAAA), whether
it points at the server, whether it is listed on the app and covered by AutoSSL,
and one TLS handshake to the server's own address. A name that points elsewhere
is classified from DNS alone: no connection ever goes to an address a customer
chose. Waiting re-checks only ``pending`` domains, the only ones that can still
become ``ok`` without anyone acting.
"""

import datetime
import time

from ansible_collections.multisite.serverpilot.plugins.module_utils import domain_names
from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import caa, certificates, domains, health, probes
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

FIELDS = ('issuer', 'not_after', 'days_left')


def _lifetime(certificate):
    """The renewal watch's facts of a served certificate: its lifetime in days, and when Let's Encrypt's renewal
    (a third of the lifetime before expiry) was due."""
    if not certificate or certificate.get('lifetime_seconds') is None:
        return {'lifetime_days': None, 'renew_by': None}
    not_after = datetime.datetime.strptime(certificate['not_after'], '%Y-%m-%dT%H:%M:%SZ')
    due = not_after - datetime.timedelta(seconds=certificate['lifetime_seconds'] * health.RENEW_AT)
    return {'lifetime_days': round(certificate['lifetime_seconds'] / 86400.0, 1),
            'renew_by': due.strftime('%Y-%m-%dT%H:%M:%SZ')}


class AppFacts:
    """What the API says of the app: its list, AutoSSL's coverage (None: unknown), the server's addresses,
    and the other apps that list the same names."""

    def __init__(self, listed=None, covered=None, server_addresses=(), other_apps=None):
        self.listed = listed
        self.covered = covered
        self.server_addresses = set(server_addresses)
        self.other_apps = other_apps or {}

    @classmethod
    def read(cls, client, app_id, server_addresses=None, other_apps=None):
        """The facts from the API; ``other_apps`` from an earlier read saves the GET /apps (one per run)."""
        app = client.get_app(app_id)
        autossl = app.get('autossl')
        covered = None
        if isinstance(autossl, dict):
            # not available: no certificate covers anything yet; available: its list, when the API gives one
            covered = set(autossl.get('domains') or []) if autossl.get('available') else set()
            if autossl.get('available') and autossl.get('domains') is None:
                covered = None
        if server_addresses is None:
            server = client.get_server(app['serverid'])
            if not server.get('lastaddress'):
                raise CollectionError("Server %s has no lastaddress in the API's answer; give server_addresses."
                                      % app['serverid'], kind='unexpected_response')
            server_addresses = [server['lastaddress']]
        listed = set(domain_names.comparison_key(name) for name in app['domains'])
        if other_apps is None:
            # one GET /apps: a name on several apps reaches only the app whose name sorts first
            me = app.get('name') or app_id
            other_apps = dict((name, [owner for owner in owners if owner != me])
                              for name, owners in domains.shared_domains(client.list_apps()).items()
                              if name in listed)
        return cls(listed, covered, [health.normalise_address(a) for a in server_addresses], other_apps), app


def _in_or_unknown(collection, name):
    return None if collection is None else name in collection


def check_one(name, dns_facts, facts, options, handshake=certificates.check):
    """Classify one name from its DNS facts, making at most the handshakes it needs."""
    listed, covered = _in_or_unknown(facts.listed, name), _in_or_unknown(facts.covered, name)
    certificate = None
    if health.checkable(name):
        addresses = dns_facts['a'] + dns_facts['aaaa']
        address = health.handshake_address(addresses, facts.server_addresses)
        if addresses and all(a in facts.server_addresses for a in addresses):
            certificate = handshake(name, address, port=options['port'], timeout=options['connect_timeout'],
                                    ca_path=options['ca_path'], describe_failure=False)
    caa_found = (caa.evaluate(name, dns_facts['caa'], options['caa_account_uris'])
                 if dns_facts.get('caa') is not None else None)
    status, reason, points = health.classify(name, dns_facts, facts.server_addresses, listed, covered, certificate,
                                             options['expiry_warning_days'], caa_found)
    if status == health.CERTIFICATE_INVALID and certificate and not certificate.get('issuer'):
        # the operator needs the facts of a wrong certificate: only here is a second handshake worth it
        certificate = handshake(name, address, port=options['port'], timeout=options['connect_timeout'],
                                ca_path=options['ca_path'], describe_failure=True)
        status, reason, points = health.classify(name, dns_facts, facts.server_addresses, listed, covered,
                                                 certificate, options['expiry_warning_days'], caa_found)
    addresses = dns_facts['a'] + dns_facts['aaaa'] if health.checkable(name) else []
    valid = certificate if certificate and certificate.get('valid') else None
    return _entry(name, status, reason, facts, options, addresses, points, valid,
                  caa_allows=caa_found[0] if caa_found else None, dnssec=dns_facts.get('dnssec'), **_lifetime(valid))


def _entry(name, status, reason, facts, options, addresses=(), points=None, certificate=None, **extra):
    """One name's result, in the one shape every entry has."""
    other_apps = facts.other_apps.get(name, [])
    if other_apps:
        reason += (' It is also on app(s) %s: ServerPilot sends its requests to the app whose name sorts first, so '
                   'one of them never sees them; remove it where it does not belong.' % ', '.join(other_apps))
    entry = {'name': name, 'status': status, 'reason': reason, 'other_apps': other_apps, 'addresses': list(addresses),
             'points_to_server': points, 'listed': _in_or_unknown(facts.listed, name), 'covered': _in_or_unknown(facts.covered, name),
             'required': name in options['required']}
    entry.update((field, certificate.get(field) if certificate else None) for field in FIELDS)
    entry.update(caa_allows=None, dnssec=None, lifetime_days=None, renew_by=None)
    entry.update(extra)
    return entry


def _guarded(name, facts, options, probe):
    """``probe()`` (one name's entry); whatever it meets ends as that name's result, never as the others'."""
    try:
        return probe()
    except Exception as exc:  # pylint: disable=broad-except
        return _entry(name, health.UNCHECKED, '%s could not be checked: its probe failed (%s: %s). The other names are '
                      'checked as usual; run again, and report it if it keeps happening.'
                      % (name, type(exc).__name__, exc), facts, options, probe_error=type(exc).__name__)


def check_all(names, dns_resolver, facts, options, handshake=certificates.check):
    """Every name probed and classified, ``options['concurrency']`` at a time; returns (entries, dns facts)."""
    dns_facts = {}  # each name's own key, written by its own thread
    # CAA in the same wave as A and AAAA, each parent looked up once for every name under it
    caa_lookups = probes.CAALookups(dns_resolver) if options.get('caa', True) else None

    def probe(name):
        def run():
            dns_facts[name] = (probes.lookup(dns_resolver, name, caa_lookups) if health.checkable(name)
                               else probes.no_lookup())
            return check_one(name, dns_facts[name], facts, options, handshake)
        return _guarded(name, facts, options, run)
    return probes.in_parallel(probe, names, options['concurrency']), dns_facts


def run_health(names, dns_resolver, facts, options, refresh=None, sleep=time.sleep, clock=time.monotonic,
               handshake=certificates.check, warn=None):
    """Check every name, then keep re-checking only ``pending`` ones until they are ok or ``wait`` is over.

    ``refresh()`` returns new AppFacts (AutoSSL's coverage changes while ServerPilot issues); None: keep them.
    The wait is a best effort: when the API cannot be read again, it ends with what is known (``warn`` says why).
    """
    entries, dns_facts = check_all(names, dns_resolver, facts, options, handshake)
    deadline = clock() + options['wait']
    while True:
        pending = [e['name'] for e in entries if e['status'] in health.WAITABLE]
        remaining = deadline - clock()
        if not pending or remaining <= 0:
            return entries
        sleep(min(options['wait_delay'], remaining))
        if refresh is not None:
            try:
                facts = refresh()
            except CollectionError as exc:
                return _wait_ended(entries, exc, warn)
        again = dict(zip(pending, probes.in_parallel(
            lambda name: _guarded(name, facts, options,
                                  lambda: check_one(name, dns_facts[name], facts, options, handshake)),
            pending, options['concurrency'])))
        entries = [again.get(e['name'], e) for e in entries]


def _wait_ended(entries, exc, warn):
    """The entries as they were when the API could not be read again: pending ones say so."""
    note = (' The wait for it ended early: the API could not be read again to see whether ServerPilot has issued '
            'it (%s).' % exc.kind)
    if warn is not None:
        warn('The wait for pending domains ended early, as ServerPilot could not be read again: %s' % exc.msg)
    return [dict(e, reason=e['reason'] + note) if e['status'] in health.WAITABLE else e for e in entries]


def server_addresses(values):
    """The server_addresses option as addresses (None: not given)."""
    try:
        return [health.normalise_address(a) for a in values or []] or None
    except ValueError as exc:
        raise CollectionError('server_addresses must be IP addresses: %s.' % exc)


def app_facts(client, app_id, names, required, servers):
    """What the check needs to know: (names to check, AppFacts, refresh - None, or a function that reads the
    app's facts again while pending names are waited for -, the app's name). ``client`` is None without app_id."""
    if app_id:
        facts, app = AppFacts.read(client, app_id, servers)
        servers = sorted(facts.server_addresses)
        if names is None:
            names = [domain_names.comparison_key(n) for n in app['domains']]
        return (names + [name for name in required if name not in names], facts,
                lambda: AppFacts.read(client, app_id, servers, facts.other_apps)[0], app.get('name'))
    if names is None or servers is None:
        raise CollectionError('Give app_id (with client_id and api_key), or domains and server_addresses.')
    return names + [name for name in required if name not in names], AppFacts(None, None, servers), None, None


def check_failures(entries, fail_on, required):
    """Fail (error_kind health) for the entries ``fail_on`` counts: the required names', any, or none."""
    failed = health.failures(entries, fail_on, required)
    if failed:
        raise CollectionError('%d of %d domains are not healthy (fail_on=%s): %s' % (
            len(failed), len(entries), fail_on,
            ' '.join('%s: %s - %s' % (e['name'], e['status'], e['reason']) for e in failed)), kind='health')
