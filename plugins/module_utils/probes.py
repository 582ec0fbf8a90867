# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The network probes of the health check: DNS with dnspython, and the TLS handshake (certificates.check).

Probes gather facts and decide nothing; health.classify decides. Many names
are probed at once, bounded by ``concurrency``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.multisite.serverpilot.plugins.module_utils import domains, health
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

try:
    import dns.exception
    import dns.resolver
except ImportError:
    dns = None  # the module flow (runner.py) reports it before any probe runs


def parse_nameserver(value):
    """'IP' or 'IP:port' (an IPv6 address with a port in brackets: '[::1]:53') -> (address, port)."""
    address, port = domains.split_host(value)
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


def lookup(dns_resolver, name):
    """{'a': [...], 'aaaa': [...], 'error': None or why the lookup failed} - never raises."""
    found = {'a': [], 'aaaa': [], 'error': None}
    for rdtype, key in (('A', 'a'), ('AAAA', 'aaaa')):
        try:
            answer = dns_resolver.resolve(name, rdtype, search=False)
            found[key] = sorted(set(health.normalise_address(r.to_text()) for r in answer))
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            continue
        except dns.exception.Timeout:
            found['error'] = 'no answer from the nameservers in time'
        except dns.exception.DNSException as exc:
            found['error'] = '%s: %s' % (type(exc).__name__, exc)
    return found


def in_parallel(function, items, concurrency):
    """function(item) for every item, at most ``concurrency`` at a time, results in the items' order."""
    items = list(items)
    if not items:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(items)))) as pool:
        return list(pool.map(function, items))
