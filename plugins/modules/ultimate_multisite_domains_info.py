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
  - Read-only - it never writes to the database, and runs its query in a read-only session.
  - Runs wherever the database is reachable, often the WordPress server itself (MySQL usually listens on localhost only).
  - Connection settings come from the options, else from a C(wp-config.php) (O(wp_config)), else from the MySQL option
    file (O(config_file)), in that order of precedence.
  - Names are normalised with the collection's own rules (lower case, punycode); a row whose domain is malformed is
    skipped with a warning naming the row, and never passed on.
author:
  - multisite.serverpilot maintainers (@multisite)
extends_documentation_fragment:
  - multisite.serverpilot.serverpilot.read_only
attributes:
  action_group:
    description: Use C(group/multisite.serverpilot.ultimate_multisite) in C(module_defaults) to give the database
      connection once.
    support: full
    membership:
      - multisite.serverpilot.ultimate_multisite
  platform:
    description: Runs where the database is reachable.
    support: full
    platforms: posix
options:
  login_host:
    description: The database host. Defaults to C(localhost) when neither O(wp_config) nor O(config_file) says otherwise.
    type: str
  login_port:
    description: The database port. Defaults to C(3306).
    type: int
  login_unix_socket:
    description:
      - The server's Unix socket. For C(localhost) without a port, the usual socket paths are tried, as PHP's mysqli does.
    type: path
  login_user:
    description: The database user.
    type: str
  login_password:
    description: The database user's password. Never shown.
    type: str
  config_file:
    description:
      - A MySQL option file read as the MySQL client reads it (its C([client]) group). A missing file is not an error.
    type: path
    default: ~/.my.cnf
  database:
    description: The WordPress database (C(DB_NAME)).
    type: str
  table_prefix:
    description: WordPress's C($table_prefix). Defaults to C(wp_) unless O(wp_config) sets one.
    type: str
  wp_config:
    description:
      - The path of the network's C(wp-config.php). C(DB_NAME), C(DB_USER), C(DB_PASSWORD), C(DB_HOST) (with its
        C(host:port) and C(host:/path/to/socket) forms) and C($table_prefix) are read from it as text; the file is
        never executed. Options given explicitly win over it.
    type: path
  ca_cert:
    description: A CA certificate to verify the database server's TLS certificate; enables TLS.
    type: path
  check_hostname:
    description: With O(ca_cert), check that the server's certificate names O(login_host).
    type: bool
    default: true
  connect_timeout:
    description: Seconds to wait for the TCP connection.
    type: int
    default: 10
  query_timeout:
    description:
      - Seconds to wait for each answer once connected - the server's greeting, the login, the query's rows.
      - With O(connect_timeout) this bounds the whole read, so a server that accepts the connection and never
        answers fails the task instead of hanging it.
    type: int
    default: 30
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
requirements:
  - PyMySQL
seealso:
  - module: multisite.serverpilot.serverpilot_app_domains
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
domains:
  description: The mapped domains, normalised and without duplicates, by blog ID with each site's primary domain first.
  returned: success
  type: list
  elements: str
  sample: [shop.example.com, xn--bcher-kva.example]
mappings:
  description: The matching rows, with their domain normalised.
  returned: success
  type: list
  elements: dict
  sample:
    - {id: 3, blog_id: 2, domain: shop.example.com, active: true, primary_domain: true, secure: true, stage: done}
count:
  description: How many mappings matched (malformed rows not counted).
  returned: success
  type: int
  sample: 1
table:
  description: The mappings table that was read.
  returned: success
  type: str
  sample: wp_wu_domain_mappings
www_setting:
  description:
    - The network's own C(www.) rule, Ultimate Multisite's C(auto_create_www_subdomain) setting - V(always),
      V(main_only) or V(never) - read from its settings row (C(wp-ultimo_v2_settings) in C({prefix}sitemeta), a
      PHP-serialized array parsed as data, never executed). V(always), the plugin's default, when never saved.
    - Null, with a warning, when the settings could not be read; the mappings are returned all the same.
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
      V(certificate) (a domain did not serve a valid certificate), V(health) (a required domain is not healthy),
      V(source) (the network's database could not be read), V(missing_library) (a Python package is not
      installed).
  returned: failure
  type: str
  sample: source
source_error:
  description: On a V(source) failure, what failed - V(connect), V(connection_lost), V(credentials), V(grants),
    V(database), V(table), V(query), V(wp_config), V(table_prefix), V(stages), V(network_id) or V(settings).
  returned: failure
  type: str
  sample: table
'''

from ansible_collections.multisite.serverpilot.plugins.module_utils import ultimate_multisite as um
from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import run_module


def work(run):
    params = run.params
    settings = um.connection_settings(params)
    prefix, network_id = settings['table_prefix'], params['network_id']
    query = um.build_query(prefix, params['active_only'], params['stages'], params['blog_ids'], network_id)
    rows, (meta, problem) = um.fetch_mappings(
        settings, query, params['config_file'], params['ca_cert'], params['check_hostname'], params['connect_timeout'],
        params['query_timeout'], um.settings_query(prefix, network_id))
    names, mappings, invalid = um.shape(rows)
    for row in invalid:
        run.warn('Skipped mapping row id %s (blog %s): domain %r %s; fix it in Ultimate Multisite.'
                 % (row['id'], row['blog_id'], row['domain'], row['reason']))
    www, www_from = um.www_setting(meta) if problem is None else (None, None)
    if problem:
        run.warn("The network's settings could not be read, so www_setting is null: %s" % problem)
    return dict(changed=False, domains=names, mappings=mappings, count=len(mappings), invalid_rows=invalid,
                table=um.mappings_table(prefix, network_id), www_setting=www, www_setting_from=www_from)


def main():
    run_module(dict(
        login_host=dict(type='str'),
        login_port=dict(type='int'),
        login_unix_socket=dict(type='path'),
        login_user=dict(type='str'),
        login_password=dict(type='str', no_log=True),
        config_file=dict(type='path', default='~/.my.cnf'),
        database=dict(type='str'),
        table_prefix=dict(type='str'),
        wp_config=dict(type='path'),
        ca_cert=dict(type='path'),
        check_hostname=dict(type='bool', default=True),
        connect_timeout=dict(type='int', default=10),
        query_timeout=dict(type='int', default=30),
        active_only=dict(type='bool', default=True),
        stages=dict(type='list', elements='str', choices=list(um.STAGES), default=list(um.DEFAULT_STAGES)),
        blog_ids=dict(type='list', elements='int'),
        network_id=dict(type='int'),
    ), work, requires=['PyMySQL', 'idna'], api=False)


if __name__ == '__main__':
    main()
