# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in as a user starts it from the README: its control endpoints refuse what they cannot take, and a
command-line run leaves no temporary directory behind when it stops."""

import base64
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import REPO
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID

pytestmark = pytest.mark.integration


def post(url, body):
    token = base64.b64encode(('%s:%s' % (DEFAULT_CLIENT_ID, DEFAULT_API_KEY)).encode()).decode()
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method='POST',
                                     headers={'Content-Type': 'application/json', 'Authorization': 'Basic ' + token})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_post_apps_takes_one_app_and_refuses_a_list_or_an_unknown_field(standin):
    base = standin.url.rsplit('/v1', 1)[0] + '/_standin/apps'
    status, answer = post(base, [{'name': 'a'}, {'name': 'b'}])
    assert status == 400 and 'one app' in answer['error']['message']
    status, answer = post(base, {'name': 'a', 'domainz': ['a.example']})
    assert status == 400 and 'domainz' in answer['error']['message']
    status, answer = post(base, {'name': 'a', 'domains': ['a.example']})
    assert status == 200 and standin.state.app(answer['id'])['domains'] == ['a.example']
    assert len(standin.state.apps) == 1


def test_a_command_line_run_removes_its_temporary_directories_when_stopped(tmp_path):
    pytest.importorskip('trustme')
    records = tmp_path / 'dns.json'
    records.write_text(json.dumps({'network.example': ['127.0.0.2']}))
    proc = subprocess.Popen([sys.executable, os.path.join(REPO, 'tests', 'stand_in', 'server.py'), '--port', '0',
                             '--tls-port', '0', '--dns-records', str(records)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    made, out = [], []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        out.append(line)
        match = re.search(r'CA certificate (\S+)', line)
        if match:
            made.append(os.path.dirname(match.group(1)))
        if 'listening on' in line or not line:
            break
    assert made and all(os.path.isdir(d) for d in made), ''.join(out)
    proc.send_signal(signal.SIGTERM)
    proc.wait(60)
    assert not [d for d in made if os.path.exists(d)]


def test_the_readme_journey_against_the_stand_in_from_its_script(tmp_path):
    """scripts/standin.sh as the README says: it writes the environment, the world's variables and an inventory;
    the demo playbook runs with them from another directory; stopping the script stops the stand-in."""
    pytest.importorskip('trustme')
    out = tmp_path / 'standin'
    proc = subprocess.Popen(['bash', os.path.join(REPO, 'scripts', 'standin.sh')],
                            env=dict(os.environ, STANDIN_DIR=str(out)), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not (out / 'inventory.yml').exists():
            assert proc.poll() is None, proc.stdout.read()
            time.sleep(0.2)
        env = dict(os.environ)
        for line in (out / 'env').read_text().splitlines():
            if line.startswith('export '):
                for pair in line[len('export '):].split():
                    key, value = pair.split('=', 1)
                    env[key] = value.replace('$PATH', os.environ['PATH'])
        assert env['SERVERPILOT_APP_ID'] == 'demoNetworkApp01'
        run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i',
                              str(out / 'inventory.yml'), os.path.join(REPO, 'playbooks', 'demo.yml')],
                             env=env, cwd=str(tmp_path), capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        assert (out / 'report' / 'demoNetworkApp01.json').exists()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)
