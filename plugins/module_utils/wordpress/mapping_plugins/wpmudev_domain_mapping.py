# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""WPMU DEV Domain Mapping: Domainmap_Module_System::setup_database() creates the shared shape, 4.0.3 adds
is_primary and 4.2 scheme (0 http, 1 https, 2 both)."""

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import DomainMappingTable

SCHEMES = {0: 'http', 1: 'https', 2: 'both'}


class WPMUDEVDomainMapping(DomainMappingTable):
    name = 'wpmudev_domain_mapping'
    title = 'WPMU DEV Domain Mapping'
    extra_columns = ('is_primary', 'scheme')
    marks = ('is_primary', 'scheme')
    plugin_files = ('domain-mapping.php',)

    def mapping(self, row):
        found = super(WPMUDEVDomainMapping, self).mapping(row)
        if 'scheme' in row:
            scheme = php.to_int(row['scheme'])
            found['scheme'] = SCHEMES.get(scheme, str(scheme))
        return found


PLUGIN = WPMUDEVDomainMapping()
