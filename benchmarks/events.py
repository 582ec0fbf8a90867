# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: the event-driven sync against the scheduled job, in one run.

    .venv/bin/python benchmarks/events.py [--interval 10] [--samples 7] [--mappings 200] [--output FILE]

Starts the stand-in API, a real MariaDB (Debian's mariadb-server) with an Ultimate Multisite network of
--mappings mappings, and the real ansible-rulebook (Java 17) running the rulebook sync_on_change. Measures:

- the latency from a mapping's INSERT to the name on the app, --samples times (median and worst), with the
  watcher's --interval; each INSERT waits for the previous run to end, then a further share of the interval, so
  the samples' moments spread evenly over the watcher's cycle;
- the syncs (playbook runs) a burst of 10 inserts causes;
- the database load of one poll: statements and SELECTs the server counted over quiet polls (no change), per poll;
- one sync's own time (the scheduled job's playbook, run by hand), from which the scheduled job at a 15-minute
  schedule follows: a mapping waits 7.5 minutes on average for the next run (uniform), 15 at worst, plus the sync.

Writes benchmarks/results-events.json. Timings are this machine's; the counts are what to compare.
"""

import argparse
import asyncio
import json
import logging
import os
import runpy
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(REPO, '.ansible', 'collections')
sys.path[:0] = [COLLECTIONS, os.path.join(REPO, 'tests')]

import eda_world  # noqa: E402
import mariadb_server  # noqa: E402
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, StandInServer  # noqa: E402

SOURCE = os.path.join(COLLECTIONS, 'ansible_collections', 'multisite', 'serverpilot', 'extensions', 'eda', 'plugins',
                      'event_source', 'mapping_changes.py')
SCHEDULE = 15 * 60


def status(db, name):
    return int(db.sql("SHOW GLOBAL STATUS LIKE '%s'" % name).split()[1])


def poll_load(db, database, polls=20):
    """Statements and SELECTs per quiet poll, with the source's own main() in-process."""
    main = runpy.run_path(SOURCE)['main']
    reads = []

    class Count(logging.Handler):
        def emit(self, record):
            if 'no change' in record.getMessage():
                reads.append(1)

    logger = logging.getLogger('multisite.serverpilot.mapping_changes')
    logger.addHandler(Count())
    logger.setLevel(logging.DEBUG)

    async def watch():
        queue = asyncio.Queue()
        task = asyncio.ensure_future(main(queue, dict(database_options=database, interval=0.2)))
        await asyncio.wait_for(queue.get(), 60)  # the initial read
        while reads:  # count from a quiet poll's end
            reads.pop()
        while not reads:
            await asyncio.sleep(0.01)
        del reads[:]
        questions, selects = status(db, 'Questions'), status(db, 'Com_select')
        while len(reads) < polls:
            await asyncio.sleep(0.01)
        counts = status(db, 'Questions') - questions, status(db, 'Com_select') - selects
        task.cancel()
        return counts

    # the second SHOW STATUS is a statement of its own (the first was counted before it ran): taken off; a
    # read begun but not finished when the count was taken can add a few, so the figure errs high
    questions, selects = asyncio.run(watch())
    return round((questions - 1) / polls, 1), round(selects / polls, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--interval', type=float, default=10)
    parser.add_argument('--samples', type=int, default=7)
    parser.add_argument('--mappings', type=int, default=200)  # the app's cap is 300 names
    parser.add_argument('--output', default=os.path.join(REPO, 'benchmarks', 'results-events.json'))
    options = parser.parse_args()
    if not (mariadb_server.available() and eda_world.available()):
        sys.exit('needs mariadb-server and Java 17 (apt-get install mariadb-server openjdk-17-jre-headless)')
    work = tempfile.mkdtemp(prefix='bench-events-')
    db = mariadb_server.MariaDB(os.path.join(work, 'db')).start()
    standin = StandInServer().start()
    rulebook = None
    try:
        db.create_network('bench', prefix='wp_', rows=[{'blog_id': b, 'domain': 'customer%d.example.com' % b}
                                                       for b in range(2, options.mappings + 2)])
        db.create_user('bench', 'bench-pw', 'bench')
        database = dict(login_host='127.0.0.1', login_port=db.port, login_user='bench', login_password='bench-pw',
                        database='bench', table_prefix='wp_', config_file='/nonexistent/my.cnf')
        statements, selects = poll_load(db, database)

        app = standin.state.add_app(domains=['network.example'])
        network = {'serverpilot_app_id': app, 'serverpilot_domains': ['network.example'], 'serverpilot_www': 'never',
                   'serverpilot_database': database, 'serverpilot_autossl': False, 'serverpilot_verify_ssl': False,
                   'serverpilot_max_removals': 10}
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, SERVERPILOT_API_URL=standin.url,
                   SERVERPILOT_CLIENT_ID=DEFAULT_CLIENT_ID, SERVERPILOT_API_KEY=DEFAULT_API_KEY,
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING='false')

        # one sync by hand: what the scheduled job's run costs once it starts
        started = time.monotonic()
        done = subprocess.run([os.path.join(eda_world.BIN, 'ansible-playbook'), '-i', 'localhost,', '-c', 'local',
                               os.path.join(REPO, 'playbooks', 'sync_network.yml'), '-e',
                               json.dumps({'serverpilot_network': network})], env=env, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            sys.exit('the sync failed:\n' + done.stdout[-3000:] + done.stderr[-2000:])
        sync_time = time.monotonic() - started

        rulebook = eda_world.Rulebook(os.path.join(work, 'rulebook'), env,
                                      {'serverpilot_watch_interval': options.interval,
                                       'serverpilot_network': network}).start()

        def idle():
            return rulebook.idle() and rulebook.runs() > 0

        eda_world.wait_for(idle, bound=600, what='the initial sync')
        latencies = []
        for n in range(options.samples):
            name = 'sample%d.example.org' % n
            db.insert('bench', 'wp_', [{'blog_id': 5000 + n, 'domain': name}])
            started = time.monotonic()
            eda_world.wait_for(lambda: name in standin.state.app(app)['domains'], bound=600, what=name)
            latencies.append(time.monotonic() - started)
            eda_world.wait_for(idle, bound=600, what='the run to end')
            # the next INSERT lands at another point of the watcher's interval: the phases spread evenly over it,
            # so the median is that of a mapping made at any moment, not at one lucky point of the cycle
            time.sleep(options.interval * ((n + 1) % options.samples) / options.samples)

        before = rulebook.runs()
        burst = ['burst%d.example.net' % n for n in range(10)]
        db.insert('bench', 'wp_', [{'blog_id': 6000 + n, 'domain': name} for n, name in enumerate(burst)])
        eda_world.wait_for(lambda: set(burst) <= set(standin.state.app(app)['domains']), bound=600, what='the burst')
        db.insert('bench', 'wp_', [{'blog_id': 7000, 'domain': 'after-burst.example.net'}])
        eda_world.wait_for(lambda: 'after-burst.example.net' in standin.state.app(app)['domains'] and idle(),
                           bound=600, what='the change after the burst')
        burst_runs = rulebook.runs() - before - 1
    finally:
        if rulebook is not None:
            rulebook.stop()
        standin.stop()
        db.stop()

    result = {
        'interval': options.interval, 'mappings': options.mappings, 'samples': options.samples,
        'event_driven': {'latency_median_s': round(statistics.median(latencies), 1),
                         'latency_worst_s': round(max(latencies), 1),
                         'latencies_s': [round(x, 1) for x in latencies],
                         'syncs_for_a_burst_of_10': burst_runs,
                         'statements_per_poll': statements, 'selects_per_poll': selects},
        'scheduled_every_15_min': {'latency_expected_s': round(SCHEDULE / 2 + sync_time, 1),
                                   'latency_worst_s': round(SCHEDULE + sync_time, 1),
                                   'syncs_for_a_burst_of_10': 1, 'database_reads_per_hour': 4},
        'one_sync_s': round(sync_time, 1),
        'bound_interval_plus_sync_s': round(options.interval + sync_time, 1),
    }
    with open(options.output, 'w') as handle:
        json.dump(result, handle, indent=2)
        handle.write('\n')
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
