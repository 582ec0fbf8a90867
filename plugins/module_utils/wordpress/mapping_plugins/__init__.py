# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The mapping plugins the reader knows, one file each; a new plugin is a new file and its line here."""

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins import (
    dark_matter, mercator, ultimate_multisite, wordpress, wpmu_domain_mapping, wpmudev_domain_mapping)

PLUGINS = (ultimate_multisite.PLUGIN, wordpress.PLUGIN, mercator.PLUGIN, wpmu_domain_mapping.PLUGIN,
           wpmudev_domain_mapping.PLUGIN, dark_matter.PLUGIN)
BY_NAME = dict((plugin.name, plugin) for plugin in PLUGINS)
