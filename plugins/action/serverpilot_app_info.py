# -*- coding: utf-8 -*-
# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""serverpilot_app_info in the controller's process when its task runs there; else the module (plugin_utils/in_controller.py)."""

from ansible_collections.multisite.serverpilot.plugins.modules import serverpilot_app_info
from ansible_collections.multisite.serverpilot.plugins.plugin_utils.in_controller import ControllerAction


class ActionModule(ControllerAction):
    MODULE = serverpilot_app_info
