# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source mapping_changes as the ecosystem tests its own: its main(queue, args) under asyncio, here against
the real MariaDB (so in integration, not unit): the initial event, an INSERT, a DELETE, a stopped database that gives
no event and a recovery that is compared with the last good read."""

import asyncio
import logging
import os
import runpy

import pytest

from conftest import COLLECTIONS

pytestmark = pytest.mark.integration

SOURCE = os.path.join(COLLECTIONS, 'ansible_collections', 'multisite', 'serverpilot', 'extensions', 'eda', 'plugins',
                      'event_source', 'mapping_changes.py')
PASSWORD = 'watcher-pw-41'
BOUND = 120  # seconds a test waits for a condition at most; a slow machine makes it slower, never red


@pytest.fixture(scope='module')
def source_main():
    return runpy.run_path(SOURCE)['main']  # as ansible-rulebook loads it: by path


class Log(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    def count(self, words):
        return sum(words in line for line in self.lines)


@pytest.fixture
def log():
    handler = Log()
    logger = logging.getLogger('multisite.serverpilot.mapping_changes')
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)


def network(server, database):
    server.create_network(database, prefix='wpw_', rows=[{'blog_id': 2, 'domain': 'shop.example.com'}])
    server.create_user('watcher', PASSWORD, database)
    return dict(login_host='127.0.0.1', login_port=server.port, login_user='watcher', login_password=PASSWORD,
                database=database, table_prefix='wpw_', config_file='/nonexistent/my.cnf')


class Watch:
    """main(queue, args) running in a task of this test's own event loop."""

    def __init__(self, main, args):
        self.queue = asyncio.Queue()
        self.task = asyncio.ensure_future(main(self.queue, args))

    async def next(self):
        return (await asyncio.wait_for(self.queue.get(), BOUND))['mapping_change']

    async def until(self, condition):
        for dummy in range(BOUND * 20):
            if self.task.done():
                self.task.result()  # the watcher must never end by itself: show why it did
            if condition():
                return
            await asyncio.sleep(0.05)
        raise AssertionError('condition not met within %d s' % BOUND)

    async def stop(self):
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task


def test_initial_event_then_an_insert_and_a_delete(mariadb, source_main, log):
    args = dict(database_options=network(mariadb, 'watch1'), interval=0.2)

    async def scenario():
        watch = Watch(source_main, args)
        first = await watch.next()
        assert first == dict(initial=True, domains=['shop.example.com'], added=[], removed=[],
                             source='ultimate_multisite', network_domain='network.example')
        mariadb.insert('watch1', 'wpw_', [{'blog_id': 3, 'domain': 'new.example.org'}])
        added = await watch.next()
        assert added['initial'] is False and added['added'] == ['new.example.org'] and added['removed'] == []
        assert added['domains'] == ['new.example.org', 'shop.example.com']
        mariadb.sql("DELETE FROM wpw_wu_domain_mappings WHERE domain = 'shop.example.com'", 'watch1')
        removed = await watch.next()
        assert removed['removed'] == ['shop.example.com'] and removed['domains'] == ['new.example.org']
        # nothing changes: reads go on, no event comes
        quiet = log.count('no change')
        await watch.until(lambda: log.count('no change') >= quiet + 3)
        assert watch.queue.empty()
        await watch.stop()

    asyncio.run(scenario())
    assert not any(PASSWORD in line for line in log.lines)


def test_a_stopped_database_gives_no_event_and_recovery_compares_with_the_last_good_read(
        tmp_path, source_main, log):
    import mariadb_server
    own = mariadb_server.MariaDB(str(tmp_path / 'db')).start()  # stopped by this test: no other test may share it
    try:
        args = dict(network(own, 'watch2'), interval=0.2, max_backoff=0.8)

        async def scenario():
            watch = Watch(source_main, args)
            assert (await watch.next())['domains'] == ['shop.example.com']
            own.stop()
            await watch.until(lambda: log.count('failed in a row, no event') >= 3)
            assert watch.queue.empty()  # never an empty list, never any event for a failed read
            own.resume()
            await watch.until(lambda: log.count('reads again after') >= 1)
            assert watch.queue.empty()  # back with the same set: nothing to tell
            own.insert('watch2', 'wpw_', [{'blog_id': 4, 'domain': 'after.example.net'}])
            after = await watch.next()
            assert after['initial'] is False and after['added'] == ['after.example.net'] and after['removed'] == []
            await watch.stop()

        asyncio.run(scenario())
    finally:
        own.stop()
    failures = [line for line in log.lines if 'failed in a row' in line]
    assert all('source (source_error ' in line for line in failures), failures[:3]
    assert not any(PASSWORD in line for line in log.lines)


@pytest.mark.in_process
def test_bad_arguments_fail_the_source_at_start(source_main):
    from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError
    with pytest.raises(CollectionError, match='interval'):
        asyncio.run(source_main(asyncio.Queue(), {'wp_config': '/x', 'interval': -1}))
