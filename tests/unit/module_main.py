# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in-process with arguments and return the JSON it exits with.

Fast enough for every module to have a success and a failure test, so an
argument-spec or missing-library mistake fails here, not only in a playbook run.
"""

import contextlib
import io
import json
import sys

import pytest

from ansible.module_utils import _internal as ansible_internal
from ansible.module_utils.common import warnings as ansible_warnings
from ansible.module_utils.testing import patch_module_args


def run_main(main, args, check_mode=False, diff=False):
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
    # AnsibleModule keeps warnings in a module-level list: one process, many main()s, so each run starts empty
    for pending in (ansible_warnings._global_warnings, ansible_warnings._global_deprecations):
        pending.clear()
    out = io.StringIO()
    # a module runs in its own process, never the controller's; importing a controller module (a filter plugin's
    # test does) marks this process as the controller, and a module's warnings would then skip its result
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ansible_internal, 'is_controller', False)
        with patch_module_args(args), contextlib.redirect_stdout(out), pytest.raises(SystemExit) as info:
            main()
    result = json.loads(out.getvalue())
    assert (info.value.code == 0) is not result.get('failed', False), result
    # ansible-core 2.19 returns warnings as structured summaries; tests read their text
    result['warnings'] = [w['event']['msg'] if isinstance(w, dict) else w for w in result.get('warnings', [])]
    return result


@contextlib.contextmanager
def without(monkeypatch, *modules):
    """Make these Python packages fail to import, as on a host that lacks them."""
    with monkeypatch.context() as patch:
        for name in list(sys.modules):
            if name in modules or name.split('.')[0] in modules:
                patch.delitem(sys.modules, name)
        for name in modules:
            patch.setitem(sys.modules, name, None)
        yield
