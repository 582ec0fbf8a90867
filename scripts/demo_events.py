# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event-driven demo (scripts/demo_events.sh starts the stand-in first): a network database, the rulebook,
one new mapping, and the time it took to reach the app."""

import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [os.path.join(REPO, '.ansible', 'collections'), os.path.join(REPO, 'tests')]

import eda_world  # noqa: E402
import mariadb_server  # noqa: E402
from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot.api import ServerPilotClient  # noqa: E402

APP = 'demoNetworkApp01'


def app_domains():
    """The app's list, read with the collection's own client (the credentials scripts/standin_world.sh set)."""
    client = ServerPilotClient(os.environ['SERVERPILOT_CLIENT_ID'], os.environ['SERVERPILOT_API_KEY'],
                               os.environ['SERVERPILOT_API_URL'])
    try:
        return client.get_app(APP)['domains']
    finally:
        client.close()


def main(workdir):
    for need, why in ((mariadb_server.available(), 'mariadb-server (apt-get install mariadb-server)'),
                      (eda_world.available(), 'Java 17 (apt-get install openjdk-17-jre-headless)')):
        if not need:
            sys.exit('The event-driven demo needs %s.' % why)
    db = mariadb_server.MariaDB(os.path.join(workdir, 'mariadb')).start()
    rulebook = None
    try:
        # the demo network's Ultimate Multisite mappings, and the read-only user the watcher and the sync use
        db.create_network('network', prefix='wp_', rows=[{'blog_id': 2, 'domain': 'shop.example.com'}])
        db.create_user('reader', 'demo-reader-pw', 'network')
        database = dict(login_host='127.0.0.1', login_port=db.port, login_user='reader',
                        login_password='demo-reader-pw', database='network', table_prefix='wp_',
                        config_file='/nonexistent/my.cnf')
        variables = {'serverpilot_watch_interval': 2, 'serverpilot_network': {
            'serverpilot_app_id': APP, 'serverpilot_domains': ['network.example', '*.network.example'],
            'serverpilot_database': database,
            'serverpilot_dns_nameservers': [os.environ['DEMO_DNS']],
            'serverpilot_verify_port': int(os.environ['DEMO_TLS_PORT']),
            'serverpilot_verify_ca_path': os.environ['DEMO_TLS_CA']}}
        rulebook = eda_world.Rulebook(os.path.join(workdir, 'rulebook'), dict(os.environ), variables).start()
        print('### ansible-rulebook -r multisite.serverpilot.sync_on_change -i %s -e %s'
              % (rulebook.inventory, rulebook.vars_file))
        eda_world.wait_for(lambda: 'shop.example.com' in app_domains(), what='the initial sync')
        print('### The initial event synced the app: %s' % ', '.join(app_domains()))
        eda_world.wait_for(rulebook.idle, what='the initial run to end')
        print("### A customer maps newcustomer.example.com (an INSERT into wp_wu_domain_mappings)")
        db.insert('network', 'wp_', [{'blog_id': 3, 'domain': 'newcustomer.example.com'}])
        started = time.monotonic()
        eda_world.wait_for(lambda: 'newcustomer.example.com' in app_domains(), what='the new mapping on the app')
        print('### ... and %.1f s later the app serves: %s' % (time.monotonic() - started, ', '.join(app_domains())))
        print('### The rulebook\'s output: %s' % rulebook.log_path)
        sys.stdout.write(rulebook.output()[-2500:])
    finally:
        if rulebook is not None:
            rulebook.stop()
        db.stop()


if __name__ == '__main__':
    main(sys.argv[1])
