#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: ultimate_multisite_domains_info
short_description: Read the mapped domains of an Ultimate Multisite network from its database
version_added: 0.1.0
description:
  - Reads the table C({prefix}wu_domain_mappings) of a WordPress network that runs Ultimate Multisite, so ServerPilot can
    be kept in step with it (the C(multisite.serverpilot.domain_mapping) role does that with this module).
  - Read-only - it never writes to the database. A read is whole or fails - every query of it runs in one read-only
    transaction with a consistent snapshot, so a concurrent edit never yields a mix of two states, and a part that
    cannot be read (a dropped connection, a lock held past O(query_timeout)) fails the task (RV(source_part) names
    it); it is never read as empty.
  - Runs wherever the database is reachable, often the WordPress server itself (MySQL usually listens on localhost only).
  - Connection settings come from the options, else from a C(wp-config.php) (O(wp_config)), else from the MySQL option
    file (O(config_file)), in that order of precedence.
  - Names are normalised with the collection's own rules (lower case, punycode); a row whose domain is malformed is
    skipped with a warning naming the row, and never passed on.
  - This is M(multisite.serverpilot.multisite_domains_info) with its O(multisite.serverpilot.multisite_domains_info#module:source)
    fixed to V(ultimate_multisite); that module reads the other mapping plugins and WordPress's own mapping too.
author:
  - multisite.serverpilot maintainers (@multisite)
extends_documentation_fragment:
  - multisite.serverpilot.wordpress_database
  - multisite.serverpilot.serverpilot.read_only
attributes:
  action_group:
    description: Use C(group/multisite.serverpilot.wordpress) (or C(group/multisite.serverpilot.ultimate_multisite))
      in C(module_defaults) to give the database connection once.
    support: full
    membership:
      - multisite.serverpilot.wordpress
      - multisite.serverpilot.ultimate_multisite
  platform:
    description: Runs where the database is reachable.
    support: full
    platforms: posix
options:
  active_only:
    description: Only active mappings.
    type: bool
    default: true
  stages:
    description: Only mappings in these stages. By default every stage except C(failed).
    type: list
    elements: str
    choices: [checking-dns, checking-ssl-cert, done-without-ssl, done, failed, ssl-failed]
    default: [checking-dns, checking-ssl-cert, done-without-ssl, done, ssl-failed]
  blog_ids:
    description: Only the mappings of these sites (blog IDs).
    type: list
    elements: int
  network_id:
    description:
      - In a multi-network install, the network whose mappings are read. Since Ultimate Multisite 2.4.8 a network
        other than the main one keeps them in C({prefix}wu_{network_id}_domain_mappings), and its settings under its
        own C(site_id) in C({prefix}sitemeta).
      - Unset (or V(1)) - the main network's C({prefix}wu_domain_mappings).
    type: int
  read_www_setting:
    description:
      - Ultimate Multisite only - read the network's own C(www.) rule (RV(www_setting)) from its settings row.
      - The C(multisite.serverpilot.domain_mapping) role reads it only for C(serverpilot_www=source), the one use it has.
    type: bool
    default: true
seealso:
  - module: multisite.serverpilot.serverpilot_app_domains
  - module: multisite.serverpilot.multisite_domains_info
'''

EXAMPLES = r'''
- name: Read the mapped domains on the WordPress server, settings from wp-config.php
  multisite.serverpilot.ultimate_multisite_domains_info:
    wp_config: /srv/users/serverpilot/apps/network/public/wp-config.php
  delegate_to: wordpress.example.net
  register: mapped

- name: Make the ServerPilot app serve exactly those, never removing more than 10 at once
  multisite.serverpilot.serverpilot_app_domains:
    app_id: nlcN0TwdZAyNEgdp
    domains: "{{ mapped.domains + ['network.example', '*.network.example'] }}"
    exclusive: true
    max_removals: 10

- name: A database elsewhere, password from a vault, TLS
  multisite.serverpilot.ultimate_multisite_domains_info:
    login_host: db.internal.example
    login_user: wp_readonly
    login_password: "{{ vault_wp_db_password }}"
    database: network
    table_prefix: net_
    ca_cert: /etc/ssl/certs/db-ca.pem
'''

RETURN = r'''
source:
  description: Always V(ultimate_multisite).
  returned: success
  type: str
  sample: ultimate_multisite
source_reason:
  description: Always V(named).
  returned: success
  type: str
  sample: named
domains:
  description:
    - The mapped domains, normalised and without duplicates, by blog ID with each site's primary domain first.
    - Names under the network's domain (mapped subdomains) are included.
  returned: success
  type: list
  elements: str
  sample: [shop.example.com, xn--bcher-kva.example]
mappings:
  description:
    - The matching rows, with their domain normalised - C(id), C(blog_id), C(domain), C(active), C(primary) and
      C(primary_domain) (the same - whether it is the site's primary domain), C(secure), C(stage), C(custom) (false
      for the network's domain and names under it).
  returned: success
  type: list
  elements: dict
  sample:
    - {id: 3, blog_id: 2, domain: shop.example.com, active: true, primary: true, primary_domain: true, secure: true,
       stage: done, custom: true}
count:
  description: How many mappings matched (malformed rows not counted).
  returned: success
  type: int
  sample: 1
network_domain:
  description:
    - The network's own domain (C({prefix}site)), normalised. A network the read cannot find fails it
      (C(source_error=network_id)) - without it mapped sites cannot be told from the network's own.
  returned: success
  type: str
  sample: network.example
subdomain_sites:
  description: Always empty here (M(multisite.serverpilot.multisite_domains_info) fills it for WordPress's own mapping).
  returned: success
  type: list
  elements: str
  sample: []
custom_site_domains:
  description:
    - Live sites whose own address in C({prefix}blogs) is a custom domain the source does not list - changed in the
      site's settings, or WordPress's own mapping used beside the plugin. WordPress serves each site at that name, so
      the C(multisite.serverpilot.domain_mapping) role keeps these on the app too; a warning names them.
  returned: success
  type: list
  elements: str
  sample: [native-shop.example]
subdomain_base:
  description:
    - The domain the network's subdomain sites sit under - RV(network_domain) without a leading C(www.), as WordPress
      itself builds them (C(wpmu_validate_blog_signup), C(site-new.php)); names under it get no C(www.) form in the
      C(multisite.serverpilot.domain_mapping) role.
  returned: success
  type: str
  sample: second.example
table:
  description: The table that was read.
  returned: success
  type: str
  sample: wp_wu_domain_mappings
www_setting:
  description:
    - The network's own C(www.) rule, its C(auto_create_www_subdomain) setting - V(always),
      V(main_only) or V(never) - read from its settings row (C(wp-ultimo_v2_settings) in C({prefix}sitemeta), a
      PHP-serialized array parsed as data, never executed). V(always), the plugin's default, when never saved.
    - Null with O(read_www_setting=false), and, with a warning, when its row is not
      PHP-serialized data the reader can parse (what a plain SQL search-replace of a domain leaves); the mappings are
      returned all the same. A failed query of the row fails the read like any other.
  returned: success
  type: str
  sample: main_only
www_setting_from:
  description: V(settings) when the network saved it, V(default) when it never did; null when unread.
  returned: success
  type: str
  sample: settings
invalid_rows:
  description: Rows skipped because their domain is malformed.
  returned: success
  type: list
  elements: dict
  sample: [{id: 9, blog_id: 4, domain: "bad_name..example", reason: has an empty label}]
error_kind:
  description:
    - On failure, one word from a fixed vocabulary for what failed; decide on it in playbooks, never on the text of
      C(msg).
    - V(credentials) (the API refused the client ID and key), V(not_found) (no such app), V(invalid_input) (a bad
      option value or domain name; nothing was sent), V(limit) (over ServerPilot's 300 domains per app),
      V(removals) (more removals than C(max_removals) allows), V(autossl_unavailable) (no certificate covers the
      domains yet), V(custom_certificate) (a custom certificate is in the way), V(action_error) (a ServerPilot
      action ended in error), V(action_timeout) (an action still open after C(wait_timeout)), V(transport) (retries
      exhausted, a connection or TLS failure), V(refused) (HTTP 400, 402, 403 or 409), V(unexpected_response) (an
      answer the API document does not describe), V(conflict) (another writer kept replacing the domain list),
      V(health) (a required domain is not healthy),
      V(source) (the network's database could not be read), V(missing_library) (a Python package is not
      installed).
  returned: failure
  type: str
  sample: source
source_error:
  description: On a V(source) failure, what failed - V(connect), V(connection_lost), V(timeout) (no answer within
    O(query_timeout)), V(lock) (another session holds a lock on a table), V(credentials), V(grants),
    V(database), V(table), V(query), V(wp_config), V(table_prefix), V(stages), V(network_id) or V(settings).
  returned: failure
  type: str
  sample: table
source_part:
  description: On a V(source) failure during the read, the part of it that failed - V(tables), V(network), V(mappings),
    V(sites) or V(settings). Nothing the read had returned up to then is used.
  returned: failure
  type: str
  sample: sites
'''

from functools import partial

from ansible_collections.multisite.serverpilot.plugins.module_utils import mapping_sources
from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import run_module


def main():
    run_module(mapping_sources.argument_spec(source_choice=False),
               partial(mapping_sources.work, source='ultimate_multisite'), requires=['PyMySQL', 'idna'], api=False)


if __name__ == '__main__':
    main()
