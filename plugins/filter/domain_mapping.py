# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The domain_mapping role's planning step, as filters: the decisions live in module_utils/role_plan.py."""

import os

import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.multisite.serverpilot.plugins.module_utils import role_plan
from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import history
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError


def domain_mapping_plan(variables, mapped=None, history=None, previous=None):
    try:
        return role_plan.plan(variables, mapped, history, previous)
    except CollectionError as exc:
        raise AnsibleFilterError(exc.msg)
    except KeyError as exc:
        raise AnsibleFilterError('domain_mapping_plan needs the setting %s' % exc)


def domain_mapping_read(database, www='always', defined=()):
    try:
        role_plan.retired(defined or ())
        return role_plan.read_options(database, www)
    except CollectionError as exc:
        raise AnsibleFilterError(exc.msg)


# the role's variables, from the one place that lists them: its argument specification
ROLE_SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'roles', 'domain_mapping', 'meta',
                         'argument_specs.yml')


def role_variables():
    with open(ROLE_SPEC) as handle:
        return sorted(yaml.safe_load(handle)['argument_specs']['main']['options'])


def domain_mapping_variables(network):
    try:
        return role_plan.network_variables(network, role_variables())
    except CollectionError as exc:
        raise AnsibleFilterError(exc.msg)


def domain_mapping_autossl_again(first, before=None, retries=0):
    return role_plan.autossl_again(first, before, retries)


def domain_mapping_fleet(hosts, app_ids, results, now):
    return history.fleet(hosts, app_ids, results, now)


def domain_mapping_result(app_id, mapped=None, sync=None, autossl_first=None, autossl_again=None, health=None,
                          stopped=None, previous=None, history=None, credentials=None):
    return role_plan.result(app_id, mapped=mapped, sync=sync, autossl_first=autossl_first,
                            autossl_again=autossl_again, health=health, stopped=stopped, previous=previous,
                            history=history, credentials=credentials)


class FilterModule(object):
    def filters(self):
        return dict(domain_mapping_plan=domain_mapping_plan, domain_mapping_read=domain_mapping_read,
                    domain_mapping_variables=domain_mapping_variables, domain_mapping_result=domain_mapping_result,
                    domain_mapping_fleet=domain_mapping_fleet, domain_mapping_autossl_again=domain_mapping_autossl_again)
