# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/unit/ is hermetic: an in-process loopback server is fine here, a database server process is not."""

import pytest


@pytest.fixture
def mariadb():
    pytest.fail('a unit test asked for the MariaDB server: a database server process belongs in tests/integration/')
