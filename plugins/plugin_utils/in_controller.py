# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A module of the collection run in the controller's worker process, when its task runs on the controller.

A module task pays a new Python process, its AnsiballZ payload and its imports (``requests`` alone 0.15 s) -
more than the API work of a no-op. ansible-core's own remedy for work that belongs on the controller is an action
plugin: each action of the collection validates the task's arguments with the module's own argument spec and runs
the module's own ``work(run)`` through ``runner.execute``, the one error path the module runs through, here. So
there is still one implementation; the module file stays its documentation and the path taken where the work
cannot run here:

- the task runs on another host (delegated to it, or a play whose connection is not ``local``), becomes
  another user, or runs asynchronously;
- the controller's Python lacks a library the module needs (``requests``, ``dnspython``, ``cryptography``, ...);
- ``SERVERPILOT_RUN_AS_MODULE`` is set to a true value in the controller's environment (tests and benchmarks
  compare both paths with it).

Nothing a task relies on changes: the arguments are checked by the same validator AnsibleModule uses (the same
messages, ``error_kind: invalid_input``), ``env_fallback`` and ``path`` options read the environment the module
would have had (the controller's, with the task's ``environment:`` over it), ``module_defaults`` are already in
the task's arguments, check mode, ``--diff``, warnings, and ``no_log``: every value of a ``no_log`` option is
masked in the result, ``invocation`` included, as AnsibleModule masks it.
"""

import contextlib
import importlib
import os
import traceback

from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.multisite.serverpilot.plugins.module_utils import runner
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError

display = Display()

FORCE_MODULE = 'SERVERPILOT_RUN_AS_MODULE'


def _preload():
    """Import the libraries the work needs once, here: ansible-core's strategy loads an action plugin in the
    controller's main process before it forks a worker per task and host, so what is imported now is never
    imported again by a task (``requests`` alone costs 0.15 s a time). What is missing is left to each task, which
    then runs as a module and says why."""
    for name in ('serverpilot.api', 'serverpilot.probes', 'serverpilot.certificates', 'wordpress.database'):
        try:
            importlib.import_module('ansible_collections.multisite.serverpilot.plugins.module_utils.' + name)
        except ImportError:
            pass


_preload()


def plain(value):
    """The task's arguments as the module would receive them: plain JSON types (a templated string may carry
    ansible-core's tags; a vaulted one decrypts on str())."""
    if isinstance(value, dict):
        return dict((str(key), plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


@contextlib.contextmanager
def _environment(extra):
    """The worker's environment as the module's process would have it, for the length of the task (the worker is
    this task's own process; it is put back all the same)."""
    saved = dict(os.environ)
    os.environ.update(dict((str(key), str(value)) for key, value in extra.items()))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class _InController:
    """What ``runner.Run`` and the work use of an AnsibleModule: params, modes, warnings."""

    def __init__(self, params, check_mode, diff):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


class ControllerAction(ActionBase):
    """The action of one module of the collection; ``MODULE`` is the module file (``argument_spec()``, ``work``,
    ``requires(params)``, ``API``)."""

    MODULE = None
    _supports_check_mode = True
    _supports_async = True

    def _why_not_here(self):
        """Why this task cannot run in the controller's process; None when it can."""
        if boolean(os.environ.get(FORCE_MODULE) or 'false', strict=False):
            return '%s is set' % FORCE_MODULE
        if self._connection.transport != 'local':
            return 'the task runs on %s (connection %s)' % (self._play_context.remote_addr, self._connection.transport)
        if self._play_context.become:
            return 'the task becomes another user'
        if self._task.async_val:
            return 'the task is asynchronous'
        return None

    def _run_module(self, task_vars, why):
        display.v('%s runs as a module: %s.' % (self._task.action, why))
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = self._execute_module(task_vars=task_vars, wrap_async=wrap_async)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def run(self, tmp=None, task_vars=None):
        result = super(ControllerAction, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        why = self._why_not_here()
        if why:
            result.update(self._run_module(task_vars, why))
            return result
        environment = {}
        self._compute_environment_string(environment)
        with _environment(environment):
            validation = ModuleArgumentSpecValidator(self.MODULE.argument_spec()).validate(plain(self._task.args))
            params = validation.validated_parameters
            no_log_values = validation._no_log_values
            if validation.errors.errors:
                msg = validation.errors.msg
                if isinstance(validation.errors.errors[0], UnsupportedError):
                    msg = 'Unsupported parameters for (%s) module: %s' % (self._task.action, msg)
                failed, found = True, dict(msg=msg, error_kind='invalid_input')
            else:
                try:
                    runner.check_libraries(self.MODULE.requires(params))
                except CollectionError as exc:
                    result.update(self._run_module(task_vars, "the controller's Python lacks %s"
                                                   % exc.details().get('library')))
                    return result
                module = _InController(params, bool(self._task.check_mode), bool(self._task.diff))
                try:
                    failed, found = runner.execute(module, self.MODULE.work, self.MODULE.requires,
                                                   getattr(self.MODULE, 'API', True))
                except Exception as exc:  # what would end the module's process ends the task, with its traceback
                    failed, found = True, dict(msg='%s failed: %s: %s' % (self._task.action, type(exc).__name__, exc),
                                               exception=traceback.format_exc())
                if module.warnings:
                    found['warnings'] = module.warnings
        display.vvv('%s ran in the controller process.' % self._task.action)
        found.setdefault('changed', False)
        found['invocation'] = {'module_args': params}
        if failed:
            found['failed'] = True
        # as AnsibleModule: every no_log value masked wherever it appears; booleans and None kept as they are
        kept = dict((key, value) for key, value in found.items() if value is None or isinstance(value, bool))
        found = remove_values(found, no_log_values)
        found.update(kept)
        result.update(found)
        return result
