# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: appends every task result as one JSON line to $RECORD_FILE."""

DOCUMENTATION = '''
name: record
type: aggregate
short_description: write task results to a JSON lines file for the test suite
description: Test-only. Appends each task result to the file named by RECORD_FILE.
options: {}
'''

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'record'
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, result, status):
        with open(os.environ['RECORD_FILE'], 'a') as handle:
            handle.write(json.dumps({'task': result._task.get_name(), 'status': status,
                                     'result': result._result}, default=str) + '\n')

    def v2_runner_on_ok(self, result):
        self._write(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._write(result, 'skipped')
