# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One domain name's rules, shared by both wings: its canonical form or why it is refused, a list normalised."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils import domain_names as rules


@pytest.mark.parametrize('raw, expected', [
    ('example.com', 'example.com'),
    ('  Example.COM  ', 'example.com'),
    ('example.com.', 'example.com'),
    ('Bücher.example', 'xn--bcher-kva.example'),
    ('xn--bcher-kva.example', 'xn--bcher-kva.example'),
    ('ＥＸＡＭＰＬＥ.com', 'example.com'),  # full-width letters map through UTS #46
    ('*.Example.com', '*.example.com'),
    ('a-b.c-d.example', 'a-b.c-d.example'),
    ('1example.com', '1example.com'),
    ('x' * 63 + '.com', 'x' * 63 + '.com'),
    ('.'.join(['a' * 61] * 4), '.'.join(['a' * 61] * 4)),  # 247 characters
])
def test_normalise_name_accepts(raw, expected):
    assert rules.normalise_name(raw) == expected


@pytest.mark.parametrize('raw, reason', [
    ('', 'is empty'),
    ('   ', 'is empty'),
    ('.', 'is empty'),
    ('localhost', 'at least two labels'),
    ('example..com', 'empty label'),
    ('.example.com', 'empty label'),
    ('-example.com', 'inner hyphens'),
    ('example-.com', 'inner hyphens'),
    ('exa mple.com', 'inner hyphens'),
    ('exa_mple.com', 'inner hyphens'),
    ('x' * 64 + '.com', 'label of 64 characters'),
    ('.'.join(['a' * 63] * 4), 'characters long'),  # 255 characters
    ('ab--cd.com', "'--' in the third and fourth"),
    ('xn--zz.com', 'not valid punycode'),
    ('example.123', 'IP address'),
    ('www.*.example.com', "'*' that is not the whole leftmost label"),
    ('*example.com', 'inner hyphens'),
    ('*.com', 'at least two labels'),
    ('https://example.com', 'inner hyphens'),
    (42, 'is not a string'),
    (None, 'is not a string'),
])
def test_normalise_name_refuses(raw, reason):
    with pytest.raises(ValueError, match=reason.replace('*', r'\*').replace('(', r'\(')):
        rules.normalise_name(raw)


def test_normalise_dedupes_keeping_first_order():
    assert rules.normalise(['b.example', 'A.example', 'B.EXAMPLE.', 'a.example']) == ['b.example', 'a.example']


def test_normalise_names_every_bad_entry_at_once():
    with pytest.raises(rules.DomainError) as info:
        rules.normalise(['good.example', 'bad_one.example', '', 'also bad.example'])
    message = str(info.value)
    for bad in ("'bad_one.example'", "''", "'also bad.example'"):
        assert bad in message
    assert 'good.example' not in message
    assert 'nothing was changed' in message


def test_normalise_refuses_a_string_instead_of_a_list():
    with pytest.raises(rules.DomainError, match='must be a list'):
        rules.normalise('example.com')


@pytest.mark.parametrize('raw, expected', [
    ('203.0.113.44', '203.0.113.44'), (' 203.0.113.44 ', '203.0.113.44'),
    ('2001:DB8:0:0:0:0:0:1', '2001:db8::1'), ('[2001:db8::1]', '2001:db8::1'),
])
def test_ip_entries_are_valid_and_canonical(raw, expected):
    assert rules.normalise_name(raw) == expected
