# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role and every module under ansible-runner, the engine AWX uses, with credentials only in env vars
(as an AWX credential of extensions/awx/serverpilot_credential_type.yml injects them)."""

import os
import sys

import pytest
import yaml

from conftest import COLLECTIONS
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, PRIVATE_KEY_MARKER

pytestmark = pytest.mark.integration

PLAY = '''
- name: A scheduled AWX job
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Read the account
      multisite.serverpilot.serverpilot_app_info:

    - name: Map the domains, replace the custom certificate with AutoSSL, verify
      ansible.builtin.include_role:
        name: multisite.serverpilot.domain_mapping
      vars:
        serverpilot_domains: [runner.example.com]
        serverpilot_replace_custom_cert: true
        serverpilot_force_ssl: true
        serverpilot_dns_nameservers: [{dns}]
        serverpilot_verify_port: {port}
        serverpilot_verify_ca_path: {ca}
        # a bound, not a duration: AutoSSL is available once the stand-in has issued (0.5 s after the name
        # points), and the role asks again each second until it is
        serverpilot_autossl_delay: 1

    - name: The modules on their own
      multisite.serverpilot.serverpilot_app_domains:
        domains: [extra.example.com]
    - name: AutoSSL once more
      multisite.serverpilot.serverpilot_autossl:
        force_ssl: true
    - name: The app's domains' health and certificates
      multisite.serverpilot.serverpilot_domain_health:
        nameservers: [{dns}]
        port: {port}
        ca_path: {ca}
        domains: [runner.example.com, www.runner.example.com]
'''


@pytest.mark.parametrize('verbosity', [0, 4])
def test_awx_style_run_leaks_no_secret(standin, messy_network, tmp_path, verbosity, monkeypatch):
    import ansible_runner  # requirements-dev.txt installs it: a missing one is a failure, not a skip
    monkeypatch.setenv('PATH', os.path.dirname(sys.executable) + os.pathsep + os.environ['PATH'])
    app = standin.state.add_app(name='network', domains=['network.example'], ssl='custom')
    data = tmp_path / 'runner'
    for folder in ('env', 'project', 'inventory'):
        (data / folder).mkdir(parents=True)
    messy_network.set_dns({'runner.example.com': [messy_network.server_address],
                           'www.runner.example.com': [messy_network.server_address]})
    (data / 'project' / 'job.yml').write_text(PLAY.format(port=messy_network.tls.port, ca=messy_network.tls.ca_path,
                                                          dns=messy_network.dns.nameserver))
    (data / 'inventory' / 'hosts').write_text(
        'localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    (data / 'env' / 'envvars').write_text(yaml.safe_dump({
        'SERVERPILOT_CLIENT_ID': DEFAULT_CLIENT_ID, 'SERVERPILOT_API_KEY': DEFAULT_API_KEY,
        'SERVERPILOT_API_URL': standin.url, 'SERVERPILOT_APP_ID': app,
        'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS, 'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'tmp'),
    }))
    result = ansible_runner.run(private_data_dir=str(data), playbook='job.yml', quiet=True, verbosity=verbosity,
                                suppress_env_files=True)
    assert result.status == 'successful', result.stdout.read()
    assert standin.state.app(app)['ssl']['auto'] is True
    assert standin.state.app(app)['domains'][-2:] == ['extra.example.com', 'www.extra.example.com']

    events = list(result.events)
    assert any(e['event'] == 'runner_on_ok' and e['event_data'].get('task') == 'Read the account' for e in events)
    artifacts = data / 'artifacts'
    files = [p for p in artifacts.rglob('*') if p.is_file()]
    assert any(p.parent.name == 'job_events' for p in files) and any(p.name == 'stdout' for p in files)
    for path in files:
        if path.name == 'command':
            # runner's own record of how it launched the job, the injected environment included, readable by
            # its owner only; AWX removes the private data dir after the job. Nothing the job printed.
            assert oct(path.stat().st_mode & 0o777) == '0o600'
            continue
        text = path.read_text(errors='replace')
        for secret in (DEFAULT_API_KEY, PRIVATE_KEY_MARKER, 'BEGIN PRIVATE KEY'):
            assert secret not in text, (secret, path)
