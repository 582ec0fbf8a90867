# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ultimate Multisite's ServerPilot settings for a migration: plain values in, never a value in a message."""

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import plugin_credentials
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

PATH = '/srv/users/serverpilot/apps/network/public/wp-config.php'
# as the plugin's setup wizard writes them (Base_Host_Provider::get_constants_string)
WIZARD = ("<?php\n// Ultimate Multisite - Domain Mapping - ServerPilot\ndefine( 'WU_SERVER_PILOT_CLIENT_ID', 'cid-123' );\n"
          "define( 'WU_SERVER_PILOT_API_KEY', 'key-secret-456' );\ndefine( 'WU_SERVER_PILOT_APP_ID', 'app-789' );\n"
          "// Ultimate Multisite - Domain Mapping - ServerPilot - End\n")
NOTHING = {'client_id': '', 'api_key': '', 'app_id': ''}


def test_the_wizards_constants_are_read_with_their_lines():
    values, sources, missing = plugin_credentials.from_wp_config(WIZARD, PATH, NOTHING)
    assert values == {'client_id': 'cid-123', 'api_key': 'key-secret-456', 'app_id': 'app-789'} and missing == []
    assert sources['api_key'] == 'wp_config %s (WU_SERVER_PILOT_API_KEY, line 4)' % PATH


def test_what_the_run_was_given_wins():
    values, sources, dummy = plugin_credentials.from_wp_config(WIZARD, PATH, dict(NOTHING, api_key='from-env'))
    assert values['api_key'] == 'from-env' and sources['api_key'] == 'given' and sources['client_id'] != 'given'


@pytest.mark.parametrize('line, words', [
    ('', 'does not define WU_SERVER_PILOT_API_KEY'),
    ("define( 'WU_SERVER_PILOT_API_KEY', getenv('SP_KEY') );", 'defines WU_SERVER_PILOT_API_KEY as PHP code (line 4)'),
    ("if ($x) { define( 'WU_SERVER_PILOT_API_KEY', 'key-secret-456' ); }", 'WU_SERVER_PILOT_API_KEY is'),
    ("define( 'WU_SERVER_PILOT_API_KEY', '' );", 'does not define WU_SERVER_PILOT_API_KEY'),  # the plugin: not set
])
def test_a_key_missing_written_as_code_or_out_of_sight_is_refused_saying_what_to_set(line, words):
    text = WIZARD.replace("define( 'WU_SERVER_PILOT_API_KEY', 'key-secret-456' );", line)
    with pytest.raises(CollectionError) as caught:
        plugin_credentials.from_wp_config(text, PATH, NOTHING)
    assert words in caught.value.msg and 'serverpilot_api_key (or SERVERPILOT_API_KEY' in caught.value.msg
    assert 'key-secret-456' not in caught.value.msg and 'cid-123' not in caught.value.msg


def test_credentials_kept_encrypted_by_the_plugin_are_named_never_read():
    text = "<?php\ndefine( 'WU_SERVER_PILOT_APP_ID', 'app-789' );\n"
    stored = ['wu_hosting_credential_WU_SERVER_PILOT_API_KEY', 'wu_hosting_credential_WU_SERVER_PILOT_CLIENT_ID']
    with pytest.raises(CollectionError) as caught:
        plugin_credentials.from_wp_config(text, PATH, NOTHING, stored)
    assert 'wu_hosting_credential_WU_SERVER_PILOT_API_KEY' in caught.value.msg and 'decrypt' in caught.value.msg


def test_a_missing_app_id_is_left_to_the_path():
    text = WIZARD.replace("define( 'WU_SERVER_PILOT_APP_ID', 'app-789' );", '')
    assert plugin_credentials.from_wp_config(text, PATH, NOTHING)[2] == ['app_id']


APPS = [{'id': 'a1', 'name': 'network', 'serverid': 's1'}, {'id': 'a2', 'name': 'shop', 'serverid': 's1'}]


def test_the_app_the_path_names():
    assert plugin_credentials.app_from_path(PATH) == ('serverpilot', 'network')
    assert plugin_credentials.app_from_path('/var/www/html/wp-config.php') is None
    assert plugin_credentials.pick_app(APPS, PATH) == 'a1'


@pytest.mark.parametrize('apps, path, words', [
    (APPS + [{'id': 'a3', 'name': 'network', 'serverid': 's2'}], PATH, '2 apps of the account are named network'),
    (APPS[1:], PATH, 'no app of the account is named network'),
    (APPS, '/var/www/html/wp-config.php', "not under ServerPilot's /srv/users/SYSUSER/apps/APP/"),
])
def test_no_app_or_several_for_the_path_are_refused_naming_the_candidates(apps, path, words):
    with pytest.raises(CollectionError) as caught:
        plugin_credentials.pick_app(apps, path)
    assert words in caught.value.msg
    if 'apps of the account' in words:
        assert 'a1 (server s1), a3 (server s2)' in caught.value.msg
