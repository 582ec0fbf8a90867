# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one TLS probe of the collection: one real handshake to an address the caller chose, as a browser would
make it for the name.

The chain and the name are verified by Python's ssl module (OpenSSL) against the system trust store or a given
CA bundle; the certificate is described with ``cryptography``. The address is always given: the health check
connects only to the server's own addresses, never where a customer's DNS points. Nothing here knows about
ServerPilot; a generic certificate probe is ``community.crypto.get_certificate``.
"""

import datetime
import os
import socket
import ssl

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
        # what the renewal watch judges by: the certificate's own lifetime, and how much of it is left
        'lifetime_seconds': int((not_after - not_before).total_seconds()),
        'seconds_left': int((not_after - now).total_seconds()),
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


def _peer_certificate(domain, port, address, timeout):
    """The certificate the server presents for ``domain``, unverified: to describe a failure."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((address, port), timeout=timeout) as sock:
            with context.wrap_socket(sock, server_hostname=domain) as tls:
                return tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError):
        return None


def check(domain, address, port=443, timeout=10, ca_path=None, describe_failure=True):
    """Verify the certificate ``domain`` serves at ``address`` (the domain goes as SNI; its DNS is never asked);
    returns a dict with ``valid`` and ``reason``. Never raises for what the server sends.
    """
    result = {'domain': domain, 'valid': False, 'reason': None, 'detail': None}
    context = ssl.create_default_context(cafile=ca_path)
    try:
        with socket.create_connection((address, port), timeout=timeout) as sock:
            with context.wrap_socket(sock, server_hostname=domain) as tls:
                der = tls.getpeercert(binary_form=True)
    except ssl.SSLCertVerificationError as exc:
        result['reason'], result['detail'] = _reason(exc)
        der = _peer_certificate(domain, port, address, timeout) if describe_failure else None
    except socket.timeout:
        result['reason'], result['detail'] = 'timeout', 'no TLS answer within %s seconds' % timeout
        return result
    except ConnectionRefusedError:
        result['reason'], result['detail'] = 'connection refused', 'nothing listens on %s port %s' % (address, port)
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
        try:
            result.update(describe(der))
        except (ValueError, TypeError) as exc:
            # OpenSSL took it, cryptography cannot read it (a malformed certificatePolicies): what it says of
            # issuer, names and expiry is unknown, so it cannot be called valid
            unread = ('its contents could not be parsed (%s), so its issuer, names and expiry are unknown'
                      % str(exc).split(':', 1)[0])
            if result['valid']:
                result.update(valid=False, reason='unreadable certificate', detail=unread)
            else:
                result['detail'] = '%s; %s' % (result['detail'], unread)
    return result


def check_ca_path(ca_path):
    """Refuse a CA bundle that is not there, before any handshake (ssl's own error is a bare [Errno 2])."""
    if ca_path and not os.path.isfile(ca_path):
        raise CollectionError('ca_path %s does not exist or is not a file: name a PEM bundle of CA certificates, or '
                              'leave ca_path unset to use the system trust store.' % ca_path)
