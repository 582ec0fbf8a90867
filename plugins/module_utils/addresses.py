# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure rules for addresses: an IP entry's one spelling, and host:port as WordPress and resolvers write it.

The ServerPilot side (a domain list's IP entries, the server's address) and the WordPress side (DB_HOST) share
these; neither needs the domain-name rules of domains.py for them.
"""

import ipaddress


def ip_entry(text):
    """The canonical form of an IP address entry (compressed IPv6), or None when ``text`` is not one."""
    try:
        return str(ipaddress.ip_address(text.strip().strip('[]')))
    except ValueError:
        return None


def is_ip(name):
    return ip_entry(name) is not None


def split_host(value):
    """'host', 'host:rest', '[v6]' or '[v6]:rest' -> (host, rest or None); a bare IPv6 address is all host.
    The one home of host:port parsing (a nameserver, WordPress's DB_HOST with its port or socket)."""
    text = str(value or '').strip()
    if text.startswith('['):
        host, dummy, rest = text[1:].partition(']')
        return host, rest[1:] if rest.startswith(':') else None
    if text.count(':') == 1:
        host, rest = text.split(':')
        return host, rest
    return text, None
