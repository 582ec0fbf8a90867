# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Mercator (Human Made; also bundled by WP Ultimo 1.x): check_table() in mercator.php creates the shared
{prefix}domain_mapping shape, and a row is mapped while active = 1. It has no primary domain."""

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import DomainMappingTable


class Mercator(DomainMappingTable):
    name = 'mercator'
    title = 'Mercator'
    primary_column = None
    plugin_files = ('mercator.php',)  # usually a must-use plugin, which no option lists


PLUGIN = Mercator()
