# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's error types: one vocabulary, details beside the message, API failures by type."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils import errors


def test_a_kind_outside_the_vocabulary_is_a_bug_not_a_message():
    with pytest.raises(ValueError):
        raise errors.CollectionError('x', kind='certificate')  # retired with serverpilot_certificate_check


def test_details_leave_out_what_is_unknown():
    error = errors.CollectionError('x', kind='limit', app_id='a1', removed=None)
    assert error.details() == {'app_id': 'a1'} and error.kind == 'limit' and error.msg == 'x'


@pytest.mark.parametrize('status, kind', [(401, 'credentials'), (404, 'not_found'), (400, 'refused'),
                                          (402, 'refused'), (403, 'refused'), (409, 'refused'), (500, 'transport'),
                                          (None, 'transport')])
def test_an_api_failure_takes_its_kind_from_its_status(status, kind):
    error = errors.ServerPilotError('failed', status=status, method='GET', path='/apps')
    assert error.kind == kind and isinstance(error, errors.CollectionError)
    assert error.retryable is False and error.maybe_applied is False
    assert error.details() == dict((k, v) for k, v in (('status', status), ('method', 'GET'), ('path', '/apps'))
                                   if v is not None)


def test_a_source_error_says_what_and_which_part():
    error = errors.SourceError('lock', 'locked', part='sites')
    assert error.kind == 'source' and error.source_kind == 'lock'
    assert error.details() == {'source_error': 'lock', 'source_part': 'sites'}
    assert errors.SourceError('table', 'no table').details() == {'source_error': 'table'}


@pytest.mark.parametrize('values, at_least, above, words', [
    ({'retries': -1}, [('retries', 0)], [], 'retries must be 0 or more.'),
    ({'port': 0}, [('port', 1)], [], 'port must be at least 1.'),
    ({'timeout': 0}, [], [('timeout', 0)], 'timeout must be a positive number.'),
    ({'timeout': None}, [], [('timeout', 0)], 'timeout must be a positive number.'),
    ({'wait': 5}, [], [('wait', 5)], 'wait must be above 5.'),
])
def test_check_bounds_refuses(values, at_least, above, words):
    with pytest.raises(errors.CollectionError) as info:
        errors.check_bounds(values, at_least=at_least, above=above)
    assert info.value.kind == 'invalid_input' and info.value.msg == words


def test_check_bounds_passes_the_bounds_themselves_and_leaves_unset_options_alone():
    errors.check_bounds({'retries': 0, 'port': 1, 'timeout': 0.1, 'max_removals': None},
                        at_least=[('retries', 0), ('port', 1), ('max_removals', 0)], above=[('timeout', 0)])
