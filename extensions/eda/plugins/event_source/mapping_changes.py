# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event source: an event whenever the set of domains a WordPress network serves changes."""

import asyncio
import logging
import os
import sys
import time

DOCUMENTATION = r"""
---
short_description: An event whenever the domains a WordPress network serves change in its database
description:
  - Reads the network's served domains every O(interval) seconds with the reader of
    C(multisite.serverpilot.multisite_domains_info) (the same queries, in one read-only consistent snapshot) and
    puts an event on the queue once at start and whenever the set changes, whoever changed it - the customer's
    form, an admin, the REST API, WP-CLI, SQL, a restore.
  - The event is C({"mapping_change": {"initial", "domains", "added", "removed", "source", "network_domain"}}) -
    C(domains) the whole served set (the mapped domains and the sites' own custom domains, sorted), C(added) and
    C(removed) against the last good read (empty in the C(initial) event, the first good read).
  - A read that fails or is incomplete puts B(no) event, never an empty list - it is logged (what failed and what to
    check, never a password) and retried with a doubling, jittered delay up to O(max_backoff); after recovery the
    read is compared with the last good one, so a change made meanwhile is one event and nothing else is.
  - An event is a trigger, not a plan - each reaction should be a whole reconcile that reads the database again
    (the rulebook C(multisite.serverpilot.sync_on_change) runs the playbook C(multisite.serverpilot.sync_network)).
  - A read is five queries whatever the network's size (the tables' columns, the network's signs of a plugin, the
    network's domain, the mappings, the sites' own domains) in one snapshot; its CPU grows in step with the sites
    (about 0.6 s at 50,000 sites, C(benchmarks/poll.py)).
  - A read that could be of another truth than WordPress serves (C(source=auto) during a restore that has not reached
    the plugin's table, a C(wp_config) setting PHP may read otherwise) fails like any other - no event.
  - Runnable on its own for a look at the events - C(python mapping_changes.py '{"wp_config": "..."}') prints them.
options:
  interval:
    description: Seconds between two reads.
    type: float
    default: 10
  max_backoff:
    description: The longest wait, in seconds, between reads that fail; at least O(interval).
    type: float
    default: 60
  database_options:
    description:
      - The options below as one dict - the C(serverpilot_database) variable of the role
        C(multisite.serverpilot.domain_mapping), whole, checked as the role checks it (an unknown key fails at start,
        naming the closest known one; its C(host) key is dropped - the source reads where ansible-rulebook runs), so
        the watcher reads the very network, prefix and source its sync reads. An option given on its own wins over
        the same key here.
    type: dict
  wp_config:
    description: The network's C(wp-config.php), read for C(DB_NAME), C(DB_USER), C(DB_PASSWORD), C(DB_HOST), C($table_prefix).
    type: str
  login_host:
    description: The database host.
    type: str
  login_port:
    description: The database port.
    type: int
  login_unix_socket:
    description: The server's Unix socket.
    type: str
  login_user:
    description: The database user (C(SELECT) is all it needs).
    type: str
  login_password:
    description: The database user's password; never logged.
    type: str
  config_file:
    description: A MySQL option file.
    type: str
    default: ~/.my.cnf
  database:
    description: The database's name.
    type: str
  table_prefix:
    description: WordPress's table prefix.
    type: str
  ca_cert:
    description: A CA bundle for a TLS connection to the database.
    type: str
  check_hostname:
    description: Check the database server's certificate name.
    type: bool
    default: true
  connect_timeout:
    description: Seconds to connect.
    type: int
    default: 10
  query_timeout:
    description: Seconds for each query.
    type: int
    default: 30
  source:
    description:
      - The mapping plugin - C(auto), C(ultimate_multisite), C(wordpress), C(mercator), C(wpmu_domain_mapping),
        C(wpmudev_domain_mapping) or C(dark_matter).
    type: str
    default: auto
  network_id:
    description: A multi-network install's network (default the main one).
    type: int
  active_only:
    description: Only active mappings and sites that are served.
    type: bool
    default: true
  stages:
    description: Ultimate Multisite's mapping stages that count as mapped.
    type: list
    elements: str
  blog_ids:
    description: Only these sites.
    type: list
    elements: int
notes:
  - The options mean what they mean for C(multisite.serverpilot.multisite_domains_info); see its documentation.
"""

EXAMPLES = r"""
- name: Watch the network's database
  hosts: all
  sources:
    - multisite.serverpilot.mapping_changes:
        wp_config: /srv/users/serverpilot/apps/network/public/wp-config.php
        interval: 10
  rules:
    - name: A mapping changed
      condition: event.mapping_change is defined
      action:
        debug:
          msg: "added {{ event.mapping_change.added }}, removed {{ event.mapping_change.removed }}"
"""

# by name: ansible-rulebook runs this file by path, where __name__ says nothing
logger = logging.getLogger('multisite.serverpilot.mapping_changes')


def _collection_on_path():
    """Make the collection's own code importable: ansible-rulebook runs this file by path, outside any package."""
    here = os.path.abspath(__file__)  # not realpath: the collection may be a link under ansible_collections/
    # .../<root>/ansible_collections/multisite/serverpilot/extensions/eda/plugins/event_source/mapping_changes.py
    root = here.rsplit(os.sep, 8)[0]
    if not os.path.isdir(os.path.join(root, 'ansible_collections', 'multisite', 'serverpilot', 'plugins')):
        raise ImportError('mapping_changes must run from an installed collection (ansible_collections/multisite/'
                          'serverpilot/extensions/eda/plugins/event_source/), not from %s' % here)
    if root not in sys.path:
        sys.path.insert(0, root)


_collection_on_path()

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import reader, mapping_watch  # noqa: E402


async def main(queue, args):
    """Read every interval; put an event at start and on every change; never one for a failed read."""
    params = mapping_watch.options(args)
    previous, failures, reported = None, 0, set()
    while True:
        started = time.monotonic()
        try:
            # the reader is blocking (PyMySQL): a thread of its own keeps the event loop free
            result, warnings = await asyncio.get_running_loop().run_in_executor(
                None, reader.read, params)
        except Exception as exc:  # every failure of one read: logged, retried; the watcher itself goes on
            failures += 1
            delay = mapping_watch.backoff(failures, params['interval'], params['max_backoff'])
            logger.error('mapping_changes: read %d failed in a row, no event (%s); next read in %.0f s',
                         failures, mapping_watch.describe(exc), delay)
        else:
            if failures:
                logger.info('mapping_changes: the database reads again after %d failed reads', failures)
            failures = 0
            for warning in warnings:
                if warning not in reported:  # a bad row is told once, not every interval
                    reported.add(warning)
                    logger.warning('mapping_changes: %s', warning)
            event = mapping_watch.change(previous, result)
            if event is None:
                logger.debug('mapping_changes: %d names served, no change', len(previous))
            else:
                previous = event[mapping_watch.EVENT]['domains']
                await queue.put(event)
            delay = params['interval']
        # the interval runs from the start of a read, so a slow read does not stretch it
        await asyncio.sleep(max(0.0, delay - (time.monotonic() - started)) if not failures else delay)


if __name__ == '__main__':
    import json

    class MockQueue(asyncio.Queue):
        """Prints each event instead of handing it to ansible-rulebook."""

        async def put(self, item):
            print(json.dumps(item))

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(MockQueue(), json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}))
