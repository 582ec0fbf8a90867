# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The network probes of the health check: DNS with dnspython, and the TLS handshake (certificates.check).

Probes gather facts and decide nothing; health.classify decides. Many names
are probed at once, bounded by ``concurrency``.
"""

import copy
import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.multisite.serverpilot.plugins.module_utils import addresses
from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import caa, health
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

try:
    import dns.exception
    import dns.flags
    import dns.resolver
except ImportError:
    dns = None  # the module flow (runner.py) reports it before any probe runs


def parse_nameserver(value):
    """'IP' or 'IP:port' (an IPv6 address with a port in brackets: '[::1]:53') -> (address, port)."""
    address, port = addresses.split_host(value)
    port = 53 if port is None else port
    try:
        return health.normalise_address(address), int(port)
    except ValueError:
        raise CollectionError("nameservers entry %r is not an IP address with an optional port (e.g. 1.1.1.1 or "
                              "127.0.0.1:5353)." % value)


def resolver(nameservers=None, timeout=5.0):
    """A dnspython resolver: the system's (/etc/resolv.conf), or the given servers (one port for all)."""
    if not nameservers:
        made = dns.resolver.Resolver()
    else:
        servers = [parse_nameserver(ns) for ns in nameservers]
        if len(set(port for address, port in servers)) > 1:
            raise CollectionError('nameservers must share one port; got %s.' % ', '.join(map(str, nameservers)))
        made = dns.resolver.Resolver(configure=False)
        made.nameservers = [address for address, port in servers]
        made.port = servers[0][1]
    made.lifetime = timeout
    made.timeout = timeout
    return made


def _failure(exc):
    """Why a lookup failed, in an operator's words, and whether the resolver answered SERVFAIL."""
    if isinstance(exc, dns.exception.Timeout):
        return 'no answer from the nameservers in time', False
    text = '%s: %s' % (type(exc).__name__, exc)
    return text, isinstance(exc, dns.resolver.NoNameservers) and 'SERVFAIL' in str(exc)


def _dnssec_failure(dns_resolver, name, rdtype):
    """Why ``name`` fails DNSSEC validation, or None: asked again with checking disabled (CD), the same resolver
    answers what it refused to vouch for. Only the resolvers the check already uses are asked."""
    unchecked = copy.copy(dns_resolver)
    unchecked.flags = dns.flags.RD | dns.flags.CD
    try:
        unchecked.resolve(name, rdtype, search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        pass
    except dns.exception.DNSException:
        return None  # it fails without validation too: a broken zone or nameserver, not DNSSEC
    return ('the %s lookup of %s fails DNSSEC validation (the resolver answers SERVFAIL, and answers when asked '
            'with checking disabled)' % (rdtype, name))


class CAALookups(object):
    """CAA record sets by name, each looked up once per run: a network's names share their parents."""

    def __init__(self, dns_resolver):
        self.resolver, self.found, self.lock = dns_resolver, {}, threading.Lock()

    def get(self, name):
        """(name, [(flags, tag, value)], error or None), the resolver following any CNAME."""
        with self.lock:
            if name in self.found:
                return self.found[name]
        records, error = [], None
        try:
            answer = self.resolver.resolve(name, 'CAA', search=False)
            records = sorted((r.flags, r.tag.decode('ascii', 'replace'), r.value.decode('utf-8', 'replace'))
                             for r in answer)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            pass
        except dns.exception.DNSException as exc:
            error = _failure(exc)[0]
        with self.lock:
            self.found[name] = (name, records, error)
        return self.found[name]

    def chain(self, name):
        """The lookups of ``name`` and its parents, closest first, as caa.evaluate takes them."""
        return [self.get(parent) for parent in caa.parents(name)]


def no_lookup():
    """The DNS facts of a name no lookup is made for (a wildcard, an IP address), in lookup()'s shape."""
    return {'a': [], 'aaaa': [], 'error': None, 'dnssec': None, 'caa': None}


def lookup(dns_resolver, name, caa_lookups=None):
    """{'a': [...], 'aaaa': [...], 'error': None or why the lookup failed, 'dnssec': None or why the name fails
    DNSSEC validation, 'caa': the CAA lookups of the name and its parents (with ``caa_lookups``)} - never raises."""
    found = no_lookup()
    for rdtype, key in (('A', 'a'), ('AAAA', 'aaaa')):
        try:
            answer = dns_resolver.resolve(name, rdtype, search=False)
            found[key] = sorted(set(health.normalise_address(r.to_text()) for r in answer))
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            continue
        except dns.exception.DNSException as exc:
            found['error'], servfail = _failure(exc)
            if servfail and found['dnssec'] is None:
                found['dnssec'] = _dnssec_failure(dns_resolver, name, rdtype)
    if caa_lookups is not None:
        found['caa'] = caa_lookups.chain(name)
        failed = [(at, error) for at, records, error in found['caa'] if error and 'SERVFAIL' in error]
        if failed and found['dnssec'] is None:
            found['dnssec'] = _dnssec_failure(dns_resolver, failed[0][0], 'CAA')
    return found


def in_parallel(function, items, concurrency):
    """function(item) for every item, at most ``concurrency`` at a time, results in the items' order."""
    items = list(items)
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(items)))) as pool:
        return list(pool.map(function, items))
