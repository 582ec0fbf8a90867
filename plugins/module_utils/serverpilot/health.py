# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure per-domain health: the facts probed about one name -> one status and a reason for the operator.

The probes (DNS, one TLS handshake) run first, elsewhere; everything here takes
their results as plain values, so tests call it without a network.
"""

from ansible_collections.multisite.serverpilot.plugins.module_utils import addresses

OK = 'ok'
EXPIRING = 'expiring'
PENDING = 'pending'
DNS_MISSING = 'dns_missing'
DNS_ELSEWHERE = 'dns_elsewhere'
CERTIFICATE_INVALID = 'certificate_invalid'
UNREACHABLE = 'unreachable'
UNCHECKED = 'unchecked'
CAA_BLOCKED = 'caa_blocked'
DNSSEC_BROKEN = 'dnssec_broken'
STATUSES = (OK, EXPIRING, PENDING, DNS_MISSING, DNS_ELSEWHERE, CERTIFICATE_INVALID, UNREACHABLE, UNCHECKED,
            CAA_BLOCKED, DNSSEC_BROKEN)
# what a domain may still become without anyone acting: only these are worth waiting for
WAITABLE = (PENDING,)
FAILED_STATUSES = (PENDING, DNS_MISSING, DNS_ELSEWHERE, CERTIFICATE_INVALID, UNREACHABLE, EXPIRING, CAA_BLOCKED,
                   DNSSEC_BROKEN)
# statuses of a name the server could get a certificate for: a CAA record that forbids Let's Encrypt turns each
# into caa_blocked (for an ok name, a renewal that will fail)
_ISSUABLE = (OK, EXPIRING, PENDING, CERTIFICATE_INVALID)

# Let's Encrypt renews (and asks clients to renew) with about a third of a certificate's lifetime left. The watch
# warns with a quarter left: renewal has then been failing for a twelfth of the lifetime (7.5 days of a 90-day
# certificate, 12 hours of a 6-day one) - never while more than half is left, at the latest with a fifth left.
RENEW_AT = 1.0 / 3
WARN_AT = 1.0 / 4

# handshake outcomes (certificates.check's ``reason``) that mean nothing answered TLS
_NO_ANSWER = ('connection refused', 'timeout', 'TLS handshake failed')


def normalise_address(value):
    """An IP address in its canonical text form (compressed IPv6); raises ValueError for anything else."""
    address = addresses.ip_entry(str(value))
    if address is None:
        raise ValueError('%r is not an IP address' % (value,))
    return address


def checkable(name):
    """Whether a handshake can check ``name``: not a wildcard, not an IP address."""
    return not name.startswith('*.') and not addresses.is_ip(name)


def handshake_address(addresses, server_addresses):
    """The server address to make the handshake to, or None.

    Only an address of the server's own is ever connected to: customers write
    their own DNS, and must never make the controller connect elsewhere.
    """
    for address in addresses:
        if address in server_addresses:
            return address
    return None


def _names(addresses):
    return ', '.join(addresses) if addresses else 'none'


def duration(seconds):
    """A span for an operator: days from two days up, hours below."""
    seconds = max(0, int(seconds))
    if seconds >= 2 * 86400:
        return '%d days' % (seconds // 86400)
    return '%d hours' % (seconds // 3600)


def renewal_overdue(lifetime, left, fixed_days=None):
    """Whether a certificate of ``lifetime`` seconds with ``left`` seconds to go should have been renewed by now,
    judged from its own lifetime (a quarter left), or from ``fixed_days`` where the operator gives them - never
    while more than half of the lifetime is left, so a 6-day certificate is not 'expiring' from birth."""
    if lifetime <= 0:
        return left <= 0
    threshold = lifetime * WARN_AT if fixed_days is None else min(fixed_days * 86400, lifetime / 2.0)
    return left < threshold


def _renewal_reason(name, certificate):
    lifetime, left = certificate['lifetime_seconds'], certificate['seconds_left']
    late = lifetime * RENEW_AT - left
    return ('%s serves a valid certificate that expires in %s (%s), %d%% of its %s lifetime. Let\'s Encrypt renews '
            'with a third of the lifetime left, so it should have been renewed %s ago: renewal is failing. Look at '
            'the app\'s SSL in the ServerPilot dashboard, and at any CAA or DNSSEC finding for it.'
            % (name, duration(left), certificate.get('not_after'), max(0, 100 * left // lifetime) if lifetime else 0,
               duration(lifetime), duration(late)))


def classify(name, dns, server_addresses, listed, covered, certificate=None, expiry_warning_days=None, caa=None):
    """One domain's status and reason from its probed facts.

    ``dns``: {'a': [...], 'aaaa': [...], 'error': None or text, 'dnssec': None or why its DNSSEC chain fails};
    ``server_addresses``: the server's addresses (normalised); ``listed``: on the app's list; ``covered``: in
    AutoSSL's certificate (True, False or None when the API does not say); ``certificate``: certificates.check's
    result for the handshake, or None when none was made; ``expiry_warning_days``: a fixed renewal warning
    instead of the lifetime rule (renewal_overdue); ``caa``: caa.evaluate's (allowed, reason), or None when not
    looked up. Returns (status, reason, points_to_server).
    """
    status, reason, points = _classify(name, dns, server_addresses, listed, covered, certificate, expiry_warning_days)
    if status in _ISSUABLE and points and caa is not None and not caa[0] and listed is not False:
        now = {OK: 'It serves a valid certificate today, but its renewal will fail',
               EXPIRING: 'This is why its renewal fails', PENDING: 'ServerPilot cannot issue its certificate',
               CERTIFICATE_INVALID: 'ServerPilot cannot issue the certificate it needs'}[status]
        return CAA_BLOCKED, ('%s points at the server. %s: %s.' % (name, now, caa[1])), points
    return status, reason, points


def _classify(name, dns, server_addresses, listed, covered, certificate, expiry_warning_days):
    if not checkable(name):
        what = 'a wildcard' if name.startswith('*.') else 'an IP address'
        return UNCHECKED, ('%s is %s: no DNS lookup or handshake can check it; ServerPilot never issues AutoSSL '
                           'certificates for it.' % (name, what)), None
    if dns.get('dnssec'):
        return DNSSEC_BROKEN, ('%s: %s Every CA validates DNSSEC since 15 March 2026, so no certificate can be issued '
                               'or renewed for it, though resolvers that do not validate still answer. Re-sign the '
                               'zone (expired signatures), or remove the DS record left at the registrar after a DNS '
                               'move.' % (name, dns['dnssec'])), None
    addresses = list(dns.get('a') or []) + list(dns.get('aaaa') or [])
    servers = _names(sorted(server_addresses))
    if not addresses:
        if dns.get('error'):
            return DNS_MISSING, ('%s could not be looked up (%s). Check the nameservers this check asks, then the '
                                 "domain's DNS." % (name, dns['error'])), False
        return DNS_MISSING, ('%s has no A or AAAA record. Point it at the server (%s); ServerPilot issues the '
                             'certificate once it does, usually within 5-15 minutes.' % (name, servers)), False
    elsewhere = [a for a in addresses if a not in server_addresses]
    if elsewhere:
        stray_v6 = [a for a in elsewhere if a in (dns.get('aaaa') or [])]
        if stray_v6 and not [a for a in elsewhere if a in (dns.get('a') or [])] and dns.get('a'):
            return DNS_ELSEWHERE, ('%s has the right A record, but its AAAA record points elsewhere (%s). Let\'s '
                                   'Encrypt prefers IPv6, so issuance fails: remove the AAAA record or point it at '
                                   'the server (%s).' % (name, _names(stray_v6), servers)), False
        return DNS_ELSEWHERE, ('%s points at %s, not at the server (%s): a CDN or proxy in front, or another host. '
                               'ServerPilot cannot issue its certificate until it points at the server; if a proxy '
                               'is meant to be there, its certificate is its own business.'
                               % (name, _names(elsewhere), servers)), False
    if certificate is None:
        return UNREACHABLE, '%s points at the server, but no handshake was made.' % name, True
    if certificate.get('valid'):
        days = certificate.get('days_left')
        if certificate.get('lifetime_seconds') is not None and renewal_overdue(
                certificate['lifetime_seconds'], certificate['seconds_left'], expiry_warning_days):
            return EXPIRING, _renewal_reason(name, certificate), True
        return OK, '%s serves a valid certificate (%d days left).' % (name, days if days is not None else 0), True
    reason = certificate.get('reason') or 'invalid certificate'
    if reason in _NO_ANSWER:
        return UNREACHABLE, ('%s points at the server, but %s answered no TLS on that port (%s: %s). Check that the '
                             'server is up and the firewall lets HTTPS in.'
                             % (name, handshake_address(addresses, server_addresses), reason,
                                certificate.get('detail'))), True
    if listed is False:
        return CERTIFICATE_INVALID, ('%s points at the server but is not on the app\'s domain list, so ServerPilot '
                                     'will never issue its certificate: add it (serverpilot_app_domains).' % name), True
    if covered is False:
        return PENDING, ('%s points at the server and waits for ServerPilot to issue its certificate (usually 5-15 '
                         'minutes after DNS points); the server still serves %s.' % (name, _describe(certificate))), True
    return CERTIFICATE_INVALID, ('%s points at the server%s, yet the certificate it serves is wrong: %s (%s); served: '
                                 '%s. Look at the app\'s SSL in the ServerPilot dashboard.'
                                 % (name, ' and AutoSSL covers it' if covered else '', reason,
                                    certificate.get('detail'), _describe(certificate))), True


def _describe(certificate):
    if certificate.get('reason') == 'unreadable certificate':
        return 'a certificate whose contents could not be read'
    if not certificate.get('issuer'):
        return 'a certificate that did not verify'
    return 'a certificate for %s issued by %s, valid until %s' % (
        ', '.join(certificate.get('names') or [certificate.get('subject') or '?']), certificate.get('issuer'),
        certificate.get('not_after'))


def summary(domains):
    """Count per status, every status present (0 when none)."""
    counts = dict((status, 0) for status in STATUSES)
    for domain in domains:
        counts[domain['status']] += 1
    return counts


def failures(domains, fail_on, required):
    """The domains that fail the task: none for ``never``, any not ok for ``any``, required ones not ok otherwise."""
    if fail_on == 'never':
        return []
    # a name whose probe failed could not be vouched for: it fails where a failed status would
    bad = [d for d in domains if d['status'] in FAILED_STATUSES or d.get('probe_error')]
    if fail_on == 'any':
        return bad
    return [d for d in bad if d['name'] in required]
