# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback: appends each task's name and wall time as one JSON line to $TASK_TIMES_FILE."""

DOCUMENTATION = '''
name: task_timer
type: aggregate
short_description: write each task's wall time to a JSON lines file for the benchmark
description: Benchmark-only. Appends each task's name and seconds to the file named by TASK_TIMES_FILE.
options: {}
'''

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_timer'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._started = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started[task._uuid] = time.monotonic()

    def v2_runner_on_ok(self, result):
        elapsed = time.monotonic() - self._started[result._task._uuid]
        with open(os.environ['TASK_TIMES_FILE'], 'a') as handle:
            handle.write(json.dumps({'task': result._task.get_name(), 'seconds': elapsed}) + '\n')
