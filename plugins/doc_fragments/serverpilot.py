# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  client_id:
    description:
      - The ServerPilot API client ID.
      - If not set, the value of the E(SERVERPILOT_CLIENT_ID) environment variable is used.
    type: str
    required: true
  api_key:
    description:
      - The ServerPilot API key. Only one key is active per account at a time.
      - If not set, the value of the E(SERVERPILOT_API_KEY) environment variable is used.
      - Never shown in output or logs.
    type: str
    required: true
  api_url:
    description:
      - The base URL of the ServerPilot API.
      - If not set, the value of the E(SERVERPILOT_API_URL) environment variable is used; unset or empty means
        ServerPilot's public API v1.
      - Plain C(http://) is refused unless the host is a loopback address, because the API key would travel in clear text.
    type: str
  validate_certs:
    description:
      - Verify the API endpoint's TLS certificate.
      - A custom CA bundle is taken from the E(REQUESTS_CA_BUNDLE) environment variable; proxies from
        E(HTTPS_PROXY) and E(NO_PROXY).
      - Set to V(false) only for a test endpoint.
      - A plain C(http://) loopback O(api_url) (a test endpoint) is never sent through a proxy, since the proxy would
        see the API key.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for the API on each try of a request - to connect and for each piece of the answer - and,
        in all, for the answer's body. A server that trickles its answer cannot hold a try longer than about twice
        this; each try is then retried as O(retries) says.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is tried again after HTTP 429, 500, 502, 503 or 504, a dropped connection or a
        timeout, with exponential backoff and jitter, honouring C(Retry-After).
      - Other errors (400, 401, 404, ...) are never retried.
    type: int
    default: 4
notes:
  - A call is tried again only when repeating it is harmless - reads, and SSL switches. A domain-list write is
    never re-sent as it was - it was computed from an earlier read; the app is read again and the list planned
    again instead, since another writer may have acted in between.
  - The app's SSL private key and certificate bodies are never returned.
requirements:
  - requests
'''

    # Every module that manages one app.
    APP = r'''
options:
  app_id:
    description:
      - The ServerPilot app ID.
      - If not set, the value of the E(SERVERPILOT_APP_ID) environment variable is used.
    type: str
    required: true
  wait:
    description:
      - Wait for ServerPilot's last action to finish (C(success)) before returning; an action that ends in
        C(error) fails the task, naming the action.
      - Actions a later step depends on are always waited for.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for each action. The action is polled at once, then at growing intervals up to 10 seconds.
    type: int
    default: 300
'''

    ATTRIBUTES = r'''
attributes:
  action_group:
    description: Use C(group/multisite.serverpilot.serverpilot) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - multisite.serverpilot.serverpilot
  platform:
    description: Runs wherever the API is reachable, usually the controller.
    support: full
    platforms: all
'''

    # Modules that only read.
    READ_ONLY = r'''
attributes:
  check_mode:
    description: Read-only; runs the same in check mode.
    support: full
  diff_mode:
    description: Changes nothing, so there is no diff.
    support: N/A
'''
