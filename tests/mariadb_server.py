# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real MariaDB server (Debian's mariadb-server) in a temporary data directory, for the tests.

Listens on a Unix socket and on a loopback port; stopped at the end of the session.
"""

import os
import shutil
import socket
import subprocess
import time

# The table as Ultimate Multisite's installer creates it.
DDL = """
CREATE TABLE `{table}` (
  `id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `blog_id` bigint(20) unsigned NOT NULL,
  `domain` varchar(191) NOT NULL,
  `active` tinyint(4) DEFAULT 1,
  `primary_domain` tinyint(4) DEFAULT 0,
  `secure` tinyint(4) DEFAULT 0,
  `stage` enum('checking-dns','checking-ssl-cert','done-without-ssl','done','failed','ssl-failed')
    DEFAULT 'checking-dns',
  `date_created` datetime NULL,
  `date_modified` datetime NULL,
  PRIMARY KEY (`id`),
  KEY `blog_id` (`blog_id`,`domain`,`active`),
  KEY `domain` (`domain`)
) DEFAULT CHARSET=utf8mb4
"""


# WordPress core's network options table (wp-admin/includes/schema.php).
SITEMETA_DDL = """
CREATE TABLE IF NOT EXISTS `{prefix}sitemeta` (
  meta_id bigint(20) unsigned NOT NULL auto_increment,
  site_id bigint(20) unsigned NOT NULL default '0',
  meta_key varchar(255) default NULL,
  meta_value longtext,
  PRIMARY KEY  (meta_id),
  KEY meta_key (meta_key(191)),
  KEY site_id (site_id)
) DEFAULT CHARSET=utf8mb4
"""


# WordPress core's network tables (wp-admin/includes/schema.php, wp_get_db_schema('ms_global')).
WORDPRESS_DDL = """
CREATE TABLE `{prefix}site` (
  id bigint(20) NOT NULL auto_increment,
  domain varchar(200) NOT NULL default '',
  path varchar(100) NOT NULL default '',
  PRIMARY KEY  (id),
  KEY domain (domain(140),path(51))
) DEFAULT CHARSET=utf8mb4;
CREATE TABLE `{prefix}blogs` (
  blog_id bigint(20) NOT NULL auto_increment,
  site_id bigint(20) NOT NULL default '0',
  domain varchar(200) NOT NULL default '',
  path varchar(100) NOT NULL default '',
  registered datetime NOT NULL default '0000-00-00 00:00:00',
  last_updated datetime NOT NULL default '0000-00-00 00:00:00',
  public tinyint(2) NOT NULL default '1',
  archived tinyint(2) NOT NULL default '0',
  mature tinyint(2) NOT NULL default '0',
  spam tinyint(2) NOT NULL default '0',
  deleted tinyint(2) NOT NULL default '0',
  lang_id int(11) NOT NULL default '0',
  PRIMARY KEY  (blog_id),
  KEY domain (domain(50),path(5)),
  KEY lang_id (lang_id)
) DEFAULT CHARSET=utf8mb4;
"""

# {prefix}domain_mapping as each plugin's own code creates it.
PLUGIN_DDL = {
    # Mercator: check_table() in mercator.php
    'mercator': """
CREATE TABLE `{prefix}domain_mapping` (
  id bigint(20) NOT NULL auto_increment,
  blog_id bigint(20) NOT NULL,
  domain varchar(255) NOT NULL,
  active tinyint(4) default 1,
  PRIMARY KEY  (id),
  KEY blog_id (blog_id,domain,active),
  KEY domain (domain)
)""",
    # WPMU Domain Mapping (Donncha O Caoimh): maybe_create_db() in domain_mapping.php
    'wpmu_domain_mapping': """
CREATE TABLE IF NOT EXISTS `{prefix}domain_mapping` (
  `id` bigint(20) NOT NULL auto_increment,
  `blog_id` bigint(20) NOT NULL,
  `domain` varchar(255) NOT NULL,
  `active` tinyint(4) default '1',
  PRIMARY KEY  (`id`),
  KEY `blog_id` (`blog_id`,`domain`,`active`)
)""",
    # WPMU DEV Domain Mapping: Domainmap_Module_System::setup_database(), then its upgrades to 4.0.3 and 4.2
    'wpmudev_domain_mapping': """
CREATE TABLE IF NOT EXISTS `{prefix}domain_mapping` (`id` BIGINT NOT NULL AUTO_INCREMENT, `blog_id` BIGINT NOT NULL,
  `domain` VARCHAR(191) NOT NULL, `active` TINYINT DEFAULT 1, PRIMARY KEY (`id`),
  KEY `blog_id` (`blog_id`, `domain`, `active`)) DEFAULT CHARACTER SET utf8mb4;
ALTER TABLE `{prefix}domain_mapping` CHANGE COLUMN `active` `active` TINYINT(4) UNSIGNED NOT NULL DEFAULT 1,
  ADD COLUMN `is_primary` TINYINT UNSIGNED NOT NULL DEFAULT 0  AFTER `blog_id`;
ALTER TABLE `{prefix}domain_mapping` ADD COLUMN `scheme` TINYINT UNSIGNED NOT NULL DEFAULT 2  AFTER `active`;
""",
    # Dark Matter: DM_Database::upgrade_domains()
    'dark_matter': """
CREATE TABLE `{prefix}domain_mapping` (
  id BIGINT(20) NOT NULL AUTO_INCREMENT,
  blog_id BIGINT(20) NOT NULL,
  is_primary TINYINT(4) DEFAULT '0',
  domain VARCHAR(255) NOT NULL,
  active TINYINT(4) DEFAULT '1',
  is_https TINYINT(4) DEFAULT '0',
  type TINYINT(4) DEFAULT '1',
  PRIMARY KEY  (id)
) DEFAULT CHARSET=utf8mb4""",
}


def php_serialize(value):
    """What PHP's serialize() writes for strings, integers, booleans, None and (nested) arrays."""
    if value is None:
        return 'N;'
    if isinstance(value, bool):
        return 'b:%d;' % value
    if isinstance(value, int):
        return 'i:%d;' % value
    if isinstance(value, str):
        return 's:%d:"%s";' % (len(value.encode('utf-8')), value)
    if isinstance(value, dict):
        return 'a:%d:{%s}' % (len(value), ''.join(php_serialize(k) + php_serialize(v) for k, v in value.items()))
    raise TypeError(type(value))


def _binary(*names):
    for name in names:
        path = shutil.which(name) or (os.path.join('/usr/sbin', name) if os.path.exists(
            os.path.join('/usr/sbin', name)) else None)
        if path:
            return path
    return None


def available():
    return bool(_binary('mariadbd', 'mysqld') and _binary('mariadb-install-db', 'mysql_install_db'))


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class MariaDB:
    def __init__(self, base):
        self.base = base
        self.datadir = os.path.join(base, 'data')
        self.socket = os.path.join(base, 'mysqld.sock')
        # its own temporary directory: at the shared /tmp, two set-ups at once (two pytest workers, another suite)
        # clash on the installer's temporary tables ("Could not remove temporary table '/tmp/#sql-temptable-...'")
        self.tmpdir = os.path.join(base, 'tmp')
        self.port = _free_port()
        self.process = None

    def start(self):
        user = ['--user=root'] if os.geteuid() == 0 else []
        os.makedirs(self.tmpdir, exist_ok=True)
        # the installer passes --tmpdir on to the server it bootstraps with
        done = subprocess.run([_binary('mariadb-install-db', 'mysql_install_db'), '--no-defaults',
                               '--datadir=' + self.datadir, '--tmpdir=' + self.tmpdir,
                               '--auth-root-authentication-method=socket',
                               '--skip-test-db'] + user, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError('mariadb-install-db failed (%d): %s' % (done.returncode, (done.stdout + done.stderr)[-3000:]))
        return self.resume()

    def resume(self):
        """Start the server again on its data directory and port (after stop()): a database back from an outage."""
        user = ['--user=root'] if os.geteuid() == 0 else []
        self.process = subprocess.Popen(
            [_binary('mariadbd', 'mysqld'), '--no-defaults', '--datadir=' + self.datadir, '--tmpdir=' + self.tmpdir,
             '--socket=' + self.socket,
             '--port=%d' % self.port, '--bind-address=127.0.0.1', '--skip-name-resolve',
             '--pid-file=' + os.path.join(self.base, 'mysqld.pid'),
             '--log-error=' + os.path.join(self.base, 'error.log')] + user,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('mariadbd exited: ' + open(os.path.join(self.base, 'error.log')).read()[-2000:])
            try:
                self.sql('SELECT 1')
                return self
            except subprocess.CalledProcessError:
                time.sleep(0.2)
        raise RuntimeError('mariadbd did not start within 60 s')

    def sql(self, statement, database=None):
        """Run SQL as the server's root over its socket (the root account authenticates by socket only)."""
        cmd = [_binary('mariadb', 'mysql'), '--no-defaults', '--socket=' + self.socket, '--user=root', '--batch',
               '--skip-column-names']
        if database:
            cmd.append(database)
        return subprocess.run(cmd, input=statement, check=True, capture_output=True, text=True).stdout

    def create_wordpress(self, database, prefix='wp_', network_domain='network.example'):
        """A fresh database with WordPress core's network tables: network 1 and its main site."""
        self.sql('DROP DATABASE IF EXISTS `%s`; CREATE DATABASE `%s`;' % (database, database))
        self.sql(WORDPRESS_DDL.format(prefix=prefix), database)
        self.sql(SITEMETA_DDL.format(prefix=prefix), database)
        self.sql("INSERT INTO `%ssite` (id, domain, path) VALUES (1, '%s', '/')" % (prefix, network_domain), database)
        self.add_site(database, prefix, 1, network_domain)

    def add_site(self, database, prefix, blog_id, domain, path='/', site_id=1, **flags):
        """A site as WordPress stores it; ``flags``: archived, spam, deleted, public (0 or 1)."""
        self.add_sites(database, prefix, [dict(flags, blog_id=blog_id, domain=domain, path=path, site_id=site_id)])

    def add_sites(self, database, prefix, sites):
        """Sites (dicts: blog_id, domain, and any of path, site_id, archived, spam, deleted, public), one call."""
        self.insert_rows(database, prefix + 'blogs',
                         [dict({'path': '/', 'site_id': 1, 'archived': 0, 'spam': 0, 'deleted': 0, 'public': 1},
                               **site) for site in sites], now=('registered',))

    def create_network(self, database, prefix='wp_', rows=()):
        """A WordPress network with the Ultimate Multisite mappings table and ``rows`` in it."""
        self.create_wordpress(database, prefix)
        self.sql(DDL.format(table=prefix + 'wu_domain_mappings'), database)
        self.insert(database, prefix, rows)

    def add_network(self, database, prefix, network_id, rows=()):
        """Another network of a multi-network install (Ultimate Multisite 2.4.8+): its own mappings table."""
        self.sql("INSERT INTO `%ssite` (id, domain, path) VALUES (%d, 'network%d.example', '/')"
                 % (prefix, network_id, network_id), database)
        self.sql(DDL.format(table='%swu_%d_domain_mappings' % (prefix, network_id)), database)
        self.insert(database, prefix, rows, network_id)

    def add_plugin(self, database, prefix, source, rows=()):
        """A mapping plugin's {prefix}domain_mapping, created by that plugin's own DDL, with ``rows``
        (dicts of its columns)."""
        self.sql(PLUGIN_DDL[source].format(prefix=prefix), database)
        self.insert_rows(database, prefix + 'domain_mapping', rows)

    def insert(self, database, prefix, rows, network_id=None):
        """Ultimate Multisite mappings (dicts: blog_id, domain, and any other column of its table)."""
        table = prefix + ('wu_%d_domain_mappings' % network_id if network_id else 'wu_domain_mappings')
        self.insert_rows(database, table, [dict({'active': 1, 'primary_domain': 0, 'secure': 0, 'stage': 'done'}, **row)
                                           for row in rows], now=('date_created',))

    def insert_rows(self, database, table, rows, now=()):
        """Rows (dicts of column values, quoted here) in one call; the ``now`` columns get NOW()."""
        statements = ["INSERT INTO `%s` (%s) VALUES (%s);"
                      % (table, ', '.join(list(row) + list(now)),
                         ', '.join(["'%s'" % str(v).replace('\\', '\\\\').replace("'", "''") for v in row.values()]
                                   + ['NOW()'] * len(now)))
                      for row in rows]
        if statements:
            self.sql('\n'.join(statements), database)

    def save_network_settings(self, database, prefix, settings, network_id=1):
        """The plugin's settings as it saves them: a PHP-serialized array in the network option
        wp-ultimo_v2_settings of {prefix}sitemeta (WordPress core's table, created if missing)."""
        self.save_network_option(database, prefix, 'wp-ultimo_v2_settings', settings, network_id)

    def save_network_option(self, database, prefix, key, value, network_id=1):
        """A network option as update_network_option() stores it: an array PHP-serialized, a string as it is."""
        self.sql(SITEMETA_DDL.format(prefix=prefix), database)
        stored = (value if isinstance(value, str) else php_serialize(value)).replace('\\', '\\\\').replace("'", "''")
        self.sql("DELETE FROM `%ssitemeta` WHERE site_id = %d AND meta_key = '%s'; "
                 "INSERT INTO `%ssitemeta` (site_id, meta_key, meta_value) VALUES (%d, '%s', '%s')"
                 % (prefix, network_id, key, prefix, network_id, key, stored), database)

    def create_user(self, user, password, database, privileges='SELECT'):
        scope = '*.*' if database == '*' else '`%s`.*' % database
        for host in ('localhost', '127.0.0.1'):
            self.sql("CREATE USER IF NOT EXISTS '%s'@'%s' IDENTIFIED BY '%s'; GRANT %s ON %s TO '%s'@'%s';"
                     % (user, host, password, privileges, scope, user, host))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
