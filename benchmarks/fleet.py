# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: what the fleet report costs the inventory playbook over many apps.

    .venv/bin/python benchmarks/fleet.py [--apps 100] [--forks 10] [--output FILE]

Starts the stand-in with --apps apps (one name each), runs playbooks/domain_mapping.yml over them through the
inventory plugin with serverpilot_report_dir set, and times each task (benchmarks/callback_plugins/task_timer.py):
the run's wall time, the fleet play's two tasks (gathering every app's result, writing fleet.json and
fleet.html), and the reports' sizes. Writes benchmarks/results-fleet.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))

import run  # noqa: E402 - the fleet, its environment and its variables as run.py has them
from stand_in.server import StandInServer  # noqa: E402

BIN = os.path.dirname(sys.executable)
FLEET_TASKS = ('Gather every app\'s result into one report', 'Write the fleet report as JSON and HTML')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--apps', type=int, default=100)
    parser.add_argument('--forks', type=int, default=10)
    parser.add_argument('--output', default=os.path.join(REPO, 'benchmarks', 'results-fleet.json'))
    options = parser.parse_args()
    server = StandInServer().start()
    try:
        with tempfile.TemporaryDirectory() as workdir:
            inventory = run.fleet_inventory(server, workdir, options.apps)  # the same fleet as run.py's many_apps
            times_file = os.path.join(workdir, 'times.jsonl')
            reports = os.path.join(workdir, 'reports')
            env = dict(run.stand_in_env(server), ANSIBLE_LOCAL_TEMP=os.path.join(workdir, 'tmp'),
                       TASK_TIMES_FILE=times_file,
                       ANSIBLE_CALLBACK_PLUGINS=os.path.join(REPO, 'benchmarks', 'callback_plugins'),
                       ANSIBLE_CALLBACKS_ENABLED='task_timer')
            cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory,
                   os.path.join(REPO, 'playbooks', 'domain_mapping.yml'), '--forks', str(options.forks),
                   '-e', json.dumps(dict(run.FLEET_VARIABLES, serverpilot_report_dir=reports))]
            start = time.monotonic()
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            elapsed = time.monotonic() - start
            if proc.returncode != 0:
                raise SystemExit(proc.stdout[-3000:] + proc.stderr[-3000:])
            seconds = {}
            with open(times_file) as handle:
                for line in handle:
                    entry = json.loads(line)
                    for task in FLEET_TASKS:  # named with the role's prefix in the callback
                        if entry['task'].endswith(task):
                            seconds[task] = round(entry['seconds'], 3)
            fleet = json.load(open(os.path.join(reports, 'fleet.json')))
            assert len(fleet['apps']) == options.apps
            result = {'apps': options.apps, 'forks': options.forks, 'run_seconds': round(elapsed, 1),
                      'fleet_tasks_seconds': seconds, 'fleet_seconds': round(sum(seconds.values()), 3),
                      'fleet_json_bytes': os.path.getsize(os.path.join(reports, 'fleet.json')),
                      'fleet_html_bytes': os.path.getsize(os.path.join(reports, 'fleet.html')),
                      'command': '.venv/bin/python benchmarks/fleet.py --apps %d --forks %d'
                                 % (options.apps, options.forks)}
    finally:
        server.stop()
    print(json.dumps(result, indent=1))
    with open(options.output, 'w') as handle:
        json.dump(result, handle, indent=1)


if __name__ == '__main__':
    main()
