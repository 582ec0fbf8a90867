# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one rule for a test that needs a program of the test world: outside CI a missing one skips with how to
install it; in CI (.ci/run installs every one) it fails, so a lost package can never turn tests into skips."""

import os

import pytest


def need(available, what, install):
    if available:
        return
    if os.environ.get('CI'):
        pytest.fail('%s is missing; .ci/run installs it (%s)' % (what, install))
    pytest.skip('%s is not installed here (%s)' % (what, install))
