# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The health check's probes, hermetic: nameserver parsing, the resolver they make, parallel runs in order."""

import threading

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import probes
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError


@pytest.mark.parametrize('value, expected', [
    ('1.1.1.1', ('1.1.1.1', 53)), ('127.0.0.1:5353', ('127.0.0.1', 5353)), ('[::1]:5353', ('::1', 5353)),
    ('[::1]', ('::1', 53)), ('2001:db8::1', ('2001:db8::1', 53)),
])
def test_parse_nameserver(value, expected):
    assert probes.parse_nameserver(value) == expected


@pytest.mark.parametrize('value', ['dns.example.com', '1.1.1.1:dns', '[::1]:x'])
def test_a_nameserver_that_is_no_address_is_refused(value):
    with pytest.raises(CollectionError) as info:
        probes.parse_nameserver(value)
    assert 'is not an IP address with an optional port' in info.value.msg


def test_a_resolver_asks_only_the_given_servers_on_their_one_port():
    made = probes.resolver(['127.0.0.1:5353', '127.0.0.2:5353'], timeout=2)
    assert made.nameservers == ['127.0.0.1', '127.0.0.2'] and made.port == 5353 and made.lifetime == 2
    with pytest.raises(CollectionError) as info:
        probes.resolver(['127.0.0.1:53', '127.0.0.2:5353'])
    assert 'share one port' in info.value.msg


def test_in_parallel_keeps_the_order_and_the_bound():
    running, peak, lock = [0], [0], threading.Lock()
    release = threading.Event()

    def work(item):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            if running[0] == 3:
                release.set()
        release.wait(10)
        with lock:
            running[0] -= 1
        return item * 2

    assert probes.in_parallel(work, range(9), 3) == [i * 2 for i in range(9)]
    assert peak[0] == 3 and probes.in_parallel(work, [], 3) == []
