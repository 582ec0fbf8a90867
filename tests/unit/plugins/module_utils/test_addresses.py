# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Addresses: an IP entry's one spelling, host:port as WordPress and resolvers write it."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils import addresses


@pytest.mark.parametrize('value, expected', [
    ('db.example.net', ('db.example.net', None)), ('db:3307', ('db', '3307')),
    ('localhost:/run/m.sock', ('localhost', '/run/m.sock')),
    ('[::1]:3306', ('::1', '3306')), ('[::1]', ('::1', None)), ('::1', ('::1', None)), (None, ('', None)),
])
def test_split_host_is_the_one_host_port_rule(value, expected):
    assert addresses.split_host(value) == expected


@pytest.mark.parametrize('text, entry', [
    ('203.0.113.7', '203.0.113.7'), (' 2001:DB8::0:1 ', '2001:db8::1'), ('[2001:db8::1]', '2001:db8::1'),
    ('shop.example', None), ('203.0.113.300', None),
])
def test_an_ip_entry_has_one_spelling(text, entry):
    assert addresses.ip_entry(text) == entry and addresses.is_ip(text) is (entry is not None)
