# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one ServerPilot API client every module of this collection uses.

Only this file imports ``requests``. It owns the session, authentication,
timeouts, retries, error messages, action waiting and the redaction of the
certificate material an app carries.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import ipaddress
import json
import random
import time
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib
from ansible.module_utils.six.moves.urllib.parse import quote, urlsplit

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

DEFAULT_API_URL = 'https://api.serverpilot.io/v1'
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
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
    409: 'ServerPilot says this already exists (for a domain: it may be in use by another app on the server).',
    500: 'ServerPilot failed on its side; try again later.',
}


def serverpilot_argument_spec(app=False, credentials_required=True):
    """The options shared by every module, documented in the serverpilot doc fragment.

    ``app=True`` adds the options of a module that manages one app (fragment ``.app``).
    """
    spec = dict(
        client_id=dict(type='str', required=credentials_required,
                       fallback=(env_fallback, ['SERVERPILOT_CLIENT_ID'])),
        api_key=dict(type='str', required=credentials_required, no_log=True,
                     fallback=(env_fallback, ['SERVERPILOT_API_KEY'])),
        api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['SERVERPILOT_API_URL'])),
        validate_certs=dict(type='bool', default=True),
        timeout=dict(type='float', default=30),
        retries=dict(type='int', default=4),
    )
    if app:
        spec.update(
            app_id=dict(type='str', required=True, fallback=(env_fallback, ['SERVERPILOT_APP_ID'])),
            wait=dict(type='bool', default=True),
            wait_timeout=dict(type='int', default=300),
        )
    return spec


class ServerPilotError(Exception):
    """A failed call, with a message fit for an operator and the facts behind it."""

    def __init__(self, msg, status=None, method=None, path=None, tries=None, action_id=None):
        super(ServerPilotError, self).__init__(msg)
        self.msg = msg
        self.status = status
        self.method = method
        self.path = path
        self.tries = tries
        self.action_id = action_id

    def details(self):
        return dict((k, v) for k, v in (('status', self.status), ('method', self.method), ('path', self.path),
                                        ('tries', self.tries), ('action_id', self.action_id)) if v is not None)


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
    value = response.headers.get('Retry-After')
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
        # trust_env stays on: HTTPS_PROXY/NO_PROXY and REQUESTS_CA_BUNDLE work as everywhere else.
        self.session.auth = (client_id, api_key)
        self.validate_certs = validate_certs
        self.session.headers.update({'Accept': 'application/json', 'User-Agent': USER_AGENT})

    def close(self):
        self.session.close()

    # -- transport -------------------------------------------------------

    def _delay(self, attempt, response=None):
        # Exponential backoff with jitter, so many AWX jobs retrying at once spread out.
        delay = min(self.max_backoff, self.backoff * (2 ** attempt))
        delay = delay / 2 + random.uniform(0, delay / 2)
        if response is not None:
            retry_after = _retry_after(response)
            if retry_after is not None:
                delay = max(delay, retry_after)
        return delay

    def request(self, method, path, body=None, not_found=None):
        """Send one call and return the decoded JSON object.

        Retries 429, 5xx gateway errors, dropped connections and timeouts.
        That is safe for every call this collection makes: reads, and writes
        that carry the complete desired state (the full domain list, the SSL
        setting), so sending one twice leaves the app as sending it once does.
        """
        url = self.api_url + path
        data = None if body is None else json.dumps(body)
        headers = {'Content-Type': 'application/json'} if body is not None else None
        tries = self.retries + 1
        last = None
        for attempt in range(tries):
            if attempt:
                self.sleep(self._delay(attempt - 1, last if hasattr(last, 'status_code') else None))
            self.calls += 1
            try:
                # verify per request: a session-wide False loses to CURL_CA_BUNDLE/REQUESTS_CA_BUNDLE in requests
                response = self.session.request(method, url, data=data, headers=headers, timeout=self.timeout,
                                                verify=self.validate_certs)
            except requests.exceptions.SSLError as exc:
                raise ServerPilotError(
                    'TLS verification failed for %s %s: %s. Point REQUESTS_CA_BUNDLE at the CA bundle that '
                    'signs the API endpoint, or set validate_certs=false only for a test endpoint.'
                    % (method, path, exc), method=method, path=path, tries=attempt + 1)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                last = exc
                continue
            if response.status_code in RETRY_STATUSES:
                last = response
                continue
            return self._decode(method, path, response, attempt + 1, not_found)
        if hasattr(last, 'status_code'):
            error = self._error(method, path, last, tries)
            error.msg = '%s Gave up after %d tries.' % (error.msg, tries)
            error.args = (error.msg,)
            raise error
        raise ServerPilotError(
            '%s %s failed after %d tries: %s. Check that api_url (%s) is reachable from this host, and any '
            'HTTPS_PROXY/NO_PROXY setting.' % (method, path, tries, _describe(last), self.api_url),
            method=method, path=path, tries=tries)

    def _decode(self, method, path, response, tries, not_found):
        if response.status_code >= 400:
            raise self._error(method, path, response, tries, not_found)
        try:
            payload = response.json()
        except ValueError:
            raise ServerPilotError('%s %s answered HTTP %d with a body that is not JSON; is api_url (%s) the '
                                   'ServerPilot API?' % (method, path, response.status_code, self.api_url),
                                   status=response.status_code, method=method, path=path, tries=tries)
        if not isinstance(payload, dict):
            raise ServerPilotError('%s %s answered with JSON that is not an object.' % (method, path),
                                   status=response.status_code, method=method, path=path, tries=tries)
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

    def get_app(self, app_id):
        """The app's details (with ``autossl``), certificate material redacted."""
        payload = self.request('GET', self._app_path(app_id), not_found=self._app_not_found(app_id))
        return redact_app(payload.get('data'))

    def list_apps(self):
        payload = self.request('GET', '/apps')
        return [redact_app(app) for app in payload.get('data') or []]

    def set_app_domains(self, app_id, domains):
        """Replace the app's whole domain list; returns (action id, redacted app)."""
        payload = self.request('POST', self._app_path(app_id), body={'domains': list(domains)},
                               not_found=self._app_not_found(app_id))
        return payload.get('actionid'), redact_app(payload.get('data'))

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
        return payload.get('actionid')

    def get_action(self, action_id):
        payload = self.request('GET', '/actions/%s' % quote(str(action_id), safe=''),
                               not_found="Action '%s' was not found." % action_id)
        return payload.get('data') or {}

    def wait_for_action(self, action_id, wait_timeout, poll=1.0, max_poll=10.0):
        """Poll an action until it is ``success``; raise on ``error`` or once ``wait_timeout`` has passed.

        The first look is immediate (quick actions finish at once), then the
        interval grows by half each time up to ``max_poll`` seconds.
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
                    "again." % action_id, action_id=action_id)
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise ServerPilotError(
                    "ServerPilot action %s is still '%s' after %s seconds (wait_timeout). The change may still "
                    "be applied; raise wait_timeout or check the server's connection to ServerPilot."
                    % (action_id, status, _seconds(wait_timeout)), action_id=action_id)
            self.sleep(min(delay, remaining))
            delay = min(delay * 1.5, max_poll)


def _seconds(value):
    return ('%g' % value) if isinstance(value, float) else str(value)


def _describe(exc):
    if isinstance(exc, requests.exceptions.Timeout):
        return 'timed out (%s)' % type(exc).__name__
    return 'connection failed (%s)' % type(exc).__name__


def client_from_module(module):
    """Build the client from a module's shared options, failing the module cleanly on bad input."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    if params['timeout'] <= 0:
        module.fail_json(msg='timeout must be a positive number of seconds.')
    if params['retries'] < 0:
        module.fail_json(msg='retries must be 0 or more.')
    try:
        return ServerPilotClient(params['client_id'], params['api_key'], params['api_url'],
                                 validate_certs=params['validate_certs'], timeout=params['timeout'],
                                 retries=params['retries'])
    except ValueError as exc:
        module.fail_json(msg=str(exc))
