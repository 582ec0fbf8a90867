# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared test set-up: the collection on the import path, the stand-in server, playbook runs."""

import json
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(REPO, 'tests')
# The repository root is the collection root; Ansible finds it through this link.
COLLECTIONS = os.path.join(REPO, '.ansible', 'collections')
_LINK = os.path.join(COLLECTIONS, 'ansible_collections', 'multisite', 'serverpilot')
if not os.path.exists(_LINK):
    os.makedirs(os.path.dirname(_LINK), exist_ok=True)
    try:
        os.symlink(REPO, _LINK)
    except FileExistsError:  # another pytest worker made it first
        pass
for path in (COLLECTIONS, TESTS):
    if path not in sys.path:
        sys.path.insert(0, path)

from needs import need  # noqa: E402
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, StandInServer  # noqa: E402


def once(condition, action, bound=600):
    """Run ``action`` in a thread as soon as ``condition()`` holds: how a test acts in the middle of a playbook
    run at the moment it chooses, never at a guessed wall-clock time. ``bound`` only ends a thread whose
    condition never came (the test then fails on its own assertions)."""
    def wait():
        deadline = time.monotonic() + bound
        while time.monotonic() < deadline:
            if condition():
                action()
                return
            time.sleep(0.05)
    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def standin():
    server = StandInServer().start()
    yield server
    server.stop()


@pytest.fixture(scope='session')
def mariadb(tmp_path_factory):
    """A real MariaDB server for the whole session (Debian's mariadb-server; .ci/run installs it)."""
    import mariadb_server
    need(mariadb_server.available(), 'mariadb-server', 'apt-get install mariadb-server')
    server = mariadb_server.MariaDB(str(tmp_path_factory.mktemp('mariadb'))).start()
    yield server
    server.stop()


@pytest.fixture
def tls_endpoint(standin, tmp_path):
    """The app's web server: serves a test-CA certificate for names AutoSSL covers on the stand-in."""
    from stand_in.tls_endpoint import TLSEndpoint
    endpoint = TLSEndpoint(state=standin.state, workdir=str(tmp_path)).start()
    yield endpoint
    endpoint.stop()


class MessyNetwork:
    """The test world of a real network: a real DNS server (dnsmasq), the app's server (a TLS endpoint on
    127.0.0.2, the stand-in's lastaddress) and "elsewhere" (a CDN on 127.0.0.3, same port, another CA).

    ``set_dns`` changes what the world's DNS says, for dnsmasq and for the stand-in's AutoSSL alike.
    """

    # top-level domains: every parent of a name has an answer, as in the real DNS (a CAA lookup climbs to the TLD)
    ZONES = ('example', 'com', 'net', 'org', 'test', 'de', 'uk')

    def __init__(self, standin, workdir):
        from stand_in.dns_server import Dnsmasq
        from stand_in.tls_endpoint import TLSEndpoint
        self.state = standin.state
        self.server_address = self.state.server_address
        for name in ('server', 'cdn'):
            os.makedirs(os.path.join(workdir, name), exist_ok=True)
        self.tls = TLSEndpoint(host=self.server_address, state=self.state, workdir=os.path.join(workdir, 'server'))
        self.cdn = TLSEndpoint(host='127.0.0.3', port=self.tls.port, workdir=os.path.join(workdir, 'cdn'))
        self.state.dns = {}
        self.dns = Dnsmasq(workdir, {}, self.ZONES)

    def start(self):
        self.tls.start()
        self.cdn.start()
        self.dns.start()
        return self

    def set_dns(self, records, caa=None, cnames=None):
        """What the DNS says: {name: [addresses]}, and (when given) the CAA record sets {name: [(flags, tag,
        value)]} and CNAMEs {alias: target}, which the stand-in's AutoSSL honours as Let's Encrypt would. An
        alias's addresses are its target's: give them in ``records`` too (the stand-in resolves no CNAME)."""
        with self.state.lock:
            self.state.dns = dict(records)
            if caa is not None:
                self.state.caa = dict(caa)
            if cnames is not None:
                self.state.cnames = dict(cnames)
        self.dns.update(dict((n, a) for n, a in records.items() if n not in (cnames or {})), caa, cnames)

    def stop(self):
        self.dns.stop()
        self.cdn.stop()
        self.tls.stop()


@pytest.fixture
def messy_network(standin, tmp_path):
    from stand_in.dns_server import dnsmasq_binary
    need(dnsmasq_binary(), 'dnsmasq', 'apt-get install dnsmasq-base')
    world = MessyNetwork(standin, str(tmp_path)).start()
    yield world
    world.stop()


class PlaybookRun:
    def __init__(self, proc, records):
        self.proc = proc
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.records = records

    @property
    def results(self):
        """Module results of the tasks under test, in order (helper tasks are named '_...')."""
        return [dict(r['result'], failed=r['status'] == 'failed')
                for r in self.records if not r['task'].startswith('_')]

    def __repr__(self):
        return 'PlaybookRun(rc=%s)\n%s' % (self.rc, self.stdout[-4000:])


@pytest.fixture
def playbook(tmp_path, standin):
    """Run tasks (YAML text) through a real ansible-playbook against the stand-in."""

    def run(tasks, args=(), env=None, credentials=True, play_vars=None, name='play'):
        # ``name`` keeps runs apart when a test starts several at once
        workdir = tmp_path if name == 'play' else tmp_path / name
        workdir.mkdir(exist_ok=True)
        book = workdir / 'play.yml'
        # tasks are YAML text, so tests read like the playbooks operators write
        text = '- hosts: localhost\n  gather_facts: false\n  vars: %s\n  tasks:\n%s' % (
            json.dumps(play_vars or {}), textwrap.indent(textwrap.dedent(tasks), '    '))
        book.write_text(text)
        record_file = workdir / 'records.jsonl'
        if record_file.exists():
            record_file.unlink()
        run_env = dict(os.environ)
        run_env.update({
            'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS,
            'ANSIBLE_CALLBACK_PLUGINS': os.path.join(TESTS, 'integration', 'callback_plugins'),
            'ANSIBLE_CALLBACKS_ENABLED': 'record',
            'RECORD_FILE': str(record_file),
            'ANSIBLE_LOCALHOST_WARNING': 'false',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
            'ANSIBLE_LOCAL_TEMP': str(workdir / 'ansible-local'),
            'SERVERPILOT_API_URL': standin.url,
        })
        for name in ('SERVERPILOT_CLIENT_ID', 'SERVERPILOT_API_KEY', 'SERVERPILOT_APP_ID'):
            run_env.pop(name, None)
        if credentials:
            run_env['SERVERPILOT_CLIENT_ID'] = DEFAULT_CLIENT_ID
            run_env['SERVERPILOT_API_KEY'] = DEFAULT_API_KEY
        run_env.update(env or {})
        cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,',
               '-c', 'local', str(book)] + list(args)
        proc = subprocess.run(cmd, env=run_env, capture_output=True, text=True, timeout=600, cwd=str(workdir),
                              check=False)
        proc.stdout = proc.stdout + proc.stderr
        records = []
        if record_file.exists():
            records = [json.loads(line) for line in record_file.read_text().splitlines() if line]
        return PlaybookRun(proc, records)

    return run


def run_shipped_playbook(standin, tmp_path, name, variables, args=()):
    """One of playbooks/, as an AWX job runs it: credentials in the environment, variables as -e.
    Returns (exit code, output)."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, SERVERPILOT_API_URL=standin.url,
               SERVERPILOT_CLIENT_ID=DEFAULT_CLIENT_ID, SERVERPILOT_API_KEY=DEFAULT_API_KEY,
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), ANSIBLE_NOCOLOR='1')
    cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,',
           os.path.join(REPO, 'playbooks', name), '-e', json.dumps(variables)] + list(args)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout + proc.stderr
