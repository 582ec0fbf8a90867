# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CAA as a CA evaluates it: the cases of RFC 8659 and RFC 8657, and the edges Let's Encrypt's own validation
authority draws (the critical bit 1 alias, an exact issuer match, malformed parameters, a failed lookup)."""

import pytest
from hypothesis import given, strategies as st

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import caa

NAME = 'shop.example.com'
ACCOUNT = 'https://acme-v02.api.letsencrypt.org/acme/acct/12345'


def chain(records_at=None, error_at=None):
    """Lookups for NAME and its parents: records at one name, or an error at one."""
    return [(name, list((records_at or {}).get(name, [])), (error_at or {}).get(name))
            for name in caa.parents(NAME)]


def test_parents_go_up_to_the_top_level_domain():
    assert caa.parents('a.shop.example.com') == ['a.shop.example.com', 'shop.example.com', 'example.com', 'com']


@pytest.mark.parametrize('records_at, allowed, words', [
    ({}, True, 'no CAA record'),
    ({'example.com': [(0, 'issue', 'letsencrypt.org')]}, True, 'lets Let\'s Encrypt issue'),
    # the closest set wins: the name's own forbids what its parent allows
    ({NAME: [(0, 'issue', 'ca.example.net')], 'example.com': [(0, 'issue', 'letsencrypt.org')]}, False,
     'names another CA (ca.example.net)'),
    ({NAME: [(0, 'issue', 'letsencrypt.org')], 'example.com': [(0, 'issue', ';')]}, True, 'of shop.example.com'),
    ({'example.com': [(0, 'issue', ';')]}, False, 'no CA at all'),
    ({'example.com': [(0, 'issue', 'ca.example.net'), (0, 'issue', 'letsencrypt.org')]}, True, 'lets'),
    # issuewild and iodef say nothing of a name that is no wildcard
    ({'example.com': [(0, 'issuewild', ';')]}, True, 'no issue property'),
    ({'example.com': [(0, 'iodef', 'mailto:sec@example.com')]}, True, 'no issue property'),
    ({'example.com': [(128, 'iodef', 'mailto:sec@example.com'), (0, 'issue', 'letsencrypt.org')]}, True, 'lets'),
    # an unknown property marked critical stops every CA; bit 1 is read as the critical bit too
    ({'example.com': [(128, 'tbs', 'unknown'), (0, 'issue', 'letsencrypt.org')]}, False, 'critical'),
    ({'example.com': [(1, 'tbs', 'unknown'), (0, 'issue', 'letsencrypt.org')]}, False, 'critical'),
    ({'example.com': [(0, 'tbs', 'unknown'), (0, 'issue', 'letsencrypt.org')]}, True, 'lets'),
    # the issuer is matched exactly
    ({'example.com': [(0, 'issue', 'LetsEncrypt.org')]}, False, 'compares exactly'),
    ({'example.com': [(0, 'issue', ' letsencrypt.org ')]}, True, 'lets'),
    ({'example.com': [(0, 'issue', 'letsencrypt.org;')]}, True, 'lets'),
    # RFC 8657: pinned to an account ServerPilot does not use, or to a method it does not use
    ({'example.com': [(0, 'issue', 'letsencrypt.org; accounturi=%s' % ACCOUNT)]}, False, 'accounturi'),
    ({'example.com': [(0, 'issue', 'letsencrypt.org; validationmethods=dns-01')]}, False, 'validationmethods'),
    ({'example.com': [(0, 'issue', 'letsencrypt.org; validationmethods=dns-01,http-01')]}, True, 'lets'),
    ({'example.com': [(0, 'issue', 'letsencrypt.org; validationmethods=http_01')]}, False, 'malformed'),
    # an unknown parameter is ignored; a malformed one makes the property void
    ({'example.com': [(0, 'issue', 'letsencrypt.org; policy=ev')]}, True, 'lets'),
    ({'example.com': [(0, 'issue', 'letsencrypt.org; policy')]}, False, 'malformed'),
    ({'example.com': [(0, 'issue', 'letsencrypt.org; po licy=ev')]}, False, 'malformed'),
])
def test_cases(records_at, allowed, words):
    result, reason = caa.evaluate(NAME, chain(records_at))
    assert result is allowed and words in reason, reason


def test_an_account_known_to_be_serverpilots_is_allowed():
    lookups = chain({'example.com': [(0, 'issue', 'letsencrypt.org; accounturi=%s' % ACCOUNT)]})
    assert caa.evaluate(NAME, lookups, account_uris=[ACCOUNT])[0] is True


def test_a_failed_lookup_blocks_unless_a_closer_set_answered():
    failed = chain(error_at={'example.com': 'SERVFAIL'})
    allowed, reason = caa.evaluate(NAME, failed)
    assert allowed is False and 'lookup of example.com failed (SERVFAIL)' in reason
    closer = chain({NAME: [(0, 'issue', 'letsencrypt.org')]}, error_at={'example.com': 'SERVFAIL'})
    assert caa.evaluate(NAME, closer)[0] is True


def test_the_reason_says_what_to_write():
    reason = caa.evaluate(NAME, chain({'example.com': [(0, 'issue', 'digicert.com')]}))[1]
    assert 'example.com 0 issue "letsencrypt.org"' in reason and '0 issue "digicert.com"' in reason


VALUES = st.text(alphabet='letsncrypt.orgdigicom;= \t,-_accounturivalidationmethodshttp01dns:/', max_size=60)


@given(records=st.lists(st.tuples(st.sampled_from([0, 1, 128, 129, 2]),
                                  st.sampled_from(['issue', 'issuewild', 'iodef', 'ISSUE', 'tbs']), VALUES),
                        max_size=4),
       at=st.sampled_from(caa.parents(NAME)))
def test_any_record_set_gives_an_answer_and_letsencrypt_alone_always_allows(records, at):
    allowed, reason = caa.evaluate(NAME, chain({at: records}))
    assert isinstance(allowed, bool) and reason
    # whatever else the set holds, a plain issue for Let's Encrypt allows - unless a critical unknown forbids
    plus = records + [(0, 'issue', 'letsencrypt.org')]
    critical = any(f & 129 and t.lower() not in caa.KNOWN_TAGS for f, t, v in plus)
    assert caa.evaluate(NAME, chain({at: plus}))[0] is (not critical)
