# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for the ServerPilot API v1, for tests and the README's demo.

Standard library only. It implements what the public API document says about
apps, app SSL and actions, and is deliberately strict where the document is
silent (unknown fields, malformed domains, duplicates are refused), so a
client bug shows up here rather than against the real API.

Control endpoints under ``/_standin/`` (test-only, not part of ServerPilot's
API, same Basic auth) seed apps, inject faults and read the request log, so
a test can drive a stand-in that runs in another process.

Run it: ``python tests/stand_in/server.py --port 8080 --seed apps.json [--tls-port 8443]``
(from the ``tests`` directory's parent; ``--tls-port`` also starts the apps' web server).
"""

import argparse
import base64
import hmac
import ipaddress
import json
import os
import random
import re
import shutil
import signal
import ssl as ssl_lib
import string
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_DOMAINS = 300
RUNTIMES = ('php7.4', 'php8.0', 'php8.1', 'php8.2', 'php8.3', 'php8.4')
DEFAULT_CLIENT_ID = 'cid-standin'
DEFAULT_API_KEY = 'standin-api-key-0123456789abcdef'
# Recognisable on purpose: secrecy tests grep every output for it.
PRIVATE_KEY_MARKER = 'STANDIN-PRIVATE-KEY-DO-NOT-LEAK'

_LABEL = r'(?!-)[a-z0-9-]{1,63}(?<!-)'
_DOMAIN = re.compile(r'^(\*\.)?(%s\.)+%s$' % (_LABEL, _LABEL))


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def _new_id(length=16):
    return ''.join(random.choice(string.ascii_letters + string.digits) for dummy in range(length))


def _fake_pem(kind, app_id):
    body = base64.b64encode(('%s %s %s' % (kind, app_id, _new_id(24))).encode()).decode()
    if kind == 'PRIVATE KEY':
        body = PRIVATE_KEY_MARKER + body
    return '-----BEGIN %s-----\n%s\n-----END %s-----\n' % (kind, body, kind)


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


class StandInState:
    """Everything the fake account holds, plus the test knobs. Guarded by one lock."""

    def __init__(self, client_id=DEFAULT_CLIENT_ID, api_key=DEFAULT_API_KEY):
        self.lock = threading.RLock()
        self.client_id = client_id
        self.api_key = api_key
        self.reset()

    def reset(self):
        with self.lock:
            self.servers = {}
            self.apps = {}
            self.actions = {}
            self.log = []
            self.faults = []
            self.mutations = []
            self.latency = 0.0
            self.action_open_polls = 0
            self.fail_next_actions = 0
            # The world's DNS, when a test sets it: name -> addresses (A and AAAA). None: the legacy per-app
            # ``dns_domains`` decide (every listed name points, unless the app says otherwise).
            self.dns = None
            # the world's CAA record sets {name: [(flags, tag, value)]}: a name they forbid is never issued
            self.caa = {}
            self.cnames = {}  # alias -> target: a CAA query of the alias answers the target's set
            # The address servers connect from (GET /servers/:id lastaddress), where the TLS endpoint listens.
            self.server_address = '127.0.0.2'
            # Seconds between a listed name pointing at the server and AutoSSL covering it (ServerPilot: 5-15 min;
            # never 0, so no test can depend on a certificate at once). Names an app is seeded with that already
            # point when the app is first looked at were listed long before the test: they are issued.
            self.issuance_delay = 0.5
            # While held, nothing new is issued until the test says so (issue_now): a test that needs a name to
            # be pending decides when it stops being so, and a slow machine only makes it slower, never red.
            self.issuance_held = False
            # How many of the next writes come back without an actionid (no server configuration was required).
            self.omit_actionid = 0
            # requests a fault's hold keeps waiting
            self.held = 0

    # -- seeding ---------------------------------------------------------

    def add_app(self, name='app', domains=(), app_id=None, serverid=None, runtime='php8.2', ssl=None,
                autossl_after_polls=0, dns_domains=None, new_domains=()):
        """Create an app directly. ``ssl`` may be None, 'auto', 'auto+force' or 'custom'.

        ``autossl_after_polls``: AutoSSL becomes available only after this many
        GET /apps/:id calls. ``dns_domains``: the domains whose DNS points at
        the server (None: all of them); only those are covered by AutoSSL.
        ``new_domains``: those of ``domains`` listed just now, whose certificate waits issuance_delay once they
        point; the others were listed long ago, and those pointing when the app is first looked at (by the API or
        the TLS endpoint) are issued already.
        """
        with self.lock:
            app_id = app_id or _new_id()
            serverid = serverid or 'srv-standin'
            self.servers.setdefault(serverid, self._server(serverid))
            app = {
                'id': app_id, 'datecreated': int(time.time()), 'name': name,
                'sysuserid': 'sysuser-' + serverid, 'domains': list(domains), 'ssl': None,
                'serverid': serverid, 'runtime': runtime,
                '_autossl_after_polls': autossl_after_polls, '_polls': 0,
                '_dns_domains': None if dns_domains is None else list(dns_domains), '_pointing_since': {},
                '_long_listed': [name for name in domains if name not in new_domains],
            }
            if ssl in ('auto', 'auto+force'):
                app['ssl'] = self._auto_ssl(app_id, force=(ssl == 'auto+force'))
            elif ssl == 'custom':
                app['ssl'] = {'key': _fake_pem('PRIVATE KEY', app_id), 'cert': _fake_pem('CERTIFICATE', app_id),
                              'cacerts': None, 'auto': False, 'force': False}
            self.apps[app_id] = app
            return app_id

    def _auto_ssl(self, app_id, force=False):
        return {'key': _fake_pem('PRIVATE KEY', app_id), 'cert': _fake_pem('CERTIFICATE', app_id),
                'cacerts': _fake_pem('CERTIFICATE', 'ca'), 'auto': True, 'force': force}

    def add_fault(self, status=None, count=1, method=None, path=None, retry_after=None, body=None,
                  drop=False, delay=0.0, cut=False, trickle=0.0, location=None, hold=None):
        """The next ``count`` matching requests get ``status``, or are delayed first, or dropped.

        ``drop=True`` closes the connection before the request is handled;
        ``drop='after'`` handles it, then closes without answering (the change is applied, the answer lost).
        ``cut=True`` handles it and sends the headers and half the body, then closes (an answer cut off).
        ``trickle`` handles it and sends the body one byte every ``trickle`` seconds.
        ``location`` (with a 3xx ``status``) answers with that redirect, before the request is handled.
        ``hold`` (a threading.Event, from an in-process test) keeps the request waiting until the test sets it:
        a test decides the moment the answer goes out, never a guessed delay (``held`` counts those waiting).
        """
        with self.lock:
            self.faults.append({'status': status, 'count': count, 'method': method, 'path': path,
                                'retry_after': retry_after, 'body': body, 'drop': drop, 'delay': delay,
                                'cut': cut, 'trickle': trickle, 'location': location, 'hold': hold})

    def add_mutation(self, method, path, nth=1, app_id=None, add=(), remove=()):
        """After the ``nth`` matching request is answered, another writer changes an app's domains."""
        with self.lock:
            self.mutations.append({'method': method, 'path': path, 'nth': nth, 'app_id': app_id,
                                   'add': list(add), 'remove': list(remove), 'seen': 0})

    def app(self, app_id):
        with self.lock:
            return json.loads(json.dumps(self.apps[app_id]))

    def writes(self):
        with self.lock:
            return [e for e in self.log if e['method'] != 'GET' and not e['path'].startswith('/_standin')]

    def api_calls(self):
        with self.lock:
            return [e for e in self.log if not e['path'].startswith('/_standin')]

    # -- faults ----------------------------------------------------------

    def take_fault(self, method, path):
        with self.lock:
            for fault in self.faults:
                if fault['count'] <= 0:
                    continue
                if fault['method'] and fault['method'] != method:
                    continue
                if fault['path'] and not re.search(fault['path'], path):
                    continue
                fault['count'] -= 1
                return dict(fault)
        return None

    def run_mutations(self, method, path):
        with self.lock:
            for mutation in self.mutations:
                if mutation['method'] != method or not re.search(mutation['path'], path):
                    continue
                mutation['seen'] += 1
                if mutation['seen'] != mutation['nth']:
                    continue
                app = self.apps[mutation['app_id']]
                domains = [d for d in app['domains'] if d not in mutation['remove']]
                domains.extend(d for d in mutation['add'] if d not in domains)
                app['domains'] = domains

    # -- the API ---------------------------------------------------------

    def authorised(self, header):
        if not header or not header.startswith('Basic '):
            return False
        try:
            user, dummy, password = base64.b64decode(header[6:]).decode('utf-8').partition(':')
        except (ValueError, UnicodeDecodeError):
            return False
        return hmac.compare_digest(user, self.client_id) and hmac.compare_digest(password, self.api_key)

    def _get_app(self, app_id):
        app = self.apps.get(app_id)
        if app is None:
            raise ApiError(404, 'App not found.')
        return app

    def _server(self, serverid):
        # the fields the API document lists for a server
        now = int(time.time())
        return {'id': serverid, 'name': serverid, 'autoupdates': True, 'firewall': True,
                'lastaddress': self.server_address, 'datecreated': now - 86400, 'lastconn': now,
                'created_by': 'installer', 'deny_unknown_domains': False}

    def points(self, app, name):
        """Whether ``name``'s DNS points at the app's server (every address of it is the server's)."""
        if self.dns is None:
            return app['_dns_domains'] is None or name in app['_dns_domains']
        addresses = self.dns.get(name) or []
        return bool(addresses) and all(a == self.servers[app['serverid']]['lastaddress'] for a in addresses)

    def issuable(self, name):
        """Whether Let's Encrypt would issue for ``name`` as the world's CAA says - the closest record set
        decides, and a set with issue properties must hold exactly "letsencrypt.org". Deliberately smaller and
        stricter than a CA (a parameter forbids too): the stand-in is never friendlier than ServerPilot."""
        labels = name.split('.')
        for at in range(len(labels)):
            here = '.'.join(labels[at:])
            records = self.caa.get(self.cnames.get(here, here))
            if records:
                issues = [value for flags, tag, value in records if tag.lower() == 'issue']
                critical = [tag for flags, tag, value in records
                            if tag.lower() not in ('issue', 'issuewild', 'iodef') and flags & 129]
                return not critical and (not issues or 'letsencrypt.org' in [v.strip() for v in issues])
        return True

    def covered_names(self, app):
        """The listed names AutoSSL's certificate covers now: pointing at the server for issuance_delay seconds.

        Never friendlier than ServerPilot: no certificate before DNS points, and none at once.
        """
        now = time.monotonic()
        since = app['_pointing_since']
        for name in list(since):
            if name not in app['domains'] or not self.points(app, name):
                del since[name]
        for name in app['domains']:
            if name not in since and self.points(app, name):
                # issued long ago (before the record set changed), or issued now only where CAA lets it be
                if name in app['_long_listed']:
                    since[name] = now - self.issuance_delay
                elif self.issuable(name):
                    since[name] = now
        # the seeded world holds until the app is first looked at; a name that points only later waits
        app['_long_listed'] = []
        # the names issued so far (a dict, so the app stays JSON like the rest of the state)
        issued = app['_issued'] = dict((d, True) for d in app.get('_issued', {}) if d in since)
        if not self.issuance_held:
            issued.update((d, True) for d in since if now - since[d] >= self.issuance_delay)
        return [d for d in app['domains'] if d in issued]

    def hold_issuance(self):
        """Issue nothing new until issue_now(): certificates already issued stay."""
        with self.lock:
            for app in self.apps.values():
                self.covered_names(app)  # what is issued by now stays issued
            self.issuance_held = True

    def issue_now(self):
        """Issue at once for every listed name that points at its server, and stop holding."""
        with self.lock:
            self.issuance_held = False
            for app in self.apps.values():
                self.covered_names(app)
                for name in app['_pointing_since']:
                    app['_pointing_since'][name] -= self.issuance_delay
                self.covered_names(app)

    def covers(self, name):
        """Whether an app with AutoSSL on covers ``name`` (what the TLS endpoint serves by)."""
        with self.lock:
            return any(app['ssl'] and app['ssl']['auto'] and name in self.covered_names(app)
                       for app in self.apps.values())

    def _autossl(self, app):
        if app['_polls'] < app['_autossl_after_polls']:
            return {'available': False}
        covered = self.covered_names(app)
        if not covered:
            return {'available': False}
        return {'available': True, 'domains': covered}

    def _public(self, app, details=False):
        out = dict((k, v) for k, v in app.items() if not k.startswith('_'))
        if details:
            out['autossl'] = self._autossl(app)
        return out

    def _write_answer(self, serverid, data):
        """A write's answer. The document: ``actionid`` is there only "if any server configuration was
        required", so ``omit_actionid`` makes the next writes come back without one."""
        if self.omit_actionid > 0:
            self.omit_actionid -= 1
            return {'data': data}
        return {'actionid': self._action(serverid), 'data': data}

    def _action(self, serverid):
        action_id = _new_id()
        status = 'success'
        if self.fail_next_actions > 0:
            self.fail_next_actions -= 1
            status = 'error'
        self.actions[action_id] = {'id': action_id, 'serverid': serverid, 'datecreated': int(time.time()),
                                   '_final': status, '_open_polls': self.action_open_polls}
        return action_id

    def handle(self, method, path, body):
        parts = [p for p in path.split('?')[0].split('/') if p]
        if parts[:1] == ['v1']:
            parts = parts[1:]
        with self.lock:
            if parts == ['apps'] and method == 'GET':
                return 200, {'data': [self._public(a) for a in self.apps.values()]}
            if len(parts) == 2 and parts[0] == 'apps':
                app = self._get_app(parts[1])
                if method == 'GET':
                    app['_polls'] += 1
                    return 200, {'data': self._public(app, details=True)}
                if method == 'POST':
                    return 200, self._update_app(app, body)
                if method == 'DELETE':
                    del self.apps[app['id']]
                    return 200, {'actionid': self._action(app['serverid']), 'data': {}}
            if len(parts) == 3 and parts[0] == 'apps' and parts[2] == 'ssl':
                app = self._get_app(parts[1])
                if method == 'POST':
                    return 200, self._post_ssl(app, body)
                if method == 'DELETE':
                    if app['ssl'] is None:
                        # the document is silent: answer as for any other change that needs no server work
                        return 200, {'data': {}}
                    app['ssl'] = None
                    return 200, self._write_answer(app['serverid'], {})
            if len(parts) == 2 and parts[0] == 'servers' and method == 'GET':
                server = self.servers.get(parts[1])
                if server is None:
                    raise ApiError(404, 'Server not found.')
                return 200, {'data': dict(server)}
            if parts == ['servers'] and method == 'GET':
                return 200, {'data': [dict(s) for s in self.servers.values()]}
            if len(parts) == 2 and parts[0] == 'actions' and method == 'GET':
                action = self.actions.get(parts[1])
                if action is None:
                    raise ApiError(404, 'Action not found.')
                if action['_open_polls'] > 0:
                    action['_open_polls'] -= 1
                    status = 'open'
                else:
                    status = action['_final']
                data = {'id': action['id'], 'serverid': action['serverid'], 'status': status,
                        'datecreated': action['datecreated']}
                return 200, {'data': data}
        if parts and parts[0] in ('apps', 'actions', 'servers'):
            raise ApiError(405, 'Method not allowed.')
        raise ApiError(404, 'Not found.')

    def _update_app(self, app, body):
        if not isinstance(body, dict) or not body:
            raise ApiError(400, 'Request body must be a JSON object with domains and/or runtime.')
        unknown = sorted(set(body) - {'domains', 'runtime'})
        if unknown:
            raise ApiError(400, 'Unknown field(s): %s.' % ', '.join(unknown))
        if 'runtime' in body and body['runtime'] not in RUNTIMES:
            raise ApiError(400, 'Invalid runtime. Choose from %s.' % ', '.join(RUNTIMES))
        if 'domains' in body:
            domains = body['domains']
            if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
                raise ApiError(400, 'domains must be an array of strings.')
            for domain in domains:
                # ServerPilot's help on app domains: host names, *. wildcards and IP addresses are valid
                if len(domain) > 253 or not (_DOMAIN.match(domain) or _is_ip(domain)):
                    raise ApiError(400, 'Invalid domain: %s' % domain)
            if len(set(domains)) != len(domains):
                raise ApiError(400, 'Duplicate domains are not allowed.')
            if len(domains) > MAX_DOMAINS:
                raise ApiError(400, 'An app can have at most %d domains.' % MAX_DOMAINS)
            # ServerPilot allows a domain on several apps (requests go to the app whose name sorts first):
            # nothing is refused here, and the collection reports it instead.
            app['domains'] = list(domains)
            self.covered_names(app)  # issuance starts now for names that already point
        if 'runtime' in body:
            app['runtime'] = body['runtime']
        return self._write_answer(app['serverid'], self._public(app))

    def _post_ssl(self, app, body):
        if not isinstance(body, dict) or not body:
            raise ApiError(400, 'Request body must be a JSON object.')
        keys = set(body)
        if keys == {'auto'}:
            if body['auto'] is not True:
                raise ApiError(400, 'The value of auto must be true. To disable AutoSSL, delete the SSL.')
            if app['ssl'] is not None and not app['ssl']['auto']:
                raise ApiError(400, 'A custom SSL certificate is installed. Delete it before enabling AutoSSL.')
            if not self._autossl(app)['available']:
                raise ApiError(400, 'AutoSSL is not available for this app.')
            if app['ssl'] is None:
                app['ssl'] = self._auto_ssl(app['id'])
        elif keys == {'force'}:
            if not isinstance(body['force'], bool):
                raise ApiError(400, 'The value of force must be true or false.')
            if app['ssl'] is None:
                raise ApiError(400, 'ForceSSL can only be set on an app that has SSL.')
            app['ssl']['force'] = body['force']
        elif keys == {'key', 'cert', 'cacerts'}:
            if app['ssl'] is not None and app['ssl']['auto']:
                raise ApiError(400, 'AutoSSL is enabled. Delete the SSL before adding a custom certificate.')
            if not all(isinstance(body[k], str) and body[k] for k in ('key', 'cert')):
                raise ApiError(400, 'key and cert are required.')
            app['ssl'] = {'key': body['key'], 'cert': body['cert'], 'cacerts': body['cacerts'],
                          'auto': False, 'force': False}
        else:
            raise ApiError(400, 'Send exactly one of: {"auto": true}, {"force": bool}, or {"key", "cert", '
                                '"cacerts"}.')
        return self._write_answer(app['serverid'], dict(app['ssl']))

    def control(self, method, parts, body):
        """The test-only endpoints under /_standin/."""
        if method == 'POST' and not isinstance(body, dict):
            # a list (or anything else) is no body of these: never read as an empty one (one empty app)
            return 400, {'error': {'message': 'The body must be a JSON object; POST /_standin/apps takes one app '
                                              '(name, domains, app_id, serverid, runtime, ssl, dns_domains, '
                                              'new_domains) per request.'}}
        body = body if isinstance(body, dict) else {}
        with self.lock:
            if parts == ['reset'] and method == 'POST':
                self.reset()
                return 200, {'ok': True}
            if parts == ['apps'] and method == 'POST':
                try:
                    return 200, {'id': self.add_app(**body)}
                except TypeError as exc:  # a key add_app does not take
                    return 400, {'error': {'message': 'Unknown app field: %s' % exc}}
            if len(parts) == 2 and parts[0] == 'apps' and method == 'GET':
                return 200, {'data': self._public(self._get_app(parts[1]))}
            if parts == ['faults'] and method == 'POST':
                self.add_fault(**body)
                return 200, {'ok': True}
            if parts == ['mutations'] and method == 'POST':
                self.add_mutation(**body)
                return 200, {'ok': True}
            if parts == ['config'] and method == 'POST':
                for key in ('latency', 'action_open_polls', 'fail_next_actions', 'omit_actionid', 'issuance_delay'):
                    if key in body:
                        setattr(self, key, body[key])
                return 200, {'ok': True}
            if parts == ['log'] and method == 'GET':
                return 200, {'data': list(self.log)}
        raise ApiError(404, 'Not found.')


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'ServerPilotStandIn/1.0'
    # Headers and body go out as separate writes; with Nagle's algorithm on, the body then waits for the
    # client's delayed ACK (~40 ms per request on keep-alive connections), which no real web server adds.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - quiet: tests read the request log instead
        pass

    def _send(self, status, payload, extra_headers=None, raw=None, cut=False, trickle=0.0):
        data = raw.encode() if raw is not None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'text/html' if raw is not None else 'application/json')
        self.send_header('Content-Length', str(len(data)))
        for key, value in (extra_headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if cut:
            self.wfile.write(data[:len(data) // 2])
            return
        if trickle:
            try:
                for index in range(len(data)):
                    self.wfile.write(data[index:index + 1])
                    self.wfile.flush()
                    time.sleep(trickle)
            except OSError:
                pass  # the client gave up
            return
        self.wfile.write(data)

    def _dispatch(self, method):
        state = self.server.state
        length = int(self.headers.get('Content-Length') or 0)
        raw = self.rfile.read(length) if length else b''
        path = self.path
        entry = {'method': method, 'path': path.split('?')[0], 'status': None, 'time': time.time(),
                 'peer_port': self.client_address[1]}
        if state.latency:
            time.sleep(state.latency)
        fault = None if path.startswith('/_standin') else state.take_fault(method, path)
        if fault and fault['delay']:
            time.sleep(fault['delay'])
        if fault and fault['hold'] is not None:
            with state.lock:
                state.held += 1
            fault['hold'].wait(600)  # only a bound for a test that never releases it
        if fault and fault['drop'] and fault['drop'] != 'after':
            entry['status'] = 'dropped'
            with state.lock:
                state.log.append(entry)
            self.close_connection = True
            return
        try:
            if fault and fault['status']:
                entry['status'] = fault['status']
                try:  # what the refused request asked for, for a test to read
                    entry['body'] = json.loads(raw.decode('utf-8')) if raw else None
                except ValueError:
                    pass
                with state.lock:
                    state.log.append(entry)
                headers = {'Retry-After': str(fault['retry_after'])} if fault['retry_after'] is not None else {}
                if fault['location']:
                    headers['Location'] = fault['location']
                if fault['body'] is not None:
                    self._send(fault['status'], None, headers, raw=fault['body'])
                else:
                    self._send(fault['status'], {'error': {'message': 'Injected fault.'}}, headers)
                return
            if not state.authorised(self.headers.get('Authorization')):
                raise ApiError(401, 'Authentication failed.')
            body = None
            if raw:
                try:
                    body = json.loads(raw.decode('utf-8'))
                except ValueError:
                    raise ApiError(400, 'Request body is not valid JSON.')
                entry['body'] = body
            parts = [p for p in path.split('?')[0].split('/') if p]
            if parts[:1] == ['_standin']:
                status, payload = state.control(method, parts[1:], body)
            else:
                status, payload = state.handle(method, path, body)
        except ApiError as exc:
            status, payload = exc.status, {'error': {'message': exc.message}}
        except Exception as exc:  # a bug in the stand-in must still answer like the API would
            status, payload = 500, {'error': {'message': 'Stand-in failure: %s' % exc}}
        entry['status'] = status
        # Logged and mutated before the answer goes out, so a client that reads the
        # log (or the app) right after its call sees both.
        with state.lock:
            if not path.startswith('/_standin/log'):
                state.log.append(entry)
        if not path.startswith('/_standin'):
            state.run_mutations(method, path)
        if fault and fault['drop'] == 'after':
            entry['status'] = 'applied-then-dropped'
            self.close_connection = True
            return
        if fault and (fault['cut'] or fault['trickle']):
            entry['status'] = 'applied-then-cut' if fault['cut'] else 'trickled'
            self.close_connection = True
            self._send(status, payload, cut=fault['cut'], trickle=fault['trickle'])
            return
        self._send(status, payload)

    def do_GET(self):
        self._dispatch('GET')

    def do_POST(self):
        self._dispatch('POST')

    def do_DELETE(self):
        self._dispatch('DELETE')

    def do_PUT(self):
        self._dispatch('PUT')


class StandInServer:
    """The stand-in on a real socket, in a background thread."""

    def __init__(self, host='127.0.0.1', port=0, state=None, certfile=None, keyfile=None):
        self.state = state or StandInState()
        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.httpd.state = self.state
        self.scheme = 'http'
        if certfile:
            context = ssl_lib.SSLContext(ssl_lib.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certfile, keyfile)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = 'https'
        self.thread = None

    @property
    def port(self):
        return self.httpd.server_address[1]

    @property
    def url(self):
        return '%s://%s:%d/v1' % (self.scheme, self.httpd.server_address[0], self.port)

    def start(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.05},
                                       daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# temporary directories a command-line run made (its TLS endpoints'), removed when it stops
TEMPORARY = []


def start_dns(state, records_file, info_file=None, caa_file=None):
    """The world's DNS for a stand-in run from the command line: dnsmasq where installed, else dnspython; its CAA
    record sets (``caa_file``: {name: [[flags, tag, value]]}) are served, and honoured by the stand-in's AutoSSL."""
    import tempfile
    from stand_in.dns_server import Dnsmasq, PythonDNS, dnsmasq_binary
    with open(records_file) as handle:
        records = json.load(handle)
    caa = {}
    if caa_file:
        with open(caa_file) as handle:
            caa = dict((name, [tuple(r) for r in sets]) for name, sets in json.load(handle).items())
    state.dns, state.caa = dict(records), caa
    # authoritative for the names' top-level domains: every parent answers, as in the real DNS (CAA climbs them)
    zones = sorted(set(name.rsplit('.', 1)[-1] for name in records if '.' in name))
    backend = Dnsmasq if dnsmasq_binary() else PythonDNS
    server = backend(tempfile.mkdtemp(prefix='standin-dns-'), records, zones, caa=caa).start()
    if info_file:
        with open(info_file + '.tmp', 'w') as handle:
            json.dump({'nameserver': server.nameserver, 'backend': backend.__name__}, handle)
        os.replace(info_file + '.tmp', info_file)
    print('DNS (%s) on %s' % (backend.__name__, server.nameserver), flush=True)
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=8080)
    parser.add_argument('--client-id', default=DEFAULT_CLIENT_ID)
    parser.add_argument('--api-key', default=DEFAULT_API_KEY)
    parser.add_argument('--seed', help='JSON file: a list of apps, each as add_app keyword arguments')
    parser.add_argument('--latency', type=float, default=0.0, help='seconds added to every request')
    parser.add_argument('--action-open-polls', type=int, default=0,
                        help='how many polls an action stays open before it ends')
    parser.add_argument('--certfile', help='serve the API over HTTPS with this certificate')
    parser.add_argument('--keyfile')
    parser.add_argument('--tls-port', type=int,
                        help="also run the apps' web server here: a TLS endpoint whose test-CA certificates follow "
                             "AutoSSL (needs trustme)")
    parser.add_argument('--tls-ca-path', help='where to write the TLS endpoint\'s CA certificate')
    parser.add_argument('--dns-records', help='JSON file {name: [addresses]}: start a DNS server answering them '
                                              '(dnsmasq, or dnspython where dnsmasq is missing); AutoSSL follows it')
    parser.add_argument('--dns-caa', help='JSON file {name: [[flags, tag, value]]}: CAA record sets the DNS server '
                                          'serves; AutoSSL issues nothing they forbid Let\'s Encrypt')
    parser.add_argument('--dns-info', help='where to write {"nameserver": "IP:port", "backend": ...}')
    parser.add_argument('--issuance-delay', type=float, default=0.5,
                        help='seconds between a name pointing at the server and AutoSSL covering it')
    args = parser.parse_args(argv)
    state = StandInState(args.client_id, args.api_key)
    state.latency = args.latency
    state.action_open_polls = args.action_open_polls
    state.issuance_delay = args.issuance_delay
    if args.seed:
        with open(args.seed) as handle:
            for app in json.load(handle):
                state.add_app(**app)
    server = StandInServer(args.host, args.port, state, args.certfile, args.keyfile)
    if args.tls_port is not None:
        # the app's server on its own address (the servers' lastaddress), and "a CDN" elsewhere on the same port
        from stand_in.tls_endpoint import TLSEndpoint
        endpoint = TLSEndpoint(state.server_address, args.tls_port, state).start()
        cdn = TLSEndpoint('127.0.0.3', endpoint.port).start()
        TEMPORARY.extend([endpoint.workdir, cdn.workdir])
        if args.tls_ca_path:
            shutil.copy(endpoint.ca_path, args.tls_ca_path)
        print('TLS endpoint on %s:%d, CA certificate %s' % (state.server_address, endpoint.port, endpoint.ca_path),
              flush=True)
    dns = start_dns(state, args.dns_records, args.dns_info, args.dns_caa) if args.dns_records else None
    workdirs = [d for d in (getattr(dns, 'workdir', None),) if d]
    signal.signal(signal.SIGTERM, lambda *dummy: threading.Thread(target=server.httpd.shutdown).start())
    print('ServerPilot stand-in listening on %s' % server.url, flush=True)
    try:
        server.httpd.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    server.httpd.server_close()
    if dns is not None:
        dns.stop()  # dnsmasq is a process of its own
    for workdir in workdirs + TEMPORARY:  # what this run made, gone with it
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    main()
