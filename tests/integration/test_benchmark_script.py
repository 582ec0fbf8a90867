# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark script runs, and the call counts it measures meet the targets (times are not asserted:
they are measured by the script, not by a test)."""

import json
import os
import subprocess
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.integration


def test_benchmark_smoke_run_meets_the_call_targets(tmp_path):
    output = tmp_path / 'results.json'
    proc = subprocess.run([sys.executable, os.path.join(REPO, 'benchmarks', 'run.py'), '--sizes', '1', '3',
                           '--apps', '3', '--repeats', '1', '--latency', '0', '--network', '10', '--overhead-repeats', '1',
                           '--output', str(output)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(output.read_text())
    assert '| 3 | converge |' in results['table'] and 'forks 10 is' in proc.stdout
    module = dict(((r['size'], r['scenario']), r['calls']) for r in results['scenarios'] if r['approach'] == 'module')
    for size in (1, 3):
        assert module[(size, 'noop')] == {'GET': 1}       # a no-op run: exactly one call
        assert module[(size, 'check')] == {'GET': 1}      # check mode: no write
        # a change: GET + POST + one action poll + one confirming GET
        assert module[(size, 'converge')] == {'GET': 3, 'POST': 1}
        assert module[(size, 'removal')] == {'GET': 3, 'POST': 1}
    # the no-op beside ping: one GET per run, and both tasks timed
    overhead = results['overhead']
    assert overhead['calls_per_noop'] == 1 and overhead['ping_seconds'] > 0 and overhead['noop_seconds'] > 0
    assert '| ansible.builtin.ping |' in results['table']
    # the messy network of 10 customers: 8 with www., 1 with the apex only, 1 behind a CDN (never handshaken)
    network = results['network']
    assert network['listed'] == 20
    assert network['role_noop_calls'] == 5  # domains, AutoSSL, the health check's app, server and apps reads
    assert network['role_noop_handshakes'] == 17
    assert [row['handshakes'] for row in network['health']] == [17, 17]
    for row in results['many_apps']:
        # per app: GET, POST, poll, confirm; plus the inventory's one GET /apps shared by all
        assert row['calls'] == {'GET': 3 * 3 + 1, 'POST': 3}


def test_the_sources_benchmark_reads_every_source(tmp_path, mariadb):
    """benchmarks/sources.py starts its own MariaDB: it runs where the suite's does."""
    output = tmp_path / 'sources.json'
    proc = subprocess.run([sys.executable, os.path.join(REPO, 'benchmarks', 'sources.py'), '--mappings', '5',
                           '--repeats', '1', '--output', str(output)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = dict(((r['source'], r['read_as']), r['queries']) for r in json.loads(output.read_text()))
    # auto reads one query more than a named source: the network's signs of a plugin
    assert rows[('wordpress', 'auto')] == rows[('wordpress', 'named')] + 1 == 4
    assert rows[('dark_matter', 'auto')] == rows[('dark_matter', 'named')] + 1 == 5
    assert rows[('ultimate_multisite', 'auto')] == rows[('ultimate_multisite', 'named')] + 1 == 6
    assert ('mercator', 'auto') not in rows


def test_the_poll_benchmark_measures_the_reader_now_and_before(tmp_path, mariadb):
    """benchmarks/poll.py: a poll's queries do not grow with the network; the reader before it is run beside it."""
    output = tmp_path / 'poll.json'
    proc = subprocess.run([sys.executable, os.path.join(REPO, 'benchmarks', 'poll.py'), '--sizes', '20,60',
                           '--repeats', '1', '--output', str(output)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = json.loads(output.read_text())['rows']
    now = [r for r in rows if r['reader'] == 'now']
    assert [r['sites'] for r in now] == [20, 60] and all(r['queries'] == 5 for r in now)
    assert all(r['cpu_ms'] >= 0 and r['rows'] >= r['sites'] for r in rows)


def test_the_controller_benchmark_runs_both_ways_with_the_same_calls(tmp_path):
    """benchmarks/controller.py, smallest: the same API calls in the controller and as a module."""
    output = tmp_path / 'controller.json'
    proc = subprocess.run([sys.executable, os.path.join(REPO, 'benchmarks', 'controller.py'), '--repeats', '1',
                           '--latency', '0', '--apps', '2', '--output', str(output)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(output.read_text())
    assert [results['one_task']['paths'][path]['calls'] for path in ('controller', 'module')] == [1, 1]
    assert [results['role_noop']['paths'][path]['calls'] for path in ('controller', 'module')] == [5, 5]
    assert results['change']['ways']['controller']['calls'] == results['change']['ways']['module']['calls'] == {
        'GET': 3, 'POST': 1}
    rows = results['many_apps']['rows']
    assert sorted((row['path'], row['forks']) for row in rows) == [
        ('controller', 1), ('controller', 10), ('module', 1), ('module', 10)]
    assert all(row['calls_per_app'] <= 1.5 and row['peak_memory_mib'] > 0 for row in rows)  # a no-op: one GET each
    assert '| one serverpilot_app_domains no-op task (s) |' in results['table']
