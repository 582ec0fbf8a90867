# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""PHP text read as data, never executed: wp-config.php's statements, string literals, serialize() values.

Pure: imports no database library, so tests call it with plain strings. The controller's environment is not
the web server's, so an expression (``getenv(...) ?: 'wp_'``) is never evaluated: it is reported as such, and
the caller refuses it unless the operator gave the setting explicitly.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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


_DOUBLE_ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', 'v': '\v', 'e': '\x1b', 'f': '\f', '\\': '\\', '$': '$',
                   '"': '"'}
_DOUBLE_ESCAPE = re.compile(r'\\([0-7]{1,3}|x[0-9A-Fa-f]{1,2}|u\{[0-9A-Fa-f]+\}|.)', re.S)
# "$name", "{$name}" and "${name}" interpolate: such a string is code, not a literal
_INTERPOLATION = re.compile(r'(?<!\\)(?:\\\\)*(\$[A-Za-z_{]|\{\$)')


def _double_escape(match):
    code = match.group(1)
    if code[0] in '01234567':
        return chr(int(code, 8) & 0xFF)
    if code[0] == 'x' and len(code) > 1:
        return chr(int(code[1:], 16))
    if code.startswith('u{'):
        return chr(int(code[2:-1], 16))
    # PHP keeps an unknown escape as written, backslash and all
    return _DOUBLE_ESCAPES.get(code, '\\' + code)


def string_value(literal):
    """The value of one PHP string literal, quotes included, by PHP's rules; Code() where it interpolates.

    In single quotes only \\' and \\\\ are escapes (PHP keeps 'ab\\cd' as written);
    in double quotes PHP's escape sequences apply and unknown ones keep their backslash.
    """
    body = literal[1:-1]
    if literal[0] == "'":
        return re.sub(r"\\([\\'])", r'\1', body)
    if _INTERPOLATION.search(body):
        return Code()
    return _DOUBLE_ESCAPE.sub(_double_escape, body)


# -- tokens and statements ---------------------------------------------------------------------------------------

_WORD = re.compile(r'[A-Za-z_\x80-\uffff\\][A-Za-z0-9_\x80-\uffff\\]*')
_VARIABLE = re.compile(r'\$[A-Za-z_\x80-\uffff][A-Za-z0-9_\x80-\uffff]*')
_NUMBER = re.compile(r'[0-9][0-9A-Za-z_.]*')
_HEREDOC = re.compile(r'<<<[ \t]*(["\']?)([A-Za-z_][A-Za-z0-9_]*)\1\r?\n')
_OPERATOR = re.compile(r'\?->|\?\?=?|\?:|::|=>|->|\*\*=?|\.\.\.|<=>|===|!==|==|!=|<>|<=|>=|&&|\|\||\+\+|--|'
                       r'<<=?|>>=?|[-+*/.%&|^]=|.', re.S)


class Token(object):
    __slots__ = ('kind', 'text', 'line')

    def __init__(self, kind, text, line):
        self.kind, self.text, self.line = kind, text, line

    def __repr__(self):
        return 'Token(%r, %r, %d)' % (self.kind, self.text, self.line)


def _string_end(text, start):
    quote, end, n = text[start], start + 1, len(text)
    while end < n and text[end] != quote:
        end += 2 if text[end] == '\\' else 1
    if end >= n:
        raise ValueError('a string opened on line %d is never closed' % (text.count('\n', 0, start) + 1))
    return end + 1


def tokens(text):
    """PHP source as tokens (kinds: string, heredoc, word, variable, number, op, end), comments and inline HTML
    dropped, each with its line. ``end`` stands for ``?>``, which ends a statement as ``;`` does."""
    out, i, n, line = [], 0, len(text), 1
    php = text.find('<?php')
    if php < 0:
        return out
    line += text.count('\n', 0, php)
    i = php + len('<?php')
    while i < n:
        char = text[i]
        if char in ' \t\r\n':
            line += char == '\n'
            i += 1
            continue
        start = i
        if char in ('"', "'"):
            i = _string_end(text, i)
            out.append(Token('string', text[start:i], line))
        elif text.startswith('/*', i):
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
        elif char == '#' or text.startswith('//', i):
            if text.startswith('#[', i):  # a PHP 8 attribute, not a comment
                out.append(Token('op', '#[', line))
                i += 2
                continue
            while i < n and text[i] != '\n' and not text.startswith('?>', i):
                i += 1
        elif text.startswith('?>', i):
            out.append(Token('end', '?>', line))
            reopen = text.find('<?php', i)
            i = n if reopen < 0 else reopen + len('<?php')
        elif _HEREDOC.match(text, i):
            label = _HEREDOC.match(text, i).group(2)
            close = re.compile(r'\n[ \t]*%s\b' % re.escape(label)).search(text, i)
            if not close:
                raise ValueError('a heredoc opened on line %d is never closed' % line)
            i = close.end()
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
        else:
            i = _OPERATOR.match(text, i).end()
            out.append(Token('op', text[start:i], line))
        line += text.count('\n', start, i)
    return out


def statements(toks):
    """Tokens split into statements: at ``;`` and ``?>`` outside parentheses and brackets, and at every brace (a
    block's statements stand on their own)."""
    current, depth = [], 0
    for token in toks:
        if token.kind == 'end' or (token.kind == 'op' and token.text in ';{}' and (depth == 0 or token.text != ';')):
            if token.text in '{}':
                depth = 0  # a brace ends whatever was open: a closure's body is read as statements too
            if current:
                yield current
            current = []
            continue
        if token.kind == 'op' and token.text in ('(', '[', '#['):
            depth += 1
        elif token.kind == 'op' and token.text in (')', ']'):
            depth = max(0, depth - 1)
        current.append(token)
    if current:
        yield current


def value_of(expression):
    """A list of tokens as a value: the string for one plain string literal, else Code()."""
    if len(expression) == 1 and expression[0].kind == 'string':
        return string_value(expression[0].text)
    return Code()


def _arguments(statement, start):
    """The arguments of the call whose '(' is statement[start]: lists of tokens, split at top-level commas."""
    args, current, depth = [], [], 0
    for token in statement[start + 1:]:
        if token.kind == 'op' and token.text in ('(', '[', '#['):
            depth += 1
        elif token.kind == 'op' and token.text in (')', ']'):
            if depth == 0:
                args.append(current)
                return args
            depth -= 1
        elif token.kind == 'op' and token.text == ',' and depth == 0:
            args.append(current)
            current = []
            continue
        current.append(token)
    return None  # never closed


def assignments(text):
    """Every ``define('NAME', value)``, ``const NAME = value`` and ``$variable = value`` of a PHP file, in order:
    (name, line, value), where value is a string or Code(). A constant is named as written, a variable with its
    ``$``. Only the first-level form counts: ``$a['b'] = ...`` or ``$a .= ...`` is not an assignment of $a."""
    found = []
    for statement in statements(tokens(text)):
        for at, token in enumerate(statement):
            following = statement[at + 1] if at + 1 < len(statement) else None
            if following is None:
                break
            if token.kind == 'word' and token.text.lower().lstrip('\\') == 'define' and following.text == '(' \
                    and (at == 0 or statement[at - 1].text not in ('->', '::', '?->', 'function')):
                args = _arguments(statement, at + 1)
                if args and len(args) >= 2 and len(args[0]) == 1 and args[0][0].kind == 'string':
                    name = string_value(args[0][0].text)
                    if not isinstance(name, Code):
                        found.append((name, token.line, value_of(args[1])))
            elif token.kind == 'word' and token.text.lower() == 'const' and following.kind == 'word' and \
                    at + 2 < len(statement) and statement[at + 2].text == '=':
                found.append((following.text, token.line, value_of(_until_comma(statement[at + 3:]))))
            elif token.kind == 'variable' and following.text == '=' and \
                    (at == 0 or statement[at - 1].text not in ('->', '::', '?->', '$')):
                found.append((token.text, token.line, value_of(_until_comma(statement[at + 2:]))))
    return found


def _until_comma(toks):
    """An assignment's right-hand side: to the statement's end, or a top-level comma (``const A = 'a', B = 'b'``)."""
    out, depth = [], 0
    for token in toks:
        if token.kind == 'op' and token.text in ('(', '[', '#['):
            depth += 1
        elif token.kind == 'op' and token.text in (')', ']'):
            depth -= 1
            if depth < 0:
                break
        elif token.kind == 'op' and token.text == ',' and depth == 0:
            break
        out.append(token)
    return out


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
