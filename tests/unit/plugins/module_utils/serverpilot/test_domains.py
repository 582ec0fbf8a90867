# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure rules of an app's domain list (www forms, plans, guards), called with plain values (one name's
rules: test_domain_names.py)."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import domains as rules


@pytest.mark.parametrize('name, apex', [
    ('example.com', True),
    ('example.co.uk', True),
    ('shop.example.co.uk', False),
    ('shop.example.com', False),
    ('co.uk', False),
    ('*.example.com', False),
    ('xn--bcher-kva.de', True),
    ('shop.xn--bcher-kva.de', False),
    ('example.xn--fiqs8s', True),  # an IDN top-level domain
])
def test_is_apex_uses_the_public_suffix_list(name, apex):
    assert rules.is_apex(name) is apex


@pytest.mark.parametrize('names, mode, expected', [
    (['example.com', 'shop.example.co.uk'], 'always',
     ['example.com', 'www.example.com', 'shop.example.co.uk', 'www.shop.example.co.uk']),
    (['example.co.uk', 'shop.example.co.uk'], 'apex', ['example.co.uk', 'www.example.co.uk', 'shop.example.co.uk']),
    (['example.com', 'shop.example.com'], 'never', ['example.com', 'shop.example.com']),
    (['www.example.com'], 'always', ['www.example.com']),
    (['*.example.com'], 'always', ['*.example.com']),
    (['example.com', 'www.example.com'], 'always', ['example.com', 'www.example.com']),
    (['www.example.com', 'example.com'], 'always', ['www.example.com', 'example.com']),
])
def test_expand_www(names, mode, expected):
    assert rules.expand_www(names, mode) == expected


def test_a_name_too_long_for_its_www_form_is_kept_without_it_and_said():
    name = '.'.join(['a' * 62] * 4)  # 251 characters: valid, but www. makes 255
    assert rules.normalise_name(name) == name
    too_long = []
    # that name's problem alone: the others keep theirs, and nobody's run fails
    assert rules.expand_www([name, 'b.example'], 'always', too_long=too_long) == [name, 'b.example', 'www.b.example']
    assert too_long == [name]
    assert 'kept without their www. form' in rules.too_long_warning(too_long)
    assert rules.too_long_warning([]) is None
    assert rules.expand_www([name], 'never') == [name]


def test_expand_www_refuses_an_unknown_mode():
    with pytest.raises(rules.DomainError, match='www must be one of'):
        rules.expand_www(['example.com'], 'sometimes')


def test_check_request_refuses_an_empty_exclusive_list():
    with pytest.raises(rules.DomainError, match='remove every domain'):
        rules.check_request([], 'present', True)
    rules.check_request([], 'present', False)
    rules.check_request([], 'absent', True)


def test_check_request_refuses_more_than_the_limit():
    wanted = ['d%d.example.com' % i for i in range(301)]
    with pytest.raises(rules.DomainError, match='301 domains requested'):
        rules.check_request(wanted, 'present', False)
    rules.check_request(wanted[:300], 'present', False)


@pytest.mark.parametrize('current, wanted, state, exclusive, after, added, removed', [
    # present adds only what is missing, keeps existing order, appends new names
    (['b.example', 'a.example'], ['a.example', 'c.example'], 'present', False,
     ['b.example', 'a.example', 'c.example'], ['c.example'], []),
    # order-insensitive: nothing to do
    (['b.example', 'a.example'], ['a.example', 'b.example'], 'present', False,
     ['b.example', 'a.example'], [], []),
    (['b.example', 'a.example'], ['a.example', 'b.example'], 'present', True,
     ['b.example', 'a.example'], [], []),
    # existing spelling is kept and compared by its canonical form
    (['Shop.Example.'], ['shop.example'], 'present', False, ['Shop.Example.'], [], []),
    # exclusive drops what is not wanted
    (['a.example', 'x.example', 'b.example'], ['b.example', 'c.example'], 'present', True,
     ['b.example', 'c.example'], ['c.example'], ['a.example', 'x.example']),
    # absent removes by canonical form
    (['a.example', 'WWW.A.example', 'b.example'], ['a.example', 'www.a.example'], 'absent', False,
     ['b.example'], [], ['a.example', 'WWW.A.example']),
    (['b.example'], ['a.example'], 'absent', False, ['b.example'], [], []),
    ([], ['a.example'], 'present', False, ['a.example'], ['a.example'], []),
    (None, ['a.example'], 'present', False, ['a.example'], ['a.example'], []),
])
def test_plan(current, wanted, state, exclusive, after, added, removed):
    plan = rules.plan(current, wanted, state, exclusive)
    assert plan.after == after
    assert plan.added == added
    assert plan.removed == removed
    assert plan.changed is (after != list(current or []))


def test_plan_exclusive_collapses_duplicates_on_the_app():
    plan = rules.plan(['a.example', 'A.example'], ['a.example'], 'present', True)
    assert plan.after == ['a.example']
    assert plan.changed
    # the dropped spelling is reported and counted, and the kept name is never planned for removal
    assert plan.removed == ['A.example'] and plan.drop == []
    assert rules.removal_count(plan.removed) == 1
    with pytest.raises(rules.DomainError) as info:
        rules.check_removals(plan.removed, 0, 'app1')
    assert info.value.kind == 'removals'


@pytest.mark.parametrize('removed, count', [
    (['a.example', 'www.a.example'], 1),                      # a name and its www. form are one removal
    (['a.example', 'www.a.example', 'b.example', 'www.b.example', 'c.example'], 3),
    (['www.only.example'], 1),
    (['a.example', 'A.example'], 2),                          # two spellings on the app: two entries go
    ([], 0),
])
def test_removal_count(removed, count):
    assert rules.removal_count(removed) == count


def test_a_cap_of_ten_is_five_customers_with_www():
    removed = [n for i in range(6) for n in ('c%d.example' % i, 'www.c%d.example' % i)]
    rules.check_removals(removed[:10], 5, 'app1')
    with pytest.raises(rules.DomainError, match='remove 6 domains'):
        rules.check_removals(removed, 5, 'app1')


def test_plan_refuses_an_unknown_state():
    with pytest.raises(rules.DomainError):
        rules.plan([], ['a.example'], 'gone', False)


def test_reconcile_keeps_another_writers_addition_and_redoes_ours():
    plan = rules.plan(['a.example', 'old.example'], ['a.example', 'new.example'], 'present', True)
    # another writer replaced the list after our write: our add is gone, their name is new
    current = ['a.example', 'old.example', 'theirs.example']
    assert rules.missing_and_stale(current, plan) == (['new.example'], ['old.example'])
    assert rules.reconcile(current, plan) == ['a.example', 'theirs.example', 'new.example']
    assert rules.missing_and_stale(rules.reconcile(current, plan), plan) == ([], [])


def test_difference_is_by_canonical_form():
    assert rules.difference(['A.example', 'b.example'], ['a.example', 'c.example']) == (['c.example'], ['b.example'])


def test_check_limit():
    rules.check_limit(['d%d.example' % i for i in range(300)])
    with pytest.raises(rules.DomainError, match='301 domains, over the limit of 300'):
        rules.check_limit(['d%d.example' % i for i in range(301)])


def test_check_limit_lets_an_app_over_the_cap_shrink_or_stay_but_not_grow():
    names = ['d%d.example' % i for i in range(349)]
    rules.check_limit(names[:-1], names)
    rules.check_limit(names, names)
    with pytest.raises(rules.DomainError) as info:
        rules.check_limit(names + ['new.example'], names)
    assert info.value.kind == 'limit' and '350 domains' in str(info.value)


def test_check_removals():
    rules.check_removals(['a.example'] * 3, 3, 'app1')
    rules.check_removals(['a.example'] * 50, None, 'app1')
    with pytest.raises(rules.DomainError) as info:
        rules.check_removals(['d%d.example' % i for i in range(12)], 10, 'app1')
    message = str(info.value)
    assert 'remove 12 domains from app app1' in message and 'max_removals=10' in message
    assert 'd0.example, d1.example, d2.example, d3.example, d4.example, ...' in message
    assert 'd5.example' not in message


# -- network shapes: IP entries, keep, subdomain sites, the plugin's main_only rule --------------------------------

def test_ip_entries_never_get_a_www_form():
    assert rules.requested(['203.0.113.44', '2001:db8::1', 'a.example'], 'always') == [
        '203.0.113.44', '2001:db8::1', 'a.example', 'www.a.example']
    assert rules.is_apex('203.0.113.44') is False


def test_an_ip_entry_survives_an_exclusive_run_only_when_kept():
    current = ['example.com', 'www.example.com', '203.0.113.44']
    # the issue's own example: without keep, the IP entry would go
    assert rules.plan(current, ['example.com', 'www.example.com'], 'present', True).removed == ['203.0.113.44']
    kept = rules.plan(current, ['example.com', 'www.example.com'], 'present', True,
                      rules.Keep(['0.0.0.0/0', '::/0']))
    assert kept.after == current and kept.removed == [] and not kept.changed


@pytest.mark.parametrize('keep, entry, kept', [
    (['staging.example.net'], 'staging.example.net', True),
    (['staging.example.net'], 'STAGING.example.net.', True),
    (['*.network.example'], 'site1.network.example', True),
    (['*.network.example'], '*.network.example', True),
    (['*.network.example'], 'network.example', False),
    (['203.0.113.0/24'], '203.0.113.44', True),
    (['203.0.113.0/24'], '198.51.100.1', False),
    (['2001:db8::/32'], '2001:DB8::7', True),
    (['203.0.113.44'], '203.0.113.44', True),
    ([], 'anything.example', False),
])
def test_keep(keep, entry, kept):
    assert (entry in rules.Keep(keep)) is kept


def test_kept_names_are_not_removed_nor_counted():
    current = ['a.example', 'staging.example.net', 'old.example']
    plan = rules.plan(current, ['a.example'], 'present', True, rules.Keep(['staging.example.net']))
    assert plan.removed == ['old.example'] and plan.after == ['a.example', 'staging.example.net']
    rules.check_removals(plan.removed, 1, 'app1')


def test_bad_keep_entries_are_named():
    with pytest.raises(rules.DomainError) as info:
        rules.Keep(['bad..name', '10.0.0.0/99'])
    assert "'bad..name'" in str(info.value) and "'10.0.0.0/99'" in str(info.value)


def test_subdomain_sites_get_no_www_form():
    wanted = rules.requested(['site1.network.example', 'shop.example.com', 'network.example'], 'always',
                             skip_under=['network.example', '*.network.example'])
    assert wanted == ['site1.network.example', 'shop.example.com', 'www.shop.example.com', 'network.example',
                      'www.network.example']


@pytest.mark.parametrize('name, main', [
    ('example.com', True), ('example.co.uk', True), ('example.com.au', True), ('shop.example.com', False),
    ('shop.example.co.uk', False), ('example.org.uk', False), ('localhost.example', True),
])
def test_main_only_as_the_plugin_defines_it(name, main):
    assert rules.is_main_only(name) is main
    assert (('www.' + name) in rules.requested([name], 'main_only')) is main


def test_an_empty_source_refuses_even_one_removal_and_only_when_it_is_empty():
    with pytest.raises(rules.DomainError, match='returned no mappings.*remove 1 domains from app app1') as info:
        rules.check_empty_source(['customer.example', 'www.customer.example'], 0, 'app1')
    assert info.value.kind == 'removals' and 'serverpilot_source_may_be_empty' in info.value.msg
    rules.check_empty_source([], 0, 'app1')                      # nothing to remove: an empty network is fine
    rules.check_empty_source(['customer.example'], 1, 'app1')    # the source gave mappings: max_removals decides
    rules.check_empty_source(['customer.example'], None, 'app1')  # not a mapping source


@pytest.mark.parametrize('max_removals, percent, held, limit', [
    (None, None, 12, None),
    (10, None, 12, 10),
    # the share is of what the app holds, rounded down, never below one
    (10, 25, 5, 1),     # a network of 3 customers (+ its own name and wildcard): one may leave
    (10, 25, 12, 3),    # a network of 10: at most 3 of 12 (max_removals alone let all ten go)
    (10, 25, 302, 10),  # a network of 300: the fixed cap
    (None, 25, 0, 1),
    (0, 25, 40, 0),     # max_removals 0 still forbids every removal
    (10, 0, 40, 1),
    (10, 100, 4, 4),
])
def test_removal_limit(max_removals, percent, held, limit):
    assert rules.removal_limit(max_removals, percent, held) == limit


def test_a_small_network_is_guarded_by_its_share():
    customers = ['c%d.example' % n for n in range(10)]
    held = 2 + len(customers)
    rules.check_removals(customers[:3], 10, 'app1', percent=25, held=held)
    with pytest.raises(rules.DomainError) as info:
        rules.check_removals(customers, 10, 'app1', percent=25, held=held)
    assert info.value.kind == 'removals'
    assert 'max_removals_percent=25 of the 12 domains the app holds that a run may remove is 3' in info.value.msg
    assert 'raise max_removals_percent and max_removals for one run' in info.value.msg
