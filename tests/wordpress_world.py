# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A WordPress network made by WordPress's own code (Debian's wordpress, php-cli and php-mysql), on the real
MariaDB of the suite: its setup page writes wp-config.php, wp_install() and populate_network() create the
network, wpmu_create_blog() and friends change its sites, and get_sites() says what it serves.

Nothing here writes a WordPress table by hand: what the reader is held against is what WordPress itself did.
"""

import json
import os
import shutil
import subprocess

WORDPRESS = '/usr/share/wordpress'

# Loads WordPress as its pages do, with HTTP and mail switched off (no network here): the hooks are set before
# WordPress starts, in the form WP_Hook::build_preinitialized_hooks() takes.
PRELUDE = r"""<?php
define( 'ABSPATH', __DIR__ . '/' );
$_SERVER['HTTP_HOST'] = $_SERVER['SERVER_NAME'] = getenv( 'WP_TEST_HOST' );
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD'] = getenv( 'WP_TEST_METHOD' ) ?: 'GET';
$off = function () { return new WP_Error( 'offline', 'no network in the test world' ); };
$no_mail = function () { return false; };
$wp_filter = array(
    'pre_http_request' => array( 10 => array( array( 'function' => $off, 'accepted_args' => 1 ) ) ),
    'pre_wp_mail' => array( 10 => array( array( 'function' => $no_mail, 'accepted_args' => 1 ) ) ),
);
"""

SETUP = PRELUDE + r"""
// wp-admin/setup-config.php?step=2, as its form posts it
$_GET['step'] = 2;
$_POST = array( 'dbname' => getenv( 'WP_DB_NAME' ), 'uname' => getenv( 'WP_DB_USER' ), 'pwd' => getenv( 'WP_DB_PASSWORD' ),
                'dbhost' => getenv( 'WP_DB_HOST' ), 'prefix' => getenv( 'WP_TABLE_PREFIX' ), 'language' => '',
                'submit' => 'Submit' );
require ABSPATH . 'wp-admin/setup-config.php';
"""

INSTALL = PRELUDE + r"""
define( 'WP_INSTALLING', true );
require ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/network.php';
$domain = getenv( 'WP_TEST_HOST' );
wp_install( 'Test network', 'admin', 'admin@example.org', true, '', 'admin-pw-1' );
// Network Setup (wp-admin/network.php): the tables, then the network itself, subdomain mode
foreach ( $wpdb->tables( 'ms_global' ) as $table => $prefixed_table ) {
    $wpdb->$table = $prefixed_table;
}
install_network();
$result = populate_network( 1, $domain, 'admin@example.org', 'Test network', '/', true );
if ( is_wp_error( $result ) && 'no_wildcard_dns' !== $result->get_error_code() ) {
    fwrite( STDERR, $result->get_error_message() );
    exit( 1 );
}
"""

# What Network Setup tells the admin to add to wp-config.php, above the "stop editing" line.
MULTISITE = """define( 'MULTISITE', true );
define( 'SUBDOMAIN_INSTALL', true );
define( 'DOMAIN_CURRENT_SITE', '{domain}' );
define( 'PATH_CURRENT_SITE', '/' );
define( 'SITE_ID_CURRENT_SITE', 1 );
define( 'BLOG_ID_CURRENT_SITE', 1 );
"""

SITES = PRELUDE + r"""
require ABSPATH . 'wp-load.php';
$command = json_decode( getenv( 'WP_TEST_COMMAND' ), true );
switch ( $command[0] ) {
    case 'create':  // site-new.php: a subdomain site by its name, its domain as WordPress builds it
        $signup = wpmu_validate_blog_signup( $command[1], 'Site ' . $command[1] );
        if ( $signup['errors']->has_errors() ) {
            fwrite( STDERR, implode( '; ', $signup['errors']->get_error_messages() ) );
            exit( 1 );
        }
        $id = wpmu_create_blog( $signup['domain'], $signup['path'], $signup['blog_title'], 1, array(), 1 );
        if ( is_wp_error( $id ) ) {
            fwrite( STDERR, $id->get_error_message() );
            exit( 1 );
        }
        echo json_encode( array( 'id' => $id, 'domain' => $signup['domain'] ) );
        break;
    case 'status':  // Network Admin > Sites: archive, spam, delete (flag) a site
        update_blog_status( $command[1], $command[2], $command[3] );
        break;
    case 'rename':  // Network Admin > Sites > Edit: the site's address, WordPress's own domain mapping
        $site = wp_update_site( $command[1], array( 'domain' => $command[2] ) );
        if ( is_wp_error( $site ) ) {
            fwrite( STDERR, $site->get_error_message() );
            exit( 1 );
        }
        break;
    case 'served':  // what WordPress serves: ms_site_check() refuses an archived, spam or deleted site
        $served = array();
        foreach ( get_sites( array( 'network_id' => 1, 'number' => 0 ) ) as $site ) {
            if ( '1' !== $site->archived && '1' !== $site->spam && '1' !== $site->deleted ) {
                $served[] = $site->domain;
            }
        }
        echo json_encode( $served );
        break;
}
"""


def available():
    return bool(shutil.which('php') and os.path.exists(os.path.join(WORDPRESS, 'wp-admin', 'setup-config.php'))
                and subprocess.run(['php', '-r', 'exit(function_exists("mysqli_connect") ? 0 : 1);'],
                                   check=False).returncode == 0)


class WordPressNetwork:
    """One network: WordPress's code in ``base`` (its top-level files copied, so ABSPATH is ``base``; wp-admin
    and wp-includes linked), its tables in ``database`` under ``prefix``."""

    def __init__(self, mariadb, base, database, domain, prefix='wpx_'):
        self.mariadb, self.base, self.database, self.domain, self.prefix = mariadb, base, database, domain, prefix
        self.user, self.password = 'wp_' + database[-20:], 'WordPress-pw-%s' % database
        self.wp_config = os.path.join(base, 'wp-config.php')

    def _php(self, script, **env):
        path = os.path.join(self.base, '_test_%d.php' % abs(hash(script)))
        with open(path, 'w') as handle:
            handle.write(script)
        run_env = dict(os.environ, WP_TEST_HOST=self.domain, **env)
        proc = subprocess.run(['php', path], cwd=self.base, env=run_env, capture_output=True, text=True, timeout=300,
                              check=False)
        if proc.returncode != 0:
            raise RuntimeError('php %s failed: %s %s'
                               % (script[len(PRELUDE):][:60], proc.stdout[-2000:], proc.stderr[-2000:]))
        return proc.stdout

    def install(self):
        os.makedirs(self.base)
        for name in os.listdir(WORDPRESS):
            source = os.path.join(WORDPRESS, name)
            if name in ('wp-admin', 'wp-includes'):
                os.symlink(source, os.path.join(self.base, name))
            elif os.path.isfile(source) and name != 'wp-config.php':  # Debian's own config looks in /etc
                shutil.copy(source, self.base)
        os.makedirs(os.path.join(self.base, 'wp-content', 'themes'))
        self.mariadb.sql('DROP DATABASE IF EXISTS `%s`; CREATE DATABASE `%s`;' % (self.database, self.database))
        self.mariadb.create_user(self.user, self.password, self.database, privileges='ALL')
        self._php(SETUP, WP_TEST_METHOD='POST', WP_DB_NAME=self.database, WP_DB_USER=self.user,
                  WP_DB_PASSWORD=self.password, WP_DB_HOST='localhost:' + self.mariadb.socket,
                  WP_TABLE_PREFIX=self.prefix)
        if not os.path.exists(self.wp_config):
            raise RuntimeError("WordPress's setup page wrote no wp-config.php")
        self._php(INSTALL)
        with open(self.wp_config) as handle:
            text = handle.read()
        marker = "/* That's all, stop editing!"
        text = text.replace(marker, MULTISITE.format(domain=self.domain) + '\n' + marker, 1)
        with open(self.wp_config, 'w') as handle:
            handle.write(text)
        return self

    def command(self, *args):
        out = self._php(SITES, WP_TEST_COMMAND=json.dumps(args))
        return json.loads(out) if out.strip() else None

    def create_site(self, name):
        return self.command('create', name)

    def set_status(self, site_id, flag, value=1):
        self.command('status', site_id, flag, value)

    def rename(self, site_id, domain):
        self.command('rename', site_id, domain)

    def served(self):
        return self.command('served')
