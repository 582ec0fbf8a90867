# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scheduled sync (playbooks/sync_network.yml) for networks that do not run Ultimate Multisite: Mercator and
WordPress's own mapping, each in a real MariaDB made by that source's own DDL, against the stand-in and real DNS."""

import pytest

from conftest import run_shipped_playbook
from stand_in.server import DEFAULT_API_KEY

pytestmark = pytest.mark.integration
PASSWORD = 'sources-sync-secret-808'
NETWORK = ['network.example', '*.network.example']


def database(mariadb, name, source=None, mappings=(), sites=()):
    mariadb.create_wordpress(name, 'wpx_')
    for blog_id, domain, flags in sites:
        mariadb.add_site(name, 'wpx_', blog_id, domain, **flags)
    if source:
        mariadb.add_plugin(name, 'wpx_', source, mappings)
    mariadb.create_user('srcreader', PASSWORD, name)


def sync(standin, world, mariadb, tmp_path, app, name, pointing, extra=None):
    world.set_dns(dict((host, [world.server_address]) for host in pointing))
    variables = {
        'serverpilot_app_id': app,
        'serverpilot_domains': NETWORK,
        'serverpilot_database': {'login_unix_socket': mariadb.socket, 'login_user': 'srcreader',
                                 'login_password': PASSWORD, 'database': name, 'table_prefix': 'wpx_',
                                 'config_file': '/nonexistent'},
        'serverpilot_dns_nameservers': [world.dns.nameserver], 'serverpilot_verify_port': world.tls.port,
        'serverpilot_verify_ca_path': world.tls.ca_path, 'serverpilot_autossl_delay': 1,
    }
    extra = dict(extra or {})
    if 'source' in extra:  # part of the one description of what is read
        variables['serverpilot_database']['source'] = extra.pop('source')
    variables.update(extra)
    return run_shipped_playbook(standin, tmp_path, 'sync_network.yml', variables)


MERCATOR = [
    {'blog_id': 2, 'domain': 'Shop.Example.com', 'active': 1},
    {'blog_id': 2, 'domain': 'paused.example.com', 'active': 0},
    {'blog_id': 3, 'domain': 'blog.example.org', 'active': 1},
    {'blog_id': 4, 'domain': 'alice.network.example', 'active': 1},
]


def test_a_mercator_network(standin, messy_network, mariadb, tmp_path):
    # site 5 moved to its own domain in its settings, never mapped in Mercator: WordPress serves it there
    database(mariadb, 'mercsync', 'mercator', MERCATOR, [(2, 'site2.network.example', {}), (5, 'native.example', {})])
    app = standin.state.add_app(domains=['network.example', 'left.example.net'])
    pointing = ['network.example', 'www.network.example', 'shop.example.com', 'www.shop.example.com',
                'blog.example.org', 'www.blog.example.org', 'alice.network.example']

    # its table has the shape WPMU Domain Mapping shares: auto will not guess, and nothing is written
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, 'mercsync', pointing)
    assert rc != 0 and 'source: mercator or source: wpmu_domain_mapping' in out, out[-3000:]
    assert standin.state.writes() == []

    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, 'mercsync', pointing,
                   {'source': 'mercator'})
    assert rc == 0, out[-3000:]
    # active mappings with their www. forms; the mapped name under the network's domain without one (the
    # network's own domain, read from wpx_site, is under www_skip_under); the paused mapping and the stale name gone
    assert sorted(standin.state.app(app)['domains']) == sorted([
        'network.example', 'www.network.example', '*.network.example', 'shop.example.com', 'www.shop.example.com',
        'blog.example.org', 'www.blog.example.org', 'alice.network.example', 'native.example', 'www.native.example'])
    assert 'native.example' in out and 'Map it in the plugin too' in out
    assert PASSWORD not in out and DEFAULT_API_KEY not in out

    standin.state.log.clear()
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, 'mercsync', pointing,
                   {'source': 'mercator'})
    assert rc == 0 and 'changed=0' in out, out[-3000:]
    assert standin.state.writes() == []

    # switching a mapping off in Mercator takes it (and its www.) off the app on the next run
    mariadb.sql("UPDATE wpx_domain_mapping SET active = 0 WHERE domain = 'blog.example.org'", 'mercsync')
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, 'mercsync', pointing,
                   {'source': 'mercator'})
    assert rc == 0, out[-3000:]
    assert not {'blog.example.org', 'www.blog.example.org'} & set(standin.state.app(app)['domains'])


SITES = [
    (2, 'alice.network.example', {}),
    (3, 'bob-shop.example', {}),
    (4, 'spammer.example', {'spam': 1}),
    (5, 'carol.example.org', {}),
]


def test_a_network_on_wordpress_own_mapping(standin, messy_network, mariadb, tmp_path):
    database(mariadb, 'coresync', sites=SITES)
    app = standin.state.add_app(domains=['network.example'])
    pointing = ['network.example', 'www.network.example', 'bob-shop.example', 'www.bob-shop.example']
    # carol.example.org has not pointed her DNS yet: reported, never failing the job
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, 'coresync', pointing)
    assert rc == 0, out[-3000:]
    domains = standin.state.app(app)['domains']
    assert sorted(domains) == sorted(['network.example', 'www.network.example', '*.network.example',
                                      'bob-shop.example', 'www.bob-shop.example', 'carol.example.org',
                                      'www.carol.example.org'])
    assert 'carol.example.org' in out and 'dns_missing' in out

    # the network marks Bob's site as spam: his names leave the app on the next run
    mariadb.sql("UPDATE wpx_blogs SET spam = 1 WHERE blog_id = 3", 'coresync')
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, 'coresync', pointing)
    assert rc == 0, out[-3000:]
    assert not {'bob-shop.example', 'www.bob-shop.example'} & set(standin.state.app(app)['domains'])


def test_names_under_the_networks_own_domain_get_no_www_even_when_not_listed(standin, messy_network, mariadb,
                                                                             tmp_path):
    """The network's domain comes from the database (wpx_site), not only from serverpilot_domains."""
    database(mariadb, 'mercskip', 'mercator', MERCATOR)
    app = standin.state.add_app(domains=[])
    rc, out = sync(standin, messy_network, mariadb, tmp_path, app, 'mercskip', [],
                   {'source': 'mercator', 'serverpilot_domains': [], 'serverpilot_autossl': False})
    assert rc == 0, out[-3000:]
    domains = standin.state.app(app)['domains']
    assert 'alice.network.example' in domains and 'www.alice.network.example' not in domains
    assert 'www.shop.example.com' in domains
