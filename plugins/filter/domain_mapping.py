# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The domain_mapping role's planning step, as filters: the decisions live in module_utils/role_plan.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.multisite.serverpilot.plugins.module_utils import role_plan
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError


def domain_mapping_plan(settings, mapped=None):
    try:
        return role_plan.plan(settings, mapped)
    except CollectionError as exc:
        raise AnsibleFilterError(exc.msg)
    except KeyError as exc:
        raise AnsibleFilterError('domain_mapping_plan needs the setting %s' % exc)


def domain_mapping_result(app_id, mapped=None, sync=None, autossl_first=None, autossl_again=None, health=None):
    return role_plan.result(app_id, mapped=mapped, sync=sync, autossl_first=autossl_first,
                            autossl_again=autossl_again, health=health)


class FilterModule(object):
    def filters(self):
        return dict(domain_mapping_plan=domain_mapping_plan, domain_mapping_result=domain_mapping_result)
