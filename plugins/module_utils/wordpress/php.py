# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""PHP text read as data, never executed: wp-config.php's statements, string literals, serialize() values.

Pure: imports no database library, so tests call it with plain strings. The controller's environment is not
the web server's, so an expression (``getenv(...) ?: 'wp_'``) is never evaluated: it is reported as such, and
the caller refuses it unless the operator gave the setting explicitly.
"""

import re


class Code(object):
    """A setting whose value is PHP code (a function call, a concatenation, an interpolated string), not a plain
    string literal. Holds no text of it: a DB_PASSWORD expression may hold the password."""

    def __eq__(self, other):
        return isinstance(other, Code)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(Code)

    def __repr__(self):
        return 'Code()'


class Unsure(object):
    """A setting the reader cannot know as PHP would: a form it does not evaluate could set or change it (a
    conditional define, an included file, a variable variable). ``why`` and ``line`` say which; no value is held."""

    def __init__(self, why, line):
        self.why, self.line = why, line

    def __eq__(self, other):
        return isinstance(other, Unsure) and (self.why, self.line) == (other.why, other.line)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((Unsure, self.why, self.line))

    def __repr__(self):
        return 'Unsure(%r, %d)' % (self.why, self.line)


def _byte(value):
    """One byte of a PHP string as this module holds text: bytes that are not UTF-8 survive as surrogates, the
    way the file itself is decoded (surrogateescape)."""
    value &= 0xFF
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


def canonical(text):
    """The one spelling of a PHP string's bytes here: a UTF-8 sequence written byte by byte ("\\xc3\\xa9") and
    the same character written in the file compare equal."""
    return text.encode('utf-8', 'surrogateescape').decode('utf-8', 'surrogateescape')


_DOUBLE_ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', 'v': '\v', 'e': '\x1b', 'f': '\f', '\\': '\\', '$': '$',
                   '"': '"'}
_DOUBLE_ESCAPE = re.compile(r'\\([0-7]{1,3}|x[0-9A-Fa-f]{1,2}|u\{[^}]*\}?|.)', re.S)
# "$name", "{$name}" and "${name}" interpolate (a name may start with any byte from 0x80): such a string is code
_INTERPOLATION = re.compile(r'(?<!\\)(?:\\\\)*(\$[A-Za-z_{\x80-\U0010FFFF]|\{\$)')


def _double_escape(match):
    code = match.group(1)
    if code[0] in '01234567':
        return _byte(int(code, 8))
    if code[0] == 'x' and len(code) > 1:
        return _byte(int(code[1:], 16))
    if code.startswith('u{'):
        digits = code[2:-1]
        if not code.endswith('}') or not re.match(r'[0-9A-Fa-f]+\Z', digits) or int(digits, 16) > 0x10FFFF \
                or 0xD800 <= int(digits, 16) <= 0xDFFF:
            raise ValueError('a \\u{...} escape PHP refuses, or one that is no character')
        return chr(int(digits, 16))
    # PHP keeps an unknown escape as written, backslash and all
    return _DOUBLE_ESCAPES.get(code, '\\' + code)


def string_value(literal):
    """The value of one PHP string literal, quotes included, by PHP's rules; Code() where it interpolates.

    In single quotes only \\' and \\\\ are escapes (PHP keeps 'ab\\cd' as written);
    in double quotes PHP's escape sequences apply and unknown ones keep their backslash.
    """
    body = literal[1:-1]
    if literal[0] == "'":
        return canonical(re.sub(r"\\([\\'])", r'\1', body))
    if _INTERPOLATION.search(body):
        return Code()
    return canonical(_DOUBLE_ESCAPE.sub(_double_escape, body))


# -- tokens ------------------------------------------------------------------------------------------------------

_WORD = re.compile(r'[A-Za-z_\x80-\U0010FFFF\\][A-Za-z0-9_\x80-\U0010FFFF\\]*')
# a PHP name (a label): a letter, underscore or any byte from 0x80 first
_NAME = r'[A-Za-z_\x80-\U0010FFFF][A-Za-z0-9_\x80-\U0010FFFF]*'
_VARIABLE = re.compile(r'\$' + _NAME)
_NUMBER = re.compile(r'[0-9][0-9A-Za-z_.]*')
_HEREDOC = re.compile(r'<<<[ \t]*(["\']?)([A-Za-z_][A-Za-z0-9_]*)\1(\r\n|\r|\n)')
_OPERATOR = re.compile(r'\?->|\?\?=?|\?:|::|=>|->|\*\*=?|\.\.\.|<=>|===|!==|==|!=|<>|<=|>=|&&|\|\||\+\+|--|'
                       r'<<=?|>>=?|[-+*/.%&|^]=|.', re.S)
# PHP's open tags: <?php (any case) followed by white space or the end, and <?=; any other <? depends on
# short_open_tag, which is the web server's setting, not the file's
_OPEN_TAG = re.compile(r'<\?(?:[pP][hH][pP](?=[ \t\r\n]|\Z)|=)')
_NEWLINE = re.compile(r'\r\n|\r|\n')
_HALT_REST = re.compile(r'(?:\s|/\*.*?\*/)*\((?:\s|/\*.*?\*/)*\)(?:\s|/\*.*?\*/)*(;|\?>)', re.S)


class Token(object):
    __slots__ = ('kind', 'text', 'line')

    def __init__(self, kind, text, line):
        self.kind, self.text, self.line = kind, text, line

    def __repr__(self):
        return 'Token(%r, %r, %d)' % (self.kind, self.text, self.line)


def _lines(text, start, end):
    return len(_NEWLINE.findall(text, start, end))


# In double quotes and heredocs PHP reads "{$...}" and "${...}" as code up to the matching brace (where a quote does
# not end the string: "{$a["k"]}"), and "$name[...]" as a variable with one simple index: the string ends where
# PHP's lexer ends it, not at the next quote.
_NUMERIC = r'-?[0-9]+'
_SIMPLE_INDEX = re.compile(r'\[(?:%s|%s|\$%s)\]' % (_NUMERIC, _NAME, _NAME))


def _code_end(text, i, line):
    """From inside "{$" or "${" (``i`` after the brace), the position after the brace that closes it."""
    depth, n = 1, len(text)
    while i < n:
        if text[i] in '"\'':
            i = _string_end(text, i, line)
            continue
        if text[i] == '{':
            depth += 1
        elif text[i] == '}':
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError('an interpolation ({$ or ${) in a string on line %d is never closed' % line)


def _interpolated_end(text, i, line):
    """At ``i`` in a double-quoted string or heredoc: the position after what PHP lexes there as one piece (an
    escape, an interpolation, or one character)."""
    if text[i] == '\\':
        return i + 2
    if text.startswith('{$', i):
        return _code_end(text, i + 1, line)
    if text.startswith('${', i):
        return _code_end(text, i + 2, line)
    variable = _VARIABLE.match(text, i) if text[i] == '$' else None
    if variable:
        if text.startswith('[', variable.end()):
            index = _SIMPLE_INDEX.match(text, variable.end())
            if not index:
                raise ValueError('a string on line %d indexes a variable ($name[...]) in a way the reader does not '
                                 'follow as PHP does' % line)
            return index.end()
        return variable.end()
    return i + 1


_PLAIN_NAME = re.compile(_NAME + r'\Z')
_NUMERIC_KEY = re.compile(_NUMERIC + r'\Z')
# "$name[...]" (the index as _SIMPLE_INDEX lexes it), and "{$name[...]}" with a literal index: both throw only on a
# string indexed by something other than a number
_INDEXED = re.compile(r'\{?(\$%s)\[([^\]]*)\]\}?\Z' % _NAME)
_LITERAL_KEY = re.compile(r'(?:%s|\'[^\'\\]*\'|"[^"\\$]*")\Z' % _NUMERIC)


def _may_throw(body, line, may_be_string):
    """Whether an interpolation in ``body`` (a double-quoted string or heredoc, without its quotes) can throw when
    PHP runs it: a value that may be a string (``may_be_string(name)``) indexed by other than a number ("$s[k]":
    "Cannot access offset of type string on string"), or code in "{$...}" / "${...}" beyond a name and one literal
    index ("{$a[K]}": an undefined constant, "{$o->f()}"). A plain "$name", "{$name}", "${name}", a numeric index,
    an index of what was never set, or a property only ever warn."""
    i = 0
    while i < len(body):
        end = _interpolated_end(body, i, line)
        piece = body[i:end]
        i = end
        if not piece.startswith(('$', '{$', '${')) or _PLAIN_NAME.match(piece.lstrip('{$').rstrip('}')):
            continue
        indexed = _INDEXED.match(piece)
        if not indexed:
            if piece.startswith(('{', '${')):
                return True  # code: a call, a constant, a class
            continue  # "$o->p": a property of a non-object warns
        name, key = indexed.groups()
        if piece.startswith('{') and not _LITERAL_KEY.match(key):
            return True  # "{$a[K]}": an undefined constant throws
        if not _NUMERIC_KEY.match(key) and may_be_string(name):
            return True
    return False


def _heredoc_body(token):
    """The text after a heredoc's opening line, where PHP interpolates and reads escapes; None for any other
    token and for a nowdoc (<<<'EOT'), whatever the file's line ends."""
    opening = _HEREDOC.match(token.text) if token.kind == 'heredoc' else None
    return token.text[opening.end():] if opening and opening.group(1) != "'" else None


def _statement_may_throw(statement, may_be_string):
    """The line of the first string of ``statement`` whose interpolation can throw (_may_throw), or None."""
    for token in statement.toks:
        body = token.text[1:-1] if token.kind == 'string' and token.text[0] == '"' else _heredoc_body(token)
        if body is not None and _may_throw(body, token.line, may_be_string):
            return token.line
    return None


def _string_end(text, start, line):
    quote, end, n = text[start], start + 1, len(text)
    while end < n and text[end] != quote:
        end = _interpolated_end(text, end, line) if quote == '"' else end + (2 if text[end] == '\\' else 1)
    if end >= n:
        raise ValueError('a string opened on line %d is never closed' % line)
    return end + 1


def _heredoc_interpolations(body, line):
    """Refuse a heredoc body whose interpolations do not close within it."""
    i = 0
    while i < len(body):
        i = _interpolated_end(body, i, line)
    if i > len(body):
        raise ValueError('a heredoc on line %d ends inside an escape or interpolation' % line)


def _inline_html(text, i, line):
    """Skip inline HTML from ``i`` to the next open tag: (position after the tag, line), or (len, line)."""
    while True:
        at = text.find('<?', i)
        if at < 0:
            return len(text), line + _lines(text, i, len(text))
        tag = _OPEN_TAG.match(text, at)
        line += _lines(text, i, at)
        if not tag:
            raise ValueError("'<?' on line %d is an open tag only where the server's short_open_tag is on" % line)
        return tag.end(), line


def tokens(text):
    """PHP source as tokens (kinds: string, heredoc, word, variable, number, op, end), comments and inline HTML
    dropped, each with its line, as PHP's own lexer splits them. ``end`` stands for ``?>``, which ends a
    statement as ``;`` does. Raises ValueError for what PHP would not read the same way everywhere (a short open
    tag, a ``#[`` attribute, which PHP 7 reads as a comment) or not at all (an unclosed string or comment)."""
    out, line = [], 1
    i, line = _inline_html(text, 0, line)
    n = len(text)
    while i < n:
        char = text[i]
        if char in ' \t\r\n':
            if char == '\n' or (char == '\r' and not text.startswith('\r\n', i)):
                line += 1
            i += 1
            continue
        start = i
        if char in ('"', "'"):
            i = _string_end(text, i, line)
            out.append(Token('string', text[start:i], line))
        elif text.startswith('/*', i):
            end = text.find('*/', i + 2)
            if end < 0:
                raise ValueError('a comment opened on line %d is never closed' % line)
            i = end + 2
        elif text.startswith('#[', i):
            raise ValueError('line %d has an attribute (#[), which PHP 7 reads as a comment and PHP 8 as code' % line)
        elif char == '#' or text.startswith('//', i):
            # a one-line comment ends at \n, at \r (an old Mac file's line end) or at ?>, as PHP's lexer has it
            while i < n and text[i] not in '\r\n' and not text.startswith('?>', i):
                i += 1
        elif text.startswith('?>', i):
            out.append(Token('end', '?>', line))
            i, line = _inline_html(text, i + 2, line)
            continue
        elif _HEREDOC.match(text, i):
            label = _HEREDOC.match(text, i).group(2)
            close = re.compile(r'[\r\n][ \t]*%s(?![A-Za-z0-9_\x80-\U0010FFFF])' % re.escape(label)).search(
                text, _HEREDOC.match(text, i).end() - 1)
            if not close:
                raise ValueError('a heredoc opened on line %d is never closed' % line)
            i = close.end()
            opening = _HEREDOC.match(text, start)
            if "'" not in opening.group(1):  # a nowdoc interpolates nothing
                _heredoc_interpolations(text[opening.end():close.start()], line)
            out.append(Token('heredoc', text[start:i], line))
        elif char == '$' and _VARIABLE.match(text, i):
            i = _VARIABLE.match(text, i).end()
            out.append(Token('variable', text[start:i], line))
        elif _NUMBER.match(text, i):
            i = _NUMBER.match(text, i).end()
            out.append(Token('number', text[start:i], line))
        elif _WORD.match(text, i):
            i = _WORD.match(text, i).end()
            out.append(Token('word', text[start:i], line))
            if text[start:i].lower() == '__halt_compiler':
                # the rest of the file is data, never PHP: stop at the statement's end
                if not _HALT_REST.match(text, i):
                    raise ValueError('__halt_compiler on line %d is not followed by ();' % line)
                out.append(Token('end', ';', line))
                return out
        else:
            i = _OPERATOR.match(text, i).end()
            out.append(Token('op', text[start:i], line))
        line += _lines(text, start, i)
    return out


# -- statements ---------------------------------------------------------------------------------------------------

_ALT_END = ('endif', 'endwhile', 'endfor', 'endforeach', 'endswitch', 'enddeclare')
_FUNCTION_WORDS = ('function', 'fn', 'class', 'interface', 'trait', 'enum')
_STOPS = ('return', 'exit', 'die', '__halt_compiler')
_INCLUDES = ('include', 'include_once', 'require', 'require_once')
# what can set any variable, or run any code, without naming it
_ANY_VARIABLE = ('extract', 'parse_str', 'mb_parse_str', 'import_request_variables')
_ANY_CODE = ('eval', 'goto', 'namespace', 'use', 'create_function')


def _word(token):
    return token.text.lower().lstrip('\\') if token.kind == 'word' else None


class Statement(object):
    """Tokens of one statement, with where it stands: ``conditional`` inside any block or alternative-syntax
    control structure (or after a braceless if/else/while), ``in_function`` inside a function, closure or class
    body, ``header`` the part of a control structure or declaration before its block."""

    def __init__(self, toks, conditional, in_function, header=False):
        self.toks, self.conditional, self.in_function, self.header = toks, conditional, in_function, header
        self.line = toks[0].line if toks else 0

    def first(self):
        return _word(self.toks[0]) if self.toks else None


def _alt_header(current):
    """Whether ``current`` is the head of an alternative-syntax control structure: ``else`` alone, or a keyword
    and its own parenthesised condition (``if ($a) $b = $c ? f() : 2;`` is no head)."""
    word = _word(current[0])
    if word == 'else':
        return len(current) == 1
    if word not in ('if', 'elseif', 'while', 'for', 'foreach', 'switch', 'declare') or len(current) < 3 or \
            current[1].text != '(':
        return False
    depth = 0
    for at, token in enumerate(current[1:], 1):
        if token.kind == 'op' and token.text in ('(', '[', '{'):
            depth += 1
        elif token.kind == 'op' and token.text in (')', ']', '}'):
            depth -= 1
            if depth == 0:
                return at == len(current) - 1
    return False


def statements(toks):
    """The statements of a token list, in order, each knowing whether it runs unconditionally at the file's top
    level. Raises ValueError where brackets, braces or an alternative syntax do not balance."""
    out, current, depth, blocks, alt = [], [], 0, [], 0

    def finish(header=False):
        if current:
            out.append(Statement(list(current), bool(blocks) or alt > 0, 'function' in blocks, header))
        del current[:]

    for at, token in enumerate(toks):
        text = token.text if token.kind == 'op' else None
        if text in ('(', '[') or (text == '{' and depth):
            depth += 1
        elif text in (')', ']') or (text == '}' and depth):
            depth -= 1
            if depth < 0:
                raise ValueError("line %d closes a '%s' that was never opened" % (token.line, token.text))
        if depth:
            current.append(token)
            continue
        if token.kind == 'end' or text == ';':
            finish()
        elif text == '{':
            words = set(_word(t) for t in current)
            finish(header=True)
            blocks.append('function' if words & set(_FUNCTION_WORDS) else 'block')
        elif text == '}':
            finish()
            if not blocks:
                raise ValueError("line %d closes a '}' that was never opened" % token.line)
            blocks.pop()
        elif text == ':' and current and _alt_header(current):
            # if (...): ... endif; - the alternative syntax
            if _word(current[0]) not in ('else', 'elseif'):
                alt += 1
            finish(header=True)
        else:
            if not current and _word(token) in _ALT_END:
                alt -= 1
                if alt < 0:
                    raise ValueError('line %d ends a control structure that was never opened' % token.line)
            current.append(token)
    if depth or blocks or alt:
        raise ValueError('the file ends inside an unclosed bracket, brace or control structure')
    finish()
    return out


# -- wp-config.php's settings, as PHP has them when it loads wp-settings.php --------------------------------------

def _literal(expression):
    """A list of tokens as a value: the string for one plain string literal, else Code()."""
    if len(expression) == 1 and expression[0].kind == 'string':
        return string_value(expression[0].text)
    return Code()


def _split(toks):
    """Tokens split at their top-level commas."""
    parts, current, depth = [], [], 0
    for token in toks:
        if token.kind == 'op' and token.text in ('(', '[', '{'):
            depth += 1
        elif token.kind == 'op' and token.text in (')', ']', '}'):
            depth -= 1
        elif token.kind == 'op' and token.text == ',' and depth == 0:
            parts.append(current)
            current = []
            continue
        current.append(token)
    return parts + [current]


def _call_args(toks, start):
    """The arguments of the call whose '(' is toks[start] (lists of tokens) and the index after its ')';
    (None, None) when it is never closed in ``toks``."""
    depth = 0
    for at in range(start, len(toks)):
        if toks[at].kind == 'op' and toks[at].text in ('(', '[', '{'):
            depth += 1
        elif toks[at].kind == 'op' and toks[at].text in (')', ']', '}'):
            depth -= 1
            if depth == 0:
                return _split(toks[start + 1:at]), at + 1
    return None, None


def _define_name(args):
    """The constant a define()'s arguments name, or None when its name is no plain string literal."""
    if args and len(args[0]) == 1 and args[0][0].kind == 'string':
        name = string_value(args[0][0].text)
        return None if isinstance(name, Code) else name
    return None


def _simple_define(toks):
    """(name, value, the value's tokens) of a statement that is exactly ``define('NAME', value)``, else None."""
    if len(toks) < 3 or _word(toks[0]) != 'define' or toks[1].text != '(':
        return None
    args, end = _call_args(toks, 1)
    if args is None or end != len(toks) or len(args) != 2 or not args[1]:
        return None
    name = _define_name(args)
    return None if name is None else (name, _literal(args[1]), args[1])


def _simple_const(toks):
    """[(name, value, the value's tokens)] of a statement that is exactly ``const A = value, B = value``, else None."""
    if len(toks) < 4 or _word(toks[0]) != 'const':
        return None
    found, parts = [], _split(toks[1:])
    for part in parts:
        if len(part) < 3 or part[0].kind != 'word' or part[1].text != '=':
            return None
        if any(t.kind == 'variable' or t.text == '(' or t.kind == 'string' and isinstance(string_value(t.text), Code)
               or '$' in (_heredoc_body(t) or '') for t in part[2:]):
            # PHP refuses the whole file at compile time ("Constant expression contains invalid operations")
            raise ValueError('line %d declares a const whose value is no constant expression' % part[0].line)
        found.append((part[0].text, _literal(part[2:]), part[2:]))
    return found


def _guarded_define(statements_, at):
    """``if ( ! defined( 'NAME' ) ) { define( 'NAME', value ); }`` with no else, its header at ``at``: (name,
    value), else None. PHP defines NAME there only where nothing defined it before."""
    head = statements_[at]
    toks = head.toks
    shape = [t.text.lower().lstrip('\\') if t.kind == 'word' else t.text for t in toks]
    if not head.header or len(toks) != 8 or shape[:5] != ['if', '(', '!', 'defined', '('] or shape[6:] != [')', ')'] \
            or toks[5].kind != 'string' or at + 1 >= len(statements_):
        return None
    name = string_value(toks[5].text)
    inner = statements_[at + 1]
    found = _simple_define(inner.toks)
    following = statements_[at + 2] if at + 2 < len(statements_) else None
    if found is None or found[0] != name or inner.header or (following is not None and following.first() in (
            'else', 'elseif')):
        return None
    # the block holds that one statement: the next statement is no longer inside it
    if following is not None and following.conditional and not head.conditional and not following.header:
        return None
    return name, found[1]


def _is_settings_include(statement):
    toks = statement.toks
    if not toks or _word(toks[0]) not in _INCLUDES:
        return False
    strings = [t for t in toks if t.kind == 'string']
    if not strings or toks[-1].text not in (')',) + tuple([strings[-1].text]):
        return False
    value = string_value(strings[-1].text)
    return not isinstance(value, Code) and value.endswith('wp-settings.php') and \
        (value == 'wp-settings.php' or value.endswith('/wp-settings.php'))


class _State(object):
    """Constants and variables as the evaluation has them so far."""

    def __init__(self):
        self.values = {}     # name ('$var' or 'CONST') -> (line, value)
        self.unsure = {}     # name -> Unsure, for good
        self.all_constants = None   # Unsure for every constant, for good
        self.all_variables = None
        self.stopped = None  # Unsure for what is set from here on: code before may have stopped the file
        # Unsure for every name, set before or after: PHP may fail on a line before WordPress loads, and then no
        # value of the file is what WordPress reads
        self.failed = None

    def spoil(self, name, why, line):
        self.unsure.setdefault(name, Unsure(why, line))

    def spoil_all(self, constants, variables, line, why):
        """Every constant and/or variable: ``why`` (its %d the line) may have set it out of the reader's sight."""
        if constants and self.all_constants is None:
            self.all_constants = Unsure(why % line, line)
        if variables and self.all_variables is None:
            self.all_variables = Unsure(why % line, line)

    def define(self, name, value, line, constant):
        if self.stopped is not None:
            return self.spoil(name, self.stopped.why, self.stopped.line)
        if name in self.values and constant:
            first_line, first = self.values[name]
            if first != value:  # PHP keeps the first, and warns; a file like that holds a stale copy
                self.spoil(name, 'is defined twice with different values (lines %d, %d): remove the stale one'
                           % (first_line, line), line)
            return
        if name in self.values and not constant and self.values[name][1] != value and \
                self.values[name][2:] != ('composed',):
            self.spoil(name, 'is set twice with different values (lines %d, %d): remove the stale one'
                       % (self.values[name][0], line), line)
        self.values[name] = (line, value)

    def result(self):
        out = {}
        names = set(self.values) | set(self.unsure)
        for name in names:
            blanket = self.blanket(name)
            if self.failed is not None:
                out[name] = (self.failed.line, self.failed)
            elif name in self.unsure:
                out[name] = (self.unsure[name].line, self.unsure[name])
            elif blanket is not None:
                out[name] = (blanket.line, blanket)
            else:
                out[name] = self.values[name][:2]
        return out

    def may_be_string(self, name):
        """Whether variable ``name`` may hold a string now: it does, or the reader cannot know (never set: null)."""
        if name in self.unsure or self.blanket(name) is not None:
            return True
        return name in self.values

    def blanket(self, name):
        """The Unsure that covers ``name`` though it was never named (an include, a variable variable, a line
        where PHP may fail)."""
        if self.failed is not None:
            return self.failed
        return self.all_variables if name.startswith('$') else self.all_constants


def _taint(state, statement):
    """What a statement the evaluator does not run can change: every constant it may define and every variable it
    names, or everything, where it can reach what it does not name."""
    toks, where = statement.toks, ('inside a function or class body' if statement.in_function else
                                   'under a condition or in a block' if statement.conditional else
                                   'in an expression')
    for at, token in enumerate(toks):
        word = _word(token)
        previous = toks[at - 1].text if at else None
        following = toks[at + 1].text if at + 1 < len(toks) else None
        if word == 'define' and following == '(' and previous not in ('->', '::', '?->', 'function'):
            args, dummy = _call_args(toks, at + 1)
            name = _define_name(args or [])
            if name is None:
                state.spoil_all(True, False, token.line,
                                'may be defined on line %d, which calls define() with a name the reader cannot know')
            else:
                state.spoil(name, 'is defined on line %d %s, which the reader does not evaluate' % (token.line, where),
                            token.line)
        elif word == 'const' and statement.conditional:
            for part_at in range(at + 1, len(toks) - 1):
                if toks[part_at].kind == 'word' and toks[part_at + 1].text == '=':
                    state.spoil(toks[part_at].text, 'is declared on line %d %s' % (token.line, where), token.line)
        elif token.kind == 'variable' and previous not in ('->', '::', '?->'):
            if token.text == '$GLOBALS':
                state.spoil_all(False, True, token.line,
                                'may be set on line %d, which writes through $GLOBALS')
            else:
                state.spoil(token.text, 'is used on line %d %s, which the reader does not evaluate'
                            % (token.line, where), token.line)
            if following == '(':
                state.spoil_all(True, True, token.line,
                                'may be set on line %d, which calls a function through a variable')
        elif token.kind == 'op' and token.text == '$':
            state.spoil_all(False, True, token.line,
                            'may be set on line %d, which uses a variable variable ($$ or ${...})')
        elif token.kind == 'op' and token.text in (')', ']') and following == '(':
            state.spoil_all(True, True, token.line,
                            'may be set on line %d, which calls the result of an expression')
        elif word in _ANY_VARIABLE:
            state.spoil_all(False, True, token.line,
                            'may be set on line %%d, which calls %s(), setting variables it does not name' % word)
        elif word in _ANY_CODE:
            state.spoil_all(True, True, token.line,
                            "may be set on line %%d, which uses '%s' (the reader does not follow it)" % word)
        elif word in _INCLUDES:
            state.spoil_all(True, True, token.line,
                            'may be set on line %d, which includes another file')
        elif token.kind == 'string' and _is_define_name(token):
            state.spoil_all(True, False, token.line,
                            'may be defined on line %d, which names define as a string (a callback)')
        elif word in _STOPS or word == 'throw':
            if statement.in_function:  # a function may be called before its place in the file
                state.spoil_all(True, True, token.line,
                                'may never be set: line %%d may stop the file from a function (%s)' % word)
            elif state.stopped is None:
                state.stopped = Unsure('comes after line %d, which may stop the file before it (%s)'
                                       % (token.line, word), token.line)


def _is_define_name(token):
    value = string_value(token.text)
    return isinstance(value, str) and value.lower().lstrip('\\') == 'define'


def evaluate(text, names=()):
    """The constants and variables a PHP file has set when it loads WordPress (its ``require_once ABSPATH .
    'wp-settings.php'``), or when it stops: {name: (line, value)}, a variable named with its ``$``.

    ``value`` is a string, exactly PHP's; Code() where PHP's value comes from code the reader never runs (a call,
    a concatenation, a number); or Unsure where a form the reader does not evaluate may set or change it - a
    condition, an included file, a function, a variable variable, a compound assignment it cannot follow. A name
    the file never sets is absent, unless it is one of ``names`` and something may have set it unseen (an
    include). The file is never executed; ValueError where PHP would not read it at all (an unclosed string or
    bracket) or would read it differently from server to server (a short open tag).
    """
    state = _State()
    toks = tokens(text)
    for token in toks:  # what PHP refuses when it compiles the file, wherever it stands
        if _heredoc_body(token) is not None or token.kind == 'string' and token.text[0] == '"':
            for match in _DOUBLE_ESCAPE.finditer(token.text):
                if match.group(1).startswith('u{'):
                    _double_escape(match)
    found = statements(toks)
    for statement in found:
        if statement.first() == 'const' and not statement.in_function:
            if statement.conditional:
                raise ValueError('line %d declares a const inside a block, which PHP refuses' % statement.line)
            _simple_const(statement.toks)
    at = 0
    while at < len(found):
        statement = found[at]
        at += 1
        throws = _statement_may_throw(statement, state.may_be_string)
        if throws is not None and state.failed is None:
            state.failed = Unsure('cannot be trusted: line %d may stop PHP before WordPress loads (a string there '
                                  'interpolates an index or code, which can throw)' % throws, throws)
        if statement.conditional:
            _taint(state, statement)
        elif statement.header:
            guarded = _guarded_define(found, at - 1)
            if guarded is None:
                _taint(state, statement)
            else:
                if guarded[0] not in state.values:
                    state.define(guarded[0], guarded[1], statement.line, True)
                at += 1
        elif _is_settings_include(statement):
            break
        elif not _run(state, statement):
            _taint(state, statement)
        elif statement.first() in _STOPS:
            break
    result = state.result()
    for name in names:
        if name not in result and state.blanket(name) is not None:
            result[name] = (state.blanket(name).line, state.blanket(name))
    return result


def _run(state, statement):
    """Run one unconditional top-level statement of a form evaluated exactly; False for any other form."""
    toks, line = statement.toks, statement.line
    simple = _simple_define(toks)
    consts = [simple] if simple is not None else _simple_const(toks)
    if consts is not None:
        for name, value, value_toks in consts:
            if isinstance(value, Code):  # the expression itself may set something
                _taint(state, Statement(value_toks, False, False))
            state.define(name, value, line, True)
        return True
    if len(toks) >= 3 and toks[0].kind == 'variable' and toks[0].text != '$GLOBALS' and toks[1].kind == 'op':
        operator, rhs = toks[1].text, toks[2:]
        if operator == '=' and rhs[0].text != '&':
            value = _literal(rhs)
            if isinstance(value, Code):
                _taint(state, Statement(rhs, False, False))
            state.define(toks[0].text, value, line, False)
            return True
        if operator in ('.=', '??=') and len(rhs) == 1 and rhs[0].kind == 'string':
            _compound(state, toks[0].text, operator, string_value(rhs[0].text), line)
            return True
        return False
    # return; exit; die('...'); __halt_compiler(): the file stops here
    runs_code = [t for t in toks[1:] if t.kind == 'variable' or _word(t) in ('define',) + _INCLUDES]
    return statement.first() in _STOPS and not runs_code


def _compound(state, name, operator, value, line):
    """``$name .= 'literal'`` and ``$name ??= 'literal'``, evaluated exactly where the value before is known."""
    before = state.values.get(name)
    if operator == '??=' and before is None and state.stopped is None:
        state.values[name] = (line, value, 'composed')  # unset: ??= assigns
        return
    if state.stopped is not None or before is None or not isinstance(before[1], str) or isinstance(value, Code):
        state.spoil(name, "is changed with '%s' on line %d where the reader cannot know its value" % (operator, line),
                    line)
        return
    if operator == '.=':
        state.values[name] = (line, canonical(before[1] + value), 'composed')
    # ??= keeps a value that is set and not null, as a string is


# -- serialize() ---------------------------------------------------------------------------------------------------

MAX_DEPTH = 32  # WordPress options nest a few levels; anything deeper is not a settings row
_INTEGER = re.compile(br'-?[0-9]+\Z')
_FLOAT = re.compile(br'-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z|-?INF\Z|NAN\Z')


def unserialize(data, max_depth=MAX_DEPTH):
    """A value PHP's serialize() wrote, read as data: nothing is ever executed or instantiated.

    Handles null, booleans, integers, floats, strings (lengths in bytes) and arrays; an object becomes a dict
    of its properties. Raises ValueError for anything else: a malformed value, lengths that do not match
    (what a plain SQL search-replace leaves behind), a key that is no integer or string, nesting deeper than
    ``max_depth``.
    """
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogateescape')
    value, end = _value(data, 0, max_depth)
    if end != len(data):
        raise ValueError('trailing data after the value at byte %d' % end)
    return value


def _until(data, pos, stop, pattern=_INTEGER):
    end = data.find(stop, pos)
    if end < 0:
        raise ValueError('unterminated value at byte %d' % pos)
    text = data[pos:end]
    if not pattern.match(text):
        raise ValueError('malformed number %r at byte %d' % (text[:20], pos))
    return text.decode('ascii'), end + len(stop)


def _count(data, pos, stop):
    text, end = _until(data, pos, stop)
    if int(text) < 0:
        raise ValueError('negative length at byte %d' % pos)
    return int(text), end


def _value(data, pos, depth):
    kind = data[pos:pos + 2]
    if kind == b'N;':
        return None, pos + 2
    if kind == b'b:':
        text, end = _until(data, pos + 2, b';')
        if text not in ('0', '1'):
            raise ValueError('malformed boolean at byte %d' % pos)
        return text == '1', end
    if kind == b'i:':
        text, end = _until(data, pos + 2, b';')
        return int(text), end
    if kind == b'd:':
        text, end = _until(data, pos + 2, b';', _FLOAT)
        return float(text), end
    if kind == b's:':
        length, pos = _count(data, pos + 2, b':"')
        end = pos + length
        if data[end:end + 2] != b'";':
            raise ValueError('string length does not match at byte %d' % pos)
        return data[pos:end].decode('utf-8', 'surrogateescape'), end + 2
    if kind in (b'a:', b'O:'):
        if depth <= 0:
            raise ValueError('nested deeper than %d levels at byte %d' % (MAX_DEPTH, pos))
        if kind == b'O:':  # O:<len>:"<class>":<count>:{...} - the class name is skipped, never used
            length, pos = _count(data, pos + 2, b':"')
            if data[pos + length:pos + length + 2] != b'":':
                raise ValueError('class name length does not match at byte %d' % pos)
            count, pos = _count(data, pos + length + 2, b':{')
        else:
            count, pos = _count(data, pos + 2, b':{')
        result = {}
        for dummy in range(count):
            if data[pos:pos + 2] not in (b'i:', b's:'):
                raise ValueError('an array key must be an integer or a string, at byte %d' % pos)
            key, pos = _value(data, pos, depth - 1)
            result[key], pos = _value(data, pos, depth - 1)
        if data[pos:pos + 1] != b'}':
            raise ValueError('array not closed at byte %d' % pos)
        return result, pos + 1
    raise ValueError('unsupported PHP serialized type %r at byte %d' % (data[pos:pos + 1], pos))


# -- values as PHP's casts read them -----------------------------------------------------------------------------

def to_int(value):
    """``(int) $value`` for what a database column holds: NULL is 0, '12abc' is 12, what is no number is 0."""
    if value is None:
        return 0
    if isinstance(value, (bool, int)):
        return int(value)
    if isinstance(value, bytes):
        value = value.decode('ascii', 'replace')
    match = re.match(r'\s*([-+]?[0-9]+)', str(value))
    return int(match.group(1)) if match else 0


def to_bool(value):
    """``(bool) $value`` for what a database column holds: NULL, 0, '0' and '' are false."""
    if isinstance(value, bytes):
        value = value.decode('ascii', 'replace')
    return value not in (None, 0, '0', '', False)
