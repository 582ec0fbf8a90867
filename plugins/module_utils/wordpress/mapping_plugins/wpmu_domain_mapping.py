# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""WPMU Domain Mapping (Donncha O Caoimh): maybe_create_db() creates Mercator's very shape, but every row is
mapped and active = 1 marks the site's primary domain."""

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import DomainMappingTable


class WPMUDomainMapping(DomainMappingTable):
    name = 'wpmu_domain_mapping'
    title = 'WPMU Domain Mapping'
    active_filter = False  # active marks the primary domain, not whether the row is mapped
    active_means = 'the primary domain, every row being mapped'
    primary_column = 'active'
    plugin_files = ('domain_mapping.php',)
    option_keys = ('dm_ipaddress', 'dm_cname')  # its network settings: the server's address or CNAME

    def mapping(self, row):
        found = super(WPMUDomainMapping, self).mapping(row)
        found.update(active=True, primary=php.to_bool(row['active']))
        return found


PLUGIN = WPMUDomainMapping()
