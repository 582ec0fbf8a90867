# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Moving from Ultimate Multisite's ServerPilot integration: the shipped sync_network playbook with only the
network's wp-config.php - the plugin's three constants in it, as its wizard writes them - against a real MariaDB
holding the plugin's mappings and its host-integration switch, and the stand-in ServerPilot."""

import json
import os
import subprocess
import sys

import pytest

from conftest import COLLECTIONS, REPO
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID

pytestmark = pytest.mark.integration
PASSWORD = 'um-migrate-secret-2718'
MAPPED = ['shop.example.com', 'blog.example.org']


@pytest.fixture
def network(mariadb):
    mariadb.create_network('ummigrate', prefix='wpum_', rows=[
        {'blog_id': 2, 'domain': 'shop.example.com', 'primary_domain': 1},
        {'blog_id': 3, 'domain': 'blog.example.org', 'primary_domain': 1},
    ])
    mariadb.create_user('umreader2', PASSWORD, 'ummigrate')
    return 'ummigrate'


def switch(mariadb, on):
    """The plugin's Host Integrations toggle, as it saves it (Base_Host_Provider::enable/disable)."""
    mariadb.save_network_option('ummigrate', 'wpum_', 'wu_host_integrations_enabled', {'serverpilot': on})


def wp_config(tmp_path, mariadb, constants, under='srv/users/serverpilot/apps/network/public'):
    """The network's wp-config.php: its database settings and the lines the plugin's wizard writes."""
    folder = tmp_path / under
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / 'wp-config.php'
    lines = ["// Ultimate Multisite - Domain Mapping - ServerPilot"] + [
        "define( '%s', %s );" % item for item in constants.items()] + [
        "// Ultimate Multisite - Domain Mapping - ServerPilot - End"]
    path.write_text("<?php\ndefine('DB_NAME', 'ummigrate');\ndefine('DB_USER', 'umreader2');\n"
                    "define('DB_PASSWORD', '%s');\ndefine('DB_HOST', 'localhost:%s');\n$table_prefix = 'wpum_';\n%s\n"
                    % (PASSWORD, mariadb.socket, '\n'.join(lines)))
    return str(path)


def wizard(app):
    return {'WU_SERVER_PILOT_CLIENT_ID': "'%s'" % DEFAULT_CLIENT_ID, 'WU_SERVER_PILOT_API_KEY': "'%s'" % DEFAULT_API_KEY,
            'WU_SERVER_PILOT_APP_ID': "'%s'" % app}


def migrate(standin, world, tmp_path, config, args=(), elsewhere=(), **extra):
    """sync_network as the migration guide runs it: no credential anywhere but wp-config.php. The names in
    ``elsewhere`` point at another host (a customer's DNS), the others at the app's server."""
    world.set_dns(dict((name, ['127.0.0.3' if name in elsewhere else world.server_address]) for name in
                       ['network.example', 'www.network.example'] + MAPPED + ['www.' + n for n in MAPPED]))
    reports = tmp_path / 'reports'
    variables = dict({
        'serverpilot_credentials_from_wp_config': True,
        'serverpilot_domains': ['network.example'],
        'serverpilot_database': {'wp_config': config, 'config_file': '/nonexistent', 'source': 'ultimate_multisite'},
        'serverpilot_dns_nameservers': [world.dns.nameserver], 'serverpilot_verify_port': world.tls.port,
        'serverpilot_verify_ca_path': world.tls.ca_path, 'serverpilot_autossl_delay': 1,
        'serverpilot_report_dir': str(reports),
    }, **extra)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, SERVERPILOT_API_URL=standin.url,
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), ANSIBLE_NOCOLOR='1')
    for name in ('SERVERPILOT_CLIENT_ID', 'SERVERPILOT_API_KEY', 'SERVERPILOT_APP_ID'):
        env.pop(name, None)
    cmd = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,',
           os.path.join(REPO, 'playbooks', 'sync_network.yml'), '-e', json.dumps(variables)] + list(args)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    report = None
    found = list(reports.glob('*.json')) if reports.exists() else []
    if found:
        report = json.loads(found[0].read_text())
    return proc.returncode, proc.stdout + proc.stderr, report


def test_the_plugins_constants_are_all_it_takes_and_the_key_is_never_shown(
        standin, messy_network, mariadb, network, tmp_path):
    app = standin.state.add_app(name='network', domains=['network.example', 'www.network.example'])
    switch(mariadb, False)
    rc, out, report = migrate(standin, messy_network, tmp_path, wp_config(tmp_path, mariadb, wizard(app)),
                              args=['-vvvv'])
    assert rc == 0, out[-3000:]
    assert set(standin.state.app(app)['domains']) >= set(MAPPED + ['www.' + n for n in MAPPED])
    assert DEFAULT_API_KEY not in out and PASSWORD not in out
    assert report['plugin_integration'] is False
    assert report['credentials_from']['api_key'].endswith('(WU_SERVER_PILOT_API_KEY, line 9)')
    assert 'two writers' not in out.lower()


def test_the_app_found_from_the_path_and_a_switched_on_integration_said_everywhere(
        standin, messy_network, mariadb, network, tmp_path):
    app = standin.state.add_app(name='network', domains=['network.example'])
    standin.state.add_app(name='shop', domains=['other.example'])
    switch(mariadb, True)
    constants = wizard(app)
    del constants['WU_SERVER_PILOT_APP_ID']
    rc, out, report = migrate(standin, messy_network, tmp_path, wp_config(tmp_path, mariadb, constants),
                              elsewhere=['blog.example.org'])
    assert rc == 0, out[-3000:]
    assert report['credentials_from']['app_id'].endswith('(app network)') and report['app_id'] == app
    assert report['plugin_integration'] is True
    assert "[WARNING]: Ultimate Multisite's ServerPilot integration is switched on" in out
    # each per-domain line says so too (blog.example.org points elsewhere, so it has one)
    assert "blog.example.org: dns_elsewhere" in out and "integration writes this app too: switch it off" in out
    page = (tmp_path / 'reports' / ('%s.html' % app)).read_text()
    assert 'Two writers' in page and 'Host Integrations' in page


def test_two_apps_named_by_the_path_are_refused_naming_both(standin, messy_network, mariadb, network, tmp_path):
    first = standin.state.add_app(name='network', domains=['network.example'], serverid='srv-a')
    second = standin.state.add_app(name='network', domains=['network.example'], serverid='srv-b')
    constants = wizard(first)
    del constants['WU_SERVER_PILOT_APP_ID']
    rc, out, dummy = migrate(standin, messy_network, tmp_path, wp_config(tmp_path, mariadb, constants))
    assert rc != 0 and '2 apps of the account are named network' in out
    assert first in out and second in out and 'serverpilot_app_id (or SERVERPILOT_APP_ID)' in out
    assert standin.state.writes() == [] and DEFAULT_API_KEY not in out


@pytest.mark.parametrize('value, words', [
    (None, 'does not define WU_SERVER_PILOT_API_KEY'),
    ("getenv('SERVERPILOT_KEY')", 'defines WU_SERVER_PILOT_API_KEY as PHP code'),
])
def test_a_key_missing_or_written_as_code_is_refused_before_anything_is_written(
        standin, messy_network, mariadb, network, tmp_path, value, words):
    app = standin.state.add_app(name='network', domains=['network.example'])
    constants = wizard(app)
    if value is None:
        del constants['WU_SERVER_PILOT_API_KEY']
    else:
        constants['WU_SERVER_PILOT_API_KEY'] = value
    rc, out, report = migrate(standin, messy_network, tmp_path, wp_config(tmp_path, mariadb, constants))
    assert rc != 0 and words in out and 'serverpilot_api_key (or SERVERPILOT_API_KEY' in out
    assert standin.state.api_calls() == []
    assert report['error_kind'] == 'invalid_input'


def test_check_mode_over_an_app_the_plugin_kept_shows_what_the_first_run_would_change(
        standin, messy_network, mariadb, network, tmp_path):
    """The plugin added each mapped domain and its www. form; the collection's default rule is the same, so a first
    run changes nothing the plugin made - and says what it would, with no write."""
    kept = ['network.example', 'www.network.example'] + [n for m in MAPPED for n in (m, 'www.' + m)]
    app = standin.state.add_app(name='network', domains=kept + ['gone.example.net', 'www.gone.example.net'])
    switch(mariadb, True)
    rc, out, report = migrate(standin, messy_network, tmp_path, wp_config(tmp_path, mariadb, wizard(app)),
                              args=['--check', '--diff'])
    assert rc == 0, out[-3000:]
    assert standin.state.writes() == []
    # the domain whose mapping is gone, which the plugin's missed event left behind, is what the first run removes
    assert 'Would add: none. Would remove: gone.example.net, www.gone.example.net.' in out
    assert "[WARNING]: Ultimate Multisite's ServerPilot integration is switched on" in out
    assert report is None  # check mode writes nothing, not even the report: the last real run's stays
