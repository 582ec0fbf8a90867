# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API client against the real stand-in server over HTTP (and HTTPS with a test CA)."""

import json
import socket
import time

import certifi

import pytest

from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot import api
from stand_in.server import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, PRIVATE_KEY_MARKER, StandInServer


class Clock:
    """Fake time for the client: sleeping advances it, nothing really waits."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def client(standin, clock):
    made = api.ServerPilotClient(DEFAULT_CLIENT_ID, DEFAULT_API_KEY, standin.url, sleep=clock.sleep, clock=clock)
    yield made
    made.close()


def test_get_app_never_returns_certificate_material(standin, client):
    for ssl in ('custom', 'auto', 'auto+force', None):
        app_id = standin.state.add_app(name='a', domains=['a%s.example.com' % len(standin.state.apps)], ssl=ssl)
        app = client.get_app(app_id)
        text = json.dumps(app)
        assert PRIVATE_KEY_MARKER not in text
        assert 'BEGIN' not in text
        assert set(app['ssl']) == {'auto', 'force', 'custom_cert'}
        assert app['ssl']['custom_cert'] is (ssl == 'custom')
        assert app['ssl']['auto'] is (ssl in ('auto', 'auto+force'))
        assert app['ssl']['force'] is (ssl == 'auto+force')
    listed = json.dumps(client.list_apps())
    assert PRIVATE_KEY_MARKER not in listed and 'BEGIN' not in listed


def test_one_session_carries_every_call(standin, client):
    app_id = standin.state.add_app(domains=['a.example.com'])
    for dummy in range(3):
        client.get_app(app_id)
    assert len(set(e['peer_port'] for e in standin.state.api_calls())) == 1


def test_set_app_domains_sends_the_complete_list(standin, client):
    app_id = standin.state.add_app(domains=['a.example.com'])
    action_id, app = client.set_app_domains(app_id, ['a.example.com', 'b.example.com'])
    assert action_id
    assert app['domains'] == ['a.example.com', 'b.example.com']
    assert standin.state.writes()[0]['body'] == {'domains': ['a.example.com', 'b.example.com']}


def test_wrong_credentials_say_what_to_check_and_never_show_the_key(standin, clock):
    bad = api.ServerPilotClient(DEFAULT_CLIENT_ID, 'wrong-key-123456', standin.url, sleep=clock.sleep)
    with pytest.raises(api.ServerPilotError) as info:
        bad.list_apps()
    assert info.value.status == 401
    assert 'SERVERPILOT_API_KEY' in info.value.msg and 'SERVERPILOT_CLIENT_ID' in info.value.msg
    assert 'wrong-key-123456' not in info.value.msg
    assert bad.calls == 1  # a 401 is never retried


def test_unknown_app_names_the_app_id(client):
    with pytest.raises(api.ServerPilotError) as info:
        client.get_app('nosuchapp')
    assert info.value.status == 404
    assert "App 'nosuchapp' was not found" in info.value.msg
    assert 'SERVERPILOT_APP_ID' in info.value.msg
    assert 'GET /apps/nosuchapp' in info.value.msg


@pytest.mark.parametrize('status, words', [
    (402, 'payment method'), (403, 'protected resource'), (409, 'already exists'), (400, 'could not accept'),
])
def test_other_errors_are_explained_and_not_retried(standin, client, status, words):
    standin.state.add_fault(status=status, count=5)
    with pytest.raises(api.ServerPilotError) as info:
        client.list_apps()
    assert 'HTTP %d' % status in info.value.msg
    assert words in info.value.msg
    assert 'Injected fault' in info.value.msg  # ServerPilot's own message is passed on
    assert client.calls == 1


def test_503_twice_then_success(standin, client, clock):
    standin.state.add_fault(status=503, count=2)
    assert client.list_apps() == []
    assert client.calls == 3
    assert len(clock.sleeps) == 2
    # exponential with jitter: attempt n waits between half and all of backoff * 2**n
    assert 0.5 <= clock.sleeps[0] <= 1.0
    assert 1.0 <= clock.sleeps[1] <= 2.0


def test_429_honours_retry_after(standin, client, clock):
    standin.state.add_fault(status=429, count=1, retry_after=7)
    client.list_apps()
    assert clock.sleeps == [7.0]


def test_retry_after_is_capped(standin, client, clock):
    standin.state.add_fault(status=503, count=1, retry_after=100000)
    client.list_apps()
    assert clock.sleeps == [api.MAX_RETRY_AFTER]


def test_dropped_connection_is_retried(standin, client):
    standin.state.add_fault(drop=True, count=1)
    assert client.list_apps() == []
    assert [e['status'] for e in standin.state.api_calls()] == ['dropped', 200]


def test_timeout_is_retried(standin, clock):
    standin.state.add_fault(delay=1.0, count=1, status=200)
    quick = api.ServerPilotClient(DEFAULT_CLIENT_ID, DEFAULT_API_KEY, standin.url, timeout=0.2, sleep=clock.sleep)
    assert quick.list_apps() == []
    assert quick.calls == 2


def test_retries_exhausted_says_how_many_tries(standin, client):
    standin.state.add_fault(status=502, count=10)
    with pytest.raises(api.ServerPilotError) as info:
        client.list_apps()
    assert 'Gave up after 5 tries' in info.value.msg
    assert info.value.tries == 5
    assert client.calls == 5


def test_connection_refused_exhausts_and_explains(clock):
    dead = api.ServerPilotClient(DEFAULT_CLIENT_ID, DEFAULT_API_KEY, 'http://127.0.0.1:9/v1', retries=2,
                                 sleep=clock.sleep)
    with pytest.raises(api.ServerPilotError) as info:
        dead.list_apps()
    assert 'failed after 3 tries' in info.value.msg
    assert 'connection failed' in info.value.msg


def test_non_json_error_body_from_a_proxy(standin, client):
    standin.state.add_fault(status=403, body='<html><body><h1>Forbidden by proxy</h1></body></html>')
    with pytest.raises(api.ServerPilotError) as info:
        client.list_apps()
    assert 'HTTP 403' in info.value.msg
    assert 'no ServerPilot error in the body' in info.value.msg
    assert 'Forbidden by proxy' in info.value.msg


def test_non_json_success_body(standin, client):
    standin.state.add_fault(status=200, body='<html>captive portal</html>')
    with pytest.raises(api.ServerPilotError, match='not JSON'):
        client.list_apps()


@pytest.mark.parametrize('url', [
    'https://api.serverpilot.io/v1', 'http://127.0.0.1:8080/v1', 'http://localhost:1/v1', 'http://[::1]:8080/v1',
    'http://127.9.9.9/v1/',
])
def test_check_api_url_accepts(url):
    assert api.check_api_url(url) == url.rstrip('/')


@pytest.mark.parametrize('url, words', [
    ('http://api.serverpilot.io/v1', 'clear text'),
    ('http://10.0.0.5/v1', 'clear text'),
    ('not a url', 'not an http(s) URL'),
    ('ftp://api.serverpilot.io/v1', 'not an http(s) URL'),
    ('', 'not an http(s) URL'),
    ('https://user:pw@api.serverpilot.io/v1', 'must not carry credentials'),
    ('https://api.serverpilot.io:port/v1', 'not a valid URL'),
    ('http://evillocalhost/v1', 'clear text'),  # only localhost and names under .localhost are loopback
    ('http://localhost.example.com/v1', 'clear text'),
])
def test_check_api_url_refuses(url, words):
    with pytest.raises(ValueError) as info:
        api.check_api_url(url)
    assert words in str(info.value)


def test_wait_for_action_polls_until_success_with_growing_interval(standin, client, clock):
    standin.state.action_open_polls = 3
    app_id = standin.state.add_app(domains=['a.example.com'])
    action_id = client.set_app_domains(app_id, ['b.example.com'])[0]
    assert client.wait_for_action(action_id, 300)['status'] == 'success'
    assert clock.sleeps == [0.25, 0.375, 0.5625]


def test_wait_for_action_error_names_the_action(standin, client):
    standin.state.fail_next_actions = 1
    app_id = standin.state.add_app(domains=['a.example.com'])
    action_id = client.set_app_domains(app_id, ['b.example.com'])[0]
    with pytest.raises(api.ServerPilotError) as info:
        client.wait_for_action(action_id, 300)
    assert action_id in info.value.msg and "'error'" in info.value.msg


def test_wait_for_action_is_bounded_by_wait_timeout(standin, client, clock):
    standin.state.action_open_polls = 1000
    app_id = standin.state.add_app(domains=['a.example.com'])
    action_id = client.set_app_domains(app_id, ['b.example.com'])[0]
    with pytest.raises(api.ServerPilotError) as info:
        client.wait_for_action(action_id, 20)
    assert 'still \'open\' after 20 seconds' in info.value.msg
    assert clock.now == pytest.approx(20)
    # a quarter of a second, growing by half, the last sleep cut to the deadline: never a tight loop
    assert clock.sleeps[:9] == [0.25 * 1.5 ** n for n in range(9)] and clock.sleeps[9] == pytest.approx(20 - sum(
        clock.sleeps[:9])) and len(clock.sleeps) == 10
    polls = [e for e in standin.state.api_calls() if e['path'].startswith('/v1/actions/')]
    assert len(polls) == 11


def test_redact_ssl_of_nothing():
    assert api.redact_ssl(None) == {'auto': False, 'force': False, 'custom_cert': False}


class TestTLS:
    @pytest.fixture
    def tls_standin(self, tmp_path):
        import trustme  # requirements-dev.txt installs it: a missing one is a failure, not a skip
        ca = trustme.CA()
        cert = ca.issue_cert('127.0.0.1', 'localhost')
        certfile, keyfile, cafile = tmp_path / 'cert.pem', tmp_path / 'key.pem', tmp_path / 'ca.pem'
        cert.private_key_pem.write_to_path(str(keyfile))
        cert.cert_chain_pems[0].write_to_path(str(certfile))
        ca.cert_pem.write_to_path(str(cafile))
        server = StandInServer(certfile=str(certfile), keyfile=str(keyfile)).start()
        yield server, str(cafile)
        server.stop()

    def test_untrusted_certificate_fails_at_once_with_advice(self, tls_standin, clock, monkeypatch):
        server, dummy = tls_standin
        monkeypatch.setenv('REQUESTS_CA_BUNDLE', certifi.where())
        monkeypatch.setenv('CURL_CA_BUNDLE', certifi.where())
        client = api.ServerPilotClient(DEFAULT_CLIENT_ID, DEFAULT_API_KEY, server.url, sleep=clock.sleep)
        with pytest.raises(api.ServerPilotError) as info:
            client.list_apps()
        assert 'TLS verification failed' in info.value.msg and 'REQUESTS_CA_BUNDLE' in info.value.msg
        assert client.calls == 1

    def test_ca_bundle_from_the_environment(self, tls_standin, monkeypatch):
        server, cafile = tls_standin
        monkeypatch.setenv('REQUESTS_CA_BUNDLE', cafile)
        client = api.ServerPilotClient(DEFAULT_CLIENT_ID, DEFAULT_API_KEY, server.url)
        assert client.list_apps() == []

    @pytest.mark.filterwarnings('ignore::urllib3.exceptions.InsecureRequestWarning')
    def test_validate_certs_false(self, tls_standin, monkeypatch):
        server, dummy = tls_standin
        monkeypatch.setenv('REQUESTS_CA_BUNDLE', certifi.where())
        monkeypatch.setenv('CURL_CA_BUNDLE', certifi.where())
        client = api.ServerPilotClient(DEFAULT_CLIENT_ID, DEFAULT_API_KEY, server.url, validate_certs=False)
        assert client.list_apps() == []


def test_an_empty_api_url_means_the_default():
    # what an AWX credential injects when its optional URL is left blank
    assert api.ServerPilotClient('cid', 'key', '').api_url == api.DEFAULT_API_URL
    assert api.ServerPilotClient('cid', 'key', None).api_url == api.DEFAULT_API_URL


# -- hardening: retry set, cut-off answers, redirects, proxies, total deadline ------------------------------------

@pytest.mark.parametrize('status', sorted(api.RETRY_STATUSES))
def test_every_retry_status_is_retried(standin, client, status):
    standin.state.add_fault(status=status, count=1)
    assert client.list_apps() == []
    assert [e['status'] for e in standin.state.api_calls()] == [status, 200]


@pytest.mark.parametrize('status', [400, 401, 402, 403, 404, 409, 501])
def test_other_statuses_are_not_retried(standin, client, status):
    standin.state.add_fault(status=status, count=2)
    with pytest.raises(api.ServerPilotError):
        client.list_apps()
    assert client.calls == 1


def test_an_answer_cut_off_mid_body_is_retried(standin, client):
    app_id = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_fault(cut=True, count=1, method='GET')
    assert client.get_app(app_id)['domains'] == ['a.example.com']
    assert [e['status'] for e in standin.state.api_calls()] == ['applied-then-cut', 200]


def test_a_domain_write_cut_off_is_not_replayed_and_says_it_may_have_gone_through(standin, client):
    app_id = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_fault(cut=True, count=1, method='POST')
    with pytest.raises(api.ServerPilotError) as info:
        client.set_app_domains(app_id, ['a.example.com', 'b.example.com'])
    assert info.value.retryable and info.value.maybe_applied and info.value.kind == 'transport'
    assert 'cut off' in info.value.msg
    assert len(standin.state.writes()) == 1  # sent once, never replayed by the client


@pytest.mark.parametrize('method, status', [('GET', 301), ('POST', 302), ('POST', 307), ('DELETE', 308)])
def test_a_redirect_is_never_followed(standin, client, method, status):
    app_id = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_fault(status=status, count=1, method=method, location='https://elsewhere.example/v1/x')
    call = {'GET': lambda: client.get_app(app_id),
            'POST': lambda: client.set_app_domains(app_id, ['b.example.com']),
            'DELETE': lambda: client.delete_ssl(app_id)}[method]
    with pytest.raises(api.ServerPilotError) as info:
        call()
    assert info.value.kind == 'unexpected_response' and info.value.status == status
    assert 'https://elsewhere.example/v1/x' in info.value.msg and 'never redirects' in info.value.msg
    assert client.calls == 1 and len(standin.state.api_calls()) == 1
    assert standin.state.app(app_id)['domains'] == ['a.example.com']


def test_a_plain_http_loopback_api_is_never_proxied(standin, monkeypatch):
    """With HTTP_PROXY set, Basic auth to a plain-http loopback API would reach the proxy in clear text."""
    proxy = socket.socket()
    proxy.bind(('127.0.0.1', 0))
    proxy.listen(5)
    proxy.settimeout(0.5)
    address = 'http://127.0.0.1:%d' % proxy.getsockname()[1]
    for name in ('HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'):
        monkeypatch.setenv(name, address)
    for name in ('NO_PROXY', 'no_proxy'):
        monkeypatch.delenv(name, raising=False)
    client = api.ServerPilotClient(DEFAULT_CLIENT_ID, DEFAULT_API_KEY, standin.url, retries=0)
    try:
        assert client.list_apps() == []
        with pytest.raises(socket.timeout):
            proxy.accept()  # nothing ever connected to the proxy
    finally:
        client.close()
        proxy.close()


class Ticking:
    """A clock that moves 0.1 s each time the client looks at it: the client's deadline, counted in looks."""

    def __init__(self):
        self.now, self.looks = 0.0, 0

    def __call__(self):
        self.looks += 1
        self.now += 0.1
        return self.now


def test_a_trickling_body_ends_one_timeout_after_the_headers(standin):
    standin.state.add_app(domains=['a%d.example.com' % i for i in range(20)])
    standin.state.add_fault(trickle=0.05, count=1, method='GET')
    clock = Ticking()
    client = api.ServerPilotClient(DEFAULT_CLIENT_ID, DEFAULT_API_KEY, standin.url, timeout=1, retries=0,
                                   clock=clock)
    with pytest.raises(api.ServerPilotError) as info:
        client.list_apps()
    assert info.value.kind == 'transport' and 'timed out' in info.value.msg
    # the deadline once, then one look per piece of the body: 1 s of the test's clock is 10 looks, not 20
    assert 11 <= clock.looks <= 12, clock.looks
    client.close()


@pytest.mark.parametrize('status, applied', [(429, False), (502, False), (503, False), (504, False), (500, True)])
def test_a_domain_write_refused_at_the_door_is_not_applied(standin, client, status, applied):
    """A 429 or a gateway's 5xx never reached the API: the run must not count it as a write, and reads again."""
    app_id = standin.state.add_app(domains=['a.example.com'])
    standin.state.add_fault(status=status, count=1, method='POST')
    with pytest.raises(api.ServerPilotError) as info:
        client.set_app_domains(app_id, ['a.example.com', 'b.example.com'])
    assert info.value.retryable and info.value.maybe_applied is applied
    assert client.calls == 1  # never replayed by the client


def test_a_trickling_answer_is_bounded_by_the_timeout(standin):
    standin.state.add_app(domains=['a%d.example.com' % i for i in range(20)])
    standin.state.add_fault(trickle=0.2, count=1, method='GET')
    client = api.ServerPilotClient(DEFAULT_CLIENT_ID, DEFAULT_API_KEY, standin.url, timeout=1, retries=0)
    started = time.monotonic()
    with pytest.raises(api.ServerPilotError) as info:
        client.list_apps()
    elapsed = time.monotonic() - started
    assert info.value.kind == 'transport' and 'timed out' in info.value.msg
    assert elapsed < 2.5  # a per-read timeout alone would have waited for every byte (> 60 s)
    client.close()


@pytest.mark.parametrize('payload, words', [
    ({'data': None}, 'without data'),
    ({'data': {'id': 'x'}}, 'data.domains'),
    ({'data': {'id': 'x', 'domains': []}}, 'data.ssl'),
    ({'nothing': 1}, 'without data'),
])
def test_an_app_answer_without_what_the_document_promises(standin, client, payload, words):
    standin.state.add_fault(status=200, count=1, body=json.dumps(payload))
    with pytest.raises(api.ServerPilotError) as info:
        client.get_app('x')
    assert info.value.kind == 'unexpected_response' and words in info.value.msg


def test_a_chunked_and_gzipped_answer_is_read_whole():
    """The body is read piece by piece against a deadline: chunked transfer and gzip must still come out whole."""
    import gzip
    import http.server
    import threading
    body = gzip.compress(json.dumps({'data': [{'id': 'a%d' % i, 'domains': []} for i in range(300)]}).encode())

    class Chunked(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Encoding', 'gzip')
            self.send_header('Transfer-Encoding', 'chunked')
            self.end_headers()
            for start in range(0, len(body), 500):
                piece = body[start:start + 500]
                self.wfile.write(b'%x\r\n%s\r\n' % (len(piece), piece))
            self.wfile.write(b'0\r\n\r\n')

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Chunked)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = api.ServerPilotClient('cid', 'key', 'http://127.0.0.1:%d/v1' % server.server_address[1], retries=0)
        assert [app['id'] for app in client.list_apps()] == ['a%d' % i for i in range(300)]
        client.close()
    finally:
        server.shutdown()
