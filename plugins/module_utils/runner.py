# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one module flow every module of the collection runs through.

A module declares its argument spec, the Python packages it needs and one
``work(run)`` function; ``run_module`` does the rest once: the package check
(``missing_required_lib``), the client (built on first use, validated once),
one error path (every CollectionError -> ``fail_json`` with ``msg``,
``error_kind``, the error's details, ``api_calls`` and whatever the work had
recorded, so a failure after a write still says it changed the app), the diff
only when asked for, and closing the session.
"""

import importlib
import traceback

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError, check_bounds

# The name pip installs -> the name Python imports.
LIBRARIES = {
    'requests': 'requests',
    'idna': 'idna',
    'publicsuffixlist': 'publicsuffixlist',
    'cryptography': 'cryptography',
    'PyMySQL': 'pymysql',
    'dnspython': 'dns.resolver',
}


def check_libraries(names):
    """Raise CollectionError(missing_library) for the first package of ``names`` that does not import."""
    for name in names:
        try:
            importlib.import_module(LIBRARIES[name])
        except ImportError:
            raise CollectionError(missing_required_lib(name), kind='missing_library', library=name,
                                  exception=traceback.format_exc())


def serverpilot_argument_spec(app=False, credentials_required=True):
    """The options shared by every module that talks to ServerPilot (doc fragment ``serverpilot``).

    ``app=True`` adds the options of a module that manages one app (fragment ``.app``).
    """
    spec = dict(
        client_id=dict(type='str', required=credentials_required,
                       fallback=(env_fallback, ['SERVERPILOT_CLIENT_ID'])),
        api_key=dict(type='str', required=credentials_required, no_log=True,
                     fallback=(env_fallback, ['SERVERPILOT_API_KEY'])),
        # unset or empty means the public API (api.DEFAULT_API_URL, its one home)
        api_url=dict(type='str', fallback=(env_fallback, ['SERVERPILOT_API_URL'])),
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


def build_client(options):
    """The ServerPilot client from the shared options (a module's params or the inventory's), checked once."""
    check_libraries(['requests'])  # says which package is missing, before any use of it
    from ansible_collections.multisite.serverpilot.plugins.module_utils.serverpilot.api import ServerPilotClient
    missing = [name for name in ('client_id', 'api_key') if not options.get(name)]
    if missing:
        raise CollectionError('Missing %s: give them as options or in SERVERPILOT_CLIENT_ID and SERVERPILOT_API_KEY '
                              '(an AWX credential sets both).' % ' and '.join(missing))
    check_bounds(options, at_least=[('retries', 0)], above=[('timeout', 0)])
    if options['retries'] is None:
        raise CollectionError('retries must be 0 or more.')
    try:
        return ServerPilotClient(options['client_id'], options['api_key'], options.get('api_url'),
                                 validate_certs=options['validate_certs'], timeout=options['timeout'],
                                 retries=options['retries'])
    except ValueError as exc:
        raise CollectionError(str(exc))


class _Module(AnsibleModule):
    # AnsibleModule's own refusals (a wrong type, a missing option) happen before any work: bad input.
    def fail_json(self, msg, **kwargs):
        kwargs.setdefault('error_kind', 'invalid_input')
        super(_Module, self).fail_json(msg, **kwargs)


class Run:
    """One module run: its params and modes, the client (built on first use), the result so far."""

    def __init__(self, module, api):
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        self.api = api
        # filled as the work goes, so that a failure reports what already happened
        self.result = dict(changed=False)
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = build_client(self.params)
        return self._client

    def warn(self, message):
        self.module.warn(message)

    def finish(self, result):
        """The result as returned: ``api_calls`` for API modules, ``diff`` only under --diff."""
        result = dict(result)
        for warning in result.pop('warnings', None) or ():
            self.module.warn(warning)
        diff = result.pop('diff', None)
        if self.module._diff and diff is not None:
            result['diff'] = diff
        if self.api:
            result['api_calls'] = self._client.calls if self._client else 0
        return result

    def close(self):
        if self._client is not None:
            self._client.close()


def execute(module, work, requires=(), api=True):
    """Run ``work(run)`` for ``module`` (an AnsibleModule, or the controller's stand-in for one: ``params``,
    ``check_mode``, ``_diff``, ``warn``) and return ``(failed, result)``: the one error path of every module,
    whichever process runs it. ``requires`` lists the packages the work needs (names as pip knows them), or is a
    function of the params for packages only some runs need; ``api`` says whether results carry ``api_calls``."""
    run = Run(module, api)
    try:
        check_libraries(requires(module.params) if callable(requires) else requires)
        result = work(run)
    except CollectionError as exc:
        run.close()
        failure = run.finish(run.result)
        failure.pop('diff', None)
        failure.update(exc.details())
        failure.update(msg=exc.msg, error_kind=exc.kind)
        return True, failure
    run.close()
    return False, run.finish(result)


def run_module(argument_spec, work, requires=(), api=True, **module_options):
    """Run ``work(run)`` (which returns the result dict) as an Ansible module; never returns."""
    module = _Module(argument_spec=argument_spec, supports_check_mode=True, **module_options)
    failed, result = execute(module, work, requires, api)
    if failed:
        module.fail_json(**result)
    module.exit_json(**result)
