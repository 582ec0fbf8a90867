# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: the collection's tasks in the controller's process (the actions of plugins/action/) side by side with
the same tasks as modules (SERVERPILOT_RUN_AS_MODULE=1), in one run, on this machine.

    .venv/bin/python benchmarks/controller.py [--latency 0.05] [--repeats 5] [--apps 100] [--output FILE]

- one serverpilot_app_domains no-op task beside ansible.builtin.debug in one play, task by task (task_timer);
- a change (one name added to a fresh app): the whole playbook's task time, against the ansible.builtin.uri
  playbook an operator would write (benchmarks/run.py's), ansible-playbook's own start-up taken off;
- the role's no-op run over the demo's app (10 names: 4 customers and their www. forms, a CDN customer, an apex
  only), its tasks' time summed, against the physical floor measured here in-process: two GETs and one parallel
  wave of DNS lookups (A, AAAA, CAA) and handshakes;
- 100 apps through the inventory plugin, the role's no-op run, forks 1 and 10, each way, with the peak memory of
  the whole process tree (the sum of every process's PSS, sampled every 50 ms).

Every number comes from a real ansible-playbook run against the stand-in with ``--latency`` per request; the API
calls are counted by the stand-in's log. Writes benchmarks/results-controller.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))
sys.path.insert(0, os.path.join(REPO, '.ansible', 'collections'))

from run import (BIN, FLEET_VARIABLES, MODULE_TASK, URI_TASKS, baseline, calls_by_method,  # noqa: E402
                 fleet_inventory, median, network_role, network_world, playbook_text, run_playbook, stand_in_env,
                 write_results)
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, StandInServer  # noqa: E402

PATHS = ('controller', 'module')
TIMER = os.path.join(REPO, 'benchmarks', 'callback_plugins')


def path_env(env, path, times_file=None):
    env = dict(env)
    env.pop('SERVERPILOT_RUN_AS_MODULE', None)
    if path == 'module':
        env['SERVERPILOT_RUN_AS_MODULE'] = '1'
    if times_file:
        env.update(ANSIBLE_CALLBACK_PLUGINS=TIMER, ANSIBLE_CALLBACKS_ENABLED='task_timer', TASK_TIMES_FILE=times_file)
    return env


def timed_tasks(book, variables, env, path, workdir):
    """One run: {task name: seconds}."""
    times_file = os.path.join(workdir, 'times.jsonl')
    if os.path.exists(times_file):
        os.unlink(times_file)
    run_playbook(book, variables, path_env(env, path, times_file))
    found = {}
    with open(times_file) as handle:
        for line in handle:
            entry = json.loads(line)
            found[entry['task']] = found.get(entry['task'], 0) + entry['seconds']
    return found


def one_task(server, env, workdir, repeats):
    book = os.path.join(workdir, 'one-task.yml')
    with open(book, 'w') as handle:
        handle.write(playbook_text('- name: debug\n  ansible.builtin.debug:\n    msg: ok\n' + MODULE_TASK))
    app_id = server.state.add_app(name='one-task', domains=['a.example.com'], serverid='srv-one')
    variables = {'app_id': app_id, 'wanted': ['a.example.com'], 'wanted_state': 'present'}
    seconds = dict((path, {'debug': [], 'Domains': []}) for path in PATHS)
    calls = {}
    for dummy in range(repeats):
        for path in PATHS:  # interleaved: a drifting machine weighs on both alike
            server.state.log.clear()
            for task, value in timed_tasks(book, variables, env, path, workdir).items():
                seconds[path][task].append(value)
            calls[path] = sum(calls_by_method(server.state).values())
    rows = dict((path, {'debug_seconds': round(median(seconds[path]['debug']), 3),
                        'noop_seconds': round(median(seconds[path]['Domains']), 3), 'calls': calls[path]})
                for path in PATHS)
    ceiling = rows['controller']['debug_seconds'] + server.state.latency + 0.05
    return {'paths': rows, 'round_trip_seconds': server.state.latency, 'target_seconds': round(ceiling, 3),
            'met': rows['controller']['noop_seconds'] <= ceiling}


def change(server, env, workdir, repeats, startup):
    """One name added to a fresh app: the playbook's time less ansible-playbook's start-up, each way and by uri."""
    books = {}
    for name, tasks in (('collection', MODULE_TASK), ('uri', URI_TASKS)):
        books[name] = os.path.join(workdir, 'change-%s.yml' % name)
        with open(books[name], 'w') as handle:
            handle.write(playbook_text(tasks))
    base = {'api': server.url, 'client_id': DEFAULT_CLIENT_ID, 'api_key': DEFAULT_API_KEY,
            'wanted': ['new.example.com'], 'wanted_state': 'present'}
    ways = (('controller', 'collection', 'controller'), ('module', 'collection', 'module'), ('uri', 'uri', 'module'))
    seconds, calls = dict((way[0], []) for way in ways), {}
    for repeat in range(repeats):
        for way, book, path in ways:
            app_id = server.state.add_app(name='change', domains=[], serverid='srv-change-%s-%d' % (way, repeat))
            server.state.log.clear()
            seconds[way].append(run_playbook(books[book], dict(base, app_id=app_id), path_env(env, path)) - startup)
            calls[way] = calls_by_method(server.state)
    rows = dict((way, {'task_seconds': round(median(seconds[way]), 3), 'calls': calls[way]}) for way, b, p in ways)
    ratio = rows['uri']['task_seconds'] / max(rows['controller']['task_seconds'], 0.001)
    return {'ways': rows, 'uri_over_controller': round(ratio, 2), 'met': ratio >= 2}


def physical_floor(server, app_id, names, dns, tls, repeats):
    """Two GETs and one parallel wave of lookups and handshakes, timed in this process with the collection's own
    code: what no run of the role can go below."""
    from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import health_workflow, probes
    from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot.api import ServerPilotClient
    client = ServerPilotClient(DEFAULT_CLIENT_ID, DEFAULT_API_KEY, server.url)
    options = {'port': tls.port, 'ca_path': tls.ca_path, 'connect_timeout': 5, 'concurrency': 64, 'wait': 0,
               'wait_delay': 15, 'expiry_warning_days': None, 'caa': True, 'caa_account_uris': [], 'required': set()}
    seconds = []
    for dummy in range(repeats):
        start = time.monotonic()
        app = client.get_app(app_id)
        client.get_server(app['serverid'])
        facts = health_workflow.AppFacts(set(app['domains']), set(app['domains']), [server.state.server_address])
        health_workflow.check_all(names, probes.resolver([dns.nameserver], 5), facts, options)
        seconds.append(time.monotonic() - start)
    client.close()
    return median(seconds)


def role_noop(server, env, workdir, repeats):
    names, app_id, dns, tls, cdn, backend = network_world(server, workdir, 5, 0.0)
    try:
        book, variables = network_role(workdir, names, app_id, dns, tls,
                                       serverpilot_report_dir=os.path.join(workdir, 'reports'))
        run_playbook(book, variables, path_env(env, 'controller'))  # converge: domains, AutoSSL, certificates
        listed = len(server.state.apps[app_id]['domains'])
        task_seconds, play_seconds, calls = dict((p, []) for p in PATHS), dict((p, []) for p in PATHS), {}
        each = dict((p, {}) for p in PATHS)
        for dummy in range(repeats):
            for path in PATHS:
                server.state.log.clear()
                start = time.monotonic()
                tasks = timed_tasks(book, variables, env, path, workdir)
                play_seconds[path].append(time.monotonic() - start)
                task_seconds[path].append(sum(value for task, value in tasks.items() if task != 'role'))
                calls[path] = sum(calls_by_method(server.state).values())
                for task, value in tasks.items():
                    each[path].setdefault(task.split(' : ')[-1], []).append(value)
        floor = physical_floor(server, app_id, server.state.apps[app_id]['domains'], dns, tls, repeats)
    finally:
        dns.stop()
        tls.stop()
        cdn.stop()
    rows = dict((path, {'task_seconds': round(median(task_seconds[path]), 3),
                        'playbook_seconds': round(median(play_seconds[path]), 3), 'calls': calls[path],
                        'over_floor': round(median(task_seconds[path]) / floor, 1),
                        'tasks': dict((task, round(median(values), 3)) for task, values in each[path].items())})
                for path in PATHS)
    return {'names': listed, 'floor_seconds': round(floor, 3), 'paths': rows,
            'met': rows['controller']['over_floor'] <= 3}


class PeakMemory(threading.Thread):
    """The peak of the summed PSS of a process and all its descendants (shared pages counted once, in shares)."""

    def __init__(self, pid, interval=0.05):
        super(PeakMemory, self).__init__(daemon=True)
        self.pid, self.interval, self.peak, self.processes = pid, interval, 0, 0
        self.done = threading.Event()

    @staticmethod
    def _tree(root):
        children = {}
        for entry in os.listdir('/proc'):
            if entry.isdigit():
                try:
                    with open('/proc/%s/stat' % entry) as handle:
                        parent = int(handle.read().rsplit(')', 1)[1].split()[1])
                except (IOError, OSError, IndexError, ValueError):
                    continue
                children.setdefault(parent, []).append(int(entry))
        found, todo = [], [root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found

    @staticmethod
    def _pss(pid):
        try:
            with open('/proc/%d/smaps_rollup' % pid) as handle:
                for line in handle:
                    if line.startswith('Pss:'):
                        return int(line.split()[1]) * 1024
        except (IOError, OSError):
            pass
        return 0

    def run(self):
        while not self.done.is_set():
            tree = self._tree(self.pid)
            self.peak = max(self.peak, sum(self._pss(pid) for pid in tree))
            self.processes = max(self.processes, len(tree))
            self.done.wait(self.interval)


def many_apps(server, env, workdir, count):
    inventory = fleet_inventory(server, workdir, count)
    extra = json.dumps(FLEET_VARIABLES)

    def run(path, forks):
        cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory,
               os.path.join(REPO, 'playbooks', 'domain_mapping.yml'), '--forks', str(forks), '-e', extra]
        server.state.log.clear()
        start = time.monotonic()
        proc = subprocess.Popen(cmd, env=path_env(env, path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        memory = PeakMemory(proc.pid)
        memory.start()
        out = proc.communicate()[0]
        elapsed = time.monotonic() - start
        memory.done.set()
        memory.join()
        if proc.returncode != 0:
            raise RuntimeError(out[-3000:])
        return {'path': path, 'forks': forks, 'seconds': round(elapsed, 2),
                'calls_per_app': round(sum(calls_by_method(server.state).values()) / float(count), 2),
                'peak_memory_mib': round(memory.peak / 1048576.0, 1), 'peak_processes': memory.processes}
    run('controller', 10)  # converge once: every run below is the no-op an hourly schedule makes
    rows = [run(path, forks) for forks in (1, 10) for path in PATHS]
    by = dict(((r['path'], r['forks']), r) for r in rows)
    summary = {
        'controller_over_module_forks10': round(by[('module', 10)]['seconds'] / by[('controller', 10)]['seconds'], 2),
        'forks10_over_forks1_controller': round(by[('controller', 1)]['seconds'] / by[('controller', 10)]['seconds'], 2),
        'forks10_over_forks1_module': round(by[('module', 1)]['seconds'] / by[('module', 10)]['seconds'], 2),
        'memory_controller_over_module_forks10': round(
            by[('controller', 10)]['peak_memory_mib'] / by[('module', 10)]['peak_memory_mib'], 2),
    }
    return {'apps': count, 'rows': rows, 'summary': summary}


def table(results):
    one, chg, role, fleet = results['one_task'], results['change'], results['role_noop'], results.get('many_apps')
    lines = ['%s; ansible-core %s; latency %.0f ms per request; median of %d runs; ansible-playbook start-up %.2f s'
             % (results['machine'], results['ansible_core'], results['latency'] * 1000, results['repeats'],
                results['startup_seconds']), '',
             '| measure | in the controller | as a module | target | met |', '| --- | ---: | ---: | --- | --- |',
             '| one serverpilot_app_domains no-op task (s) | %.3f | %.3f | <= debug (%.3f) + round trip + 0.05 = %.3f '
             '| %s |' % (one['paths']['controller']['noop_seconds'], one['paths']['module']['noop_seconds'],
                         one['paths']['controller']['debug_seconds'], one['target_seconds'], one['met']),
             '| a change, task time (s; the uri playbook %.3f) | %.3f | %.3f | uri / controller >= 2 (%.2fx) | %s |'
             % (chg['ways']['uri']['task_seconds'], chg['ways']['controller']['task_seconds'],
                chg['ways']['module']['task_seconds'], chg['uri_over_controller'], chg['met']),
             '| the role, no-op, %d names: task time (s), floor %.3f s | %.3f (%.1fx) | %.3f (%.1fx) | <= 3x floor | %s |'
             % (role['names'], role['floor_seconds'], role['paths']['controller']['task_seconds'],
                role['paths']['controller']['over_floor'], role['paths']['module']['task_seconds'],
                role['paths']['module']['over_floor'], role['met']),
             '| the role, no-op: API calls | %d | %d | | |' % (
                 role['paths']['controller']['calls'], role['paths']['module']['calls'])]
    if fleet:
        by = dict(((r['path'], r['forks']), r) for r in fleet['rows'])
        s = fleet['summary']
        for forks in (1, 10):
            lines.append('| %d apps, role no-op, forks %d (s) | %.1f | %.1f | | |' % (
                fleet['apps'], forks, by[('controller', forks)]['seconds'], by[('module', forks)]['seconds']))
        lines += [
            '| %d apps, forks 10: module / controller | %.2fx | | >= 4x | %s |' % (
                fleet['apps'], s['controller_over_module_forks10'], s['controller_over_module_forks10'] >= 4),
            '| %d apps: forks 1 / forks 10 | %.2fx | %.2fx | >= 4x | %s |' % (
                fleet['apps'], s['forks10_over_forks1_controller'], s['forks10_over_forks1_module'],
                s['forks10_over_forks1_controller'] >= 4),
            '| %d apps, forks 10: peak memory, all processes (MiB) | %.0f | %.0f | <= 1.5x module | %s |' % (
                fleet['apps'], by[('controller', 10)]['peak_memory_mib'], by[('module', 10)]['peak_memory_mib'],
                s['memory_controller_over_module_forks10'] <= 1.5)]
    return '\n'.join(lines)


def machine():
    model = 'unknown CPU'
    try:
        with open('/proc/cpuinfo') as handle:
            for line in handle:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except (IOError, OSError):
        pass
    return '%d cores, %s' % (os.cpu_count(), model)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--latency', type=float, default=0.05, help='seconds the stand-in adds to every request')
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--apps', type=int, default=100, help='apps for the many-apps runs (0 to skip)')
    parser.add_argument('--output', default=os.path.join(REPO, 'benchmarks', 'results-controller.json'))
    args = parser.parse_args(argv)
    import ansible
    server = StandInServer().start()
    server.state.latency = args.latency
    env = stand_in_env(server)
    results = {'latency': args.latency, 'repeats': args.repeats, 'machine': machine(),
               'ansible_core': ansible.__version__,
               'command': '.venv/bin/python benchmarks/controller.py --latency %g --repeats %d --apps %d'
                          % (args.latency, args.repeats, args.apps)}
    try:
        with tempfile.TemporaryDirectory() as workdir:
            env['ANSIBLE_LOCAL_TEMP'] = os.path.join(workdir, 'tmp')
            results['startup_seconds'] = round(baseline(env, workdir, args.repeats), 3)
            results['one_task'] = one_task(server, env, workdir, args.repeats)
            results['change'] = change(server, env, workdir, args.repeats, results['startup_seconds'])
            results['role_noop'] = role_noop(server, env, workdir, args.repeats)
            if args.apps:
                results['many_apps'] = many_apps(server, env, workdir, args.apps)
    finally:
        server.stop()
    return write_results(results, table(results), args.output)


if __name__ == '__main__':
    main()
