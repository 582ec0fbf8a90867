# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure rules for one domain name, shared by both wings: its canonical form (IDNA, case, an IP entry's one
spelling) or the reason it is refused, the key two names compare by, whether one is under another, and a few
names for a message. The WordPress side shapes the network's rows by them; the ServerPilot side plans with them.
"""

import functools
import re

from ansible_collections.multisite.serverpilot.plugins.module_utils.addresses import ip_entry
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

try:
    import idna
except ImportError:
    idna = None  # the module flow (runner.py) reports it before any rule runs

MAX_NAME_LENGTH = 253
MAX_LABEL_LENGTH = 63

_LDH_LABEL = re.compile(r'^[a-z0-9]([a-z0-9-]*[a-z0-9])?$')


class DomainError(CollectionError, ValueError):
    """A rule refused the input; the message names every offending entry.

    Its kind is ``invalid_input`` unless a rule says ``limit`` or ``removals``.
    """


def _label_error(label):
    if not label:
        return 'has an empty label'
    if len(label) > MAX_LABEL_LENGTH:
        return 'has a label of %d characters (at most %d)' % (len(label), MAX_LABEL_LENGTH)
    if not _LDH_LABEL.match(label):
        return "has a label '%s' with characters other than letters, digits and inner hyphens" % label
    if label[2:4] == '--' and not label.startswith('xn--'):
        return "has a label '%s' with '--' in the third and fourth positions" % label
    if label.startswith('xn--'):
        try:
            idna.decode(label)
        except idna.IDNAError:
            return "has a label '%s' that is not valid punycode" % label
    return None


def _to_ascii_label(label):
    """Return the label in its ASCII form, or raise ValueError with a reason."""
    if label.isascii():
        return label.lower()
    try:
        # IDNA 2008 with the UTS #46 mapping (case folding, width mapping), as browsers do.
        return idna.encode(label, uts46=True).decode('ascii')
    except (idna.IDNAError, UnicodeError) as exc:
        raise ValueError("has a label '%s' that is not a valid internationalised name (%s)" % (label, exc))


def normalise_name(raw):
    """Return the canonical form of one entry of an app's list, or raise ValueError with a reason.

    An IPv4 or IPv6 address (ServerPilot accepts them) comes back in canonical
    form. Otherwise a leading ``*.`` wildcard label is allowed, and the rest
    must be a host name of at least two labels whose last label is not all
    digits.
    """
    if not isinstance(raw, str):
        raise ValueError('is not a string (got %s)' % type(raw).__name__)
    return _normalise(raw)


# A pure rule, called for every row of every poll of a long-lived watcher: a network's names recur poll after poll,
# and half a poll's CPU was spent normalising them again. Sized for a network of 50,000 sites (two names each).
@functools.lru_cache(maxsize=131072)
def _normalise(raw):
    name = raw.strip()
    address = ip_entry(name)
    if address is not None:
        return address
    if name.endswith('.'):
        name = name[:-1]
    if not name:
        raise ValueError('is empty')
    wildcard = name.startswith('*.')
    if wildcard:
        name = name[2:]
    labels = name.split('.')
    ascii_labels = []
    for label in labels:
        if label == '*':
            raise ValueError("has a '*' that is not the whole leftmost label")
        ascii_labels.append(_to_ascii_label(label))
    for label in ascii_labels:
        reason = _label_error(label)
        if reason:
            raise ValueError(reason)
    if len(ascii_labels) < 2:
        raise ValueError('needs at least two labels (a name like example.com)')
    if ascii_labels[-1].isdigit():
        raise ValueError('is an IP address or ends in a numeric label, not a host name')
    result = ('*.' if wildcard else '') + '.'.join(ascii_labels)
    if len(result) > MAX_NAME_LENGTH:
        raise ValueError('is %d characters long (at most %d)' % (len(result), MAX_NAME_LENGTH))
    return result


def _fail(problems):
    raise DomainError('Invalid domain names: %s. Fix these entries and run again; nothing was changed.'
                      % '; '.join("'%s' %s" % (raw, reason) for raw, reason in problems))


def normalise(names):
    """Normalise a list of names, dropping duplicates but keeping first order.

    Raises DomainError naming every invalid entry at once, so an operator
    fixes the inventory in one pass.
    """
    if not isinstance(names, (list, tuple)):
        raise DomainError('domains must be a list of names, got %s' % type(names).__name__)
    result, seen, problems = [], set(), []
    for raw in names:
        try:
            name = normalise_name(raw)
        except ValueError as exc:
            problems.append((raw, str(exc)))
            continue
        if name not in seen:
            seen.add(name)
            result.append(name)
    if problems:
        _fail(problems)
    return result


def comparison_key(name):
    """The key two names are compared by; tolerates odd entries already on the app."""
    try:
        return normalise_name(name)
    except ValueError:
        return str(name).strip().lower().rstrip('.')


def is_under(name, parents):
    """Whether ``name`` is strictly below one of ``parents`` (a leading ``*.`` on a parent is ignored)."""
    for parent in parents:
        parent = parent[2:] if parent.startswith('*.') else parent
        if parent and name.endswith('.' + parent):
            return True
    return False


def first_few(names, count=5):
    """The first ``count`` names for a message, and ', ...' when there are more."""
    return ', '.join(names[:count]) + (', ...' if len(names) > count else '')
