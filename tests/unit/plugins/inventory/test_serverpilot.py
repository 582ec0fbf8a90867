# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin's parse(), in-process against the stand-in: hosts, groups, variables, filters, cache."""

import os

import pytest
from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import add_fragments
import yaml

from ansible_collections.multisite.serverpilot.plugins.inventory import serverpilot as plugin_file
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID

NAME = 'multisite.serverpilot.serverpilot'


@pytest.fixture(scope='module', autouse=True)
def option_definitions():
    # what the plugin loader does when it loads the plugin: its documented options (fragments merged) are its config;
    # without Ansible's collection finder in this process, the builtin fragments go by their short names
    doc = yaml.safe_load(plugin_file.DOCUMENTATION)
    doc['extends_documentation_fragment'] = [name.replace('ansible.builtin.', '')
                                             for name in doc['extends_documentation_fragment']]
    add_fragments(doc, plugin_file.__file__, fragment_loader)
    C.config.initialize_plugin_configuration_definitions('inventory', NAME, doc['options'])


@pytest.fixture
def env(monkeypatch, standin):
    monkeypatch.setenv('SERVERPILOT_CLIENT_ID', DEFAULT_CLIENT_ID)
    monkeypatch.setenv('SERVERPILOT_API_KEY', DEFAULT_API_KEY)
    monkeypatch.setenv('SERVERPILOT_API_URL', standin.url)
    return standin


def parse(tmp_path, text='', cache=True):
    path = tmp_path / 'apps.serverpilot.yml'
    path.write_text('plugin: %s\n%s' % (NAME, text))
    plugin = plugin_file.InventoryModule()
    plugin._load_name = NAME
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), str(path), cache=cache)
    if hasattr(plugin, '_cache'):  # a cache is set up only when the file asks for one
        plugin.update_cache_if_changed()  # as the inventory manager does after each parse
    return inventory


def host_vars(inventory, name):
    return inventory.get_host(name).get_vars()


def test_only_its_own_file_names_are_read(tmp_path):
    plugin = plugin_file.InventoryModule()
    for name, wanted in (('apps.serverpilot.yml', True), ('serverpilot.yaml', True), ('apps.yml', False)):
        (tmp_path / name).write_text('plugin: %s\n' % NAME)
        assert plugin.verify_file(str(tmp_path / name)) is wanted, name


def test_every_app_is_a_host_grouped_by_server_and_runtime(env, tmp_path):
    app_id = env.state.add_app(name='network', domains=['network.test', 'shop.test'])
    inventory = parse(tmp_path)
    assert sorted(inventory.groups['serverpilot_apps'].get_hosts(), key=str)[0].name == 'network'
    variables = host_vars(inventory, 'network')
    assert variables['serverpilot_app_id'] == app_id
    assert variables['serverpilot_app_domains'] == ['network.test', 'shop.test']
    assert variables['ansible_connection'] == 'local'
    assert set(variables['serverpilot_app_ssl'] or {}) <= {'auto', 'force', 'custom_cert'}  # never the key
    app = env.state.app(app_id)
    for group in ('serverpilot_server_%s' % app['serverid'], 'serverpilot_runtime_%s' % app['runtime']):
        group = group.replace('.', '_').replace('-', '_')
        assert [h.name for h in inventory.groups[group].get_hosts()] == ['network'], group


def test_apps_sharing_a_name_get_their_id_and_filters_and_compose_apply(env, tmp_path):
    first = env.state.add_app(name='shop', domains=['a.test'])
    second = env.state.add_app(name='shop', domains=['b.test'])
    env.state.add_app(name='other', domains=['c.test'])
    inventory = parse(tmp_path, "filters:\n  - serverpilot_app_name == 'shop'\n"
                                "compose:\n  serverpilot_domains: serverpilot_app_domains\nlocal_connection: false\n")
    hosts = sorted(h.name for h in inventory.groups['serverpilot_apps'].get_hosts())
    assert hosts == sorted(['shop_%s' % first, 'shop_%s' % second])
    variables = host_vars(inventory, 'shop_%s' % first)
    assert variables['serverpilot_domains'] == ['a.test'] and 'ansible_connection' not in variables


def test_a_refused_login_names_its_error_kind(env, tmp_path, monkeypatch):
    monkeypatch.setenv('SERVERPILOT_API_KEY', 'wrong-key')
    with pytest.raises(AnsibleError, match=r'serverpilot inventory \(credentials\)') as info:
        parse(tmp_path)
    assert 'wrong-key' not in str(info.value)


def test_a_cached_load_makes_no_api_call(env, tmp_path):
    env.state.add_app(name='network', domains=['network.test'])
    # the short name: this process has no collection finder for ansible.builtin.*
    settings = 'cache: true\ncache_plugin: jsonfile\ncache_connection: %s\n' % (tmp_path / 'cache')
    parse(tmp_path, settings, cache=False)  # a refresh fills the cache
    calls = len(env.state.log)
    inventory = parse(tmp_path, settings, cache=True)
    assert len(env.state.log) == calls and 'network' in inventory.hosts
    assert os.listdir(str(tmp_path / 'cache'))
