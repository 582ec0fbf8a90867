# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX notification messages of extensions/awx/ against AWX's own rules, with the artifacts a real job writes.

AWX (awx/main/models/notifications.py, JobNotificationMixin) renders a notification template's messages with
Jinja2's ImmutableSandboxedEnvironment and ChainableUndefined, from a context whose ``job.artifacts`` is the
``artifact_data`` of the job's playbook_on_stats event (set_stats' data); when a template is saved
(awx/api/serializers.py, validate_messages) it renders each message against a stub job with empty artifacts, with an
undefined that fails on any use, and refuses a ``message`` with a newline. Both are done here, the second with the
artifacts of two ansible-runner jobs (the engine AWX runs) over two apps, a fact cache between them (AWX's fact
storage)."""

import os
import shutil
import sys

import jinja2
import pytest
import yaml
from jinja2 import sandbox

from conftest import COLLECTIONS, REPO
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID

pytestmark = pytest.mark.integration
SERVER = '127.0.0.2'
MESSAGES = yaml.safe_load(open(os.path.join(REPO, 'extensions', 'awx', 'serverpilot_notification_messages.yml')).read())[
    'messages']

PLAY = '''
- name: The scheduled job over the apps
  hosts: all
  gather_facts: false
  roles:
    - role: multisite.serverpilot.domain_mapping
      vars:
        serverpilot_www: never
        serverpilot_dns_nameservers: [{dns}]
        serverpilot_verify_port: {port}
        serverpilot_verify_ca_path: {ca}
        serverpilot_verify_timeout: 2
        serverpilot_verify_wait: 600
        serverpilot_verify_wait_delay: 0.5
        serverpilot_autossl_delay: 1  # with the retries a bound (20 s): the stand-in issues 0.5 s after a name points
'''


class DescriptiveUndefined(jinja2.StrictUndefined):
    """As AWX's validation: an undefined value fails on any use, printing it included."""
    __repr__ = __str__ = jinja2.StrictUndefined._fail_with_undefined_error


def job_context(status, artifacts):
    """The fields of AWX's notification context these messages may use, as AWX builds it for a job."""
    return {
        'job': {'id': 42, 'name': 'ServerPilot domains', 'status': status, 'failed': status != 'successful',
                'artifacts': artifacts, 'host_status_counts': {}, 'summary_fields': {}},
        'job_friendly_name': 'Job', 'url': 'https://awx.example/#/jobs/playbook/42',
        'job_metadata': '{}',
    }


def render(template, context, undefined=jinja2.ChainableUndefined):
    return sandbox.ImmutableSandboxedEnvironment(undefined=undefined).from_string(template).render(**context)


def test_awx_would_accept_the_messages():
    """AWX's save-time checks: known events and keys, strings, no newline in a message, and every message
    renders against a job without artifacts with an undefined that fails on any use."""
    assert set(MESSAGES) <= {'started', 'success', 'error', 'workflow_approval'}
    for event, texts in MESSAGES.items():
        assert set(texts) <= {'message', 'body'}, event
        assert all(isinstance(text, str) for text in texts.values()), event
        assert '\n' not in texts['message'], event
        for text in texts.values():
            rendered = render(text, job_context('running', {}), DescriptiveUndefined)
            assert 'ServerPilot domains' in rendered or '42' in rendered


def runner_job(data, ident, env, inventory, play, facts_from=None):
    """One job as AWX runs it: ansible-runner, its jsonfile fact cache in the job's artifacts, filled beforehand
    with what the last job kept (AWX's fact storage copies each host's facts from its database in and out)."""
    import ansible_runner  # requirements-dev.txt installs it: a missing one is a failure, not a skip
    for folder in ('env', 'project', 'inventory'):
        (data / folder).mkdir(parents=True, exist_ok=True)
    (data / 'project' / 'job.yml').write_text(play)
    (data / 'inventory' / 'hosts').write_text(inventory)
    (data / 'env' / 'envvars').write_text(yaml.safe_dump(env))
    if facts_from is not None:
        shutil.copytree(str(data / 'artifacts' / facts_from / 'fact_cache'),
                        str(data / 'artifacts' / ident / 'fact_cache'))
    result = ansible_runner.run(private_data_dir=str(data), ident=ident, playbook='job.yml', quiet=True,
                                suppress_env_files=True)
    stats = [e for e in result.events if e['event'] == 'playbook_on_stats']
    assert stats, result.stdout.read()
    return result.status, stats[-1]['event_data'].get('artifact_data') or {}


def test_a_notification_says_what_changed_in_each_app(standin, messy_network, tmp_path, monkeypatch):
    monkeypatch.setenv('PATH', os.path.dirname(sys.executable) + os.pathsep + os.environ['PATH'])
    pointing = {'shop.example': [SERVER], 'blog.example': [SERVER], 'net.example': [SERVER]}
    messy_network.set_dns(pointing)
    alpha = standin.state.add_app(name='alpha', domains=[])
    beta = standin.state.add_app(name='beta', domains=[])
    inventory = (
        'alpha ansible_connection=local ansible_python_interpreter={py} serverpilot_app_id={a} '
        'serverpilot_domains=\'["shop.example", "blog.example"]\'\n'
        'beta ansible_connection=local ansible_python_interpreter={py} serverpilot_app_id={b} '
        'serverpilot_domains=\'["net.example"]\' serverpilot_required_domains=\'["net.example"]\'\n'
    ).format(py=sys.executable, a=alpha, b=beta)

    env = {'SERVERPILOT_CLIENT_ID': DEFAULT_CLIENT_ID, 'SERVERPILOT_API_KEY': DEFAULT_API_KEY,
           'SERVERPILOT_API_URL': standin.url, 'ANSIBLE_COLLECTIONS_PATH': COLLECTIONS,
           'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'tmp')}
    play = PLAY.format(dns=messy_network.dns.nameserver, port=messy_network.tls.port, ca=messy_network.tls.ca_path)
    data = tmp_path / 'runner'
    status, artifacts = runner_job(data, 'first', env, inventory, play)
    assert status == 'successful'
    assert artifacts['serverpilot_changes'][alpha]['newly_failing']['count'] == 0  # the first run: nothing new
    # alpha's shop stops pointing at the server; beta's required name too, which fails the job
    messy_network.set_dns(dict(pointing, **{'shop.example': ['127.0.0.3'], 'net.example': ['127.0.0.3']}))
    status, artifacts = runner_job(data, 'second', env, inventory, play, facts_from='first')
    assert status == 'failed'
    assert set(artifacts) == {'serverpilot_health', 'serverpilot_changes', 'serverpilot_capacity'}
    assert artifacts['serverpilot_changes'][alpha]['app_name'] == 'alpha'

    context = job_context('failed', artifacts)
    message = render(MESSAGES['error']['message'], context)
    assert message.startswith('ServerPilot domains #42 failed (a required name failing')
    assert '2 newly failing over 2 app(s) https://awx.example/#/jobs/playbook/42' in message
    body = render(MESSAGES['error']['body'], context)
    assert body.startswith("Job #42 'ServerPilot domains' failed: https://awx.example/#/jobs/playbook/42\n\n")
    assert 'alpha (1 of 2 names ok)\n  newly failing (1): shop.example' in body
    assert 'beta (0 of 1 names ok)\n  newly failing (1): net.example' in body
    assert 'blog.example' not in body  # nothing changed for it
    success = render(MESSAGES['success']['message'], job_context('successful', artifacts))
    assert '2 newly failing, 0 recovered, 0 failing for weeks over 2 app(s)' in success
    # every name the messages use is in what a real job wrote: rendered strictly, nothing is missing
    for texts in MESSAGES.values():
        for text in texts.values():
            render(text, context, DescriptiveUndefined)
    for text in (message, body, success):
        assert DEFAULT_API_KEY not in text and 'Traceback' not in text and 'undefined' not in text.lower()
