# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""wp-config.php's database settings as PHP has them: live definitions only, PHP's string rules, DB_HOST's forms."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import wp_config

WP_CONFIG = r"""<?php
// define('DB_NAME', 'commented_out');
/* define('DB_USER', 'old_user');
   define('DB_PASSWORD', 'old'); */
# define('DB_HOST', 'nowhere');
define( 'DB_NAME', 'network_db' );
define("DB_USER", "wp\"user");
define('DB_PASSWORD', 'p@ss//w#rd\'x');   // a password with // and # in it
define( 'DB_HOST', 'localhost:/var/run/mysqld/mysqld.sock' );
define( 'DB_CHARSET', 'utf8mb4' );
$table_prefix = "net_";
"""


def test_parse_reads_only_live_definitions():
    assert wp_config.parse(WP_CONFIG) == {
        'DB_NAME': (6, 'network_db'), 'DB_USER': (7, 'wp"user'), 'DB_PASSWORD': (8, "p@ss//w#rd'x"),
        'DB_HOST': (9, 'localhost:/var/run/mysqld/mysqld.sock'), '$table_prefix': (11, 'net_')}


def test_parse_without_a_prefix():
    assert '$table_prefix' not in wp_config.parse("<?php define('DB_NAME', 'x');")


@pytest.mark.parametrize('value, expected', [
    ('localhost', {'host': 'localhost', 'port': None, 'unix_socket': None}),
    ('db.example.net:3307', {'host': 'db.example.net', 'port': 3307, 'unix_socket': None}),
    ('localhost:/tmp/mysql.sock', {'host': 'localhost', 'port': None, 'unix_socket': '/tmp/mysql.sock'}),
    ('[::1]:3306', {'host': '::1', 'port': 3306, 'unix_socket': None}),
    ('127.0.0.1', {'host': '127.0.0.1', 'port': None, 'unix_socket': None}),
])
def test_parse_db_host(value, expected):
    assert wp_config.parse_db_host(value) == expected


@pytest.mark.parametrize('text, expected', [
    (r"define('DB_PASSWORD', 'ab\cd');", 'ab\\cd'),
    (r"define('DB_PASSWORD', 'it\'s\\x');", "it's\\x"),
    (r'define("DB_PASSWORD", "a\tb\$c\q\x41\101\u{20AC}");', 'a\tb$c\\qAA\u20ac'),
])
def test_php_string_rules(text, expected):
    assert wp_config.parse('<?php\n' + text)['DB_PASSWORD'] == (2, expected)
