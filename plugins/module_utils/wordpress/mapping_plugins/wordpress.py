# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""WordPress's own domain mapping (4.5+): a site is mapped when its address in {prefix}blogs is neither the
network's domain nor a name under it. Its rows are the sites themselves; spam, deleted and archived sites are
not served."""

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress.mapping_plugins.base import (
    MappingPlugin, only_blogs)

FLAGS = ('archived', 'spam', 'deleted')


class WordPress(MappingPlugin):
    name = 'wordpress'
    title = "WordPress's own domain mapping"
    table_name = 'blogs'
    columns = ('blog_id', 'site_id', 'domain', 'path') + FLAGS
    lists_sites = True
    fallback = True

    def query(self, request, columns):
        where, args = ['site_id = %s'], [request.network]
        if request.active_only:  # bound as '0': older schemas made archived an enum('0','1')
            where.append(' AND '.join('%s = %%s' % flag for flag in FLAGS))
            args.extend(['0'] * len(FLAGS))
        only_blogs(request, where, args)
        return ('SELECT blog_id, domain, path, %s FROM `%s` WHERE %s ORDER BY blog_id'
                % (', '.join(FLAGS), self.table(request), ' AND '.join(where)), args)

    def mapping(self, row):
        live = not any(php.to_int(row[flag]) for flag in FLAGS)  # ms_site_check(): any flag set and it is not served
        return {'id': None, 'blog_id': int(row['blog_id']), 'domain': row['domain'], 'active': live,
                'primary': True, 'path': row['path']}


PLUGIN = WordPress()
