# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wp-config.php reader against the real PHP: generated files, each read by php.evaluate and run by Debian's
php-cli (tests/php_oracle.py); every answer is PHP's own value or a refusal - never a third value.

The generator writes valid PHP out of the forms real wp-config.php files use and the forms that once fooled the
reader: compound assignments, CR-only and CRLF line ends, open tags in any case, comments that end at ?> or \\r,
conditions (braced, braceless, alternative syntax), functions, includes, early returns, string escapes, code
after wp-settings.php. Where php-cli is missing the test skips (in CI it fails: .ci/run installs it).
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import php

import php_oracle
from needs import need

NAMES = ('DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST', '$table_prefix')
CONSTANTS = NAMES[:4]
# the included file sets what the reader is asked about: an include the reader followed blindly would differ
INCLUDED = "<?php\ndefine('DB_NAME', 'from_include');\n$table_prefix = 'inc_';\n"


@pytest.fixture(scope='module')
def oracle(tmp_path_factory):
    need(php_oracle.available(), 'php-cli (the oracle of the differential test)', 'apt-get install php-cli')
    return php_oracle.Oracle(str(tmp_path_factory.mktemp('php-oracle')), INCLUDED)


# -- literals ------------------------------------------------------------------------------------------------------

_PLAIN = st.text(alphabet='ab_z09.-:/@ #;?>é€', min_size=0, max_size=6)
_SINGLE_PIECES = st.one_of(_PLAIN, st.sampled_from([r"\'", r'\\', r'\n', r'\x41', '"', '$x', '{$x}']))
_DOUBLE_PIECES = st.one_of(_PLAIN, st.sampled_from([
    r'\n', r'\t', r'\r', r'\v', r'\e', r'\f', r'\\', r'\$', r'\"', r'\q', r"\'", r'\x41', r'\xff', r'\xc3\xa9',
    r'\x4', r'\x', r'\101', r'\400', r'\0', r'\u{20AC}', r'\u{41}', r'\u', '$', '{', '}', '$table_prefix',
    '{$table_prefix}', '${x}', '$1', '{ $x}',
    # an index interpolated: on a string PHP throws for a name ('k'), warns for a number; on nothing it warns
    '$table_prefix[k]', '$table_prefix[0]', '$table_prefix[-1]', '{$table_prefix[0]}', '$x[k]', '$x[$y]']))


def _single(pieces):
    return "'" + ''.join(pieces) + "'"


LITERALS = st.one_of(
    st.lists(_SINGLE_PIECES, max_size=4).map(_single),
    st.lists(_DOUBLE_PIECES, max_size=4).map(lambda p: '"' + ''.join(p) + '"'),
    st.sampled_from(["'wp_'", "'net2_'", "getenv('NOPE') ?: 'env_'", "'a' . 'b'", '42', 'true', 'null',
                     "strtolower('UP_')", "<<<'EOT'\nnow_\nEOT", '<<<EOT\nhere_\nEOT', "sprintf('%s_', 'x')"]),
)

# -- statements ----------------------------------------------------------------------------------------------------

DEFINE = st.sampled_from(['define', 'DEFINE', '\\define', 'Define'])
SPACE = st.sampled_from(['', ' ', '  ', '\t', ' /* c */ '])
CONDITION = st.sampled_from(['true', 'false', "getenv('NOPE')", "defined('DB_NAME')", '1 === 1', "!defined('X')"])


@st.composite
def simple(draw):
    """One statement that sets one of the names."""
    name = draw(st.sampled_from(NAMES))
    value = draw(LITERALS)
    s = draw(SPACE)
    if name.startswith('$'):
        operator = draw(st.sampled_from(['=', '=', '.=', '??=']))
        return '%s%s%s%s%s;' % (name, s, operator, s, value)
    form = draw(st.integers(0, 3))
    if form == 0:
        return "const %s = %s;" % (name, value)
    if form == 1:
        return "if ( ! defined( '%s' ) ) {%sdefine( '%s', %s );%s}" % (name, s, name, value, s)
    return "%s(%s'%s',%s%s%s);" % (draw(DEFINE), s, name, s, value, s)


@st.composite
def statement(draw, depth=0):
    kind = draw(st.integers(0, 17 if depth == 0 else 12))
    if kind <= 5:
        return draw(simple())
    if kind == 6:
        return "// %s" % draw(st.sampled_from(["define('DB_NAME', 'commented');", 'a ?> b', 'note']))
    if kind == 7:
        return "/* %s */" % draw(simple()).replace('/*', '').replace('*/', '')
    if kind == 8:
        return "# %s" % draw(simple()).replace('\n', ' ')  # a one-line comment
    inner = draw(simple()).replace('const ', '$c_') if depth else draw(simple())
    if inner.startswith('const '):
        inner = "define('%s', 'c');" % inner.split()[1]
    if kind == 9:
        return 'if (%s) { %s }' % (draw(CONDITION), inner)
    if kind == 10:
        return 'if (%s) %s else $zz = 1;' % (draw(CONDITION), inner)
    if kind == 11:
        return 'if (%s): %s endif;' % (draw(CONDITION), inner)
    if kind == 12:
        return '$GLOBALS[\'table_prefix\'] = %s;' % draw(LITERALS)
    if kind == 13:
        number = draw(st.integers(0, 9))
        call = draw(st.booleans())
        return 'function f%d_%d() { global $table_prefix; %s }%s' % (
            number, draw(st.integers(0, 10 ** 6)), inner, '' if not call else '')
    if kind == 14:
        return draw(st.sampled_from(["require __DIR__ . '/extra.php';", "include_once __DIR__ . '/extra.php';"]))
    if kind == 15:
        return draw(st.sampled_from(['return;', 'if (%s) { return; }' % draw(CONDITION), "$n = 'table_prefix'; $$n = 'vv_';",
                                     "extract(array('table_prefix' => 'ex_'));", "?>\n<p>html</p>\n<?php",
                                     "?>\n<p>html</p>\n<?PHP", "defined('DB_USER') || define('DB_USER', 'or_');",
                                     # what may set any setting out of the reader's sight: each must refuse
                                     "eval(\"define('DB_NAME', 'ev_');\");",
                                     "$f = 'define'; $f('DB_NAME', 'vf_');",
                                     "call_user_func('define', 'DB_USER', 'cb_');",
                                     "goto skip; define('DB_HOST', 'gt_'); skip:",
                                     '__halt_compiler();']))
    if kind == 16:
        return "$table_prefix = 'wp_';\n$table_prefix .= %s;" % draw(LITERALS)
    return "define('WP_DEBUG', false); @ini_set('display_errors', 0);"


TAIL = ("if ( ! defined( 'ABSPATH' ) ) {\n\tdefine( 'ABSPATH', __DIR__ . '/' );\n}\n"
        "require_once ABSPATH . 'wp-settings.php';")


@st.composite
def wp_config(draw):
    body = draw(st.lists(statement(), min_size=1, max_size=8))
    if draw(st.booleans()):
        body.append(TAIL)
        body.extend(draw(st.lists(simple(), max_size=2)))  # after WordPress loaded: never what it reads
    newline = draw(st.sampled_from(['\n', '\r\n', '\r']))
    tag = draw(st.sampled_from(['<?php', '<?PHP', '<?Php']))
    lead = draw(st.sampled_from(['', '\n', '<!-- x -->\n']))
    text = lead + tag + newline + newline.join(body) + newline
    # functions are declared once per file
    return text


def check(oracle, text):
    ran = oracle.run(text, NAMES)
    try:
        read = php.evaluate(text, NAMES)
    except ValueError:
        return  # a refusal
    if ran is None or 'Fatal error' in ran['stderr']:
        # PHP stopped before WordPress could load: there is no value to read, only refusals
        assert not [name for name in NAMES if isinstance(read.get(name, (0, None))[1], str)], (
            'PHP fails on this file, the reader gives values %r\n%r\n%s' % (read, text, ran and ran['stderr']))
        return
    for name in NAMES:
        value = read.get(name, (None, None))[1]
        if isinstance(value, (php.Code, php.Unsure)):
            continue  # refused: the caller asks for the option instead
        if value is None:
            assert name not in ran['values'], ('%s: the reader says unset, PHP has %r\n%r'
                                               % (name, ran['values'][name], text))
            continue
        assert ran['values'].get(name) == value, ('%s: the reader says %r, PHP %r (reached %s)\n%r\n%s'
                                                  % (name, value, ran['values'].get(name), ran['reached'], text,
                                                     ran['stderr']))


@settings(max_examples=int(os.environ.get('PHP_DIFFERENTIAL_EXAMPLES', 300)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          derandomize=bool(os.environ.get('CI')))
@given(text=wp_config())
def test_generated_files_read_as_php_reads_them(oracle, text):
    check(oracle, _unique_functions(text))


def _unique_functions(text):
    """Two generated functions may share a name; PHP refuses to declare one twice."""
    import re
    seen = {}

    def rename(match):
        seen[match.group(0)] = seen.get(match.group(0), 0) + 1
        return '%s_%d' % (match.group(0), seen[match.group(0)])
    return re.sub(r'function f\d+_\d+', rename, text)


@pytest.mark.parametrize('text', [
    # the issue's two cases: PHP reads wp_net2_ in both
    "<?php\n$table_prefix = 'wp_';\n$table_prefix .= 'net2_';\n",
    "<?php\r// an old Mac file\r$table_prefix = 'wp_';\r$table_prefix = 'wp_net2_';\r",
    "<?php\r// an old Mac file\r$table_prefix = 'wp_net2_';\r",
    "<?PHP\ndefine('DB_NAME', 'upper');\n",
    "<?php\n# comment ?> <?php $table_prefix = 'after_';\n",
    "<?php\ndefine('DB_NAME', 'a');\nrequire_once ABSPATH . 'wp-settings.php';\n$table_prefix = 'late_';",
    "<?php\nrequire __DIR__ . '/extra.php';\ndefine('DB_NAME', 'mine');\n$table_prefix = 'mine_';\n",
    "<?php\nif ( ! defined( 'DB_HOST' ) ) { define( 'DB_HOST', 'db:3307' ); }\n",
    "<?php\ndefine('DB_HOST', 'first');\nif ( ! defined( 'DB_HOST' ) ) { define( 'DB_HOST', 'db:3307' ); }\n",
    "<?php\nreturn;\ndefine('DB_NAME', 'never');\n",
    "<?php\nif (true) { return; }\ndefine('DB_NAME', 'never');\n",
    '<?php\ndefine("DB_PASSWORD", "a\\xff\\xc3\\xa9\\400\\u{20AC}\\q\\$x");\n',
    "<?php\nfunction f() { global $table_prefix; $table_prefix = 'fn_'; }\n$table_prefix = 'top_';\nf();\n",
    "<?php\nconst DB_USER = 'c1', DB_NAME = 'c2';\n",
    "<?php\n$table_prefix ??= 'q_';\n",
    "<?php\ndefine('DB_NAME', 'x') ?>\n<?= 'echo' ?>\n<?php $table_prefix = 'y_';",
    "<?php\n$table_prefix = 'a_'; $t = &$table_prefix; $t = 'ref_';\n",
    "<?php\n$GLOBALS['table_prefix'] = 'g_';\n",
    "<?php\ndefine('DB_NAME', 'first');\ndefine('DB_NAME', 'second');\n",
    # an interpolated index that throws (a string indexed by a name) stops PHP before WordPress loads; one that
    # warns (a number, a variable never set) does not
    '<?php\ndefine(\'DB_NAME\', \'n\');\n$table_prefix = \'wp_\';\n$table_prefix .= "$table_prefix[k]";\n',
    '<?php\ndefine(\'DB_NAME\', \'n\');\n$table_prefix = \'wp_\';\n$table_prefix .= "$table_prefix[0]";\n',
    '<?php\ndefine(\'DB_NAME\', \'n\');\n$table_prefix = "wp_$never[k]";\n',
    '<?php\ndefine(\'DB_NAME\', \'n\');\n$table_prefix = "wp_{$never[K]}";\n',
    # an old Mac's line ends: a heredoc whose body holds a quote is still a heredoc, not a nowdoc
    "<?php\rdefine('DB_NAME', 'n');\r$s = 'x';\r$table_prefix = <<<EOT\rit's $s[key]\rEOT;\r",
    "<?php\rdefine('DB_USER', 'u');\rconst DB_NAME = <<<EOT\rit's $x\rEOT;\r",
])
def test_known_cases(oracle, text):
    check(oracle, text)


@pytest.mark.parametrize('text, name, value', [
    ("<?php\n$table_prefix = 'wp_';\n$table_prefix .= 'net2_';\n", '$table_prefix', 'wp_net2_'),
    ("<?php\r// an old Mac file\r$table_prefix = 'wp_net2_';\r", '$table_prefix', 'wp_net2_'),
    ("<?PHP\ndefine('DB_NAME', 'upper');\n", 'DB_NAME', 'upper'),
])
def test_the_issues_files_are_read_to_phps_value_not_refused(text, name, value):
    """Where the reader can evaluate a form exactly, it does: these are PHP's values, not refusals."""
    assert php.evaluate(text, NAMES)[name][1] == value
