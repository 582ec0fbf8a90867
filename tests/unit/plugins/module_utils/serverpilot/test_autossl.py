# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AutoSSL / ForceSSL decision over every starting state."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import autossl as rules

NONE = {'auto': False, 'force': False, 'custom_cert': False}
AUTO = {'auto': True, 'force': False, 'custom_cert': False}
AUTO_FORCE = {'auto': True, 'force': True, 'custom_cert': False}
CUSTOM = {'auto': False, 'force': False, 'custom_cert': True}
CUSTOM_FORCE = {'auto': False, 'force': True, 'custom_cert': True}
AVAILABLE = {'available': True, 'domains': ['a.example.com', 'www.a.example.com']}
NOT_AVAILABLE = {'available': False}
DOMAINS = ['a.example.com', 'www.a.example.com']


@pytest.mark.parametrize('ssl, autossl, state, force, replace, steps, after', [
    # present
    (NONE, AVAILABLE, 'present', None, False, [rules.ENABLE_AUTO], AUTO),
    (NONE, AVAILABLE, 'present', True, False, [rules.ENABLE_AUTO, rules.FORCE_ON], AUTO_FORCE),
    (NONE, AVAILABLE, 'present', False, False, [rules.ENABLE_AUTO], AUTO),
    (AUTO, AVAILABLE, 'present', None, False, [], AUTO),
    (AUTO, AVAILABLE, 'present', True, False, [rules.FORCE_ON], AUTO_FORCE),
    (AUTO_FORCE, AVAILABLE, 'present', None, False, [], AUTO_FORCE),
    (AUTO_FORCE, AVAILABLE, 'present', True, False, [], AUTO_FORCE),
    (AUTO_FORCE, AVAILABLE, 'present', False, False, [rules.FORCE_OFF], AUTO),
    (AUTO, NOT_AVAILABLE, 'present', None, False, [], AUTO),  # already on: availability does not matter
    (CUSTOM, AVAILABLE, 'present', None, True, [rules.DELETE, rules.ENABLE_AUTO], AUTO),
    (CUSTOM_FORCE, AVAILABLE, 'present', True, True, [rules.DELETE, rules.ENABLE_AUTO, rules.FORCE_ON],
     AUTO_FORCE),
    # absent
    (AUTO, AVAILABLE, 'absent', None, False, [rules.DELETE], NONE),
    (AUTO_FORCE, AVAILABLE, 'absent', None, False, [rules.DELETE], NONE),
    (AUTO_FORCE, AVAILABLE, 'absent', False, False, [rules.DELETE], NONE),
    (NONE, AVAILABLE, 'absent', None, False, [], NONE),
    (NONE, NOT_AVAILABLE, 'absent', False, False, [], NONE),
    (CUSTOM, AVAILABLE, 'absent', None, False, [], CUSTOM),
    (CUSTOM_FORCE, AVAILABLE, 'absent', False, False, [rules.FORCE_OFF], CUSTOM),
])
def test_decide(ssl, autossl, state, force, replace, steps, after):
    plan = rules.decide('app1', ssl, autossl, DOMAINS, state, force, replace)
    assert plan.steps == steps
    assert plan.after == after
    assert plan.changed is bool(steps)
    assert not any('A real run would now fail' in warning for warning in plan.warnings)


def test_absent_leaves_a_custom_certificate_and_says_so():
    plan = rules.decide('app1', CUSTOM, AVAILABLE, DOMAINS, 'absent')
    assert plan.steps == []
    assert 'custom SSL certificate' in plan.warnings[0] and 'leaves in place' in plan.warnings[0]


@pytest.mark.parametrize('ssl, autossl, state, force, replace, words', [
    (NONE, NOT_AVAILABLE, 'present', None, False, 'AutoSSL is not available for app app1'),
    (CUSTOM, AVAILABLE, 'present', None, False, 'replace_custom_cert=true'),
    # the custom certificate stays when AutoSSL could not replace it
    (CUSTOM, NOT_AVAILABLE, 'present', None, True, 'AutoSSL is not available'),
    (AUTO, AVAILABLE, 'absent', True, False, 'force_ssl=true needs SSL'),
    (NONE, AVAILABLE, 'absent', True, False, 'force_ssl=true needs SSL'),
])
def test_decide_refuses(ssl, autossl, state, force, replace, words):
    with pytest.raises(rules.SSLDecisionError, match=words):
        rules.decide('app1', ssl, autossl, DOMAINS, state, force, replace)


def test_not_available_names_the_domains_and_the_dns_advice():
    with pytest.raises(rules.SSLDecisionError) as info:
        rules.decide('app1', NONE, NOT_AVAILABLE, DOMAINS, 'present')
    assert 'a.example.com, www.a.example.com' in str(info.value)
    assert 'DNS' in str(info.value) and '5-15 minutes' in str(info.value)


def test_not_available_with_no_domains():
    with pytest.raises(rules.SSLDecisionError, match='the app has no domains'):
        rules.decide('app1', NONE, NOT_AVAILABLE, [], 'present')


def test_check_mode_warns_instead_of_failing_while_not_available():
    plan = rules.decide('app1', NONE, NOT_AVAILABLE, DOMAINS, 'present', True, check_mode=True)
    assert plan.steps == [rules.ENABLE_AUTO, rules.FORCE_ON]
    assert plan.warnings[0].startswith('A real run would now fail: AutoSSL is not available')


def test_check_mode_still_refuses_a_custom_certificate():
    with pytest.raises(rules.SSLDecisionError, match='replace_custom_cert'):
        rules.decide('app1', CUSTOM, NOT_AVAILABLE, DOMAINS, 'present', check_mode=True)


@pytest.mark.parametrize('domains, autossl, uncovered', [
    (DOMAINS, AVAILABLE, []),
    (DOMAINS + ['new.example.org'], AVAILABLE, ['new.example.org']),
    (DOMAINS, NOT_AVAILABLE, DOMAINS),
    (DOMAINS, None, DOMAINS),
    ([], AVAILABLE, []),
])
def test_uncovered_domains(domains, autossl, uncovered):
    assert rules.uncovered_domains(domains, autossl) == uncovered


def test_unknown_state():
    with pytest.raises(rules.SSLDecisionError):
        rules.decide('app1', NONE, AVAILABLE, DOMAINS, 'maybe')
