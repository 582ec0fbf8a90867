# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's planning filters: what they hand Ansible, and how a refusal reaches it."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.multisite.serverpilot.plugins.filter.domain_mapping import FilterModule
from unit.plugins.module_utils.test_role_plan import DEFAULTS

FILTERS = FilterModule().filters()


def test_the_filters_are_offered():
    assert sorted(FILTERS) == ['domain_mapping_autossl_again', 'domain_mapping_fleet', 'domain_mapping_plan',
                               'domain_mapping_read', 'domain_mapping_result', 'domain_mapping_variables']


def test_the_database_description_is_checked_key_by_key_and_host_dropped():
    options = FILTERS['domain_mapping_read']({'wp_config': '/w.php', 'host': 'wp1', 'source': 'mercator',
                                              'network_id': 2}, 'source')
    assert options == {'wp_config': '/w.php', 'source': 'mercator', 'network_id': 2, 'read_www_setting': True}
    with pytest.raises(AnsibleFilterError, match=r'has no key tabel_prefix \(did you mean table_prefix\?\)'):
        FILTERS['domain_mapping_read']({'wp_config': '/w.php', 'tabel_prefix': 'wp2_'})
    with pytest.raises(AnsibleFilterError, match='serverpilot_network_id as serverpilot_database.network_id'):
        FILTERS['domain_mapping_read']({'wp_config': '/w.php'}, 'always', ['serverpilot_network_id'])


def test_the_networks_variables_are_the_roles_own():
    network = {'serverpilot_app_id': 'a1', 'serverpilot_keep': ['x.example']}
    assert FILTERS['domain_mapping_variables'](network) == network
    with pytest.raises(AnsibleFilterError, match=r'serverpilot_keep_domains \(did you mean serverpilot_keep\?\)'):
        FILTERS['domain_mapping_variables']({'serverpilot_keep_domains': ['x.example']})
    with pytest.raises(AnsibleFilterError, match='serverpilot_source as serverpilot_database.source'):
        FILTERS['domain_mapping_variables']({'serverpilot_source': 'mercator'})
    with pytest.raises(AnsibleFilterError, match='must be a dict'):
        FILTERS['domain_mapping_variables'](['serverpilot_app_id'])


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
