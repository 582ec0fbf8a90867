# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure AutoSSL / ForceSSL decision: an app's SSL state and the wish -> the API steps, in order.

The API allows one kind of SSL change per call: ``{"auto": true}``, ``{"force": bool}``,
``DELETE`` (which also turns ForceSSL off), and refuses AutoSSL while a custom
certificate is installed. Nothing here talks to the API or to Ansible.
"""

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

DELETE = 'delete_ssl'
ENABLE_AUTO = 'enable_autossl'
FORCE_ON = 'force_on'
FORCE_OFF = 'force_off'

DNS_ADVICE = ('ServerPilot issues the AutoSSL certificate only once the DNS of each domain points at the '
              'server, usually within 5-15 minutes of that; retry this task (until/retries) meanwhile.')


class SSLDecisionError(CollectionError, ValueError):
    """A wish that cannot be met from this state; the message says what to do."""


def refuse_impossible_request(state, force_ssl=None):
    """Refuse a wish no app could meet, whatever its SSL: called before anything is read, and by decide."""
    if state not in ('present', 'absent'):
        raise SSLDecisionError("state must be 'present' or 'absent', got %r" % state)
    if state == 'absent' and force_ssl:
        raise SSLDecisionError('force_ssl=true needs SSL, and state=absent switches AutoSSL off. '
                               'Use state=present, or force_ssl=false.')


class SSLPlan:
    def __init__(self, steps, after, warnings):
        self.steps = steps
        self.after = after
        self.warnings = warnings

    @property
    def changed(self):
        return bool(self.steps)


def uncovered_domains(domains, autossl):
    """The app's domains the currently available AutoSSL certificate does not cover."""
    covered = set((autossl or {}).get('domains') or []) if (autossl or {}).get('available') else set()
    return [d for d in domains or [] if d not in covered]


def not_available_message(app_id, domains, autossl):
    missing = uncovered_domains(domains, autossl)
    if not domains:
        what = 'the app has no domains'
    else:
        what = 'no certificate covers the app yet (domains without one: %s)' % ', '.join(missing)
    return 'AutoSSL is not available for app %s: %s. %s' % (app_id, what, DNS_ADVICE)


def decide(app_id, ssl, autossl, domains, state, force_ssl=None, replace_custom_cert=False, check_mode=False):
    """Return the SSLPlan that takes ``ssl`` ({auto, force, custom_cert}) to the wish.

    Raises SSLDecisionError before any write when the wish cannot be met, so a
    custom certificate is never deleted unless AutoSSL can take its place.
    """
    refuse_impossible_request(state, force_ssl)
    steps, warnings = [], []
    auto, force, custom = bool(ssl.get('auto')), bool(ssl.get('force')), bool(ssl.get('custom_cert'))
    available = bool((autossl or {}).get('available'))

    if state == 'present' and not auto:
        if custom and not replace_custom_cert:
            raise SSLDecisionError(
                'App %s has a custom SSL certificate installed, and ServerPilot refuses AutoSSL while it is. '
                'Set replace_custom_cert=true to delete it and switch AutoSSL on.' % app_id, kind='custom_certificate')
        if not available:
            if not check_mode:
                raise SSLDecisionError(not_available_message(app_id, domains, autossl), kind='autossl_unavailable',
                                       uncovered_domains=uncovered_domains(domains, autossl))
            warnings.append('A real run would now fail: ' + not_available_message(app_id, domains, autossl))
        if custom:
            steps.append(DELETE)
        steps.append(ENABLE_AUTO)
        auto, force, custom = True, False, False
    elif state == 'absent' and auto:
        steps.append(DELETE)
        auto, force = False, False
    elif state == 'absent' and custom:
        warnings.append('App %s has a custom SSL certificate, which state=absent leaves in place: it manages '
                        'AutoSSL only. Delete the certificate in ServerPilot if it must go.' % app_id)

    has_ssl = auto or custom
    if force_ssl is not None and force_ssl != force:
        if force_ssl and not has_ssl:
            raise SSLDecisionError('force_ssl=true needs SSL on app %s, and it would have none.' % app_id)
        if has_ssl:
            steps.append(FORCE_ON if force_ssl else FORCE_OFF)
            force = force_ssl
    return SSLPlan(steps, {'auto': auto, 'force': force, 'custom_cert': custom}, warnings)
