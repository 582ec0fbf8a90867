#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: multisite_domains_info
short_description: Read the mapped domains of a WordPress multisite network from its database, whichever plugin maps them
version_added: 0.1.0
description:
  - Reads a WordPress network's mapped domains from its own database, so ServerPilot can be kept in step with it (the
    C(multisite.serverpilot.domain_mapping) role does that with this module). One reader for every common source -
    Ultimate Multisite (WP Ultimo 2.x), WordPress's own domain mapping, Mercator (also bundled by WP Ultimo 1.x), WPMU
    Domain Mapping, WPMU DEV Domain Mapping and Dark Matter - see O(source).
  - Read-only - it never writes to the database. A read is whole or fails - every query of it runs in one read-only
    transaction with a consistent snapshot, so a concurrent edit never yields a mix of two states, and a part that
    cannot be read (a dropped connection, a lock held past O(query_timeout)) fails the task (RV(source_part) names
    it); it is never read as empty.
  - Runs wherever the database is reachable, often the WordPress server itself (MySQL usually listens on localhost only).
  - Connection settings come from the options, else from a C(wp-config.php) (O(wp_config)), else from the MySQL option
    file (O(config_file)), in that order of precedence.
  - Names are normalised with the collection's own rules (lower case, punycode); a row whose domain is malformed is
    skipped with a warning naming the row, and never passed on.
author:
  - multisite.serverpilot maintainers (@multisite)
extends_documentation_fragment:
  - multisite.serverpilot.wordpress_database
  - multisite.serverpilot.serverpilot.read_only
attributes:
  action_group:
    description: Use C(group/multisite.serverpilot.wordpress) in C(module_defaults) to give the database connection once.
    support: full
    membership:
      - multisite.serverpilot.wordpress
  platform:
    description: Runs where the database is reachable.
    support: full
    platforms: posix
options:
  source:
    description:
      - Where the network keeps its mappings.
      - V(ultimate_multisite) - Ultimate Multisite / WP Ultimo 2.x, C({prefix}wu_domain_mappings); V(active) rows in
        O(stages).
      - V(wordpress) - WordPress's own mapping (4.5+), C({prefix}blogs) - a site is mapped when its domain is neither the
        network's domain (C({prefix}site)) nor a name under it; spam, deleted and archived sites are skipped.
      - V(mercator) - C({prefix}domain_mapping), C(active = 1) rows; inactive ones are left out.
      - V(wpmu_domain_mapping) - the classic plugin's C({prefix}domain_mapping) - every row is mapped, C(active = 1)
        marks the site's primary domain.
      - V(wpmudev_domain_mapping) - WPMU DEV's C({prefix}domain_mapping) (C(is_primary), C(scheme)), C(active = 1) rows.
      - V(dark_matter) - Dark Matter's C({prefix}domain_mapping) (C(is_primary), C(is_https), C(type)), C(active = 1)
        rows; its media (CDN) domains are returned in RV(mappings) but not in RV(domains).
      - V(auto) - from the tables and their columns, and the network's own signs of a plugin (its network-activated
        plugins, C(active_sitewide_plugins), and the network options each plugin keeps, in C({prefix}sitemeta); a
        C(SUNRISE) drop-in in O(wp_config)) - C(wu_domain_mappings) means Ultimate Multisite; a C(domain_mapping)
        table with C(is_https) or C(type) means Dark Matter, with C(scheme) (or C(is_primary) alone) WPMU DEV;
        Mercator's shape is Mercator or WPMU Domain Mapping as the network's signs say (they read C(active)
        oppositely); WordPress's own mapping only when no plugin table exists B(and) no plugin shows a sign.
      - Detection never switches - it refuses, naming what it saw, where several sources exist (a migration often
        leaves the old plugin's table behind), where another plugin than the table's shows signs (C(source_error=
        ambiguous)), and where a plugin shows signs but its table is missing (C(source_error=plugin_table_missing)) -
        a restore that has not reached the plugin's table yet, or a plugin removed without migrating its mappings,
        when reading WordPress's own mapping would remove that plugin's domains. RV(source_signs) says what it saw.
      - Detection sees only the tables the user may read - grant SELECT on the database, or name the source.
      - A named plugin source whose table has another plugin's columns is refused (C(source_error=shape)).
    type: str
    choices: [auto, ultimate_multisite, wordpress, mercator, wpmu_domain_mapping, wpmudev_domain_mapping, dark_matter]
    default: auto
  active_only:
    description:
      - Only mappings the source serves - C(active = 1) rows (Ultimate Multisite, Mercator, WPMU DEV, Dark Matter), sites
        that are not spam, deleted or archived (WordPress). WPMU Domain Mapping maps every row either way.
    type: bool
    default: true
  stages:
    description: Ultimate Multisite only - mappings in these stages. By default every stage except C(failed).
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
      - In a multi-network install, the network whose mappings are read.
      - Ultimate Multisite 2.4.8+ keeps another network's mappings in C({prefix}wu_{network_id}_domain_mappings) and its
        settings under its own C(site_id) in C({prefix}sitemeta); WordPress's own mapping reads the sites with that
        C(site_id); the plugins' one C({prefix}domain_mapping) table is read for that network's sites only.
      - Unset - the main network (every row of a plugin's table).
    type: int
  read_plugin_integration:
    description:
      - Ultimate Multisite only - read whether its own ServerPilot integration is switched on (RV(plugin_integration)),
        one more query in the same snapshot. The event source C(multisite.serverpilot.mapping_changes) does not.
    type: bool
    default: true
  read_www_setting:
    description:
      - Ultimate Multisite only - read the network's own C(www.) rule (RV(www_setting)) from its settings row.
      - The C(multisite.serverpilot.domain_mapping) role reads it only for C(serverpilot_www=source), the one use it has.
    type: bool
    default: true
seealso:
  - module: multisite.serverpilot.serverpilot_app_domains
'''

EXAMPLES = r'''
- name: Read the mapped domains on the WordPress server, whichever plugin maps them
  multisite.serverpilot.multisite_domains_info:
    wp_config: /srv/users/serverpilot/apps/network/public/wp-config.php
  delegate_to: wordpress.example.net
  register: mapped

- name: Make the ServerPilot app serve exactly those, subdomain sites without a www. form
  multisite.serverpilot.serverpilot_app_domains:
    app_id: nlcN0TwdZAyNEgdp
    domains: "{{ mapped.domains + ['network.example', '*.network.example'] }}"
    www_skip_under: ["{{ mapped.subdomain_base }}"]
    exclusive: true
    max_removals: 10

- name: A network on the classic WPMU Domain Mapping (its table has Mercator's shape, so name it)
  multisite.serverpilot.multisite_domains_info:
    source: wpmu_domain_mapping
    login_host: db.internal.example
    login_user: wp_readonly
    login_password: "{{ vault_wp_db_password }}"
    database: network
    table_prefix: net_
    ca_cert: /etc/ssl/certs/db-ca.pem
'''

RETURN = r'''
source:
  description: The source that was read - the one named, or the one O(source=auto) detected.
  returned: success
  type: str
  sample: wpmudev_domain_mapping
source_reason:
  description: V(named), or how O(source=auto) decided.
  returned: success
  type: str
  sample: "auto: wp_domain_mapping with column scheme"
source_signs:
  description:
    - With O(source=auto), what the network says of each mapping plugin (network-active, its network options) - the
      facts detection decided on; name the source the result shows to pin it. Null for a named source.
  returned: success
  type: dict
  sample: {ultimate_multisite: ["network-active (ultimate-multisite/ultimate-multisite.php)",
                                "its network option wp-ultimo_v2_settings"]}
domains:
  description:
    - The domains the app must serve for the mappings, normalised and without duplicates, by blog ID with each site's
      primary domain first where the source knows it.
    - Names under the network's domain (mapped subdomains) are included; Dark Matter's media domains are not.
  returned: success
  type: list
  elements: str
  sample: [shop.example.com, xn--bcher-kva.example]
mappings:
  description:
    - The matching rows, with their domain normalised - C(id) (null for WordPress's own mapping, where the site is the
      row), C(blog_id), C(domain), C(active), C(primary) (whether it is the site's primary domain; null where the
      source does not say, as with Mercator), C(custom) (false for the network's domain and names under it).
    - And what the source adds - Ultimate Multisite C(primary_domain), C(secure), C(stage); WordPress C(path); WPMU DEV
      C(scheme) (V(http), V(https) or V(both)); Dark Matter C(is_https) and C(type) (V(main) or V(media)).
  returned: success
  type: list
  elements: dict
  sample:
    - {id: 3, blog_id: 2, domain: shop.example.com, active: true, primary: true, custom: true, scheme: https}
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
  description: WordPress's own mapping only - the live sites under the network's domain, which are not mapped (a
    wildcard usually serves them). Empty for the other sources.
  returned: success
  type: list
  elements: str
  sample: [alice.network.example]
custom_site_domains:
  description:
    - Live sites whose own address in C({prefix}blogs) is a custom domain the source does not list - changed in the
      site's settings, or WordPress's own mapping used beside the plugin. WordPress serves each site at that name, so
      the C(multisite.serverpilot.domain_mapping) role keeps these on the app too; a warning names them.
    - Empty for WordPress's own mapping, whose sites are the mappings.
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
  sample: wp_domain_mapping
www_setting:
  description:
    - Ultimate Multisite only - the network's own C(www.) rule, its C(auto_create_www_subdomain) setting - V(always),
      V(main_only) or V(never) - read from its settings row (C(wp-ultimo_v2_settings) in C({prefix}sitemeta), a
      PHP-serialized array parsed as data, never executed). V(always), the plugin's default, when never saved.
    - Null for the other sources, and with O(read_www_setting=false). Null, with a warning, when its row is not
      PHP-serialized data the reader can parse (what a plain SQL search-replace of a domain leaves); the mappings are
      returned all the same. A failed query of the row fails the read like any other.
  returned: success
  type: str
  sample: main_only
plugin_integration:
  description:
    - Ultimate Multisite only - whether its own ServerPilot integration is switched on (its network option
      C(wu_host_integrations_enabled), a PHP-serialized array of integration ID to on or off, read as the plugin reads
      it, as data). V(true) is a second writer of the app's domain list - the plugin adds each mapped domain and its
      C(www.) form on every mapping - and is a warning of the run, saying where to switch it off.
    - Null for the other sources, with O(read_plugin_integration=false), and, with a warning, when the option is not
      data the reader can parse.
  returned: success
  type: bool
  sample: false
plugin_credentials_stored:
  description:
    - Ultimate Multisite 2.5 only - the names of the network options in which it keeps ServerPilot credentials
      encrypted (C(wu_hosting_credential_WU_SERVER_PILOT_*)). Only their names are read, never their values.
  returned: success
  type: list
  elements: str
  sample: []
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
    - V(invalid_input) (a bad option value or domain name; nothing was sent), V(source) (the network's database could
      not be read) or V(missing_library) (a Python package is not installed).
  returned: failure
  type: str
  sample: source
source_error:
  description: On a V(source) failure, what failed - V(connect), V(connection_lost), V(timeout) (no answer within
    O(query_timeout)), V(lock) (another session holds a lock on a table), V(credentials), V(grants),
    V(database), V(table), V(query), V(wp_config), V(table_prefix), V(stages), V(network_id), V(settings),
    V(ambiguous) (O(source=auto) cannot tell, several sources exist, or another plugin shows signs - name one),
    V(plugin_table_missing) (O(source=auto) sees a plugin meant but not its table - a restore in progress, a plugin
    removed without migrating its mappings) or V(shape) (the table is not the named source's).
  returned: failure
  type: str
  sample: ambiguous
source_part:
  description: On a V(source) failure during the read, the part of it that failed - V(tables), V(signs) (the
    network's active plugins and plugin options), V(network), V(mappings), V(sites), V(settings) or V(integration)
    (Ultimate Multisite's host integrations). Nothing the read had returned up to then is used.
  returned: failure
  type: str
  sample: sites
'''

from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import run_module
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import reader

API = False  # it reads the network's database, not the API: no api_calls
argument_spec = reader.argument_spec  # the reader's options: the event source takes the same


def requires(params):
    return ['PyMySQL', 'idna']


def work(run):
    result, warnings = reader.read(run.params)
    result.setdefault('plugin_integration', None)
    result.setdefault('plugin_credentials_stored', [])
    for warning in warnings:
        run.warn(warning)
    return dict(result, changed=False)


def main():
    run_module(argument_spec(), work, requires, api=API)


if __name__ == '__main__':
    main()
