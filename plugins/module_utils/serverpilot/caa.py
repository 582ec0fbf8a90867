# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CAA as a CA evaluates it (RFC 8659, with the RFC 8657 parameters), for Let's Encrypt and ServerPilot's AutoSSL.

Pure: it takes the lookups already made - for the name and each of its parents up to the top-level domain, as
Let's Encrypt's validation authority makes them, a CNAME followed by the resolver - and says whether Let's Encrypt
would issue for the name through ServerPilot's AutoSSL (an HTTP-01 challenge, ServerPilot's own ACME account),
and if not, which record stops it and what to change. Tests call it with plain values.
"""

import re

ISSUER = 'letsencrypt.org'  # the issuer-domain-name Let's Encrypt matches, exactly
METHOD = 'http-01'          # how ServerPilot's AutoSSL proves control of a name
KNOWN_TAGS = ('issue', 'issuewild', 'iodef')
CRITICAL = 128 | 1  # the RFC's critical bit, and bit 1, which so many records set for it that CAs honour it too
_PARAMETER_TAG = re.compile(r'[A-Za-z0-9]+\Z')
_PARAMETER_VALUE = re.compile(r'[\x21-\x3a\x3c-\x7e]*\Z')
_METHOD = re.compile(r'[A-Za-z0-9-]+\Z')


def parents(name):
    """The name and each parent up to its top-level domain, closest first: where a CA looks for CAA."""
    labels = name.rstrip('.').split('.')
    return ['.'.join(labels[at:]) for at in range(len(labels))]


def relevant(lookups):
    """The relevant record set from ``lookups`` [(name, records, error)], closest first: (name, records), or None
    where no name has any. A failed lookup before the first non-empty set blocks issuance: a record may hide behind
    it. Raises LookupError(name, error) for that."""
    for name, records, error in lookups:
        if error:
            raise LookupError(name, error)
        if records:
            return name, records
    return None


def parse_issue(value):
    """An issue property's value -> (issuer domain, {parameter: value}); ValueError where it is malformed, which
    makes a CA skip the property (and so, with no other, refuse)."""
    parts = value.split(';')
    domain = parts[0].strip(' \t')
    params = parts[1:]
    found = {}
    if len(params) == 1 and not params[0].strip(' \t'):
        return domain, found
    for param in params:
        tag, equals, param_value = param.partition('=')
        if not equals:
            raise ValueError('parameter %r is not tag=value' % param.strip())
        tag, param_value = tag.strip(' \t'), param_value.strip(' \t')
        if not _PARAMETER_TAG.match(tag) or not _PARAMETER_VALUE.match(param_value):
            raise ValueError('parameter %r has characters CAA does not allow' % param.strip())
        found[tag] = param_value
    return domain, found


def _why_not(domain, params, account_uris):
    """Why one well-formed issue property does not let ServerPilot's AutoSSL issue, or None when it does."""
    if domain != ISSUER:
        if domain.lower().rstrip('.') == ISSUER:
            return 'names %r, which Let\'s Encrypt does not match (it compares exactly): write %s' % (domain, ISSUER)
        return 'names another CA (%s)' % domain if domain else 'allows no CA at all'
    account = params.get('accounturi')
    if account is not None and account not in account_uris:
        return ("is pinned to the ACME account %s (accounturi), which is not ServerPilot's AutoSSL account%s"
                % (account, '' if account_uris else ' as far as this check knows (give caa_account_uris)'))
    methods = params.get('validationmethods')
    if methods is not None:
        listed = methods.split(',')
        if not all(_METHOD.match(m) for m in listed):
            return 'lists validationmethods %r, which Let\'s Encrypt refuses as malformed' % methods
        if METHOD not in listed:
            return ('allows only the validation methods %s (validationmethods); ServerPilot\'s AutoSSL proves control '
                    'with %s' % (methods, METHOD))
    return None


def evaluate(name, lookups, account_uris=()):
    """Whether Let's Encrypt would issue for ``name`` through ServerPilot's AutoSSL, from ``lookups`` (see
    relevant): (allowed, reason). ``reason`` names the record set and what to change, or why issuance is free."""
    try:
        found = relevant(lookups)
    except LookupError as exc:
        at, error = exc.args
        return False, ('the CAA lookup of %s failed (%s), and a CA refuses to issue when it cannot read CAA: fix the '
                       "DNS of %s (its nameservers must answer CAA queries, even with no record)" % (at, error, at))
    if found is None:
        return True, 'no CAA record on %s or its parents: any CA may issue' % name
    at, records = found
    shown = ', '.join('%d %s "%s"' % (flags, tag, value) for flags, tag, value in records)
    unknown = [(flags, tag) for flags, tag, value in records if tag.lower() not in KNOWN_TAGS and flags & CRITICAL]
    if unknown:
        return False, ('the CAA record set of %s (%s) has a property marked critical that no CA knows (%s), so no CA '
                       'may issue: remove it or clear its critical flag' % (at, shown, unknown[0][1]))
    issues = [value for flags, tag, value in records if tag.lower() == 'issue']
    if not issues:
        return True, 'the CAA record set of %s (%s) has no issue property: any CA may issue' % (at, shown)
    why = []
    for value in issues:
        try:
            domain, params = parse_issue(value)
        except ValueError as exc:
            why.append('"%s" is malformed (%s)' % (value, exc))
            continue
        reason = _why_not(domain, params, account_uris)
        if reason is None:
            return True, 'the CAA record set of %s lets Let\'s Encrypt issue (%s)' % (at, shown)
        why.append('"%s" %s' % (value, reason))
    return False, ('the CAA record set of %s (%s) does not let Let\'s Encrypt issue through ServerPilot\'s AutoSSL: %s. '
                   'Add a record %s 0 issue "%s" (or fix the one above), or remove the set'
                   % (at, shown, '; '.join(why), at, ISSUER))
