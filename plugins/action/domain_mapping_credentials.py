# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""domain_mapping_credentials: Ultimate Multisite's ServerPilot settings from the network's wp-config.php, always in
the controller's process - the file is read where the task runs (fetched from another host by
ansible.builtin.slurp, inside this action), and the API key goes nowhere but this task's censored result."""

import base64

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.multisite.serverpilot.plugins.module_utils import runner
from ansible_collections.multisite.serverpilot.plugins.module_utils.wordpress import plugin_credentials, wp_config
from ansible_collections.multisite.serverpilot.plugins.module_utils.errors import CollectionError
from ansible_collections.multisite.serverpilot.plugins.modules.domain_mapping_credentials import argument_spec
from ansible_collections.multisite.serverpilot.plugins.plugin_utils.in_controller import plain


class ActionModule(ActionBase):
    _supports_check_mode = True  # it reads, and changes nothing

    def _read(self, path, task_vars):
        """The file's text where the task runs."""
        if self._connection.transport == 'local':
            return plugin_credentials.read_text(path)
        fetched = self._execute_module(module_name='ansible.builtin.slurp', module_args={'src': path},
                                       task_vars=task_vars)
        if fetched.get('failed'):
            raise CollectionError('Cannot read wp_config %s on %s: %s' % (
                path, self._play_context.remote_addr, fetched.get('msg', 'slurp failed')))
        return wp_config.decode(base64.b64decode(fetched['content']))

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        validation = ArgumentSpecValidator(argument_spec()).validate(plain(self._task.args))
        if validation.errors.errors:
            result.update(failed=True, msg=validation.errors.msg, error_kind='invalid_input')
            return result
        params = validation.validated_parameters
        try:
            values, sources = plugin_credentials.find(
                self._read(params['wp_config'], task_vars), params,
                lambda client_id, api_key: runner.build_client(dict(params, client_id=client_id, api_key=api_key)))
        except CollectionError as exc:
            # the message names constants, lines and paths, never a value: it is shown
            result.update(exc.details())
            result.update(failed=True, msg=exc.msg, error_kind=exc.kind)
            return result
        result.update(values, credentials_from=sources, changed=False)
        result['_ansible_no_log'] = True  # the API key is in it: the result is shown censored at any verbosity
        return result
