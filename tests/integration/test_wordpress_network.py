# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reader held against WordPress itself: a network made by WordPress's own code (tests/wordpress_world.py) -
its setup page writes wp-config.php, Network Setup creates the network, its admin functions create, archive,
mark as spam and re-map sites - read through that wp-config.php, and compared with what get_sites() says it
serves."""

import itertools

import pytest

from ansible_collections.multisite.serverpilot.plugins.modules.multisite_domains_info import main
from needs import need
from unit.module_main import run_main

pytestmark = pytest.mark.integration
_names = itertools.count()


@pytest.fixture
def wordpress(mariadb, tmp_path):
    import wordpress_world
    need(wordpress_world.available(), "Debian's wordpress, php-cli or php-mysql",
         'apt-get install --no-install-recommends wordpress php-cli php-mysql')

    def make(domain):
        return wordpress_world.WordPressNetwork(mariadb, str(tmp_path / ('wp%d' % next(_names))),
                                                'wpnet%d' % next(_names), domain).install()
    return make


def read(network, **options):
    return run_main(main, dict(dict(wp_config=network.wp_config, config_file='/nonexistent/my.cnf'), **options))


def served_by_the_reader(result):
    return set(result['domains']) | set(result['subdomain_sites']) | {result['network_domain']}


@pytest.mark.parametrize('domain, base', [('network.test', 'network.test'), ('www.second.test', 'second.test')])
def test_the_reader_serves_what_wordpress_serves(wordpress, domain, base):
    network = wordpress(domain)
    ids = dict((name, network.create_site(name)['id']) for name in ('alice', 'bobby', 'carol', 'david', 'erica'))
    network.rename(ids['carol'], 'carol-shop.example')  # WordPress's own domain mapping
    network.set_status(ids['david'], 'archived')
    network.set_status(ids['erica'], 'spam')
    result = read(network)
    # the file WordPress's setup page wrote: its $table_prefix, its DB_HOST socket form
    assert result['source'] == 'wordpress' and result['table'] == 'wpx_blogs'
    assert served_by_the_reader(result) == set(network.served())
    assert result['domains'] == ['carol-shop.example'] and result['mappings'][0]['custom'] is True
    # WordPress built them under the name without www.: subdomain sites, no custom domain, no www. form
    assert result['subdomain_sites'] == ['alice.%s' % base, 'bobby.%s' % base]
    assert result['network_domain'] == domain and result['subdomain_base'] == base
    # and it changes as WordPress changes
    network.set_status(ids['david'], 'archived', 0)
    network.rename(ids['alice'], 'alice-shop.example')
    again = read(network)
    assert served_by_the_reader(again) == set(network.served())
    assert again['domains'] == ['alice-shop.example', 'carol-shop.example']


def test_a_plugin_table_beside_wordpress_is_read_with_the_sites_own_domains(wordpress, mariadb):
    network = wordpress('network.test')
    site = network.create_site('alice')['id']
    network.rename(network.create_site('bobby')['id'], 'bobby-own.example')
    mariadb.add_plugin(network.database, 'wpx_', 'mercator', [{'blog_id': site, 'domain': 'alice.example', 'active': 1}])
    result = read(network, source='mercator')
    assert result['domains'] == ['alice.example'] and result['custom_site_domains'] == ['bobby-own.example']
