# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role keeping the stand-in ServerPilot app in step with a real MariaDB holding Ultimate Multisite's mappings."""

import pytest

from conftest import run_shipped_playbook
from stand_in.server import DEFAULT_API_KEY

pytestmark = pytest.mark.integration
PASSWORD = 'um-sync-secret-31337'


@pytest.fixture
def network(mariadb):
    mariadb.create_network('umsync', prefix='wpnet_', rows=[
        {'blog_id': 2, 'domain': 'Shop.Example.com', 'primary_domain': 1},
        {'blog_id': 3, 'domain': 'blog.example.org', 'primary_domain': 1},
        {'blog_id': 3, 'domain': 'waiting.example.org', 'stage': 'checking-dns'},
        {'blog_id': 4, 'domain': 'broken.example.net', 'stage': 'failed'},
    ])
    mariadb.create_user('umreader', PASSWORD, 'umsync')
    return 'umsync'


# every name these tests map or keep points at the app's server, in the messy network's real DNS
CUSTOMERS = ['customer%d.example.com' % b for b in range(2, 7)]
POINTING = ['network.example', 'www.network.example', 'shop.example.com', 'blog.example.org', 'waiting.example.org',
            'kept.example.com'] + CUSTOMERS + ['www.' + name for name in CUSTOMERS]


def sync(standin, world, mariadb, tmp_path, app, extra=None, args=()):
    """The shipped scheduled-sync playbook, as an AWX job would run it."""
    world.set_dns(dict((name, [world.server_address]) for name in POINTING))
    wp_config = tmp_path / 'wp-config.php'
    wp_config.write_text("<?php\ndefine('DB_NAME', 'umsync');\ndefine('DB_USER', 'umreader');\n"
                         "define('DB_PASSWORD', '%s');\ndefine('DB_HOST', 'localhost:%s');\n"
                         "$table_prefix = 'wpnet_';\n" % (PASSWORD, mariadb.socket))
    variables = {
        'serverpilot_app_id': app,
        'serverpilot_domains': ['network.example', '*.network.example'],
        'serverpilot_www': 'apex',
        'serverpilot_database': {'wp_config': str(wp_config), 'config_file': '/nonexistent',
                                 'source': 'ultimate_multisite'},
        'serverpilot_dns_nameservers': [world.dns.nameserver], 'serverpilot_verify_port': world.tls.port,
        'serverpilot_verify_ca_path': world.tls.ca_path, 'serverpilot_autossl_delay': 1,
    }
    extra = dict(extra or {})
    for key in ('source', 'network_id'):  # part of the one description of what is read
        if key in extra:
            variables['serverpilot_database'][key] = extra.pop(key)
    variables.update(extra)
    return run_shipped_playbook(standin, tmp_path, 'sync_network.yml', variables, args)


def domains_requests(standin, app):
    return [(e['method']) for e in standin.state.api_calls() if e['path'] == '/v1/apps/%s' % app]


def test_scheduled_sync_adds_keeps_and_removes(standin, messy_network, mariadb, network, tmp_path):
    app = standin.state.add_app(domains=['network.example', 'stale.example.com'])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app)
    assert rc == 0, out[-3000:]
    # mapped domains (normalised; www=apex adds www. only to registrable ones), the network's own, and
    # neither the failed mapping nor the stale domain
    assert standin.state.app(app)['domains'] == [
        'network.example', 'shop.example.com', 'blog.example.org', 'waiting.example.org', 'www.network.example',
        '*.network.example']
    assert standin.state.app(app)['ssl']['auto'] is True
    assert PASSWORD not in out and DEFAULT_API_KEY not in out

    # second run: one GET for the domains, no write, nothing changed
    standin.state.log.clear()
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app)
    assert rc == 0, out[-3000:]
    assert 'changed=0' in out
    assert standin.state.writes() == []
    # the domains task, the AutoSSL task, the health check
    assert domains_requests(standin, app) == ['GET', 'GET', 'GET']

    # a mapping deleted in the database disappears from the app on the next run
    mariadb.sql("DELETE FROM wpnet_wu_domain_mappings WHERE domain = 'blog.example.org'", 'umsync')
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app)
    assert rc == 0, out[-3000:]
    domains = standin.state.app(app)['domains']
    assert 'blog.example.org' not in domains
    assert 'shop.example.com' in domains


def test_a_mass_removal_fails_on_max_removals_with_no_write(standin, messy_network, mariadb, network, tmp_path):
    app = standin.state.add_app(domains=['network.example'])
    mariadb.insert('umsync', 'wpnet_', [{'blog_id': 9, 'domain': 'kept.example.com'}])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={'serverpilot_max_removals': 2})
    assert rc == 0, out[-3000:]
    before = standin.state.app(app)['domains']
    mariadb.sql("DELETE FROM wpnet_wu_domain_mappings WHERE domain <> 'kept.example.com'", 'umsync')
    standin.state.log.clear()
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={'serverpilot_max_removals': 2})
    assert rc != 0
    assert 'would remove 3 domains' in out and 'max_removals=2' in out
    assert 'shop.example.com, blog.example.org, waiting.example.org' in out
    assert standin.state.writes() == []
    assert standin.state.app(app)['domains'] == before
    # check mode reports the same refusal
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={'serverpilot_max_removals': 2},
                   args=['--check'])
    assert rc != 0 and 'max_removals=2' in out
    assert standin.state.writes() == []


def test_an_emptied_table_never_strips_a_small_network(standin, messy_network, mariadb, network, tmp_path):
    """Five customers, the role's defaults (max_removals 10, www always): a DELETE of every mapping row used to
    remove all ten names. An empty source is refused while the app holds names from it, whatever the cap."""
    mariadb.sql('DELETE FROM wpnet_wu_domain_mappings', 'umsync')
    mariadb.insert('umsync', 'wpnet_', [{'blog_id': b, 'domain': 'customer%d.example.com' % b} for b in range(2, 7)])
    app = standin.state.add_app(domains=['network.example'])
    defaults = {'serverpilot_www': 'always', 'serverpilot_max_removals': 10}
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra=defaults)
    assert rc == 0, out[-3000:]
    before = standin.state.app(app)['domains']
    assert len(before) == 13  # 5 customers and the network's own name, each with www., and the wildcard
    mariadb.sql('DELETE FROM wpnet_wu_domain_mappings', 'umsync')
    standin.state.log.clear()
    for args in ([], ['--check']):
        rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra=defaults, args=args)
        assert rc != 0, out[-3000:]
        assert 'The mapping source returned no mappings' in out and 'serverpilot_source_may_be_empty' in out
        assert 'customer2.example.com' in out
        assert standin.state.writes() == [] and standin.state.app(app)['domains'] == before
    # saying the network really has none is not enough: five of seven is more than the share a run may remove
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app,
                   extra=dict(defaults, serverpilot_source_may_be_empty=True))
    assert rc != 0 and 'max_removals_percent=25 of the 7 domains' in out, out[-3000:]
    assert standin.state.writes() == []
    # the operator lets both guards go for this one run: the customers' names go, the network's own stay
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app,
                   extra=dict(defaults, serverpilot_source_may_be_empty=True, serverpilot_max_removals_percent=100))
    assert rc == 0, out[-3000:]
    assert sorted(standin.state.app(app)['domains']) == ['*.network.example', 'network.example', 'www.network.example']


def test_an_emptied_table_is_refused_while_the_app_holds_one_customer_name(
        standin, messy_network, mariadb, network, tmp_path):
    mariadb.sql('DELETE FROM wpnet_wu_domain_mappings', 'umsync')
    app = standin.state.add_app(domains=['network.example', 'www.network.example', '*.network.example',
                                         'solo-customer.example.com'])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={'serverpilot_www': 'always'})
    assert rc != 0 and 'The mapping source returned no mappings' in out, out[-3000:]
    assert 'remove 1 domains' in out and 'solo-customer.example.com' in out
    assert standin.state.writes() == []


def test_an_empty_source_on_an_app_without_customer_names_is_fine(standin, messy_network, mariadb, network, tmp_path):
    mariadb.sql('DELETE FROM wpnet_wu_domain_mappings', 'umsync')
    app = standin.state.add_app(domains=['network.example'])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app)
    assert rc == 0, out[-3000:]
    assert sorted(standin.state.app(app)['domains']) == ['*.network.example', 'network.example', 'www.network.example']


# -- networks as they really are: IP entries, kept names, subdomain sites, the www setting, several networks ------

def names_of(standin, app):
    return standin.state.app(app)['domains']


def test_an_ip_entry_and_kept_names_survive_and_are_not_counted(standin, messy_network, mariadb, network, tmp_path):
    app = standin.state.add_app(domains=['network.example', '203.0.113.44', 'staging.network.example.net',
                                         '2001:db8::44', 'gone.example.com'])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={
        'serverpilot_keep': ['staging.network.example.net'], 'serverpilot_max_removals': 1,
        'serverpilot_verify_ssl': False})
    assert rc == 0, out[-3000:]
    domains = names_of(standin, app)
    # kept: the IP entries (the role keeps every IP entry by default) and the staging name; only gone.example.com
    # went, so max_removals=1 was enough
    for kept in ('203.0.113.44', '2001:db8::44', 'staging.network.example.net'):
        assert kept in domains
    assert 'gone.example.com' not in domains
    assert 'www.203.0.113.44' not in ' '.join(domains)


def test_a_subdomain_network_stays_under_the_cap(standin, messy_network, mariadb, tmp_path):
    """Ultimate Multisite writes a mapping row for each subdomain-mode site: 200 of them and 45 custom domains.
    The plugin adds no www. to subdomain sites; with www. on every name the app would need ~490 names."""
    rows = [{'blog_id': 10 + i, 'domain': 'site%d.network.example' % i} for i in range(200)]
    rows += [{'blog_id': 300 + i, 'domain': 'custom%d.example.com' % i, 'primary_domain': 1} for i in range(45)]
    mariadb.create_network('umsync', prefix='wpnet_', rows=rows)
    mariadb.create_user('umreader', PASSWORD, 'umsync')
    app = standin.state.add_app(domains=['network.example'])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={
        'serverpilot_www': 'always', 'serverpilot_verify_ssl': False, 'serverpilot_max_removals': 0})
    assert rc == 0, out[-3000:]
    domains = names_of(standin, app)
    assert len(domains) == 200 + 45 * 2 + 3 == 293
    assert 'www.custom7.example.com' in domains and 'www.site7.network.example' not in domains
    assert 'www.network.example' in domains  # the network's own name is not under itself
    # the same network with www. on every name (skip_under emptied) is refused before any write
    standin.state.log.clear()
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={
        'serverpilot_www': 'always', 'serverpilot_verify_ssl': False, 'serverpilot_www_skip_under': []})
    assert rc != 0 and 'over the limit of 300' in out and standin.state.writes() == []


@pytest.mark.parametrize('setting, www_expected', [
    ('always', ['www.shop.example.com', 'www.blog.example.org', 'www.waiting.example.org']),
    ('main_only', []),              # shop.example.com and blog.example.org are not main domains by the rule
    ('never', []),
    # never saved: the plugin's default, always
    (None, ['www.shop.example.com', 'www.blog.example.org', 'www.waiting.example.org']),
])
def test_the_networks_own_www_rule(standin, messy_network, mariadb, network, tmp_path, setting, www_expected):
    settings = {'enable_domain_mapping': True, 'dns_check_interval': 300}
    if setting is not None:
        settings['auto_create_www_subdomain'] = setting
    mariadb.save_network_settings('umsync', 'wpnet_', settings)
    app = standin.state.add_app(domains=['network.example'])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={
        'serverpilot_www': 'source', 'serverpilot_verify_ssl': False, 'serverpilot_domains': ['network.example']})
    assert rc == 0, out[-3000:]
    domains = names_of(standin, app)
    assert sorted(d for d in domains if d.startswith('www.') and d != 'www.network.example') == sorted(www_expected)
    # main_only as the plugin defines it: network.example is a main domain
    assert ('www.network.example' in domains) is (setting != 'never')


def test_source_www_without_a_source_is_refused(standin, messy_network, playbook):
    app = standin.state.add_app(domains=[])
    run = playbook('- name: _role\n  ansible.builtin.include_role:\n    name: multisite.serverpilot.domain_mapping\n'
                   '  vars:\n    serverpilot_app_id: %s\n    serverpilot_domains: [a.example]\n'
                   '    serverpilot_www: source\n' % app)
    assert run.rc != 0 and 'serverpilot_www=source' in run.stdout and standin.state.writes() == []


def test_a_second_network_is_read_with_network_id(standin, messy_network, mariadb, network, tmp_path):
    mariadb.add_network('umsync', 'wpnet_', 2, rows=[{'blog_id': 7, 'domain': 'second-network.example.org'}])
    mariadb.save_network_settings('umsync', 'wpnet_', {'auto_create_www_subdomain': 'never'}, network_id=2)
    app = standin.state.add_app(domains=[])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, extra={
        'network_id': 2, 'serverpilot_www': 'source', 'serverpilot_verify_ssl': False,
        'serverpilot_domains': ['net2.example.org']})
    assert rc == 0, out[-3000:]
    assert sorted(names_of(standin, app)) == ['net2.example.org', 'second-network.example.org']
