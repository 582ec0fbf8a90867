# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event-driven world: the real ansible-rulebook (PyPI) on Debian's Java 17, running the collection's rulebook
against the stand-in API and a real MariaDB network, as an operator starts it from the README."""

import glob
import json
import os
import subprocess
import sys
import time

BIN = os.path.dirname(sys.executable)
COLLECTIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), '.ansible', 'collections')


def java_home():
    """Debian's openjdk-17 (ansible-rulebook's rule engine runs on Java 17), or None."""
    for candidate in [os.environ.get('JAVA_HOME')] + sorted(glob.glob('/usr/lib/jvm/java-17-openjdk-*')):
        if candidate and os.path.exists(os.path.join(candidate, 'bin', 'java')):
            return candidate
    return None


def available():
    return java_home() is not None and os.path.exists(os.path.join(BIN, 'ansible-rulebook'))


def wait_for(condition, bound=300, what='the condition'):
    """Wait on a condition, never on a guessed delay; ``bound`` only ends a wait that would never end."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError('%s did not happen within %d s' % (what, bound))


class Rulebook:
    """``ansible-rulebook -r multisite.serverpilot.sync_on_change -i INVENTORY -e VARS_FILE`` as a process."""

    def __init__(self, workdir, env, variables, rulebook='multisite.serverpilot.sync_on_change'):
        self.workdir = workdir
        os.makedirs(workdir, exist_ok=True)
        self.vars_file = os.path.join(workdir, 'watch.yml')
        with open(self.vars_file, 'w') as handle:
            json.dump(variables, handle)  # JSON is YAML
        self.inventory = os.path.join(workdir, 'inventory.yml')
        with open(self.inventory, 'w') as handle:
            handle.write('all:\n  hosts:\n    localhost:\n      ansible_connection: local\n'
                         '      ansible_python_interpreter: %s\n' % sys.executable)
        self.log_path = os.path.join(workdir, 'rulebook.log')
        self.env = dict(env, JAVA_HOME=java_home(), PATH=BIN + os.pathsep + env.get('PATH', ''),
                        ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', PYTHONUNBUFFERED='1')
        self.cmd = [os.path.join(BIN, 'ansible-rulebook'), '-r', rulebook, '-i', self.inventory,
                    '-e', self.vars_file, '-v']
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.cmd, env=self.env, cwd=self.workdir, stdin=subprocess.DEVNULL,
                                        stdout=open(self.log_path, 'w'), stderr=subprocess.STDOUT)
        return self

    def output(self):
        with open(self.log_path, errors='replace') as handle:
            return handle.read()

    def runs(self):
        """Playbook runs the rulebook has finished (each prints one recap)."""
        return self.output().count('PLAY RECAP')

    def idle(self):
        """No playbook run in progress (each run prints its play's header, then its recap)."""
        out = self.output()
        return out.count('PLAY [') == out.count('PLAY RECAP')

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
