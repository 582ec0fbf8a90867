# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark: what reading a network's mappings costs per source, and what source=auto adds over a named
source, against a real MariaDB (Debian's mariadb-server, started here in a temporary directory).

    .venv/bin/python benchmarks/sources.py [--mappings 300] [--repeats 5] [--output FILE]

For each source, a network of --mappings mappings (and as many sites) made by that plugin's own DDL
(tests/mariadb_server.py) is read in-process through the reader's own code, named and with auto; the table
gives the queries sent (counted by the session) and the median wall time. Writes benchmarks/results-sources.json.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(REPO, '.ansible', 'collections')
sys.path[:0] = [COLLECTIONS, os.path.join(REPO, 'tests')]

import mariadb_server  # noqa: E402
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import reader, database  # noqa: E402
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import Request  # noqa: E402

SOURCES = ['ultimate_multisite', 'wordpress', 'mercator', 'wpmu_domain_mapping', 'wpmudev_domain_mapping',
           'dark_matter']
ROW = {'mercator': {'active': 1}, 'wpmu_domain_mapping': {'active': 1},
       'wpmudev_domain_mapping': {'active': 1, 'is_primary': 1, 'scheme': 1},
       'dark_matter': {'active': 1, 'is_primary': 1, 'is_https': 1, 'type': 1}}


def build(db, name, source, size):
    """A network of ``size`` sites, each with one mapping in ``source``'s own table (for WordPress's own
    mapping, each site on its own domain)."""
    blogs = range(2, size + 2)
    db.create_wordpress(name)
    site_domain = 'customer%d.example' if source == 'wordpress' else 'site%d.network.example'
    db.add_sites(name, 'wp_', [{'blog_id': b, 'domain': site_domain % b} for b in blogs])
    mappings = [dict(ROW.get(source, {}), blog_id=b, domain='customer%d.example' % b) for b in blogs]
    if source == 'ultimate_multisite':
        db.sql(mariadb_server.DDL.format(table='wp_wu_domain_mappings'), name)
        db.insert(name, 'wp_', mappings)
    elif source != 'wordpress':
        db.add_plugin(name, 'wp_', source, mappings)


def measure(settings, source, repeats):
    times, sessions = [], []

    def work(session):
        sessions.append(session)  # the session counts the queries sent through it
        return reader.read_network(session, Request('wp_', source=source))

    for dummy in range(repeats):
        start = time.perf_counter()
        result = database.in_snapshot(settings, work)
        times.append(time.perf_counter() - start)
    return result, sessions[-1].queries, statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--mappings', type=int, default=300)
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--output', default=os.path.join(REPO, 'benchmarks', 'results-sources.json'))
    options = parser.parse_args()
    if not mariadb_server.available():
        sys.exit('mariadb-server is not installed (apt-get install mariadb-server)')
    rows = []
    with tempfile.TemporaryDirectory() as base:
        db = mariadb_server.MariaDB(base).start()
        try:
            for source in SOURCES:
                name = 'bench_%s' % source
                build(db, name, source, options.mappings)
                db.create_user('bench', 'bench-pw', name)
                settings = {'host': None, 'port': None, 'unix_socket': db.socket, 'user': 'bench',
                            'password': 'bench-pw', 'database': name, 'table_prefix': 'wp_'}
                for how in (source, 'auto'):
                    if how == 'auto' and source in ('mercator', 'wpmu_domain_mapping'):
                        continue  # auto refuses their shared shape by design
                    result, queries, seconds = measure(settings, how, options.repeats)
                    assert result['source'] == source and len(result['domains']) == options.mappings, result['source']
                    rows.append({'source': source, 'read_as': 'auto' if how == 'auto' else 'named',
                                 'mappings': options.mappings, 'queries': queries, 'median_ms': round(seconds * 1000, 1)})
        finally:
            db.stop()
    print('%-24s %-6s %8s %8s %10s' % ('source', 'read', 'mappings', 'queries', 'median ms'))
    for row in rows:
        print('%-24s %-6s %8d %8d %10.1f' % (row['source'], row['read_as'], row['mappings'], row['queries'],
                                             row['median_ms']))
    with open(options.output, 'w') as handle:
        json.dump(rows, handle, indent=1)


if __name__ == '__main__':
    main()
