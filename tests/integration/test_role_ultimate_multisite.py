# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role keeping the stand-in ServerPilot app in step with a real MariaDB holding Ultimate Multisite's mappings."""

import json
import os
import subprocess
import sys

import pytest

from conftest import COLLECTIONS, REPO
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID

pytestmark = pytest.mark.integration
PASSWORD = 'um-sync-secret-31337'


@pytest.fixture
def network(mariadb):
    mariadb.create_network('umsync', prefix='wpnet_', rows=[
        {'blog_id': 2, 'domain': 'Shop.Example.com', 'primary_domain': 1},
        {'blog_id': 3, 'domain': 'blog.example.org', 'primary_domain': 1},
        {'blog_id': 3, 'domain': 'waiting.example.org', 'stage': 'checking-dns'},
        {'blog_id': 4, 'domain': 'broken.example.net', 'stage': 'failed'},
    ])
    mariadb.create_user('umreader', PASSWORD, 'umsync')
    return 'umsync'


# every name these tests map or keep points at the app's server, in the messy network's real DNS
CUSTOMERS = ['customer%d.example.com' % b for b in range(2, 7)]
POINTING = ['network.example', 'www.network.example', 'shop.example.com', 'blog.example.org', 'waiting.example.org',
            'kept.example.com'] + CUSTOMERS + ['www.' + name for name in CUSTOMERS]


def sync(standin, world, mariadb, tmp_path, app, extra=None, args=()):
    """The shipped scheduled-sync playbook, as an AWX job would run it."""
    world.set_dns(dict((name, [world.server_address]) for name in POINTING))
    wp_config = tmp_path / 'wp-config.php'
    wp_config.write_text("<?php\ndefine('DB_NAME', 'umsync');\ndefine('DB_USER', 'umreader');\n"
                         "define('DB_PASSWORD', '%s');\ndefine('DB_HOST', 'localhost:%s');\n"
                         "$table_prefix = 'wpnet_';\n" % (PASSWORD, mariadb.socket))
    variables = {
        'serverpilot_app_id': app,
        'serverpilot_domains': ['network.example', '*.network.example'],
        'serverpilot_www': 'apex',
        'serverpilot_ultimate_multisite': {'wp_config': str(wp_config), 'config_file': '/nonexistent'},
        'serverpilot_dns_nameservers': [world.dns.nameserver], 'serverpilot_verify_port': world.tls.port,
        'serverpilot_verify_ca_path': world.tls.ca_path, 'serverpilot_autossl_delay': 0,
    }
    variables.update(extra or {})
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, SERVERPILOT_API_URL=standin.url,
               SERVERPILOT_CLIENT_ID=DEFAULT_CLIENT_ID, SERVERPILOT_API_KEY=DEFAULT_API_KEY,
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), ANSIBLE_NOCOLOR='1')
    cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,',
           os.path.join(REPO, 'playbooks', 'sync_ultimate_multisite.yml'), '-e', json.dumps(variables)] + list(args)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def domains_requests(standin, app):
    return [(e['method']) for e in standin.state.api_calls() if e['path'] == '/v1/apps/%s' % app]


def test_scheduled_sync_adds_keeps_and_removes(standin, messy_network, mariadb, network, tmp_path):
    app = standin.state.add_app(domains=['network.example', 'stale.example.com'])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app)
    assert rc == 0, out[-3000:]
    # mapped domains (normalised; www=apex adds www. only to registrable ones), the network's own, and
    # neither the failed mapping nor the stale domain
    assert standin.state.app(app)['domains'] == [
        'network.example', 'shop.example.com', 'blog.example.org', 'waiting.example.org', 'www.network.example',
        '*.network.example']
    assert standin.state.app(app)['ssl']['auto'] is True
    assert PASSWORD not in out and DEFAULT_API_KEY not in out

    # second run: one GET for the domains, no write, nothing changed
    standin.state.log.clear()
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app)
    assert rc == 0, out[-3000:]
    assert 'changed=0' in out
    assert standin.state.writes() == []
    # the domains task, the AutoSSL task, the health check
    assert domains_requests(standin, app) == ['GET', 'GET', 'GET']

    # a mapping deleted in the database disappears from the app on the next run
    mariadb.sql("DELETE FROM wpnet_wu_domain_mappings WHERE domain = 'blog.example.org'", 'umsync')
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app)
    assert rc == 0, out[-3000:]
    domains = standin.state.app(app)['domains']
    assert 'blog.example.org' not in domains
    assert 'shop.example.com' in domains


def test_a_mass_removal_fails_on_max_removals_with_no_write(standin, messy_network, mariadb, network, tmp_path):
    app = standin.state.add_app(domains=['network.example'])
    mariadb.insert('umsync', 'wpnet_', [{'blog_id': 9, 'domain': 'kept.example.com'}])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={'serverpilot_max_removals': 2})
    assert rc == 0, out[-3000:]
    before = standin.state.app(app)['domains']
    mariadb.sql("DELETE FROM wpnet_wu_domain_mappings WHERE domain <> 'kept.example.com'", 'umsync')
    standin.state.log.clear()
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={'serverpilot_max_removals': 2})
    assert rc != 0
    assert 'would remove 3 domains' in out and 'max_removals=2' in out
    assert 'shop.example.com, blog.example.org, waiting.example.org' in out
    assert standin.state.writes() == []
    assert standin.state.app(app)['domains'] == before
    # check mode reports the same refusal
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={'serverpilot_max_removals': 2},
                   args=['--check'])
    assert rc != 0 and 'max_removals=2' in out
    assert standin.state.writes() == []


def test_an_emptied_table_never_strips_a_small_network(standin, messy_network, mariadb, network, tmp_path):
    """Five customers, the role's defaults (max_removals 10, www always): a DELETE of every mapping row used to
    remove all ten names. An empty source is refused while the app holds names from it, whatever the cap."""
    mariadb.sql('DELETE FROM wpnet_wu_domain_mappings', 'umsync')
    mariadb.insert('umsync', 'wpnet_', [{'blog_id': b, 'domain': 'customer%d.example.com' % b} for b in range(2, 7)])
    app = standin.state.add_app(domains=['network.example'])
    defaults = {'serverpilot_www': 'always', 'serverpilot_max_removals': 10}
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra=defaults)
    assert rc == 0, out[-3000:]
    before = standin.state.app(app)['domains']
    assert len(before) == 13  # 5 customers and the network's own name, each with www., and the wildcard
    mariadb.sql('DELETE FROM wpnet_wu_domain_mappings', 'umsync')
    standin.state.log.clear()
    for args in ([], ['--check']):
        rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra=defaults, args=args)
        assert rc != 0, out[-3000:]
        assert 'The mapping source returned no mappings' in out and 'serverpilot_source_may_be_empty' in out
        assert 'customer2.example.com' in out
        assert standin.state.writes() == [] and standin.state.app(app)['domains'] == before
    # the operator says the network really has none: the customers' names go, the network's own stay
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app,
                   extra=dict(defaults, serverpilot_source_may_be_empty=True))
    assert rc == 0, out[-3000:]
    assert sorted(standin.state.app(app)['domains']) == ['*.network.example', 'network.example', 'www.network.example']


def test_an_empty_source_on_an_app_without_customer_names_is_fine(standin, messy_network, mariadb, network, tmp_path):
    mariadb.sql('DELETE FROM wpnet_wu_domain_mappings', 'umsync')
    app = standin.state.add_app(domains=['network.example'])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app)
    assert rc == 0, out[-3000:]
    assert sorted(standin.state.app(app)['domains']) == ['*.network.example', 'network.example', 'www.network.example']
