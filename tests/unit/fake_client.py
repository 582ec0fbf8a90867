# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small in-memory ServerPilot client for driving the converge workflows directly.

It has the real client's interface (get_app, set_app_domains, the SSL calls,
wait_for_action, retries, retry_delay, sleep) and follows the API document's
rules for the SSL switches. Tests script what happens: the outcome of each
domain-list write, another writer acting before a given read, a replayed SSL
call that ServerPilot refuses because the first try took effect.
"""

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import ServerPilotError


def transport_error(applied, retry_after=None, status=503):
    """What the real client raises for a write it did not replay."""
    error = ServerPilotError('POST /apps/app1 failed: HTTP %d. Gave up after 1 try.' % status, status=status,
                             method='POST', path='/apps/app1', tries=1)
    error.retryable, error.retry_after, error.maybe_applied = True, retry_after, applied
    return error


class FakeClient:
    def __init__(self, domains=(), ssl=None, autossl=None, retries=2, writes=(), other_writer=None,
                 step_outcomes=None, failing_actions=()):
        self.app = {'domains': list(domains), 'ssl': dict(ssl or {'auto': False, 'force': False, 'custom_cert': False}),
                    'autossl': autossl if autossl is not None else {'available': True, 'domains': list(domains)}}
        self.retries = retries
        # outcome of each domain-list write in turn: 'ok', 'no_action', '503' (not applied, Retry-After 2),
        # 'lost' (applied, answer lost)
        self.writes = list(writes)
        # read number -> function(domains) -> domains: another writer acting just before that read
        self.other_writer = dict(other_writer or {})
        # SSL step -> 'replayed' (applied, then the replay refused with HTTP 400 after 2 tries)
        # or 'refused' (HTTP 400 at the first try, nothing applied)
        self.step_outcomes = dict(step_outcomes or {})
        # action ids whose wait ends in 'error'
        self.failing_actions = set(failing_actions)
        self.log = []
        self.sleeps = []
        self.reads = 0
        self.actions = 0

    # -- what the workflows use of the real client ----------------------

    def sleep(self, seconds):
        self.sleeps.append(seconds)

    @staticmethod
    def retry_delay(attempt, retry_after=None):
        return max(float(2 ** attempt), retry_after or 0)

    def get_app(self, app_id):
        self.reads += 1
        if self.reads in self.other_writer:
            self.app['domains'] = self.other_writer[self.reads](list(self.app['domains']))
        self.log.append('GET')
        return {'id': app_id, 'domains': list(self.app['domains']), 'ssl': dict(self.app['ssl']),
                'autossl': self.app['autossl']}

    def _action(self):
        self.actions += 1
        return 'action%d' % self.actions

    def set_app_domains(self, app_id, domains):
        self.log.append(('POST', list(domains)))
        outcome = self.writes.pop(0) if self.writes else 'ok'
        if outcome == '503':
            raise transport_error(applied=False, retry_after=2)
        self.app['domains'] = list(domains)
        if outcome == 'lost':
            raise transport_error(applied=True, status=500)
        return (None if outcome == 'no_action' else self._action()), dict(self.app)

    def wait_for_action(self, action_id, wait_timeout):
        self.log.append(('WAIT', action_id))
        if action_id in self.failing_actions:
            raise ServerPilotError("ServerPilot action %s ended in 'error'." % action_id, action_id=action_id,
                                   kind='action_error')

    def _ssl(self, step, change):
        self.log.append(step)
        if self.step_outcomes.get(step) == 'refused':
            raise ServerPilotError('ServerPilot API POST /apps/app1/ssl failed with HTTP 400.', status=400,
                                   method='POST', path='/apps/app1/ssl', tries=1)
        ssl = self.app['ssl']
        change(ssl)
        if self.step_outcomes.get(step) == 'replayed':
            raise ServerPilotError('ServerPilot API POST /apps/app1/ssl failed with HTTP 400.', status=400,
                                   method='POST', path='/apps/app1/ssl', tries=2)
        return self._action()

    def enable_autossl(self, app_id):
        return self._ssl('enable_autossl', lambda ssl: ssl.update(auto=True, force=False, custom_cert=False))

    def set_force_ssl(self, app_id, force):
        return self._ssl('force_on' if force else 'force_off', lambda ssl: ssl.update(force=bool(force)))

    def delete_ssl(self, app_id):
        return self._ssl('delete_ssl', lambda ssl: ssl.update(auto=False, force=False, custom_cert=False))

    @property
    def posts(self):
        return [entry[1] for entry in self.log if isinstance(entry, tuple) and entry[0] == 'POST']
