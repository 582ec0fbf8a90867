# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PHP text read as data: wp-config.php statements, string literals, serialize() values - plain strings in."""

import random

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php

CODE = php.Code()


def assigned(text):
    return dict((name, value) for name, (line, value) in php.evaluate('<?php\n' + text).items())


@pytest.mark.parametrize('text, name, value', [
    ("$table_prefix = 'wpx_';", '$table_prefix', 'wpx_'),
    # a statement after another on the same line: statements, not lines
    ("define('WP_DEBUG', false); $table_prefix = 'wpx_';", '$table_prefix', 'wpx_'),
    ("define( 'DB_NAME', 'a;b' ); $table_prefix='wpx_' ;", '$table_prefix', 'wpx_'),
    ("define( 'DB_NAME', 'a;b' );", 'DB_NAME', 'a;b'),
    ("$table_prefix = getenv('WP_TABLE_PREFIX') ?: 'wpx_';", '$table_prefix', CODE),
    ("define( 'DB_HOST', getenv_docker('WORDPRESS_DB_HOST', 'mysql') );", 'DB_HOST', CODE),
    ("$table_prefix = getenv_docker('WORDPRESS_TABLE_PREFIX', 'wp_');", '$table_prefix', CODE),
    ("define('DB_NAME', 'net' . 'work');", 'DB_NAME', CODE),
    ('define("DB_NAME", "db_$suffix");', 'DB_NAME', CODE),
    ('define("DB_NAME", "db_{$suffix}");', 'DB_NAME', CODE),
    # PHP reads code up to the closing brace, quotes and all: the string does not end at the inner quote
    ('define("DB_NAME", "db_{$names["main"]}"); define(\'DB_USER\', \'u\');', 'DB_USER', 'u'),
    ('define("DB_NAME", "db_$names[main]"); define(\'DB_USER\', \'u\');', 'DB_USER', 'u'),
    ('define("DB_NAME", "db_\\$suffix");', 'DB_NAME', 'db_$suffix'),
    ("const DB_USER = 'constant_user';", 'DB_USER', 'constant_user'),
    ("DEFINE('DB_USER', 'upper'); \\define('DB_NAME', 'qualified');", 'DB_USER', 'upper'),
    # PHP's function names ignore case: every spelling defines
    ("Define('DB_USER', 'mixed');", 'DB_USER', 'mixed'),
    ("dEfInE('DB_NAME', 'odd');", 'DB_NAME', 'odd'),
    # WordPress's own idiom: defined here only where nothing defined it before
    ("if ( ! defined('DB_HOST') ) { define('DB_HOST', 'db:3307'); }", 'DB_HOST', 'db:3307'),
    ("define('DB_HOST', 'first'); if ( ! defined('DB_HOST') ) { define('DB_HOST', 'db:3307'); }", 'DB_HOST', 'first'),
    ("define('WP_HOME', 'x') ?>\n<p>html</p>\n<?php $table_prefix = 'after_';", '$table_prefix', 'after_'),
    ("$x = <<<EOT\n$table_prefix = 'inside_';\nEOT;\n$table_prefix = 'outside_';", '$table_prefix', 'outside_'),
    ("$table_prefix = 'a_' # a comment with ; in it\n;", '$table_prefix', 'a_'),
    # PHP's compound assignments, where the value before is known
    ("$table_prefix = 'wp_'; $table_prefix .= 'net2_';", '$table_prefix', 'wp_net2_'),
    ("$table_prefix ??= 'wpq_';", '$table_prefix', 'wpq_'),
    ("$table_prefix = 'a_'; $table_prefix ??= 'wpq_';", '$table_prefix', 'a_'),
    # an old Mac file: a one-line comment ends at \r, so the next line is code
    ("// note\r$table_prefix = 'cr_';", '$table_prefix', 'cr_'),
    ("# note ?> <?php $table_prefix = 'tag_';", '$table_prefix', 'tag_'),
    # what WordPress reads is what is set when wp-settings.php loads
    ("$table_prefix = 'a_';\nrequire_once ABSPATH . 'wp-settings.php';\n$table_prefix = 'late_';", '$table_prefix',
     'a_'),
])
def test_statements_are_read_as_php_runs_them(text, name, value):
    assert assigned(text)[name] == value


@pytest.mark.parametrize('text', [
    "// $table_prefix = 'commented_';",
    "/* $table_prefix = 'commented_'; */",
    "$object->table_prefix = 'property_';",
    "echo '$table_prefix = \"in a string\";';",
    "return; $table_prefix = 'after_return_';",
])
def test_what_sets_no_table_prefix(text):
    assert '$table_prefix' not in assigned(text)


@pytest.mark.parametrize('text, why', [
    ("$GLOBALS['table_prefix'] = 'elsewhere_';", 'writes through $GLOBALS'),
    ("$table_prefix .= 'more_';", "is changed with '.='"),
    ("$table_prefix = 'a_'; $table_prefix == 'compared_';", 'is used on line 2 in an expression'),
    ("if (getenv('X')) { $table_prefix = 'cond_'; }", 'under a condition or in a block'),
    ("if (getenv('X')): $table_prefix = 'alt_'; endif;", 'under a condition or in a block'),
    ("if (getenv('X')) $table_prefix = 'braceless_';", 'in an expression'),
    ("function f() { global $table_prefix; $table_prefix = 'f_'; } $table_prefix = 'a_';", 'inside a function'),
    ("$n = 'table_prefix'; $$n = 'vv_';", 'variable variable'),
    ("extract(array('table_prefix' => 'x_'));", 'extract()'),
    ("require 'local.php'; $table_prefix = 'a_';", 'includes another file'),
    ("if (getenv('X')) { exit; } $table_prefix = 'a_';", 'may stop the file before it (exit)'),
    ("$table_prefix = 'a_'; $table_prefix = 'b_';", 'set twice with different values (lines 2, 2)'),
])
def test_what_the_reader_cannot_follow_is_unsure_with_its_line(text, why):
    value = php.evaluate('<?php\n' + text, ['$table_prefix'])['$table_prefix'][1]
    assert isinstance(value, php.Unsure) and why in value.why and value.line == 2


def test_lines_are_the_statements_own():
    text = "<?php\n/* one\ntwo */ define('DB_NAME',\n  'x'); $table_prefix\n = 'p_';\n"
    assert php.evaluate(text) == {'DB_NAME': (3, 'x'), '$table_prefix': (4, 'p_')}
    assert php.evaluate("<?php\r\r$table_prefix = 'p_';")['$table_prefix'][0] == 3


@pytest.mark.parametrize('text, words', [
    ("<?php\n\ndefine('DB_NAME', 'x);\n", 'line 3'),
    ("<?php\n/* never closed", 'comment opened on line 2'),
    ("<? $table_prefix = 'short_';", 'short_open_tag'),
    ("<?php\n#[Attribute]\n$table_prefix = 'x_';", 'PHP 7 reads as a comment'),
    ("<?php\nif (1) { $table_prefix = 'x_';", 'unclosed'),
    ("<?php\nconst DB_NAME = getenv('X');", 'no constant expression'),
    ('<?php\ndefine("DB_NAME", "\\u{110000}");', 'no character'),
    # found by the differential test: PHP reads "{$..." as code to a closing brace that never comes
    ('<?php\n$table_prefix = "wp_";\n$table_prefix .= "{$table_prefix";\n', 'never closed'),
    ('<?php\ndefine("DB_NAME", "$names["main"]");', 'indexes a variable'),
    ("<?php\n$table_prefix = <<<EOT\n{$prefix\nEOT;\n", 'never closed'),
])
def test_what_php_would_not_read_or_reads_differently_is_refused(text, words):
    with pytest.raises(ValueError) as info:
        php.evaluate(text)
    assert words in str(info.value)


def test_no_php_at_all_sets_nothing():
    assert php.evaluate("$table_prefix = 'x';") == {}


@pytest.mark.parametrize('literal, expected', [
    (r"'ab\cd'", 'ab\\cd'),
    (r"'it\'s\\x'", "it's\\x"),
    (r'"a\tb\$c\q\x41\101\u{20AC}"', 'a\tb$c\\qAA\u20ac'),
    (r'"plain"', 'plain'),
    (r'"$interpolated"', CODE),
])
def test_string_literals(literal, expected):
    assert php.string_value(literal) == expected


@pytest.mark.parametrize('data, value', [
    ('N;', None),
    ('b:1;', True),
    ('i:-42;', -42),
    ('d:0.5;', 0.5),
    ('s:6:"bücher";'.replace('6', '7'), 'bücher'),
    ('a:2:{s:25:"auto_create_www_subdomain";s:9:"main_only";i:3;a:0:{}}',
     {'auto_create_www_subdomain': 'main_only', 3: {}}),
    ('O:8:"stdClass":1:{s:1:"a";i:1;}', {'a': 1}),
])
def test_unserialize(data, value):
    assert php.unserialize(data) == value


@pytest.mark.parametrize('data', [
    # a search-replace of network.example by shop.example.com without fixing the length
    'a:1:{s:6:"domain";s:15:"shop.example.com";}',
    'a:1:{a:0:{}i:1;}',            # an array as a key
    'a:1:{N;i:1;}',                # null as a key
    'a:1:{i:0;' * 3000 + 'N;' + '}' * 3000,  # 3000 nested arrays
    'a:1:{i:0;' * 40 + 'N;' + '}' * 40,
    's:-1:"";',
    'i:1_000;',
    'i: 1;',
    'b:2;',
    's:3:"abc"',
    'a:1:{i:0;i:1;',
    'i:1;i:2;',
    'O:3:"stdClass":0:{}',
    'C:3:"Foo":0:{}',
    'r:1;',
    'd:1e;',
    '',
    's:99999999999999999999:"x";',
])
def test_malformed_values_are_value_errors(data):
    with pytest.raises(ValueError):
        php.unserialize(data)


def test_nesting_is_bounded_where_php_itself_would_read_it():
    deep = 'a:1:{i:0;' * 3000 + 'N;' + '}' * 3000
    with pytest.raises(ValueError) as info:
        php.unserialize(deep)
    assert 'nested deeper than 32 levels' in str(info.value)
    assert php.unserialize('a:1:{i:0;' * 31 + 'N;' + '}' * 31) is not None


def test_no_mutation_of_a_settings_row_raises_anything_but_value_error():
    valid = php_settings = ('a:3:{s:25:"auto_create_www_subdomain";s:6:"always";s:7:"domains";a:2:{i:0;s:9:'
                            '"a.example";i:1;b:1;}s:5:"ratio";d:0.25;}')
    assert php.unserialize(valid)['auto_create_www_subdomain'] == 'always'
    alphabet = 'asidbNO:;{}"0123456789-.'
    rng = random.Random(19)
    for dummy in range(3000):
        chars = list(php_settings)
        for dummy2 in range(rng.randint(1, 4)):
            at = rng.randrange(len(chars))
            action = rng.randrange(3)
            if action == 0:
                chars[at] = rng.choice(alphabet)
            elif action == 1:
                del chars[at]
            else:
                chars.insert(at, rng.choice(alphabet))
        try:
            php.unserialize(''.join(chars))
        except ValueError:
            pass


@pytest.mark.parametrize('value, as_int, as_bool', [
    (None, 0, False), (0, 0, False), (1, 1, True), (2, 2, True), ('0', 0, False), ('1', 1, True), ('', 0, False),
    ('12abc', 12, True), (b'2', 2, True), ('x', 0, True),
])
def test_values_as_php_casts_read_them(value, as_int, as_bool):
    assert php.to_int(value) == as_int and php.to_bool(value) is as_bool


@pytest.mark.parametrize('text, trusted', [
    # PHP 8: "Cannot access offset of type string on string" - the file dies before WordPress loads
    ('<?php\ndefine("DB_NAME", "n");\n$table_prefix = "wp_";\n$table_prefix .= "$table_prefix[k]";\n', False),
    ('<?php\ndefine("DB_NAME", "n");\n$table_prefix = "wp_{$x[K]}";\n', False),  # an undefined constant
    ('<?php\ndefine("DB_NAME", "n");\n$table_prefix = "{$o->name()}";\n', False),
    ('<?php\ndefine("DB_NAME", "n");\n$s = \'x\';\n$table_prefix = <<<EOT\nwp_$s[key]\nEOT;\n', False),
    ('<?php\ndefine("DB_NAME", "n");\n$table_prefix = "wp_$never_set[key]";\n', True),  # null indexed: a warning
    # these only ever warn: the value before them stands
    ('<?php\ndefine("DB_NAME", "n");\n$table_prefix = "wp_$x";\n', True),
    ('<?php\ndefine("DB_NAME", "n");\n$table_prefix = "wp_{$x}";\n', True),
    ('<?php\ndefine("DB_NAME", "n");\n$table_prefix = "wp_$x[0]";\n', True),
    ('<?php\ndefine("DB_NAME", "n");\n$table_prefix = \'wp_$x[k]\';\n', True),  # single quotes: no interpolation
    ('<?php\ndefine("DB_NAME", "n");\n$table_prefix = "wp_\\$x[k]";\n', True),  # an escaped $
    # line ends of an old Mac: the heredoc's opening line still tells a heredoc from a nowdoc
    ('<?php\rdefine("DB_NAME", "n");\r$s = \'it\\\'s\';\r$table_prefix = <<<EOT\rit\'s $s[key]\rEOT;\r', False),
    ('<?php\rdefine("DB_NAME", "n");\r$s = \'x\';\r$table_prefix = <<<\'EOT\'\rwp_$s[key]\rEOT;\r', True),
])
def test_a_line_that_may_throw_leaves_no_value_trusted(text, trusted):
    found = php.evaluate(text, ('DB_NAME', '$table_prefix'))
    assert (found['DB_NAME'] == (2, 'n')) is trusted, found
    if not trusted:
        assert 'may stop PHP before WordPress loads' in found['DB_NAME'][1].why
