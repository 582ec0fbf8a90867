# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one ServerPilot API client every module of this collection uses.

Only this file imports ``requests``. It owns the session, authentication,
timeouts, retries, error messages, action waiting and the redaction of the
certificate material an app carries.
"""

import email.utils
import ipaddress
import json
import random
import time

from urllib.parse import quote, urlsplit

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import ServerPilotError

try:
    import requests
    from urllib3.exceptions import NewConnectionError, ProtocolError, ReadTimeoutError
except ImportError:
    pass  # ansible-test's import check loads this file without them; runner.check_libraries says what is missing

# The one place the public endpoint is written; an unset or empty api_url means it.
DEFAULT_API_URL = 'https://api.serverpilot.io/v1'
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
# A gateway that answers these refused the request before the API saw it.
NOT_APPLIED_STATUSES = frozenset((429, 502, 503, 504))
MAX_RETRY_AFTER = 120.0
USER_AGENT = 'multisite.serverpilot-ansible'

CREDENTIAL_HINT = ('Check client_id and api_key (or the SERVERPILOT_CLIENT_ID and SERVERPILOT_API_KEY '
                   'environment variables); only one API key is active per account at a time.')
STATUS_HINTS = {
    400: 'ServerPilot could not accept the request.',
    401: CREDENTIAL_HINT,
    402: 'ServerPilot refused the call because the account has no valid payment method or its plan '
         'does not allow it; check the account in the ServerPilot dashboard.',
    403: 'ServerPilot refused to change a protected resource.',
    409: 'ServerPilot says this already exists.',
    500: 'ServerPilot failed on its side; try again later.',
}


def check_api_url(api_url):
    """Return the URL without a trailing slash, or raise ValueError.

    Plain http is only allowed to a loopback host, because Basic auth would
    otherwise carry the API key in clear text across the network.
    """
    try:
        parts = urlsplit(api_url or '')
        host = parts.hostname
        parts.port  # raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ValueError('api_url %r is not a valid URL (%s).' % (api_url, exc))
    if parts.scheme not in ('http', 'https') or not host:
        raise ValueError("api_url %r is not an http(s) URL; use e.g. %s." % (api_url, DEFAULT_API_URL))
    if parts.username or parts.password:
        raise ValueError('api_url must not carry credentials; use client_id and api_key.')
    if parts.scheme == 'http' and not _is_loopback(host):
        raise ValueError("api_url %r uses plain http to a host that is not loopback; the API key would "
                         "travel in clear text. Use https." % api_url)
    return api_url.rstrip('/')


def _is_loopback(host):
    if host == 'localhost' or host.endswith('.localhost'):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redact_ssl(ssl):
    """An app's ``ssl`` reduced to its state; the private key and certificate bodies never leave here."""
    if not ssl:
        return {'auto': False, 'force': False, 'custom_cert': False}
    auto = bool(ssl.get('auto'))
    return {'auto': auto, 'force': bool(ssl.get('force')), 'custom_cert': not auto}


def redact_app(app):
    """An app as the API returns it, with ``ssl`` reduced by redact_ssl."""
    app = dict(app or {})
    if 'ssl' in app:
        app['ssl'] = redact_ssl(app['ssl'])
    autossl = app.get('autossl')
    if isinstance(autossl, dict):
        app['autossl'] = {'available': bool(autossl.get('available')),
                          'domains': list(autossl.get('domains') or [])}
    return app


def _retry_after(response):
    """The server's Retry-After in seconds (capped), or None; ``response`` may be an exception or None."""
    value = getattr(response, 'headers', {}).get('Retry-After')
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - time.time()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class ServerPilotClient:
    """A ServerPilot API v1 client: one ``requests.Session`` per module run."""

    def __init__(self, client_id, api_key, api_url=DEFAULT_API_URL, validate_certs=True, timeout=30,
                 retries=4, backoff=1.0, max_backoff=30.0, sleep=time.sleep, clock=time.monotonic):
        # an AWX credential with the optional URL left empty injects an empty SERVERPILOT_API_URL
        self.api_url = check_api_url(api_url or DEFAULT_API_URL)
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.clock = clock
        self.calls = 0
        self.session = requests.Session()
        # trust_env stays on for https: HTTPS_PROXY/NO_PROXY and REQUESTS_CA_BUNDLE work as everywhere else.
        # Plain http is only ever to loopback (check_api_url); a proxy would see the API key in clear text.
        if urlsplit(self.api_url).scheme == 'http':
            self.session.trust_env = False
        self.session.auth = (client_id, api_key)
        self.validate_certs = validate_certs
        self.session.headers.update({'Accept': 'application/json', 'User-Agent': USER_AGENT})

    def close(self):
        self.session.close()

    # -- transport -------------------------------------------------------

    def retry_delay(self, attempt, retry_after=None):
        """Seconds to wait before try ``attempt + 2``: exponential backoff with jitter, so many AWX jobs
        retrying at once spread out, and never less than the server's ``Retry-After``."""
        delay = min(self.max_backoff, self.backoff * (2 ** attempt))
        delay = delay / 2 + random.uniform(0, delay / 2)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return delay

    def request(self, method, path, body=None, not_found=None, replay=True):
        """Send one call and return the decoded JSON object.

        Retries 429, 5xx gateway errors, dropped or cut-off connections and
        timeouts when ``replay`` is true: reads, and writes whose body does not
        depend on an earlier read (an SSL switch), which leave the app the same
        however often they are sent. A write computed from a read (the domain
        list) passes ``replay=False``: after one failed try it raises with
        ``retry_after`` set and ``maybe_applied`` saying whether the server may
        have acted, and its caller reads again instead, since another writer
        may have acted in between.
        """
        url = self.api_url + path
        data = None if body is None else json.dumps(body)
        headers = {'Content-Type': 'application/json'} if body is not None else None
        tries = self.retries + 1 if replay else 1
        last = None
        for attempt in range(tries):
            if attempt:
                self.sleep(self.retry_delay(attempt - 1, _retry_after(last)))
            self.calls += 1
            try:
                response = self._send(method, url, data, headers)
            except requests.exceptions.SSLError as exc:
                raise ServerPilotError(
                    'TLS verification failed for %s %s: %s. Point REQUESTS_CA_BUNDLE at the CA bundle that '
                    'signs the API endpoint, or set validate_certs=false only for a test endpoint.'
                    % (method, path, exc), method=method, path=path, tries=attempt + 1)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exc:
                last = exc
                continue
            if response.status_code in RETRY_STATUSES:
                last = response
                continue
            if 300 <= response.status_code < 400:
                # The API never redirects: following would turn a write into a GET, or carry the key elsewhere.
                raise ServerPilotError(
                    '%s %s answered HTTP %d, a redirect to %s; the ServerPilot API never redirects, so it was not '
                    'followed. Check api_url (%s): it must name the API itself, e.g. with https:// and /v1.'
                    % (method, path, response.status_code, response.headers.get('Location') or 'nowhere',
                       self.api_url), status=response.status_code, method=method, path=path, tries=attempt + 1,
                    kind='unexpected_response')
            return self._decode(method, path, response, attempt + 1, not_found)
        if hasattr(last, 'status_code'):
            error = self._error(method, path, last, tries)
            error.kind = 'transport'
            error.msg = '%s Gave up after %d %s.' % (error.msg, tries, 'tries' if tries > 1 else 'try')
            error.args = (error.msg,)
        else:
            error = ServerPilotError(
                '%s %s failed after %d %s: %s. Check that api_url (%s) is reachable from this host, and any '
                'HTTPS_PROXY/NO_PROXY setting.' % (method, path, tries, 'tries' if tries > 1 else 'try',
                                                   _describe(last), self.api_url),
                method=method, path=path, tries=tries)
        error.retryable = True
        error.retry_after = _retry_after(last)
        error.maybe_applied = _maybe_applied(last)
        raise error

    def _send(self, method, url, data, headers):
        """One HTTP exchange, finished within ``timeout`` seconds of body reading.

        requests' timeout bounds each socket read, not the call: an answer that
        trickles in a byte at a time would never time out. The body is read in
        pieces against a deadline instead, so one try ends within about twice
        ``timeout`` (connect and headers, then the body), whatever the server does.
        """
        # verify per request: a session-wide False loses to CURL_CA_BUNDLE/REQUESTS_CA_BUNDLE in requests
        response = self.session.request(method, url, data=data, headers=headers, timeout=self.timeout,
                                        verify=self.validate_certs, allow_redirects=False, stream=True)
        deadline = self.clock() + self.timeout
        body = []
        try:
            while True:
                # requests' documented raw stream; read1 (urllib3 2's documented API) returns what has arrived,
                # so a trickle cannot hold a read past the deadline
                piece = response.raw.read1(65536, decode_content=True)
                if not piece:
                    break
                body.append(piece)
                if self.clock() > deadline:
                    raise requests.exceptions.ReadTimeout('the answer took longer than %s seconds' % self.timeout)
        except ReadTimeoutError as exc:
            raise requests.exceptions.ReadTimeout(exc)
        except ProtocolError as exc:
            # a body cut off mid-way: what requests itself raises when it reads one
            raise requests.exceptions.ChunkedEncodingError(exc)
        finally:
            response.close()
        return _Answer(response.status_code, response.headers, b''.join(body))

    def _decode(self, method, path, response, tries, not_found):
        if response.status_code >= 400:
            raise self._error(method, path, response, tries, not_found)
        try:
            payload = response.json()
        except ValueError:
            raise ServerPilotError('%s %s answered HTTP %d with a body that is not JSON; is api_url (%s) the '
                                   'ServerPilot API?' % (method, path, response.status_code, self.api_url),
                                   status=response.status_code, method=method, path=path, tries=tries,
                                   kind='unexpected_response')
        if not isinstance(payload, dict):
            raise ServerPilotError('%s %s answered with JSON that is not an object.' % (method, path),
                                   status=response.status_code, method=method, path=path, tries=tries,
                                   kind='unexpected_response')
        return payload

    def _error(self, method, path, response, tries, not_found=None):
        status = response.status_code
        try:
            message = response.json()['error']['message']
        except (ValueError, KeyError, TypeError):
            text = ' '.join((response.text or '').split())
            message = 'no ServerPilot error in the body (%s)' % text[:160] if text else 'empty body'
        hint = not_found if status == 404 and not_found else STATUS_HINTS.get(status, '')
        msg = 'ServerPilot API %s %s failed with HTTP %d: %s.' % (method, path, status, message.rstrip('.'))
        if hint:
            msg += ' ' + hint
        return ServerPilotError(msg, status=status, method=method, path=path, tries=tries)

    # -- resources -------------------------------------------------------

    @staticmethod
    def _app_path(app_id):
        return '/apps/%s' % quote(str(app_id), safe='')

    @staticmethod
    def _app_not_found(app_id):
        return ("App '%s' was not found: check app_id (or SERVERPILOT_APP_ID) and that the API key belongs "
                "to the account that owns the app." % app_id)

    @staticmethod
    def _app(payload, method, path):
        """The app in an answer, checked for what the collection relies on; certificate material redacted."""
        app = payload.get('data')
        if not isinstance(app, dict) or not isinstance(app.get('domains'), list) or 'ssl' not in app:
            missing = ('data' if not isinstance(app, dict) else 'data.domains (a list)'
                       if not isinstance(app.get('domains'), list) else 'data.ssl')
            raise ServerPilotError('%s %s answered without %s, which the API document promises for an app. Check '
                                   'that api_url points at the ServerPilot API v1; run again.' % (method, path, missing),
                                   method=method, path=path, kind='unexpected_response')
        return redact_app(app)

    def get_app(self, app_id):
        """The app's details (with ``autossl``), certificate material redacted."""
        path = self._app_path(app_id)
        return self._app(self.request('GET', path, not_found=self._app_not_found(app_id)), 'GET', path)

    def list_apps(self):
        payload = self.request('GET', '/apps')
        apps = payload.get('data')
        if not isinstance(apps, list):
            raise ServerPilotError('GET /apps answered without a list of apps in data. Check that api_url points '
                                   'at the ServerPilot API v1.', method='GET', path='/apps', kind='unexpected_response')
        return [redact_app(app) for app in apps]

    def get_server(self, server_id):
        """A server's details; ``lastaddress`` is the address a domain's DNS must point at."""
        path = '/servers/%s' % quote(str(server_id), safe='')
        server = self.request('GET', path, not_found="Server '%s' was not found." % server_id).get('data')
        if not isinstance(server, dict):
            raise ServerPilotError('GET %s answered without data, which the API document promises for a server.'
                                   % path, method='GET', path=path, kind='unexpected_response')
        return server

    def set_app_domains(self, app_id, domains):
        """Replace the app's whole domain list; returns (action id or None, the app as the answer gives it).

        Never replayed: the list was computed from an earlier read, so a failed
        try raises and the caller plans again from a fresh read.
        """
        payload = self.request('POST', self._app_path(app_id), body={'domains': list(domains)},
                               not_found=self._app_not_found(app_id), replay=False)
        return payload.get('actionid') or None, redact_app(payload.get('data'))

    def enable_autossl(self, app_id):
        """Switch AutoSSL on (the API accepts only ``true``); returns the action id."""
        return self._ssl_call('POST', app_id, {'auto': True})

    def set_force_ssl(self, app_id, force):
        return self._ssl_call('POST', app_id, {'force': bool(force)})

    def delete_ssl(self, app_id):
        """Switch AutoSSL off or delete a custom certificate; ForceSSL goes off with it."""
        return self._ssl_call('DELETE', app_id, None)

    def _ssl_call(self, method, app_id, body):
        # The response echoes the certificate and its private key: only the action id leaves here.
        payload = self.request(method, self._app_path(app_id) + '/ssl', body=body,
                               not_found=self._app_not_found(app_id))
        return payload.get('actionid') or None

    def get_action(self, action_id):
        payload = self.request('GET', '/actions/%s' % quote(str(action_id), safe=''),
                               not_found="Action '%s' was not found." % action_id)
        return payload.get('data') or {}

    def wait_for_action(self, action_id, wait_timeout, poll=0.25, max_poll=10.0):
        """Poll an action until it is ``success``; raise on ``error`` or once ``wait_timeout`` has passed.

        The first look is immediate (quick actions finish at once), the next a quarter of a second later (most
        domain-list actions take about a second), then the interval grows by half each time up to ``max_poll``
        seconds: nine looks in the first 15 seconds, then one every 10 seconds.
        """
        if not action_id:
            return None
        deadline = self.clock() + wait_timeout
        delay = poll
        while True:
            action = self.get_action(action_id)
            status = action.get('status')
            if status == 'success':
                return action
            if status == 'error':
                raise ServerPilotError(
                    "ServerPilot action %s ended in 'error': the server could not apply the change. Look at the "
                    "app in the ServerPilot dashboard (and the server's connection to ServerPilot), then run "
                    "again." % action_id, action_id=action_id, kind='action_error')
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise ServerPilotError(
                    "ServerPilot action %s is still '%s' after %s seconds (wait_timeout). The change may still "
                    "be applied; raise wait_timeout or check the server's connection to ServerPilot."
                    % (action_id, status, _seconds(wait_timeout)), action_id=action_id, kind='action_timeout')
            self.sleep(min(delay, remaining))
            delay = min(delay * 1.5, max_poll)


def _seconds(value):
    return ('%g' % value) if isinstance(value, float) else str(value)


class _Answer(object):
    """An HTTP answer read whole within the deadline: status, headers and body (the connection is released)."""

    def __init__(self, status_code, headers, body):
        self.status_code, self.headers, self.body = status_code, headers, body

    def json(self):
        return json.loads(self.body.decode('utf-8'))  # the API answers UTF-8 JSON; ValueError otherwise

    @property
    def text(self):
        return self.body.decode('utf-8', 'replace')


def _maybe_applied(last):
    """Whether a request that ended in ``last`` may have reached the API and been acted on."""
    if hasattr(last, 'status_code'):
        return last.status_code not in NOT_APPLIED_STATUSES
    if isinstance(last, requests.exceptions.ConnectTimeout):
        return False  # timed out while connecting: nothing was sent
    reason = getattr(last.args[0], 'reason', None) if getattr(last, 'args', None) else None
    return not isinstance(reason, NewConnectionError)  # refused while connecting: nothing was sent


def _describe(exc):
    if isinstance(exc, requests.exceptions.Timeout):
        return 'timed out (%s)' % type(exc).__name__
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return 'the answer was cut off (%s)' % type(exc).__name__
    return 'connection failed (%s)' % type(exc).__name__
