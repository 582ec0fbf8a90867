# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every integration test that runs the collection's tasks runs them both ways: in the controller's process (the
actions of plugins/action/, what a task on the controller does) and as modules (what a task on another host, or
SERVERPILOT_RUN_AS_MODULE=1, does). Every process a test starts - ansible-playbook, ansible-runner,
ansible-rulebook - inherits the choice from the environment."""

import os

import pytest

TASK_PATHS = ('controller', 'module')
# test files that start no task of the collection: one run is all they need
NO_TASKS = {'test_benchmark_script', 'test_wordpress_network'}


def pytest_generate_tests(metafunc):
    # a test marked in_process calls the collection's code in the test's own process (a module's main(), the
    # reader): no task runs, so there is no way to choose and one run is all it needs
    if 'task_path' in metafunc.fixturenames and not metafunc.definition.get_closest_marker('in_process'):
        name = metafunc.module.__name__.rsplit('.', 1)[-1]
        paths = os.environ.get('SERVERPILOT_TEST_TASK_PATHS', ','.join(TASK_PATHS)).split(',')
        metafunc.parametrize('task_path', ['controller'] if name in NO_TASKS else paths, indirect=True)


@pytest.fixture(autouse=True)
def task_path(request, monkeypatch):
    path = getattr(request, 'param', 'controller')
    assert path in TASK_PATHS, path
    if path == 'module':
        monkeypatch.setenv('SERVERPILOT_RUN_AS_MODULE', '1')
    else:
        monkeypatch.delenv('SERVERPILOT_RUN_AS_MODULE', raising=False)
    return path


# The longest tests (tens of seconds: the real ansible-rulebook with its retry delays, the benchmark scripts, the
# role over 25 apps) start first, so the workers do not end waiting on one of them.
SLOW_FIRST = ('test_sync_on_change', 'test_benchmark_script', 'test_inventory_serverpilot')


def pytest_collection_modifyitems(session, config, items):
    def slow(item):
        return getattr(item, 'module', None) is not None and item.module.__name__.rsplit('.', 1)[-1] in SLOW_FIRST
    items.sort(key=lambda item: 0 if slow(item) else 1)  # stable: the rest keep their order
