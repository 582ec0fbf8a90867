# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's planning filters: what they hand Ansible, and how a refusal reaches it."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.multisite.serverpilot.plugins.filter.domain_mapping import FilterModule
from unit.plugins.module_utils.test_role_plan import DEFAULTS

FILTERS = FilterModule().filters()


def test_both_filters_are_offered():
    assert sorted(FILTERS) == ['domain_mapping_plan', 'domain_mapping_result']


def test_a_refused_plan_is_a_filter_error_with_the_reason():
    with pytest.raises(AnsibleFilterError, match='serverpilot_www=source'):
        FILTERS['domain_mapping_plan'](dict(DEFAULTS, www='source'))


def test_a_setting_the_role_forgot_to_pass_is_named():
    settings = dict(DEFAULTS)
    del settings['keep']
    with pytest.raises(AnsibleFilterError, match="'keep'"):
        FILTERS['domain_mapping_plan'](dict(settings, domains=['a.test']))


def test_the_result_filter_builds_the_roles_fact():
    assert FILTERS['domain_mapping_result']('app1', sync={'domains': ['a.test']})['domains'] == ['a.test']
