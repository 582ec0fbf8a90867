# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin: every app a host, and the role run for many apps in parallel."""

import json
import os
import subprocess
import sys

import pytest

from conftest import COLLECTIONS, REPO
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID

pytestmark = pytest.mark.integration
BIN = os.path.dirname(sys.executable)


def env_for(standin, tmp_path, **extra):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, SERVERPILOT_API_URL=standin.url,
               SERVERPILOT_CLIENT_ID=DEFAULT_CLIENT_ID, SERVERPILOT_API_KEY=DEFAULT_API_KEY,
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), ANSIBLE_NOCOLOR='1')
    env.pop('SERVERPILOT_APP_ID', None)
    env.update(extra)
    return env


def inventory_file(tmp_path, text):
    path = tmp_path / 'apps.serverpilot.yml'
    path.write_text('plugin: multisite.serverpilot.serverpilot\n' + text)
    return str(path)


def list_inventory(standin, tmp_path, text, **extra):
    proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', inventory_file(tmp_path, text), '--list'],
                          env=env_for(standin, tmp_path, **extra), capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and 'Failed to parse' not in proc.stderr, proc.stderr
    return json.loads(proc.stdout, object_hook=unwrap_unsafe), proc.stderr


def unwrap_unsafe(obj):
    # ansible-core 2.19 marks values from an inventory plugin as untrusted (never templated)
    return obj['__ansible_unsafe'] if list(obj) == ['__ansible_unsafe'] else obj


def test_apps_become_hosts_grouped_by_server_and_runtime(standin, tmp_path):
    standin.state.add_app(name='network', domains=['network.example'], serverid='srvA', runtime='php8.3', ssl='auto')
    standin.state.add_app(name='blog', domains=['blog.example'], serverid='srvB', runtime='php7.4', ssl='custom')
    inventory, dummy = list_inventory(standin, tmp_path, '')
    hostvars = inventory['_meta']['hostvars']
    assert sorted(inventory['serverpilot_apps']['hosts']) == ['blog', 'network']
    assert inventory['serverpilot_server_srvA']['hosts'] == ['network']
    assert inventory['serverpilot_runtime_php7_4']['hosts'] == ['blog']
    network = hostvars['network']
    assert network['serverpilot_app_domains'] == ['network.example']
    assert network['serverpilot_app_ssl'] == {'auto': True, 'force': False, 'custom_cert': False}
    assert network['serverpilot_app_server_id'] == 'srvA' and network['serverpilot_app_runtime'] == 'php8.3'
    assert network['ansible_connection'] == 'local'
    assert 'BEGIN' not in json.dumps(inventory)
    assert len(standin.state.api_calls()) == 1


def test_constructed_features_and_filters(standin, tmp_path):
    standin.state.add_app(name='network', domains=[], runtime='php8.3', ssl='auto')
    standin.state.add_app(name='legacy', domains=[], runtime='php7.4')
    standin.state.add_app(name='shop', domains=[], runtime='php8.2')
    inventory, dummy = list_inventory(standin, tmp_path, '''
hostname: id
filters:
  - serverpilot_app_runtime.startswith('php8')
keyed_groups:
  - key: serverpilot_app_ssl.auto | string | lower
    prefix: autossl
groups:
  networks: serverpilot_app_name == 'network'
compose:
  serverpilot_domains: "[serverpilot_app_name ~ '.example.com']"
''')
    hostvars = inventory['_meta']['hostvars']
    names = dict((v['serverpilot_app_name'], k) for k, v in hostvars.items())
    assert sorted(names) == ['network', 'shop']
    assert inventory['autossl_true']['hosts'] == [names['network']]
    assert inventory['networks']['hosts'] == [names['network']]
    assert hostvars[names['shop']]['serverpilot_domains'] == ['shop.example.com']


def test_shared_names_get_the_id(standin, tmp_path):
    first = standin.state.add_app(name='site', domains=[], serverid='srvA')
    second = standin.state.add_app(name='site', domains=[], serverid='srvB')
    inventory, stderr = list_inventory(standin, tmp_path, '')
    assert sorted(inventory['serverpilot_apps']['hosts']) == sorted(['site_' + first, 'site_' + second])
    assert 'share the name' in stderr


def test_cache_saves_the_api_call(standin, tmp_path):
    standin.state.add_app(name='network', domains=[])
    text = 'cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n' % (tmp_path / 'cache')
    list_inventory(standin, tmp_path, text)
    list_inventory(standin, tmp_path, text)
    assert len(standin.state.api_calls()) == 1
    cached = ''.join(p.read_text() for p in (tmp_path / 'cache').iterdir())
    assert 'network' in cached and DEFAULT_API_KEY not in cached


def test_wrong_credentials_say_so(standin, tmp_path):
    proc = subprocess.run([os.path.join(BIN, 'ansible-inventory'), '-i', inventory_file(tmp_path, ''), '--list'],
                          env=env_for(standin, tmp_path, SERVERPILOT_API_KEY='wrong-9999'), capture_output=True,
                          text=True, check=False)
    assert 'HTTP 401' in proc.stderr and 'SERVERPILOT_API_KEY' in proc.stderr
    assert 'wrong-9999' not in proc.stderr + proc.stdout


def test_the_role_for_25_apps_in_parallel(standin, messy_network, tmp_path):
    apps = [standin.state.add_app(name='site%02d' % i, domains=[]) for i in range(25)]
    messy_network.set_dns(dict((name % i, [messy_network.server_address]) for i in range(25)
                               for name in ('site%02d.example.com', 'www.site%02d.example.com')))
    inventory = inventory_file(tmp_path, 'compose:\n  serverpilot_domains: "[serverpilot_app_name ~ \'.example.com\']"\n')
    cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory, os.path.join(REPO, 'playbooks', 'domain_mapping.yml'),
           '--forks', '10', '-e', json.dumps({
               'serverpilot_dns_nameservers': [messy_network.dns.nameserver], 'serverpilot_verify_wait': 0,
               'serverpilot_verify_port': messy_network.tls.port, 'serverpilot_verify_ca_path': messy_network.tls.ca_path})]
    proc = subprocess.run(cmd, env=env_for(standin, tmp_path), capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    for i, app_id in enumerate(apps):
        app = standin.state.app(app_id)
        assert app['domains'] == ['site%02d.example.com' % i, 'www.site%02d.example.com' % i]
        assert app['ssl']['auto'] is True
    assert proc.stdout.count('changed=2') == 25
    assert DEFAULT_API_KEY not in proc.stdout + proc.stderr


def test_the_fleet_report_over_three_apps_one_failing(standin, messy_network, tmp_path):
    """The inventory playbook ends with one report over every app: the app whose required name fails comes first,
    and the report is written although that app's run failed."""
    messy_network.set_dns({'calm.example.com': [messy_network.server_address],
                           'busy.example.com': [messy_network.server_address]})
    for name in ('calm', 'busy', 'broken'):
        standin.state.add_app(name=name, domains=[], runtime='php8.3')
    inventory = inventory_file(tmp_path, "filters:\n  - serverpilot_app_name in ['calm', 'busy', 'broken']\n")
    host_vars = tmp_path / 'host_vars'
    host_vars.mkdir()
    (host_vars / 'calm.yml').write_text('serverpilot_domains: [calm.example.com]\nserverpilot_www: never\n')
    (host_vars / 'busy.yml').write_text('serverpilot_domains: [busy.example.com]\nserverpilot_www: never\n')
    (host_vars / 'broken.yml').write_text('serverpilot_domains: [broken.example.com]\nserverpilot_www: never\n')
    reports = tmp_path / 'reports'
    cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory, os.path.join(REPO, 'playbooks', 'domain_mapping.yml'),
           '-e', json.dumps({'serverpilot_dns_nameservers': [messy_network.dns.nameserver], 'serverpilot_verify_wait': 0,
                             'serverpilot_verify_port': messy_network.tls.port,
                             'serverpilot_verify_ca_path': messy_network.tls.ca_path,
                             'serverpilot_report_dir': str(reports),
                             # with the retries a bound (20 s): the stand-in issues 0.5 s after a name points
                             'serverpilot_autossl_delay': 1})]
    proc = subprocess.run(cmd, env=env_for(standin, tmp_path), capture_output=True, text=True, check=False)
    assert proc.returncode != 0  # broken.example.com is required and has no DNS
    fleet = json.loads((reports / 'fleet.json').read_text())
    assert [app['app_name'] for app in fleet['apps']][0] == 'broken'
    assert sorted(app['app_name'] for app in fleet['apps']) == ['broken', 'busy', 'calm']
    broken = fleet['apps'][0]
    assert 'broken.example.com: dns_missing' in broken['failure']
    assert broken['capacity'] == {'used': 1, 'limit': 300, 'percent': 0, 'warning': None}
    assert broken['domains'][0]['status'] == 'dns_missing' and 'since' in broken['domains'][0]
    page = (reports / 'fleet.html').read_text()
    assert 'Domain health of 3 apps' in page and 'The run failed' in page
    assert (reports / ('%s.json' % broken['app_id'])).exists()
