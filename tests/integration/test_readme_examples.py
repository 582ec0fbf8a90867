# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The examples of the README and the guides, run as written against the stand-in: each acts on the app it names
(or the apps its inventory filter names) and never on another app of the account. The blocks are taken from
README.md (each follows an ``<!-- example: NAME -->`` line) and docs/docsite/rst/ (an ``.. example: NAME`` comment
before the code block), so an example edited there is the example tested here."""

import glob
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from conftest import COLLECTIONS, REPO
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID

pytestmark = pytest.mark.integration
APP_ID = 'nlcN0TwdZAyNEgdp'  # the app the README's examples name
SERVER = '127.0.0.2'


def example(name):
    """The example marked ``name`` in README.md, or in a guide of docs/docsite/rst/ (an rst code block)."""
    with open(os.path.join(REPO, 'README.md')) as handle:
        match = re.search(r'<!-- example: %s -->\n```yaml\n(.*?)```' % re.escape(name), handle.read(), re.S)
    if match:
        return match.group(1)
    for path in sorted(glob.glob(os.path.join(REPO, 'docs', 'docsite', 'rst', '*.rst'))):
        with open(path) as handle:
            match = re.search(r'^\.\. example: %s\b[^\n]*\n\n\.\. code-block:: yaml\n\n((?:   .*\n|\n)+)'
                              % re.escape(name), handle.read(), re.M)
        if match:
            return textwrap.dedent(match.group(1))
    raise AssertionError('neither README.md nor a guide has the example %r' % name)


@pytest.fixture
def account(standin, messy_network):
    """The network's app the examples name, and another app of the same account that no example may touch."""
    messy_network.set_dns(dict((name, [SERVER]) for name in (
        'shop.example.com', 'example.co.uk', 'www.example.co.uk', 'network.example', 'www.network.example')))
    standin.state.add_app(name='network', app_id=APP_ID, domains=['network.example'])
    other = standin.state.add_app(name='someone-else', domains=['someone-else.example.org'])
    return other, dict(standin.state.app(other))


def run(standin, tmp_path, args, world=None, extra=None):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, SERVERPILOT_API_URL=standin.url,
               SERVERPILOT_CLIENT_ID=DEFAULT_CLIENT_ID, SERVERPILOT_API_KEY=DEFAULT_API_KEY,
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), ANSIBLE_NOCOLOR='1')
    variables = {}
    if world is not None:  # the stand-in's world, given beside the example as the README's stand-in section says
        variables.update(serverpilot_dns_nameservers=[world.dns.nameserver], serverpilot_verify_port=world.tls.port,
                         serverpilot_verify_ca_path=world.tls.ca_path, serverpilot_autossl_delay=1,
                         serverpilot_verify_wait_delay=0.5)
    variables.update(extra or {})
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')] + args
                          + ['-e', json.dumps(variables)], env=env, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def untouched(standin, other, before):
    after = standin.state.app(other)
    return after['domains'] == before['domains'] and after['ssl'] == before['ssl']


def test_the_role_example(standin, messy_network, account, tmp_path):
    other, before = account
    book = tmp_path / 'example.yml'
    book.write_text(example('role'))
    rc, out = run(standin, tmp_path, ['-i', 'localhost,', str(book)], messy_network)
    assert rc == 0, out[-3000:]
    assert sorted(standin.state.app(APP_ID)['domains']) == sorted([
        'network.example', 'shop.example.com', 'example.co.uk', 'www.example.co.uk', '*.network.example'])
    assert untouched(standin, other, before) and DEFAULT_API_KEY not in out


def test_the_modules_example(standin, account, tmp_path):
    other, before = account
    book = tmp_path / 'example.yml'
    book.write_text(example('modules'))
    rc, out = run(standin, tmp_path, ['-i', 'localhost,', str(book)],
                  extra={'vault_serverpilot_client_id': DEFAULT_CLIENT_ID, 'vault_serverpilot_api_key': DEFAULT_API_KEY})
    assert rc == 0, out[-3000:]
    mapped = ['network.example', 'shop.example.com', 'example.co.uk', 'www.example.co.uk']
    assert standin.state.app(APP_ID)['domains'] == mapped
    assert untouched(standin, other, before) and DEFAULT_API_KEY not in out


def test_the_inventory_example_and_its_playbook(standin, messy_network, account, tmp_path):
    other, before = account
    inventory = tmp_path / 'inventory'
    (inventory / 'host_vars').mkdir(parents=True)
    (inventory / 'apps.serverpilot.yml').write_text(example('inventory'))
    (inventory / 'host_vars' / 'network.yml').write_text('serverpilot_domains: [network.example]\n')
    rc, out = run(standin, tmp_path, ['-i', str(inventory), os.path.join(REPO, 'playbooks', 'domain_mapping.yml')],
                  messy_network)
    assert rc == 0, out[-3000:]
    assert 'someone-else' not in out  # not a host: never looked at, never written to
    assert standin.state.app(APP_ID)['ssl']['auto'] is True
    assert untouched(standin, other, before)
