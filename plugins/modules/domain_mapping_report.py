#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: domain_mapping_report
short_description: Write a run's report files, each whole or not at all
version_added: 0.1.0
description:
  - Writes the files of a report (the role C(multisite.serverpilot.domain_mapping)'s per-app JSON and HTML, the
    playbook's fleet report) into one directory, creating it if needed. Each file goes to a temporary file in the
    same directory and is renamed over the old one, so whoever reads it (the operator, AWX, a monitor) sees the last
    report or this one, never half of one.
  - On the controller (the role delegates it to C(localhost)) it runs in the controller's own process, with no
    module process of its own; elsewhere it runs as a module.
author:
  - multisite.serverpilot maintainers (@multisite)
options:
  path:
    description: The directory of the report; made (with O(directory_mode)) when missing.
    type: path
    required: true
  files:
    description:
      - File name (a plain name, no directory) to its text, written as UTF-8.
    type: dict
    required: true
  mode:
    description: The files' mode, in octal.
    type: str
    default: '0644'
  directory_mode:
    description: The directory's mode when it is made, in octal.
    type: str
    default: '0755'
attributes:
  check_mode:
    description: Says what it would write, writes nothing.
    support: full
  diff_mode:
    description: No diff is returned.
    support: none
  platform:
    description: Any POSIX host; the role runs it on the controller.
    support: full
    platforms: posix
seealso:
  - module: ansible.builtin.copy
    description: The general way to write a file; this one writes a report's files in one task, in the controller.
'''

EXAMPLES = r'''
- name: Keep a small status page beside the role's reports
  multisite.serverpilot.domain_mapping_report:
    path: /var/lib/serverpilot-reports
    files:
      status.json: "{{ {'app': serverpilot_app_id, 'summary': serverpilot_result.summary} | to_nice_json }}\n"
  delegate_to: localhost
'''

RETURN = r'''
paths:
  description: The files of the report, in name order.
  returned: always
  type: list
  elements: str
  sample: [/var/lib/serverpilot-reports/nlcN0TwdZAyNEgdp.html, /var/lib/serverpilot-reports/nlcN0TwdZAyNEgdp.json]
changed:
  description: Whether a file (or the directory) was new or its content or mode differed.
  returned: always
  type: bool
error_kind:
  description:
    - On failure, one word for what failed - V(invalid_input) (a bad mode or file name), V(report) (the directory or
      a file cannot be written - permissions, a full disk; the message says which) or V(missing_library) (the
      runner's own check; this module needs no library).
  returned: failure
  type: str
  sample: invalid_input
'''

from ansible_collections.multisite.serverpilot.plugins.module_utils import report_files
from ansible_collections.multisite.serverpilot.plugins.module_utils.runner import run_module

API = False  # writes files, calls no API: no api_calls


def argument_spec():
    return dict(
        path=dict(type='path', required=True),
        files=dict(type='dict', required=True),
        mode=dict(type='str', default='0644'),
        directory_mode=dict(type='str', default='0755'),
    )


def requires(params):
    return []


def work(run):
    params = run.params
    files = dict((str(name), text if isinstance(text, str) else str(text)) for name, text in params['files'].items())
    changed, paths = report_files.write(params['path'], files, params['mode'], params['directory_mode'],
                                        check_mode=run.check_mode)
    return dict(changed=changed, paths=paths)


def main():
    run_module(argument_spec(), work, requires, api=API)


if __name__ == '__main__':
    main()
