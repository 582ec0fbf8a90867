# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's HTML report, rendered with Jinja as Ansible's template module does: every value escaped."""

import os

import jinja2
import markupsafe

TEMPLATES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'domain_mapping', 'templates')
HOSTILE = 'a <script>alert("x")</script> & \'quoted\' <b>reason</b>'
ISSUER = 'Evil <CA> & "Sons"'


def render(**result):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined)
    base = {'summary': {'ok': 1, 'dns_elsewhere': 1}, 'health': [], 'health_failure': None, 'failure': None,
            'stopped_at': None, 'added': [], 'removed': [], 'health_from': None, 'app_name': None, 'ssl': None,
            'source': None, 'plugin_integration': None, 'credentials_from': None}
    base.update(result)
    return env.get_template('report.html.j2').render(serverpilot_app_id='app<1>', serverpilot_result=base,
                                                     domain_mapping_report_time='2026-12-02T03:00:00Z')


def entry(**values):
    base = {'name': 'shop.example.com', 'site': None, 'status': 'ok', 'required': True, 'addresses': ['203.0.113.10'],
            'listed': True, 'covered': True, 'issuer': None, 'days_left': None, 'reason': 'fine'}
    base.update(values)
    return base


def test_a_hostile_reason_issuer_and_failure_are_escaped_as_jinja_escapes():
    page = render(health=[entry(reason=HOSTILE, issuer=ISSUER, days_left=3)], failure='x <i>y</i> & "z"',
                  stopped_at='<step>', added=['<a>.example'])
    for value in (HOSTILE, ISSUER, 'x <i>y</i> & "z"', 'app<1>', '<step>', '<a>.example'):
        assert str(markupsafe.escape(value)) in page, value
    for raw in ('<script>', '<b>reason', '<CA>', '"Sons"', '<i>y', 'app<1>'):
        assert raw not in page, raw
    assert '&#34;' in page and '&#39;' in page  # Jinja's quotes, not html.escape's &quot; / &#x27;


def test_the_report_says_when_it_was_made_and_why_a_run_failed():
    assert 'Made 2026-12-02T03:00:00Z' in render() and 'The run failed here' not in render()
    assert 'The run failed here: net.example: unreachable' in render(failure='net.example: unreachable')


def test_a_run_that_stopped_early_says_where_and_that_the_findings_are_older():
    page = render(failure='Sync the app\'s domain list: The mapping source returned no mappings',
                  stopped_at="Sync the app's domain list", health_from='2026-12-01T02:00:00Z', health=[entry()])
    assert 'The run failed here, at the step "Sync the app&#39;s domain list"' in page
    assert 'the findings below are from the run of 2026-12-01T02:00:00Z' in page
    assert 'the findings below' not in render(health=[entry()])


def test_the_report_is_titled_by_the_apps_name_and_says_its_ssl_source_and_sites():
    page = render(app_name='net<work>', ssl={'auto': True, 'force': False, 'custom_cert': False},
                  source='ultimate_multisite', health=[entry(site=7)])
    assert 'Domain health of app net&lt;work&gt; (app&lt;1&gt;)' in page
    assert 'SSL: AutoSSL on, ForceSSL off.' in page and "Names read from the network's database (ultimate_multisite)" in page
    assert '<td>7</td>' in page


def test_two_writers_and_where_the_credentials_came_from_are_said_escaped():
    page = render(plugin_integration=True, credentials_from={'api_key': 'wp_config /w<x>/wp-config.php (line 3)'})
    assert 'Two writers' in page and 'Host Integrations' in page
    assert 'api_key from wp_config /w&lt;x&gt;/wp-config.php (line 3).' in page
    assert 'Two writers' not in render(plugin_integration=False)
