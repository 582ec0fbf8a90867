# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source's loop in milliseconds: its reads scripted, its sleeps recorded instead of slept - the delays
after failed reads grow (a struggling database is not hit every interval by every watcher, in step), and a read
that succeeds starts the count again (the next outage starts at the interval, not at max_backoff)."""

import asyncio
import importlib.util
import os

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import SourceError
from conftest import REPO

SOURCE = os.path.join(REPO, '.ansible', 'collections', 'ansible_collections', 'multisite', 'serverpilot', 'extensions',
                      'eda', 'plugins', 'event_source', 'mapping_changes.py')


class Stop(Exception):
    pass


def load():
    spec = importlib.util.spec_from_file_location('mapping_changes_under_test', SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_failed_reads_back_off_and_a_good_read_resets_the_count(monkeypatch):
    source = load()
    good = ({'domains': ['a.example'], 'subdomain_sites': [], 'custom_site_domains': [], 'source': 'wordpress',
             'network_domain': 'net.example'}, [])
    script = ['fail', 'fail', 'fail', 'fail', good, 'fail', 'fail']
    sleeps = []

    def read(params):
        step = script.pop(0)
        if step == 'fail':
            raise SourceError('connect', "Cannot connect to the database: it is away.")
        return step

    async def sleep(delay):
        sleeps.append(delay)
        if not script:
            raise Stop()
    monkeypatch.setattr(source.reader, 'read', read)
    monkeypatch.setattr(source.asyncio, 'sleep', sleep)
    backoff = source.mapping_watch.backoff
    # the jitter at its top, so the delays are exact
    monkeypatch.setattr(source.mapping_watch, 'backoff', lambda failures, interval, cap: backoff(
        failures, interval, cap, rand=lambda: 1.0))
    queue = asyncio.Queue()
    args = {'database_options': {'login_host': '127.0.0.1', 'database': 'wp', 'config_file': '/nonexistent'},
            'interval': 2, 'max_backoff': 10}
    with pytest.raises(Stop):
        asyncio.run(source.main(queue, args))
    # four failures: 2, 4, 8, then the cap; the good read: the interval (less the read's own time); the next
    # outage starts again at the interval
    assert sleeps[:4] == [2, 4, 8, 10]
    assert 1.5 < sleeps[4] <= 2
    assert sleeps[5:] == [2, 4]
    assert queue.qsize() == 1  # the good read's initial event; no event for any failed read
