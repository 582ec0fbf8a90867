# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role documents each variable once (meta/argument_specs.yml), and its tasks carry no decisions of their own."""

import os
import re

import yaml

ROLE = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'domain_mapping')


def load(*parts):
    with open(os.path.join(ROLE, *parts)) as handle:
        return yaml.safe_load(handle)


def test_every_default_is_specified_with_the_same_value():
    defaults = load('defaults', 'main.yml')
    options = load('meta', 'argument_specs.yml')['argument_specs']['main']['options']
    assert set(defaults) == set(options)
    for name, value in defaults.items():
        if isinstance(value, str) and '{{' in value:
            continue  # an environment lookup: the spec says which variable
        assert options[name].get('default') == value, name
        assert options[name]['description'], name


def test_the_tasks_hold_no_derived_variables_and_no_nested_choices():
    for name in os.listdir(os.path.join(ROLE, 'tasks')):
        with open(os.path.join(ROLE, 'tasks', name)) as handle:
            text = handle.read()
        # the planning step computes them: no _serverpilot_* helper variables, no conditional inside a conditional
        assert not re.search(r'\b_serverpilot_\w+', text), name
        for expression in re.findall(r'\{\{(.*?)\}\}', text, re.S):
            assert expression.count(' if ') <= 1, (name, expression)
