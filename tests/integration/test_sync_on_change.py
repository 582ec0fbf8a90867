# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rulebook sync_on_change with the real ansible-rulebook (Java 17), the stand-in API and a real MariaDB network:
the initial sync, a mapping inserted arrives, a deleted one leaves, a burst coalesces, a database away for a while
removes nothing, an API answering 503 for a while loses nothing. Every wait is on a condition, with a generous bound."""

import os

import pytest

import eda_world
from needs import need
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID

pytestmark = pytest.mark.integration
PASSWORD = 'eda-reader-pw-7'


@pytest.fixture(autouse=True)
def engine():
    need(eda_world.available(), 'ansible-rulebook or Java 17',
         'apt-get install openjdk-17-jre-headless; scripts/setup.sh installs ansible-rulebook')


def network(server, database):
    server.create_network(database, prefix='wpe_', rows=[{'blog_id': 2, 'domain': 'shop.example.com'}])
    server.create_user('edareader', PASSWORD, database)
    return dict(login_host='127.0.0.1', login_port=server.port, login_user='edareader', login_password=PASSWORD,
                database=database, table_prefix='wpe_', config_file='/nonexistent/my.cnf')


def rulebook(standin, tmp_path, app, database, **settings):
    """The README's one command, with the vars file it describes (credentials in the environment); ``settings``
    change the network's variables."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=eda_world.COLLECTIONS,
               SERVERPILOT_API_URL=standin.url, SERVERPILOT_CLIENT_ID=DEFAULT_CLIENT_ID,
               SERVERPILOT_API_KEY=DEFAULT_API_KEY, ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'))
    variables = {
        'serverpilot_watch_interval': 1,
        'serverpilot_network': {
            'serverpilot_app_id': app,
            'serverpilot_domains': ['network.example'],
            'serverpilot_www': 'never',
            'serverpilot_database': database,
            # what these tests look at is the domain list; the health and SSL steps have tests of their own
            'serverpilot_autossl': False,
            'serverpilot_verify_ssl': False,
        },
    }
    variables['serverpilot_network'].update(settings)
    return eda_world.Rulebook(str(tmp_path / 'rulebook'), env, variables).start()


def on_app(standin, app, *names):
    return lambda: set(names) <= set(standin.state.app(app)['domains'])


def off_app(standin, app, *names):
    return lambda: not set(names) & set(standin.state.app(app)['domains'])


def test_initial_sync_insert_delete_and_a_burst_of_ten(standin, mariadb, tmp_path):
    app = standin.state.add_app(domains=['network.example', 'stale.example.net'])
    rb = rulebook(standin, tmp_path, app, network(mariadb, 'eda1'))
    try:
        eda_world.wait_for(lambda: on_app(standin, app, 'shop.example.com')() and off_app(
            standin, app, 'stale.example.net')(), what='the initial sync')
        mariadb.insert('eda1', 'wpe_', [{'blog_id': 3, 'domain': 'new.example.org'}])
        eda_world.wait_for(on_app(standin, app, 'new.example.org'), what='the inserted mapping on the app')
        mariadb.sql("DELETE FROM wpe_wu_domain_mappings WHERE domain = 'shop.example.com'", 'eda1')
        eda_world.wait_for(off_app(standin, app, 'shop.example.com'), what='the deleted mapping off the app')
        assert standin.state.app(app)['domains'] == ['network.example', 'new.example.org']

        eda_world.wait_for(rb.idle, what='the last run to end')
        before = rb.runs()
        burst = ['bulk%d.example.com' % n for n in range(10)]
        # a bulk import: ten inserts, ten transactions, one after the other
        mariadb.insert('eda1', 'wpe_', [{'blog_id': 10 + n, 'domain': name} for n, name in enumerate(burst)])
        eda_world.wait_for(on_app(standin, app, *burst), what='the burst on the app')
        # a later change, once the burst is on the app: its run comes after every run the burst caused
        mariadb.insert('eda1', 'wpe_', [{'blog_id': 30, 'domain': 'sentinel.example.com'}])
        eda_world.wait_for(lambda: on_app(standin, app, 'sentinel.example.com')() and rb.idle(),
                           what="the later change's run")
        burst_runs = rb.runs() - before - 1
        assert 1 <= burst_runs <= 3, rb.output()[-4000:]
        assert rb.alive(), rb.output()[-4000:]
        assert PASSWORD not in rb.output() and DEFAULT_API_KEY not in rb.output()
        # the output names what changed: the event's own words, then the run's
        assert 'added new.example.org; removed none' in rb.output()
        assert 'added none; removed shop.example.com' in rb.output()
        assert 'Removed: shop.example.com' in rb.output()
        # only the credentials are censored when the network's settings are taken apart
        assert rb.output().count('censored due to no_log') <= rb.runs() * 2
    finally:
        rb.stop()


def test_a_database_away_for_a_while_removes_nothing_and_the_rulebook_keeps_running(standin, tmp_path):
    import mariadb_server
    own = mariadb_server.MariaDB(str(tmp_path / 'db')).start()  # this test stops it: no other test shares it
    app = standin.state.add_app(domains=['network.example'])
    rb = rulebook(standin, tmp_path, app, network(own, 'eda2'))
    try:
        eda_world.wait_for(on_app(standin, app, 'shop.example.com'), what='the initial sync')
        eda_world.wait_for(rb.idle, what='the initial run to end')
        synced, runs, writes = standin.state.app(app)['domains'], rb.runs(), len(standin.state.writes())
        own.stop()
        eda_world.wait_for(lambda: rb.output().count('failed in a row, no event') >= 3,
                           what='three failed reads')
        assert rb.alive() and rb.runs() == runs and standin.state.app(app)['domains'] == synced
        own.resume()
        eda_world.wait_for(lambda: 'reads again after' in rb.output(), what='the reads to resume')
        own.insert('eda2', 'wpe_', [{'blog_id': 3, 'domain': 'back.example.org'}])
        eda_world.wait_for(on_app(standin, app, 'back.example.org'), what='the mapping made after the outage')
        assert 'shop.example.com' in standin.state.app(app)['domains']
        assert len(standin.state.writes()) == writes + 1  # the outage itself caused no write
        assert PASSWORD not in rb.output()
    finally:
        rb.stop()
        own.stop()


def test_an_api_answering_503_for_a_while_loses_nothing(standin, mariadb, tmp_path):
    app = standin.state.add_app(domains=['network.example'])
    rb = rulebook(standin, tmp_path, app, network(mariadb, 'eda3'))
    try:
        eda_world.wait_for(on_app(standin, app, 'shop.example.com'), what='the initial sync')
        eda_world.wait_for(rb.idle, what='the initial run to end')
        # more 503s than one run's retries: that run fails, the rulebook runs it again, and the change arrives
        standin.state.add_fault(status=503, count=7, path='/v1/apps/%s$' % app)
        mariadb.insert('eda3', 'wpe_', [{'blog_id': 3, 'domain': 'during.example.org'}])
        eda_world.wait_for(on_app(standin, app, 'during.example.org'), bound=600,
                           what='the mapping made while the API answered 503')
        assert 'shop.example.com' in standin.state.app(app)['domains']
        assert 'Previous run_playbook failed' in rb.output(), rb.output()[-4000:]
        assert rb.alive()
    finally:
        rb.stop()


def test_an_unhealthy_required_name_is_reported_never_retried(standin, mariadb, messy_network, tmp_path):
    """network.example, the operator's own name, has no DNS: every run reports it, none fails for it, so the
    rulebook never spends its retries (3, 20 s apart) on it and the next change is synced at once."""
    app = standin.state.add_app(domains=['network.example'])
    rb = rulebook(standin, tmp_path, app, network(mariadb, 'eda4'), serverpilot_verify_ssl=True,
                  serverpilot_dns_nameservers=[messy_network.dns.nameserver],
                  serverpilot_verify_port=messy_network.tls.port, serverpilot_verify_ca_path=messy_network.tls.ca_path)
    try:
        eda_world.wait_for(lambda: on_app(standin, app, 'shop.example.com')() and rb.idle(), what='the initial sync')
        mariadb.insert('eda4', 'wpe_', [{'blog_id': 3, 'domain': 'next.example.org'}])
        eda_world.wait_for(lambda: on_app(standin, app, 'next.example.org')() and rb.idle(), what='the next sync')
        out = rb.output()
        assert 'network.example: dns_missing' in out  # reported ...
        assert 'failed=1' not in out and rb.runs() == 2, out[-4000:]  # ... and never a failed run, never a retry
    finally:
        rb.stop()
