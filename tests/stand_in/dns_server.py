# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test world's DNS: Debian's dnsmasq in the foreground on a loopback port, answering from a hosts file.

Records are name -> addresses (IPv4 and IPv6), and CAA record sets name -> [(flags, tag, value)]. Names under
the given zones (top-level domains, so every parent of a name has an answer, as in the real DNS) that have no
record get NXDOMAIN, as from an authoritative server; nothing is ever forwarded. ``update`` rewrites the records
and makes dnsmasq re-read them (a change of CAA restarts it on the same port: its config holds them).

``PythonDNS`` answers the same way from dnspython, for the demo on a machine
without dnsmasq; the tests always use dnsmasq.
"""

import os
import shutil
import signal
import socket
import subprocess
import threading
import time


def _free_udp_port():
    """A port free for both UDP and TCP on loopback (dnsmasq listens on both)."""
    for dummy in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp, \
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            tcp.bind(('127.0.0.1', 0))
            port = tcp.getsockname()[1]
            try:
                udp.bind(('127.0.0.1', port))
            except OSError:
                continue
            return port
    raise RuntimeError('no free loopback port for the DNS server')


def dnsmasq_binary():
    return shutil.which('dnsmasq') or next((p for p in ('/usr/sbin/dnsmasq', '/sbin/dnsmasq') if os.path.exists(p)),
                                           None)


def caa_rdata(flags, tag, value):
    """A CAA record's RDATA in hex (RFC 8659 section 4.1), for dnsmasq's dns-rr."""
    tag, value = tag.encode('ascii'), value.encode('utf-8')
    return (bytes([flags, len(tag)]) + tag + value).hex()


class Dnsmasq:
    def __init__(self, workdir, records, zones, host='127.0.0.1', caa=None, cnames=None):
        self.workdir = workdir
        self.host = host
        self.port = _free_udp_port()
        self.zones = sorted(set(zones))
        self.hosts_file = os.path.join(workdir, 'dns-records.hosts')
        self.records = dict(records)
        self.caa = dict(caa or {})
        self.cnames = dict(cnames or {})  # alias -> target, for every type (dnsmasq follows it for CAA too)
        self.process = None
        self.started = False  # once it has answered, its port is the world's: a restart keeps it
        # a name only this server knows: ready means this server answers, not another that took the port
        self.sentinel = 'ready-%s.invalid' % os.urandom(6).hex()

    @property
    def nameserver(self):
        return '%s:%d' % (self.host, self.port)

    def _write_records(self):
        with open(self.hosts_file + '.tmp', 'w') as handle:
            handle.write('127.0.0.9 %s\n' % self.sentinel)
            for name, addresses in sorted(self.records.items()):
                for address in addresses:
                    handle.write('%s %s\n' % (address, name))
        os.replace(self.hosts_file + '.tmp', self.hosts_file)

    def start(self, tries=5):
        """Start on the chosen port; on a first start whose port another process took since it was found free
        (a test of another worker starting its own server), on a new one."""
        for attempt in range(tries):
            try:
                return self._start()
            except RuntimeError as exc:
                if 'Address already in use' not in str(exc) or attempt == tries - 1 or self.started:
                    raise
                self.port = _free_udp_port()

    def _start(self):
        self._write_records()
        config = os.path.join(self.workdir, 'dnsmasq.conf')
        with open(config, 'w') as handle:
            handle.write('port=%d\nlisten-address=%s\nbind-interfaces\nno-resolv\nno-hosts\nno-poll\n'
                         'addn-hosts=%s\ncache-size=0\n' % (self.port, self.host, self.hosts_file))
            for zone in self.zones:
                handle.write('local=/%s/\n' % zone)
            for name, records in sorted(self.caa.items()):
                for flags, tag, value in records:
                    handle.write('dns-rr=%s,257,%s\n' % (name, caa_rdata(flags, tag, value)))
            for alias, target in sorted(self.cnames.items()):
                handle.write('cname=%s,%s\n' % (alias, target))
        user = ['--user=root'] if os.geteuid() == 0 else []
        self.process = subprocess.Popen([dnsmasq_binary(), '--keep-in-foreground', '--conf-file=' + config,
                                         '--pid-file=', '--log-facility=' + os.path.join(self.workdir, 'dnsmasq.log')]
                                        + user, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_ready()
        self.started = True
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('dnsmasq exited: %s' % self.process.stderr.read().decode(errors='replace'))
            if _answers(self.host, self.port, self.sentinel):
                return
            time.sleep(0.05)
        raise RuntimeError('dnsmasq did not answer within 10 s')

    def update(self, records, caa=None, cnames=None):
        """Replace the records; dnsmasq re-reads its hosts file on SIGHUP. New CAA records or CNAMEs restart it."""
        self.records = dict(records)
        if (caa is not None and dict(caa) != self.caa) or (cnames is not None and dict(cnames) != self.cnames):
            self.caa = dict(self.caa if caa is None else caa)
            self.cnames = dict(self.cnames if cnames is None else cnames)
            self.stop()
            self.start()
            return
        self._write_records()
        self.process.send_signal(signal.SIGHUP)
        time.sleep(0.2)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def _answers(host, port, name='ready.invalid'):
    """Whether a DNS server answers a query on host:port: with an address for ``name`` where given (a name only
    the server started knows), else with any answer."""
    import dns.message
    import dns.query
    try:
        answer = dns.query.udp(dns.message.make_query(name, 'A'), host, port=port, timeout=0.2)
    except Exception:  # not up yet
        return False
    return name == 'ready.invalid' or any(rrset.rdtype == 1 for rrset in answer.answer)


class PythonDNS:
    """The same answers from dnspython over UDP, for the demo where dnsmasq is not installed."""

    def __init__(self, workdir, records, zones, host='127.0.0.1', caa=None):
        self.workdir = workdir
        self.host = host
        self.records = dict(records)
        self.caa = dict(caa or {})
        self.zones = list(zones)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()

    @property
    def nameserver(self):
        return '%s:%d' % (self.host, self.port)

    def start(self):
        threading.Thread(target=self._loop, daemon=True).start()
        return self

    def update(self, records, caa=None):
        self.records = dict(records)
        if caa is not None:
            self.caa = dict(caa)

    def _answer(self, wire):
        import dns.message
        import dns.rcode
        import dns.rdatatype
        import dns.rrset
        query = dns.message.from_wire(wire)
        response = dns.message.make_response(query)
        question = query.question[0]
        name = question.name.to_text().rstrip('.').lower()
        addresses = self.records.get(name)
        known = addresses is not None or name in self.caa or any(
            n == name or n.endswith('.' + name) for n in list(self.records) + list(self.caa))
        if not known:
            response.set_rcode(dns.rcode.NXDOMAIN)
            return response.to_wire()
        if question.rdtype == dns.rdatatype.CAA:
            wanted = ['%d %s "%s"' % record for record in self.caa.get(name, [])]
        elif question.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
            wanted = [a for a in addresses or [] if (':' in a) == (question.rdtype == dns.rdatatype.AAAA)]
        else:
            wanted = []
        if wanted:  # else NOERROR with no answer, as for any name that exists
            response.answer.append(dns.rrset.from_text_list(question.name, 0, 'IN', question.rdtype, wanted))
        return response.to_wire()

    def _loop(self):
        while not self._stop.is_set():
            try:
                wire, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            except OSError:
                break
            try:
                self.sock.sendto(self._answer(wire), peer)
            except Exception:  # a malformed query gets no answer, as from any server
                continue

    def stop(self):
        self._stop.set()
        self.sock.close()
