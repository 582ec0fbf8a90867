# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Dark Matter: DM_Database::upgrade_domains() creates the shared shape with is_primary and is_https, 2.2 adds
type (1 a domain of the site, 2 a media domain, which a CDN serves). DM_Domain casts every column as PHP does,
so a NULL type is 0: not a media domain."""

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import DomainMappingTable

MEDIA = 2


class DarkMatter(DomainMappingTable):
    name = 'dark_matter'
    title = 'Dark Matter'
    extra_columns = ('is_primary', 'is_https', 'type')
    marks = ('is_https', 'type')
    plugin_files = ('dark-matter.php',)
    option_keys = ('dark_matter_version', 'dark_matter_db_version')  # written when it creates its table

    def mapping(self, row):
        found = super(DarkMatter, self).mapping(row)
        found['is_https'] = php.to_bool(row['is_https']) if 'is_https' in row else None
        found['type'] = 'media' if 'type' in row and php.to_int(row['type']) == MEDIA else 'main'
        return found

    def served(self, mapping):
        return mapping['type'] != 'media'


PLUGIN = DarkMatter()
