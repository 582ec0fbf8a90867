# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The domain_mapping role's decisions, called with plain values."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils import role_plan
from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import history as names_history
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

# the role's defaults
DEFAULTS = dict(domains=[], domains_state='present', domains_exclusive=False, www='always', www_skip_under=None,
                keep=[], keep_ip_addresses=True, max_removals=10, max_removals_percent=25, source_may_be_empty=False,
                required_domains=None,
                database=None)
DB = {'wp_config': '/srv/wp-config.php'}


def variables(**changes):
    return dict(DEFAULTS, **changes)


def mapped(domains=('shop.example',), custom=(), count=None, source='ultimate_multisite', www_setting=None,
           subdomain_base='network.test'):
    return dict(domains=list(domains), custom_site_domains=list(custom), source=source, www_setting=www_setting,
                count=len(domains) if count is None else count, subdomain_base=subdomain_base)


def test_nothing_listed_and_no_database_syncs_and_checks_nothing():
    assert role_plan.plan(variables()) == dict(sync=None, health_domains=[], required=[], history=None)


def test_operator_names_are_synced_with_their_www_forms_and_required():
    plan = role_plan.plan(variables(domains=['Shop.Example.com']))
    assert plan['sync'] == dict(domains=['Shop.Example.com'], state='present', exclusive=False, www='always',
                                www_skip_under=[], keep=['0.0.0.0/0', '::/0'])
    # not exclusive: neither guard applies, so neither is passed
    assert plan['health_domains'] == ['shop.example.com', 'www.shop.example.com']
    assert plan['required'] == ['Shop.Example.com']


def test_an_exclusive_list_carries_max_removals_and_keep_as_given():
    plan = role_plan.plan(variables(domains=['a.test'], domains_exclusive=True, max_removals=0, keep=['stage.test'],
                                    keep_ip_addresses=False))
    assert plan['sync']['exclusive'] is True and plan['sync']['max_removals'] == 0
    assert plan['sync']['keep'] == ['stage.test'] and 'source_mappings' not in plan['sync']


def test_a_removal_checks_nothing_and_requires_nothing():
    plan = role_plan.plan(variables(domains=['old.test'], domains_state='absent', required_domains=['old.test']))
    assert plan['sync']['state'] == 'absent' and plan['health_domains'] == [] and plan['required'] == []


def test_a_database_sync_is_exclusive_present_and_guarded_by_the_mapping_count():
    plan = role_plan.plan(variables(domains=['network.test'], database=DB, domains_state='absent'),
                          mapped(domains=['shop.example'], custom=['own.example']))
    sync = plan['sync']
    assert sync['domains'] == ['shop.example', 'own.example', 'network.test']
    assert sync['state'] == 'present' and sync['exclusive'] is True
    assert sync['max_removals'] == 10 and sync['source_mappings'] == 1
    # subdomain sites under the operator's names and the network's own domain get no www. form
    assert sync['www_skip_under'] == ['network.test', 'network.test']
    assert plan['health_domains'] == ['shop.example', 'www.shop.example', 'own.example', 'www.own.example',
                                      'network.test', 'www.network.test']


def test_an_empty_source_passes_its_zero_unless_the_operator_says_it_may_be_empty():
    empty = mapped(domains=[], count=0)
    assert role_plan.plan(variables(database=DB, domains=['n.test']), empty)['sync']['source_mappings'] == 0
    # also with no names of the operator's own: the sites' own custom domains would be all that is left
    only_custom = role_plan.plan(variables(database=DB), mapped(domains=[], custom=['own.example'], count=0))
    assert only_custom['sync']['source_mappings'] == 0 and only_custom['sync']['domains'] == ['own.example']
    allowed = role_plan.plan(variables(database=DB, domains=['n.test'], source_may_be_empty=True), empty)
    assert 'source_mappings' not in allowed['sync']


def test_skip_under_set_by_the_operator_wins_and_a_network_without_base_adds_none():
    assert role_plan.plan(variables(database=DB, www_skip_under=['x.test']), mapped())['sync']['www_skip_under'] == \
        ['x.test']
    assert role_plan.plan(variables(database=DB, domains=['n.test']),
                          mapped(subdomain_base=None))['sync']['www_skip_under'] == ['n.test']


def test_required_names_are_checked_even_when_not_synced():
    plan = role_plan.plan(variables(domains=['a.test'], required_domains=['b.test'], www='never'))
    assert plan['health_domains'] == ['a.test', 'b.test'] and plan['required'] == ['b.test']


def test_www_source_follows_the_networks_setting():
    plan = role_plan.plan(variables(database=DB, www='source'), mapped(www_setting='never'))
    assert plan['sync']['www'] == 'never' and plan['health_domains'] == ['shop.example']


@pytest.mark.parametrize('database, read, words', [
    (None, None, 'set serverpilot_database'),
    (DB, mapped(source='mercator'), 'this network is read from mercator'),
    (DB, mapped(www_setting=None), 'could not be read'),
])
def test_www_source_without_the_setting_is_refused(database, read, words):
    with pytest.raises(role_plan.PlanError) as info:
        role_plan.plan(variables(database=database, www='source', domains=['a.test']), read)
    assert words in info.value.msg and 'serverpilot_www=source' in info.value.msg


def test_an_invalid_name_is_refused_with_the_sync_modules_own_message():
    with pytest.raises(CollectionError, match='Invalid domain names') as info:
        role_plan.plan(variables(domains=['bad..name']))
    assert info.value.kind == 'invalid_input'


def test_a_database_that_was_not_read_is_no_empty_network():
    with pytest.raises(role_plan.PlanError, match='not read'):
        role_plan.plan(variables(database=DB), None)


def test_the_result_takes_the_later_autossl_answer_that_ran():
    first = {'ssl': None, 'error_kind': 'autossl_unavailable'}
    again = {'ssl': {'auto': True}, 'uncovered_domains': []}
    assert role_plan.result('app1', autossl_first=first, autossl_again=again)['ssl'] == {'auto': True}
    skipped = {'skipped': True, 'changed': False}
    assert role_plan.result('app1', autossl_first=dict(first, ssl={'auto': False}),
                            autossl_again=skipped)['ssl'] == {'auto': False}


def test_the_result_of_a_run_where_steps_did_not_run():
    assert role_plan.result('app1', sync={'skipped': True}) == dict(
        app_id='app1', app_name=None, source=None, mapped_domains=None, domains=None, added=[], removed=[], ssl=None,
        uncovered_domains=[], health=[], summary={}, health_failure=None, health_from=None, failure=None,
        stopped_at=None, error_kind=None, history={}, capacity=None, plugin_integration=None, credentials_from=None,
        changes={'newly_failing': {'count': 0, 'first': []}, 'recovered': {'count': 0, 'first': []},
                 'long_standing': {'count': 0, 'first': []}})


def test_a_run_that_stopped_early_says_where_and_carries_the_last_findings_marked():
    previous = {'generated_at': '2026-12-01T02:00:00Z', 'summary': {'ok': 1},
                'health': [{'name': 'a.test', 'status': 'ok'}]}
    stopped = {'task': "Sync the app's domain list", 'msg': 'The mapping source returned no mappings',
               'error_kind': 'removals'}
    result = role_plan.result('app1', sync={'failed': True, 'msg': 'x'}, stopped=stopped, previous=previous)
    assert result['failure'] == "Sync the app's domain list: The mapping source returned no mappings"
    assert result['stopped_at'] == "Sync the app's domain list" and result['error_kind'] == 'removals'
    assert [e['name'] for e in result['health']] == ['a.test'] and result['health_from'] == '2026-12-01T02:00:00Z'
    # a report that already carried older findings keeps their own date, not its own
    carried = dict(previous, generated_at='2026-12-01T03:00:00Z', health_from='2026-12-01T02:00:00Z')
    again = role_plan.result('app1', stopped=stopped, previous=carried)
    assert again['health_from'] == '2026-12-01T02:00:00Z'
    # no earlier report: nothing to carry
    assert role_plan.result('app1', stopped=stopped)['health'] == []
    # a read that failed says nothing of the network
    failed_read = {'failed': True, 'msg': 'no such table', 'error_kind': 'source'}
    assert role_plan.result('app1', mapped=failed_read, stopped=stopped)['mapped_domains'] is None


def test_the_result_says_why_health_failed_only_when_it_did():
    health = {'domains': [{'name': 'a.test', 'status': 'ok'}], 'summary': {'ok': 1}}
    assert role_plan.result('app1', health=health)['health_failure'] is None
    failed = dict(health, msg='a.test is not ok', error_kind='health')
    result = role_plan.result('app1', mapped={'domains': ['a.test']}, sync={'domains': ['a.test'], 'added': []},
                              health=failed)
    assert result['health_failure'] == 'a.test is not ok' and result['mapped_domains'] == ['a.test']
    assert result['summary'] == {'ok': 1} and result['domains'] == ['a.test']


def test_one_customers_name_too_long_for_www_never_stops_the_plan():
    """A valid 252-character mapped name with the default www=always: its www. form would be 256 characters. It is
    that name's problem - synced and checked without the form - never a failed plan for the whole network."""
    long_name = '.'.join(['a' * 62, 'b' * 62, 'c' * 62, 'd' * 61]) + '.io'
    assert len(long_name) > 249
    planned = role_plan.plan(variables(database=DB), mapped([long_name, 'shop.example.com']))
    assert long_name in planned['sync']['domains']
    assert long_name in planned['health_domains'] and 'www.' + long_name not in planned['health_domains']
    assert 'www.shop.example.com' in planned['health_domains']


def test_the_report_reads_what_needs_a_person_first_with_each_names_site():
    health = {'app_name': 'network', 'summary': {}, 'domains': [
        {'name': 'a.example', 'status': 'ok', 'required': False},
        {'name': 'b.example', 'status': 'dns_missing', 'required': False},
        {'name': 'network.example', 'status': 'ok', 'required': True},
        {'name': 'www.shop.example', 'status': 'caa_blocked', 'required': True},
        {'name': 'shop.example', 'status': 'ok', 'required': False}]}
    mapped = {'domains': ['shop.example', 'b.example'], 'source': 'ultimate_multisite',
              'mappings': [{'domain': 'shop.example', 'blog_id': 7}, {'domain': 'b.example', 'blog_id': 9}]}
    result = role_plan.result('app1', mapped=mapped, health=health)
    assert [e['name'] for e in result['health']] == ['www.shop.example', 'b.example', 'a.example', 'network.example',
                                                     'shop.example']
    assert [e['site'] for e in result['health']] == [7, 9, None, None, 7]
    assert result['app_name'] == 'network' and result['source'] == 'ultimate_multisite'


def test_the_health_step_is_given_what_was_known_and_the_history_it_returns_is_kept():
    cached = {'a.test': {'status': 'ok', 'since': '2026-11-01T00:00:00Z'}}
    assert role_plan.plan(variables(domains=['a.test']), history=cached)['history'] == cached
    # no fact cache: the last report's entries say it; before the first run, nothing
    previous = {'health': [{'name': 'a.test', 'status': 'dns_missing', 'since': '2026-11-20T00:00:00Z'}]}
    from_report = {'a.test': {'status': 'dns_missing', 'since': '2026-11-20T00:00:00Z'}}
    assert role_plan.plan(variables(domains=['a.test']), previous=previous)['history'] == from_report
    assert role_plan.plan(variables(domains=['a.test']))['history'] is None
    # the health step advanced it (serverpilot_domain_health's history option): its entries and history stand
    entries, kept = names_history.advance(cached, [{'name': 'a.test', 'status': 'dns_missing', 'required': False,
                                                    'reason': 'no address'}], '2026-12-01T00:00:00Z')
    health = {'summary': {}, 'domains': entries, 'history': kept}
    result = role_plan.result('app1', sync={'domains': ['a.test'] * 240}, health=health, history=cached)
    assert result['health'][0]['change'] == 'new' and result['history'] == kept
    assert result['history']['a.test'] == {'status': 'dns_missing', 'since': '2026-12-01T00:00:00Z'}
    assert result['changes']['newly_failing'] == {'count': 1, 'first': ['a.test']}
    assert result['capacity']['percent'] == 80 and result['capacity']['warning']
    # no health step (skipped, or a run that stopped before it): what was known stays as it was
    assert role_plan.result('app1', previous=previous)['history'] == from_report
    assert role_plan.result('app1', health={'skipped': True}, history=cached)['history'] == cached


def test_the_result_says_where_the_credentials_came_from_and_whether_the_plugin_writes_too_never_a_key():
    mapped = {'domains': ['a.test'], 'source': 'ultimate_multisite', 'plugin_integration': True}
    credentials = {'client_id': 'cid', 'api_key': 'the-key', 'app_id': 'app1',
                   'credentials_from': {'client_id': 'given', 'api_key': 'wp_config /w/wp-config.php '
                                        '(WU_SERVER_PILOT_API_KEY, line 3)', 'app_id': 'given'}}
    found = role_plan.result('app1', mapped=mapped, credentials=credentials)
    assert found['plugin_integration'] is True and found['credentials_from'] == credentials['credentials_from']
    assert 'the-key' not in repr(found) and 'cid' not in repr(found)
    assert role_plan.result('app1', credentials={'skipped': True})['credentials_from'] is None


def test_an_empty_exclusive_list_plans_a_sync_that_empties_the_app_within_its_guards():
    """domains: [] skips the sync only when not exclusive: an operator emptying an app must get a sync (the
    removal guards then decide), never a green run that did nothing."""
    plan = role_plan.plan(variables(domains=[], domains_exclusive=True))
    assert plan['sync'] == dict(domains=[], state='present', exclusive=True, www='always', www_skip_under=[],
                                keep=['0.0.0.0/0', '::/0'], max_removals=10, max_removals_percent=25)
    assert plan['health_domains'] == [] and plan['required'] == []


@pytest.mark.parametrize('first, before, retries, again', [
    ({'error_kind': 'autossl_unavailable'}, {'domains': [{'points_to_server': True, 'listed': True}]}, 20, True),
    ({'error_kind': 'autossl_unavailable'}, {'domains': [{'points_to_server': False, 'listed': True}]}, 20, False),
    ({'error_kind': 'autossl_unavailable'}, {'domains': [{'points_to_server': True, 'listed': False}]}, 20, False),
    ({'error_kind': 'autossl_unavailable'}, {'domains': [{'points_to_server': True, 'listed': True}]}, 0, False),
    ({'error_kind': 'autossl_unavailable'}, {'skipped': True}, 20, False),
    ({'changed': True}, {'domains': [{'points_to_server': True, 'listed': True}]}, 20, False),
    ({'skipped': True}, None, 20, False),
])
def test_autossl_is_asked_again_only_while_it_can_succeed(first, before, retries, again):
    assert role_plan.autossl_again(first, before, retries) is again
