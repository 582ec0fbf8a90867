# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real TLS endpoint with a test CA, standing in for the web server of a ServerPilot app.

It picks the certificate by SNI, as Nginx does for an app's domains. What it
serves for a name is set per name (``serve``), or, when it is linked to a
stand-in API state, follows AutoSSL: a name covered by an app whose AutoSSL
is on gets a certificate from the test CA ("Let's Encrypt"), any other name
the server's self-signed default certificate.

Needs ``trustme`` (test-only dependency).
"""

import datetime
import os
import socket
import ssl
import tempfile
import threading
import time
from collections import Counter

import trustme

VALID = 'valid'
EXPIRED = 'expired'
WRONG_NAME = 'wrong-name'
SELF_SIGNED = 'self-signed'
# valid for OpenSSL, unreadable for cryptography: a certificatePolicies extension whose PolicyInformation is an
# INTEGER (OpenSSL does not parse policies unless it checks them; cryptography parses every extension it knows)
ODD = 'odd-extension'
KINDS = (VALID, EXPIRED, WRONG_NAME, SELF_SIGNED, ODD)


class _Listener:
    """A loopback TCP listener whose accept loop runs in a thread until stop()."""

    def __init__(self, host, port):
        self.sock = socket.create_server((host, port))
        self.sock.settimeout(0.2)
        self._port = self.sock.getsockname()[1]  # still known once stopped: the server that went down
        self._stop = threading.Event()
        self._thread = None

    @property
    def port(self):
        return self._port

    def _accepted(self, conn):
        raise NotImplementedError

    def _loop(self):
        while not self._stop.is_set():
            try:
                conn, dummy = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            self._accepted(conn)

    def start(self):
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop listening (again: a test may stop the app's web server before the world's teardown)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self.sock.close()


class TLSEndpoint(_Listener):
    def __init__(self, host='127.0.0.1', port=0, state=None, workdir=None, latency=0.0):
        super().__init__(host, port)
        self.host = host
        # seconds added before each handshake: a real server's round trips, for the benchmark
        self.latency = latency
        self.ca = trustme.CA(organization_name='Stand-in Encrypt')
        self._self_signer = trustme.CA(organization_name='ServerPilot default certificate')
        self.workdir = workdir or tempfile.mkdtemp(prefix='tls-endpoint-')
        self.ca_path = os.path.join(self.workdir, 'test-ca.pem')
        self.ca.cert_pem.write_to_path(self.ca_path)
        self.state = state
        self.rules = {}
        self.lifetimes = {}  # name -> (lifetime, left), in days: a valid certificate at that point of its life
        self.handshakes = Counter()
        self._contexts = {}
        self._lock = threading.Lock()
        # written once here: handshakes run in parallel, and a half-written file would fail one of them
        self._default_path = os.path.join(self.workdir, 'default.pem')
        with open(self._default_path, 'wb') as handle:
            handle.write(self._self_signer.private_key_pem.bytes() + self._self_signer.cert_pem.bytes())

    def serve(self, name, kind=VALID, after=0, then=VALID):
        """Serve ``kind`` for ``name``; with ``after``, switch to ``then`` once that many handshakes were made."""
        assert kind in KINDS and then in KINDS
        with self._lock:
            self.rules[name] = (kind, after, then)

    def serve_lifetime(self, name, lifetime_days, left_days):
        """Serve ``name`` a valid certificate of ``lifetime_days`` with ``left_days`` to go (6-, 45-, 90-day
        certificates at any point of their life), set before its first handshake."""
        with self._lock:
            self.lifetimes[name] = (lifetime_days, left_days)
            self._contexts.pop((VALID, name), None)

    def handshake_count(self, name):
        """How many handshakes asked for ``name`` so far; each one's certificate is chosen by then."""
        with self._lock:
            return self.handshakes[name]

    def _kind(self, name):
        rule = self.rules.get(name)
        if rule:
            kind, after, then = rule
            return then if after and self.handshakes[name] > after else kind
        if self.state is not None:
            return VALID if self._autossl_covers(name) else SELF_SIGNED
        return VALID

    def _autossl_covers(self, name):
        # only what AutoSSL covers now: listed, pointing at the server, issued after the delay
        return self.state.covers(name)

    def _context(self, kind, name):
        key = (kind, name if kind in (VALID, EXPIRED, ODD) else None)
        if key not in self._contexts:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            if kind == SELF_SIGNED:
                cert_pem = self._self_signer.cert_pem.bytes()
                key_pem = self._self_signer.private_key_pem.bytes()
            else:
                now = datetime.datetime.now(datetime.timezone.utc)
                day = datetime.timedelta(days=1)
                if kind == EXPIRED:
                    leaf = self.ca.issue_cert(name, common_name=name, not_before=now - 120 * day,
                                              not_after=now - 30 * day)
                elif kind == WRONG_NAME:
                    leaf = self.ca.issue_cert('some-other-site.example', common_name='some-other-site.example',
                                              not_before=now - day, not_after=now + 89 * day)
                elif kind == ODD:
                    leaf = None
                    cert_pem, key_pem = self._odd_certificate(name, now, day)
                elif name in self.lifetimes:
                    lifetime, left = self.lifetimes[name]
                    leaf = self.ca.issue_cert(name, common_name=name, not_before=now - (lifetime - left) * day,
                                              not_after=now + left * day)
                else:  # as Let's Encrypt issues: 90 days
                    leaf = self.ca.issue_cert(name, common_name=name, not_before=now - day,
                                              not_after=now + 89 * day)
                if leaf is not None:
                    cert_pem = b''.join(blob.bytes() for blob in leaf.cert_chain_pems)
                    key_pem = leaf.private_key_pem.bytes()
            fd, path = tempfile.mkstemp(dir=self.workdir, suffix='.pem')
            with os.fdopen(fd, 'wb') as handle:
                handle.write(key_pem + cert_pem)
            context.load_cert_chain(path)
            self._contexts[key] = context
        return self._contexts[key]

    def _odd_certificate(self, name, now, day):
        """A leaf of the test CA with a malformed certificatePolicies extension: (cert PEM, key PEM)."""
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID, ObjectIdentifier
        ca_key = serialization.load_pem_private_key(self.ca.private_key_pem.bytes(), None)
        ca_cert = x509.load_pem_x509_certificate(self.ca.cert_pem.bytes())
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
                .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - day).not_valid_after(now + 89 * day)
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
                .add_extension(x509.UnrecognizedExtension(ObjectIdentifier('2.5.29.32'), bytes.fromhex('3003020101')),
                               critical=False)
                .sign(ca_key, hashes.SHA256()))
        return (cert.public_bytes(serialization.Encoding.PEM),
                key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))

    def _sni(self, sslobj, name, dummy_context):
        name = name or ''
        with self._lock:
            self.handshakes[name] += 1
            kind = self._kind(name)
            sslobj.context = self._context(kind, name or 'localhost')

    def _handle(self, conn):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.sni_callback = self._sni
        # a default certificate for clients that send no SNI
        context.load_cert_chain(self._default_path)
        conn.settimeout(5)
        if self.latency:
            time.sleep(self.latency)
        try:
            with context.wrap_socket(conn, server_side=True) as tls:
                tls.recv(1024)
                tls.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok')
        except (ssl.SSLError, OSError):
            pass
        finally:
            conn.close()

    def _accepted(self, conn):
        threading.Thread(target=self._handle, args=(conn,), daemon=True).start()


class SilentEndpoint(_Listener):
    """Accepts TCP connections and never speaks: a TLS handshake against it times out."""

    def __init__(self, host='127.0.0.1'):
        super().__init__(host, 0)
        self._held = []

    def _accepted(self, conn):
        self._held.append(conn)

    def stop(self):
        super().stop()
        for conn in self._held:
            conn.close()
