# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment: ansible-builder creates the build context (no container engine needed),
and the context's own introspection finds every run-time need of the installed collection."""

import os
import subprocess
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.integration
BIN = os.path.dirname(sys.executable)


def run(*cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def requirement_names(path):
    with open(path) as handle:
        return sorted(line.split('>')[0].split('=')[0].split('<')[0].strip().lower() for line in handle
                      if line.strip() and not line.startswith('#'))


def test_builder_context_installs_the_run_time_needs(tmp_path):
    context = tmp_path / 'context'
    definition = os.path.join(REPO, 'extensions', 'ee', 'execution-environment.yml')
    run(os.path.join(BIN, 'ansible-builder'), 'create', '-f', definition, '-c', str(context))
    containerfile = next(p for p in context.iterdir() if p.name in ('Containerfile', 'Dockerfile')).read_text()
    assert 'ansible-galaxy collection install' in containerfile
    # the build collects each installed collection's Python needs, then installs them
    assert 'introspect.py introspect' in containerfile and '--write-pip=/tmp/src/requirements.txt' in containerfile
    assert 'multisite.serverpilot' in (context / '_build' / 'requirements.yml').read_text()

    # What that build step finds in this collection, installed as the build installs it.
    run(os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(tmp_path), REPO)
    tarball = next(tmp_path.glob('multisite-serverpilot-*.tar.gz'))
    installed = tmp_path / 'collections'
    run(os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '-p', str(installed), str(tarball),
        env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(installed)))
    introspect = context / '_build' / 'scripts' / 'introspect.py'
    written = tmp_path / 'requirements.txt'
    run(sys.executable, str(introspect), 'introspect', '--write-pip', str(written), str(installed))
    found = written.read_text()
    needed = requirement_names(os.path.join(REPO, 'meta', 'ee-requirements.txt'))
    assert needed == sorted(['cryptography', 'dnspython', 'idna', 'publicsuffixlist', 'requests', 'urllib3'] + (
        ['pymysql'] if 'pymysql' in needed else []))
    for name in needed:
        assert name in found.lower(), (name, found)
    assert '# from collection multisite.serverpilot' in found
    # dev tools stay out of the EE
    for dev in ('pytest', 'molecule', 'ansible-lint', 'trustme'):
        assert dev not in found.lower()


def test_the_decision_environment_brings_java_17_ansible_rulebook_and_the_collection(tmp_path):
    context = tmp_path / 'de'
    definition = os.path.join(REPO, 'extensions', 'eda', 'decision-environment.yml')
    run(os.path.join(BIN, 'ansible-builder'), 'create', '-f', definition, '-c', str(context))
    build = context / '_build'
    assert 'java-17-openjdk-headless' in (build / 'bindep.txt').read_text()
    assert 'ansible-rulebook' in (build / 'requirements.txt').read_text()
    assert 'multisite.serverpilot' in (build / 'requirements.yml').read_text()
    containerfile = next(p for p in context.iterdir() if p.name in ('Containerfile', 'Dockerfile')).read_text()
    assert 'ansible-galaxy collection install' in containerfile and 'introspect.py introspect' in containerfile
