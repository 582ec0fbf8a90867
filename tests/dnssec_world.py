# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real DNSSEC world on loopback: zones signed with Debian's ldnsutils (one whose signatures have expired, one
valid), served by Debian's nsd, behind Debian's unbound validating with each zone's trust anchor and forwarding
every other name to the messy network's dnsmasq. The health check asks unbound, as a CA asks a validating
resolver: the expired zone's names answer SERVFAIL, and answer when asked with checking disabled."""

import datetime
import os
import shutil
import subprocess
import time

from stand_in.dns_server import _answers, _free_udp_port

ZONE = """$ORIGIN {zone}.
$TTL 60
@ IN SOA ns.{zone}. admin.{zone}. 1 3600 600 86400 60
@ IN NS ns.{zone}.
ns IN A 127.0.0.1
{records}
"""


def _binary(name):
    return shutil.which(name) or next((p for p in ('/usr/sbin/' + name, '/usr/bin/' + name) if os.path.exists(p)),
                                      None)


def available():
    return all(_binary(name) for name in ('nsd', 'unbound', 'ldns-keygen', 'ldns-signzone'))


def _stamp(moment):
    return moment.strftime('%Y%m%d%H%M%S')


class DNSSECWorld:
    """``zones``: {zone: ({name: address}, expired)}; ``forward``: 'IP:port' of the DNS for every other name."""

    def __init__(self, workdir, zones, forward):
        self.workdir, self.zones, self.forward = workdir, zones, forward
        self.nsd_port, self.port = _free_udp_port(), _free_udp_port()
        self.processes = []

    @property
    def nameserver(self):
        return '127.0.0.1:%d' % self.port

    def _sign(self, zone, records, expired):
        path = os.path.join(self.workdir, zone + '.zone')
        lines = '\n'.join('%s IN A %s' % (name[:-len(zone) - 1], address) for name, address in sorted(records.items()))
        with open(path, 'w') as handle:
            handle.write(ZONE.format(zone=zone, records=lines))
        base = subprocess.run([_binary('ldns-keygen'), '-a', 'ECDSAP256SHA256', '-k', zone], cwd=self.workdir,
                              capture_output=True, text=True, check=True).stdout.strip()
        now = datetime.datetime.now(datetime.timezone.utc)
        # expired: signed for a month that ended a year ago; valid: from yesterday for a month
        start, end = ((now - datetime.timedelta(days=400), now - datetime.timedelta(days=370)) if expired
                      else (now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)))
        subprocess.run([_binary('ldns-signzone'), '-i', _stamp(start), '-e', _stamp(end), path, base],
                       cwd=self.workdir, capture_output=True, text=True, check=True)
        with open(os.path.join(self.workdir, base + '.key')) as handle:
            anchor = ' '.join(handle.read().split())
        return path + '.signed', anchor

    def start(self):
        anchors, nsd_zones = [], []
        for zone, (records, expired) in sorted(self.zones.items()):
            signed, anchor = self._sign(zone, records, expired)
            anchors.append(anchor)
            nsd_zones.append('zone:\n  name: "%s"\n  zonefile: "%s"\n' % (zone, signed))
        nsd_conf = os.path.join(self.workdir, 'nsd.conf')
        with open(nsd_conf, 'w') as handle:
            handle.write('server:\n  ip-address: 127.0.0.1\n  port: %d\n  do-ip6: no\n  database: ""\n'
                         '  zonelistfile: "{w}/zone.list"\n  xfrdfile: "{w}/xfrd.state"\n  pidfile: "{w}/nsd.pid"\n'
                         '  username: ""\n  chroot: ""\n  zonesdir: "{w}"\n  logfile: "{w}/nsd.log"\n'
                         '  server-count: 1\nremote-control:\n  control-enable: no\n'.format(w=self.workdir)
                         % self.nsd_port + ''.join(nsd_zones))
        self._run([_binary('nsd'), '-d', '-c', nsd_conf], self.nsd_port)
        forward_host, forward_port = self.forward.rsplit(':', 1)
        unbound_conf = os.path.join(self.workdir, 'unbound.conf')
        with open(unbound_conf, 'w') as handle:
            handle.write('server:\n  interface: 127.0.0.1\n  port: %d\n  do-ip6: no\n  do-daemonize: no\n'
                         '  username: ""\n  chroot: ""\n  directory: "%s"\n  pidfile: "%s/unbound.pid"\n'
                         '  use-syslog: no\n  logfile: "%s/unbound.log"\n  do-not-query-localhost: no\n'
                         '  module-config: "validator iterator"\n  access-control: 127.0.0.0/8 allow\n'
                         '  cache-max-ttl: 1\n  cache-max-negative-ttl: 1\n'
                         # unbound answers RFC 6761's names itself by default; here they are the test world's
                         '  local-zone: "test." nodefault\n  local-zone: "invalid." nodefault\n'
                         % (self.port, self.workdir, self.workdir, self.workdir)
                         + ''.join('  trust-anchor: "%s"\n' % anchor for anchor in anchors)
                         + 'remote-control:\n  control-enable: no\n'
                         + ''.join('stub-zone:\n  name: "%s"\n  stub-addr: 127.0.0.1@%d\n' % (zone, self.nsd_port)
                                   for zone in sorted(self.zones))
                         + 'forward-zone:\n  name: "."\n  forward-addr: %s@%s\n' % (forward_host, forward_port))
        self._run([_binary('unbound'), '-d', '-c', unbound_conf], self.port)
        return self

    def _run(self, command, port):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.processes.append(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError('%s exited: %s' % (command[0], process.stderr.read().decode(errors='replace')))
            if _answers('127.0.0.1', port):
                return
            time.sleep(0.1)
        raise RuntimeError('%s did not answer within 30 s' % command[0])

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
