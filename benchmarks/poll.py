# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: what one poll of the event source costs as the network grows - 1,000, 10,000 and 50,000 sites -
against a real MariaDB (Debian's mariadb-server, started here in a temporary directory).

    .venv/bin/python benchmarks/poll.py [--sizes 1000,10000,50000] [--repeats 3] [--output FILE]

Each network is an Ultimate Multisite network with one mapping per site, every site also read for its own
address (the watcher's custom_site_domains), source auto (its signs read too). A poll is the source's own read
(mapping_watch.options, then the reader in one snapshot); the table gives the queries it sends (counted by the
session), the rows it reads, and the median CPU time of this process (the reader's work: the database's own
is on the server) and wall time. Beside it, in the same run, the reader as it was before it became linear
(its row shaping taken from the commit before, 057f26e, where git has it): the quadratic duplicate checks.
Writes benchmarks/results-poll.json.
"""

import argparse
import ast
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(REPO, '.ansible', 'collections')
sys.path[:0] = [COLLECTIONS, os.path.join(REPO, 'tests')]

import mariadb_server  # noqa: E402
from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import domains  # noqa: E402
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import (  # noqa: E402
    database, mapping_watch, reader)

BEFORE = '057f26e'  # the last commit whose reader deduplicated with lists


def build(db, name, size):
    """An Ultimate Multisite network of ``size`` sites, each with one mapping, in bulk INSERTs."""
    db.create_network(name)
    db.sql("INSERT INTO wp_sitemeta (site_id, meta_key, meta_value) VALUES (1, 'active_sitewide_plugins', '%s')"
           % mariadb_server.php_serialize({'ultimate-multisite/ultimate-multisite.php': 1}), name)
    for start in range(2, size + 2, 5000):
        blogs = range(start, min(start + 5000, size + 2))
        db.sql('INSERT INTO wp_blogs (blog_id, site_id, domain, path, registered) VALUES %s'
               % ', '.join("(%d, 1, 'site%d.network.example', '/', NOW())" % (b, b) for b in blogs), name)
        db.sql("INSERT INTO wp_wu_domain_mappings (blog_id, domain, active, stage) VALUES %s"
               % ', '.join("(%d, 'customer%d.example', 1, 'done')" % (b, b) for b in blogs), name)


def old_reader():
    """mapping_sources as it was at BEFORE, for its to_domains alone; None where git does not have it."""
    try:
        text = subprocess.run(['git', '-C', REPO, 'show', '%s:plugins/module_utils/mapping_sources.py' % BEFORE],
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    # its row shaping alone, beside today's name rules: the module's imports name files that have moved since
    tree = ast.parse(text)
    wanted = [node for node in tree.body if isinstance(node, ast.FunctionDef)
              and node.name in ('to_domains', 'subdomain_base')]
    module = types.ModuleType('mapping_sources_before')
    module.domains = domains
    exec(compile(ast.Module(body=wanted, type_ignores=[]), 'mapping_sources@%s' % BEFORE, 'exec'),  # noqa: S102
         module.__dict__)  # our own code, as it was
    return module


def poll(params, shaping):
    """One poll: (result, queries, rows, cpu seconds, wall seconds), the rows shaped by ``shaping``."""
    seen = {}

    def work(session, connection):
        seen['session'] = session
        return reader.read_network(session, reader.Request(
            connection['table_prefix'], params['network_id'], params['active_only'], params['blog_ids'],
            params['stages'], False, connection['config_signs'], source=params['source']))

    original = reader.to_domains
    reader.to_domains = shaping
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        result = database.in_snapshot_for(params, work)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        reader.to_domains = original
    rows = len(result['mappings']) + len(result['subdomain_sites']) + len(result['domains'])
    return result, seen['session'].queries, rows, cpu, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--sizes', default='1000,10000,50000')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--output', default=os.path.join(REPO, 'benchmarks', 'results-poll.json'))
    options = parser.parse_args()
    if not mariadb_server.available():
        sys.exit('mariadb-server is not installed (apt-get install mariadb-server)')
    before = old_reader()
    readers = [('now', reader.to_domains)] + ([('before', before.to_domains)] if before else [])
    rows = []
    with tempfile.TemporaryDirectory() as base:
        db = mariadb_server.MariaDB(base).start()
        try:
            for size in [int(s) for s in options.sizes.split(',')]:
                name = 'poll%d' % size
                build(db, name, size)
                db.create_user('poller', 'poll-pw', name)
                params = mapping_watch.options({'login_unix_socket': db.socket, 'login_user': 'poller',
                                                'login_password': 'poll-pw', 'database': name,
                                                'config_file': '/nonexistent/my.cnf'})
                for label, shaping in readers:
                    samples = [poll(params, shaping) for dummy in range(options.repeats)]
                    result, queries = samples[0][0], samples[0][1]
                    assert len(result['domains']) == size and result['source'] == 'ultimate_multisite'
                    rows.append({'reader': label, 'sites': size, 'queries': queries, 'rows': samples[0][2],
                                 'cpu_ms': round(statistics.median(s[3] for s in samples) * 1000, 1),
                                 'wall_ms': round(statistics.median(s[4] for s in samples) * 1000, 1)})
                    print('%-7s %6d sites: %d queries, %6.0f ms CPU, %6.0f ms wall'
                          % (label, size, queries, rows[-1]['cpu_ms'], rows[-1]['wall_ms']), flush=True)
        finally:
            db.stop()
    for row in rows:
        row['cpu_us_per_site'] = round(row['cpu_ms'] * 1000 / row['sites'], 1)
    with open(options.output, 'w') as handle:
        json.dump({'command': '.venv/bin/python benchmarks/poll.py --sizes %s --repeats %d'
                              % (options.sizes, options.repeats), 'rows': rows}, handle, indent=1)


if __name__ == '__main__':
    main()
