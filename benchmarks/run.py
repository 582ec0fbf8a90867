# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: serverpilot_app_domains against the stand-in with a per-request latency, side by side with
the ansible.builtin.uri playbook an operator would write without this collection, a no-op run beside
ansible.builtin.ping in one play (what the module costs over any module), plus many apps through the
inventory plugin with forks 1 and 10.

    .venv/bin/python benchmarks/run.py [--latency 0.05] [--sizes 1 50 300] [--apps 100] [--output FILE]

Prints a table and writes it as JSON (benchmarks/results.json by default). Every number comes from a real
ansible-playbook run; API calls are counted by the stand-in's request log.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, StandInServer  # noqa: E402

COLLECTIONS = os.path.join(REPO, '.ansible', 'collections')
BIN = os.path.dirname(sys.executable)

# The least a run can do: read; or read, write, see the action done, confirm.
FLOOR_CALLS = {'converge': 4, 'noop': 1, 'check': 1, 'removal': 4}

MODULE_TASK = '''
- name: Domains
  multisite.serverpilot.serverpilot_app_domains:
    app_id: "{{ app_id }}"
    domains: "{{ wanted }}"
    state: "{{ wanted_state }}"
    www: never
'''

# What an operator writes without the collection: read, merge in Jinja, send the whole list, poll the action.
URI_TASKS = '''
- name: Read the app
  ansible.builtin.uri:
    url: "{{ api }}/apps/{{ app_id }}"
    url_username: "{{ client_id }}"
    url_password: "{{ api_key }}"
    force_basic_auth: true
  check_mode: false
  register: app
- name: Merge the domain list
  ansible.builtin.set_fact:
    new_domains: >-
      {{ (app.json.data.domains + wanted) | unique if wanted_state == 'present'
         else app.json.data.domains | difference(wanted) }}
- name: Send the whole list
  ansible.builtin.uri:
    url: "{{ api }}/apps/{{ app_id }}"
    method: POST
    url_username: "{{ client_id }}"
    url_password: "{{ api_key }}"
    force_basic_auth: true
    body_format: json
    body: {domains: "{{ new_domains }}"}
  register: update
  changed_when: true
  when: new_domains | sort != app.json.data.domains | sort
- name: Wait for the action
  ansible.builtin.uri:
    url: "{{ api }}/actions/{{ update.json.actionid }}"
    url_username: "{{ client_id }}"
    url_password: "{{ api_key }}"
    force_basic_auth: true
  register: action
  until: action.json.data.status != 'open'
  retries: 60
  delay: 1
  failed_when: action.json.data.status == 'error'
  when: update is changed
'''


def playbook_text(tasks):
    return '- hosts: localhost\n  gather_facts: false\n  tasks:\n' + textwrap.indent(tasks, '    ')


def run_playbook(path, variables, env, args=()):
    cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local', path,
           '-e', json.dumps(variables)] + list(args)
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError('%s failed:\n%s' % (path, proc.stdout[-3000:] + proc.stderr[-3000:]))
    return elapsed


def calls_by_method(state):
    counted = collections.Counter(e['method'] for e in state.api_calls())
    return dict(sorted(counted.items()))


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def baseline(env, workdir, repeats):
    """What ansible-playbook itself costs here: a play whose only task prints a line."""
    book = os.path.join(workdir, 'baseline.yml')
    with open(book, 'w') as handle:
        handle.write(playbook_text('- name: Nothing\n  ansible.builtin.debug:\n    msg: ok\n'))
    return median([run_playbook(book, {}, env) for dummy in range(repeats)])


def scenarios(server, env, workdir, size, approach, repeats, startup):
    """(a) first converge, (b) no-op second run, (c) check-mode run, (d) removal, for one app of ``size`` domains.

    Each scenario runs ``repeats`` times on fresh apps; the median is kept.
    """
    book = os.path.join(workdir, '%s.yml' % approach)
    with open(book, 'w') as handle:
        handle.write(playbook_text(MODULE_TASK if approach == 'module' else URI_TASKS))
    wanted = ['d%03d.example.com' % i for i in range(size)]
    base = {'api': server.url, 'client_id': DEFAULT_CLIENT_ID, 'api_key': DEFAULT_API_KEY, 'wanted': wanted}
    times, calls = collections.defaultdict(list), {}
    for repeat in range(repeats):
        for name, state_, args, fresh in (('check', 'present', ['--check'], True),
                                          ('converge', 'present', [], True),
                                          ('noop', 'present', [], False), ('removal', 'absent', [], False)):
            if fresh:
                app_id = server.state.add_app(name='bench', domains=[],
                                              serverid='srv-%s-%d-%s-%d' % (approach, size, name, repeat))
            server.state.log.clear()
            times[name].append(run_playbook(book, dict(base, app_id=app_id, wanted_state=state_), env, args))
            calls[name] = calls_by_method(server.state)
    rows = []
    for name in ('converge', 'noop', 'check', 'removal'):
        elapsed = median(times[name])
        floor = FLOOR_CALLS[name] * server.state.latency
        rows.append({'size': size, 'scenario': name, 'approach': approach, 'seconds': round(elapsed, 3),
                     'task_seconds': round(elapsed - startup, 3), 'calls': calls[name],
                     'total_calls': sum(calls[name].values()), 'floor_seconds': round(floor, 3),
                     'over_floor_seconds': round(elapsed - startup - floor, 3)})
    return rows


def fleet_inventory(server, workdir, count):
    """``count`` fresh apps (one name each) and the inventory plugin's file naming them."""
    for app in [a for a in server.state.apps.values() if a['name'].startswith('fleet')]:
        del server.state.apps[app['id']]
    for i in range(count):
        server.state.add_app(name='fleet%03d' % i, domains=[], serverid='fleet-srv')
    inventory = os.path.join(workdir, 'fleet.serverpilot.yml')
    with open(inventory, 'w') as handle:
        handle.write('plugin: multisite.serverpilot.serverpilot\nfilters:\n  - serverpilot_app_name.startswith("fleet")\n'
                     'compose:\n  serverpilot_domains: "[serverpilot_app_name ~ \'.example.com\']"\n')
    return inventory


# the role over many apps without its two slow steps: what the API side of a run costs
FLEET_VARIABLES = {'serverpilot_autossl': False, 'serverpilot_verify_ssl': False, 'serverpilot_www': 'never'}


def stand_in_env(server):
    """ansible-playbook's environment against the stand-in, credentials as an AWX credential injects them."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, SERVERPILOT_API_URL=server.url,
               SERVERPILOT_CLIENT_ID=DEFAULT_CLIENT_ID, SERVERPILOT_API_KEY=DEFAULT_API_KEY,
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_NOCOLOR='1')
    env.pop('SERVERPILOT_APP_ID', None)
    return env


def many_apps(server, env, workdir, count, forks):
    inventory = fleet_inventory(server, workdir, count)
    server.state.log.clear()
    cmd = [os.path.join(BIN, 'ansible-playbook'), '-i', inventory,
           os.path.join(REPO, 'playbooks', 'domain_mapping.yml'), '--forks', str(forks),
           '-e', json.dumps(FLEET_VARIABLES)]
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError(proc.stdout[-3000:] + proc.stderr[-3000:])
    calls = calls_by_method(server.state)
    return {'apps': count, 'forks': forks, 'seconds': round(elapsed, 3), 'calls': calls,
            'calls_per_app': round(sum(calls.values()) / float(count), 2)}


OVERHEAD_TASKS = '''
- name: ping
  ansible.builtin.ping:
- name: noop
  multisite.serverpilot.serverpilot_app_domains:
    app_id: "{{ app_id }}"
    domains: "{{ wanted }}"
    www: never
'''


def module_overhead(server, env, workdir, repeats):
    """A no-op serverpilot_app_domains beside ansible.builtin.ping in the same play, task by task.

    ping is what any module costs here (a worker, the AnsiballZ payload, a Python start); the no-op run adds the
    collection's own imports, the argument spec, one GET and the compare.
    """
    book = os.path.join(workdir, 'overhead.yml')
    with open(book, 'w') as handle:
        handle.write(playbook_text(OVERHEAD_TASKS))
    app_id = server.state.add_app(name='overhead', domains=['a.example.com'], serverid='srv-overhead')
    times_file = os.path.join(workdir, 'task-times.jsonl')
    timed = dict(env, ANSIBLE_CALLBACK_PLUGINS=os.path.join(REPO, 'benchmarks', 'callback_plugins'),
                 ANSIBLE_CALLBACKS_ENABLED='task_timer', TASK_TIMES_FILE=times_file)
    seconds = collections.defaultdict(list)
    server.state.log.clear()
    for dummy in range(repeats):
        if os.path.exists(times_file):
            os.unlink(times_file)
        run_playbook(book, {'app_id': app_id, 'wanted': ['a.example.com']}, timed)
        with open(times_file) as handle:
            for line in handle:
                entry = json.loads(line)
                seconds[entry['task']].append(entry['seconds'])
    ping, noop = median(seconds['ping']), median(seconds['noop'])
    return {'repeats': repeats, 'ping_seconds': round(ping, 3), 'noop_seconds': round(noop, 3), 'overhead_seconds': round(noop - ping, 3),
            'round_trip_seconds': round(server.state.latency, 3),
            'calls_per_noop': sum(calls_by_method(server.state).values()) / float(repeats)}


HEALTH_TASK = '''
- name: health
  multisite.serverpilot.serverpilot_domain_health:
    app_id: "{{ app_id }}"
    nameservers: ["{{ nameserver }}"]
    port: "{{ port }}"
    ca_path: "{{ ca_path }}"
    concurrency: "{{ concurrency }}"
    caa: "{{ caa | default(true) }}"
    fail_on: never
'''


def network_world(server, workdir, customers, latency):
    """One app with ``customers`` customers and their www. forms (2 x customers names): most point at the server,
    some only with the apex (no www. record), some elsewhere (a CDN); the server's handshakes take ``latency``."""
    from stand_in.dns_server import Dnsmasq, PythonDNS, dnsmasq_binary
    from stand_in.tls_endpoint import TLSEndpoint
    names, records = [], {}
    for i in range(customers):
        name = 'customer%03d.example' % i
        names.append(name)
        if i % 10 == 8:
            records[name] = ['127.0.0.3']             # behind a CDN
        elif i % 10 == 9:
            records[name] = [server.state.server_address]  # the apex only
        else:
            records[name] = records['www.' + name] = [server.state.server_address]
    server.state.dns = records
    backend = Dnsmasq if dnsmasq_binary() else PythonDNS
    dns = backend(workdir, records, ['example']).start()
    for sub in ('server', 'cdn'):
        os.makedirs(os.path.join(workdir, sub), exist_ok=True)
    tls = TLSEndpoint(server.state.server_address, 0, server.state, os.path.join(workdir, 'server'), latency).start()
    cdn = TLSEndpoint('127.0.0.3', tls.port, workdir=os.path.join(workdir, 'cdn')).start()
    app_id = server.state.add_app(name='network', domains=[], serverid='srv-network')
    return names, app_id, dns, tls, cdn, backend.__name__


def network_role(workdir, names, app_id, dns, tls, **extra):
    """The role's playbook over the messy network's app, and its variables (``extra`` added)."""
    book = os.path.join(workdir, 'network-role.yml')
    with open(book, 'w') as handle:
        handle.write(playbook_text(
            '- name: role\n  ansible.builtin.include_role:\n    name: multisite.serverpilot.domain_mapping\n'))
    variables = {'serverpilot_app_id': app_id, 'serverpilot_domains': names, 'serverpilot_required_domains': [],
                 'serverpilot_dns_nameservers': [dns.nameserver], 'serverpilot_verify_port': tls.port,
                 'serverpilot_verify_ca_path': tls.ca_path, 'serverpilot_verify_wait': 0,
                 'serverpilot_autossl_delay': 1}  # with the retries a bound: issued 0.5 s after pointing
    variables.update(extra)
    return book, variables


def network(server, env, workdir, customers, latency, repeats):
    """The messy network: the role's no-op run, and the health step alone at concurrency 1 and the default."""
    names, app_id, dns, tls, cdn, backend = network_world(server, workdir, customers, latency)
    try:
        common = {'app_id': app_id, 'nameserver': dns.nameserver, 'port': tls.port, 'ca_path': tls.ca_path}
        role_book, role_vars = network_role(workdir, names, app_id, dns, tls)
        run_playbook(role_book, role_vars, env)  # converge: the domains, AutoSSL, every certificate issued
        server.state.log.clear()
        tls.handshakes.clear()
        role_noop = median([run_playbook(role_book, role_vars, env) for dummy in range(repeats)])
        role_calls = sum(calls_by_method(server.state).values()) / float(repeats)
        role_handshakes = sum(tls.handshakes.values()) / float(repeats)
        book = os.path.join(workdir, 'network-health.yml')
        with open(book, 'w') as handle:
            handle.write(playbook_text(HEALTH_TASK))
        times_file = os.path.join(workdir, 'health-times.jsonl')
        timed = dict(env, ANSIBLE_CALLBACK_PLUGINS=os.path.join(REPO, 'benchmarks', 'callback_plugins'),
                     ANSIBLE_CALLBACKS_ENABLED='task_timer', TASK_TIMES_FILE=times_file)
        rows = []
        for concurrency in (1, 64):
            seconds = []
            tls.handshakes.clear()
            server.state.log.clear()
            for dummy in range(repeats):
                if os.path.exists(times_file):
                    os.unlink(times_file)
                run_playbook(book, dict(common, concurrency=concurrency), timed)
                with open(times_file) as handle:
                    seconds.append(json.loads(handle.readline())['seconds'])
            rows.append({'concurrency': concurrency, 'seconds': round(median(seconds), 3),
                         'calls': sum(calls_by_method(server.state).values()) / float(repeats),
                         'handshakes': sum(tls.handshakes.values()) / float(repeats)})
        # the issuance blockers' cost: the same step without and with its CAA lookups (and the DNSSEC check they
        # bring), interleaved run by run so that a drifting machine weighs on both alike
        side = {False: [], True: []}
        for dummy in range(repeats):
            for caa in (False, True):
                if os.path.exists(times_file):
                    os.unlink(times_file)
                run_playbook(book, dict(common, concurrency=64, caa=caa), timed)
                with open(times_file) as handle:
                    side[caa].append(json.loads(handle.readline())['seconds'])
        caa_cost = {'without_caa_seconds': round(median(side[False]), 3),
                    'with_caa_seconds': round(median(side[True]), 3),
                    'ratio': round(median(side[True]) / max(median(side[False]), 0.001), 2)}
        assert sum(cdn.handshakes.values()) == 0, 'a handshake went to the CDN'
    finally:
        dns.stop()
        tls.stop()
        cdn.stop()
    return {'listed': 2 * customers, 'handshake_latency': latency, 'dns': backend,
            'role_noop_seconds': round(role_noop, 3), 'role_noop_calls': role_calls,
            'role_noop_handshakes': role_handshakes, 'health': rows, 'caa_cost': caa_cost,
            'speedup': round(rows[0]['seconds'] / max(rows[1]['seconds'], 0.001), 1)}


def format_calls(calls):
    return ' '.join('%s %d' % item for item in calls.items()) or '0'


def table(results):
    lines = []
    if results['sizes']:
        lines = ['ansible-playbook start-up (a play with one debug task): %.2f s; latency %.0f ms per request'
                 % (results['startup_seconds'], results['latency'] * 1000), '',
                 '| size | scenario | module s (tasks) | module calls | uri s (tasks) | uri calls |'
                 ' uri / module, tasks | floor s | module over floor |',
                 '| ---: | --- | ---: | --- | ---: | --- | ---: | ---: | ---: |']
    by_key = dict(((r['size'], r['scenario'], r['approach']), r) for r in results['scenarios'])
    for size in results['sizes']:
        for name in ('converge', 'noop', 'check', 'removal'):
            mod, uri = by_key[(size, name, 'module')], by_key[(size, name, 'uri')]
            lines.append('| %d | %s | %.2f (%.2f) | %s | %.2f (%.2f) | %s | %.2fx | %.2f | %.2f |' % (
                size, name, mod['seconds'], mod['task_seconds'], format_calls(mod['calls']), uri['seconds'],
                uri['task_seconds'], format_calls(uri['calls']), uri['task_seconds'] / max(mod['task_seconds'], 0.001),
                mod['floor_seconds'], mod['over_floor_seconds']))
    net = results.get('network')
    if net:
        lines += ['', 'a messy network: one app, %d names (10%% of customers behind a CDN, 10%% without a www. record), '
                  'handshake latency %.0f ms, DNS by %s' % (net['listed'], net['handshake_latency'] * 1000, net['dns']),
                  '', '| run | seconds | API calls | handshakes |', '| --- | ---: | ---: | ---: |',
                  '| the role, no-op (whole playbook) | %.2f | %g | %g |' % (
                      net['role_noop_seconds'], net['role_noop_calls'], net['role_noop_handshakes'])]
        for row in net['health']:
            lines.append('| health step alone, concurrency %d | %.2f | %g | %g |' % (
                row['concurrency'], row['seconds'], row['calls'], row['handshakes']))
        lines.append('\nthe default concurrency is %.1fx faster than one at a time' % net['speedup'])
        cost = net.get('caa_cost')
        if cost:
            lines.append('the issuance blockers (CAA, DNSSEC) at concurrency 64: %.2f s without, %.2f s with: %.2fx'
                         % (cost['without_caa_seconds'], cost['with_caa_seconds'], cost['ratio']))
    overhead = results.get('overhead')
    if overhead:
        lines += ['', 'one play, task by task (median of %d runs), latency %.0f ms per request'
                  % (overhead['repeats'], overhead['round_trip_seconds'] * 1000), '',
                  '| task | seconds | API calls |', '| --- | ---: | ---: |',
                  '| ansible.builtin.ping | %.3f | 0 |' % overhead['ping_seconds'],
                  '| serverpilot_app_domains, no-op | %.3f | %g |' % (overhead['noop_seconds'],
                                                                      overhead['calls_per_noop']),
                  '| difference | %.3f | |' % overhead['overhead_seconds'],
                  '| of which the one round trip | %.3f | |' % overhead['round_trip_seconds']]
    if results['many_apps']:
        lines += ['', 'many apps, latency %.0f ms per request' % (results['apps_latency'] * 1000), '',
                  '| apps | forks | seconds | calls per app |', '| ---: | ---: | ---: | ---: |']
        for row in results['many_apps']:
            lines.append('| %d | %d | %.2f | %.2f |' % (row['apps'], row['forks'], row['seconds'], row['calls_per_app']))
        one, ten = results['many_apps'][0]['seconds'], results['many_apps'][-1]['seconds']
        lines.append('\nforks 10 is %.2fx faster than forks 1' % (one / ten))
    return '\n'.join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--latency', type=float, default=0.05, help='seconds the stand-in adds to every request')
    parser.add_argument('--sizes', type=int, nargs='*', default=[1, 50, 300])
    parser.add_argument('--apps', type=int, default=100, help='apps for the many-apps run (0 to skip)')
    parser.add_argument('--repeats', type=int, default=3, help='runs per scenario; the median is kept')
    parser.add_argument('--apps-latency', type=float,
                        help='latency for the many-apps run (default: --latency), e.g. 0.5 for a slow real API')
    parser.add_argument('--overhead-repeats', type=int, default=5,
                        help='runs of the no-op beside ansible.builtin.ping; the median is kept')
    parser.add_argument('--network', type=int, default=150,
                        help='customers in the messy-network run (each with a www. form; 0 to skip)')
    parser.add_argument('--handshake-latency', type=float, default=0.1, help='seconds per handshake there')
    parser.add_argument('--output', default=os.path.join(REPO, 'benchmarks', 'results.json'))
    args = parser.parse_args(argv)

    server = StandInServer().start()
    server.state.latency = args.latency
    env = stand_in_env(server)
    results = {'latency': args.latency, 'sizes': args.sizes, 'cpus': os.cpu_count(), 'repeats': args.repeats,
               'scenarios': [], 'many_apps': []}
    try:
        with tempfile.TemporaryDirectory() as workdir:
            env['ANSIBLE_LOCAL_TEMP'] = os.path.join(workdir, 'tmp')
            results['startup_seconds'] = round(baseline(env, workdir, args.repeats), 3)
            results['overhead'] = module_overhead(server, env, workdir, args.overhead_repeats)
            for size in args.sizes:
                for approach in ('module', 'uri'):
                    results['scenarios'].extend(scenarios(server, env, workdir, size, approach, args.repeats,
                                                          results['startup_seconds']))
            if args.network:
                results['network'] = network(server, env, workdir, args.network, args.handshake_latency,
                                             args.repeats)
            if args.apps:
                server.state.latency = args.latency if args.apps_latency is None else args.apps_latency
                results['apps_latency'] = server.state.latency
                for forks in (1, 10):
                    results['many_apps'].append(many_apps(server, env, workdir, args.apps, forks))
    finally:
        server.stop()
    return write_results(results, table(results), args.output)


def write_results(results, text, output):
    """The table printed and kept in the results, written as JSON."""
    results['table'] = text
    with open(output, 'w') as handle:
        json.dump(results, handle, indent=2)
    print(text)
    print('\nwritten to %s' % output)
    return results


if __name__ == '__main__':
    main()
