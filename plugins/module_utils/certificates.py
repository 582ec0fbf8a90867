# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Checking the certificate a domain serves: one real TLS handshake, as a browser would make it.

The chain and the name are verified by Python's ssl module (OpenSSL) against
the system trust store or a given CA bundle; the certificate is described with
``cryptography``. Nothing here knows about ServerPilot.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import os
import socket
import ssl
import time

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

try:
    from cryptography import x509
    from cryptography.x509.oid import NameOID
except ImportError:
    x509 = NameOID = None  # the module flow (runner.py) reports it before any check runs

# OpenSSL's X509_V_ERR_* codes, grouped by what an operator has to do about them.
_EXPIRED = {10: 'expired', 9: 'not yet valid'}
_SELF_SIGNED = {18, 19}
_UNTRUSTED = {2, 20, 21, 27}
_NAME_MISMATCH = {62}


def _utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def _name(name, oid):
    values = name.get_attributes_for_oid(oid)
    return values[0].value if values else None


def describe(der, now=None):
    """Issuer, subject, names and validity of a DER certificate."""
    cert = x509.load_der_x509_certificate(der)
    try:
        not_after = cert.not_valid_after_utc
        not_before = cert.not_valid_before_utc
    except AttributeError:  # cryptography < 42
        not_after = cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)
        not_before = cert.not_valid_before.replace(tzinfo=datetime.timezone.utc)
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
            x509.DNSName)
    except x509.ExtensionNotFound:
        names = []
    issuer = _name(cert.issuer, NameOID.ORGANIZATION_NAME) or _name(cert.issuer, NameOID.COMMON_NAME)
    now = now or _utc_now()
    return {
        'issuer': issuer or cert.issuer.rfc4514_string(),
        'subject': _name(cert.subject, NameOID.COMMON_NAME) or cert.subject.rfc4514_string(),
        'names': list(names),
        'not_before': not_before.strftime('%Y-%m-%dT%H:%M:%SZ'),
        'not_after': not_after.strftime('%Y-%m-%dT%H:%M:%SZ'),
        'days_left': (not_after - now).days,
    }


def _reason(exc):
    code = getattr(exc, 'verify_code', None)
    message = getattr(exc, 'verify_message', None) or str(exc)
    if code in _EXPIRED:
        return 'expired' if code == 10 else 'not yet valid', message
    if code in _SELF_SIGNED:
        return 'self-signed', message
    if code in _UNTRUSTED:
        return 'untrusted', message
    if code in _NAME_MISMATCH:
        return 'name mismatch', message
    return 'invalid certificate', message


def _connect(domain, port, address, timeout):
    return socket.create_connection((address or domain, port), timeout=timeout)


def _peer_certificate(domain, port, address, timeout):
    """The certificate the server presents for ``domain``, unverified: to describe a failure."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with _connect(domain, port, address, timeout) as sock:
            with context.wrap_socket(sock, server_hostname=domain) as tls:
                return tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError):
        return None


def check(domain, port=443, address=None, timeout=10, ca_path=None, describe_failure=True):
    """Verify the certificate ``domain`` serves; returns a dict with ``valid`` and ``reason``.

    ``address`` connects there instead of resolving the domain, still sending
    the domain as SNI (the way to test a server before DNS points at it).
    """
    result = {'domain': domain, 'valid': False, 'reason': None, 'detail': None}
    context = ssl.create_default_context(cafile=ca_path)
    try:
        with _connect(domain, port, address, timeout) as sock:
            with context.wrap_socket(sock, server_hostname=domain) as tls:
                der = tls.getpeercert(binary_form=True)
    except ssl.SSLCertVerificationError as exc:
        result['reason'], result['detail'] = _reason(exc)
        der = _peer_certificate(domain, port, address, timeout) if describe_failure else None
    except socket.timeout:
        result['reason'], result['detail'] = 'timeout', 'no TLS answer within %s seconds' % timeout
        return result
    except ConnectionRefusedError:
        result['reason'], result['detail'] = 'connection refused', 'nothing listens on %s port %s' % (
            address or domain, port)
        return result
    except socket.gaierror as exc:
        result['reason'], result['detail'] = 'DNS lookup failed', str(exc)
        return result
    except (ssl.SSLError, OSError) as exc:
        result['reason'], result['detail'] = 'TLS handshake failed', str(exc)
        return result
    else:
        result['valid'] = True
    if der:
        result.update(describe(der))
    return result


def checkable(domains):
    """Split names into those a handshake can check and wildcards, which it cannot."""
    names = [d for d in domains if not d.startswith('*.')]
    return names, [d for d in domains if d.startswith('*.')]


def failure_summary(results):
    return '; '.join('%s: %s (%s)' % (r['domain'], r['reason'], r['detail']) for r in results if not r['valid'])


def check_ca_path(ca_path):
    """Refuse a CA bundle that is not there, before any handshake (ssl's own error is a bare [Errno 2])."""
    if ca_path and not os.path.isfile(ca_path):
        raise CollectionError('ca_path %s does not exist or is not a file: name a PEM bundle of CA certificates, or '
                              'leave ca_path unset to use the system trust store.' % ca_path)


def check_all(names, port=443, address=None, timeout=10, ca_path=None, tries=1, delay=60, sleep=time.sleep):
    """Check every name, trying those that fail again (``tries`` in all, ``delay`` seconds apart).

    Names that verified are not checked again; describing a failure costs a
    second handshake, so only the last try does it.
    """
    check_ca_path(ca_path)
    results, pending = {}, list(names)
    for attempt in range(1, tries + 1):
        last = attempt == tries
        for name in pending:
            results[name] = check(name, port, address, timeout, ca_path, describe_failure=last)
            results[name]['tries'] = attempt
        pending = [name for name in pending if not results[name]['valid']]
        if not pending or last:
            break
        sleep(delay)
    return [results[name] for name in names]
