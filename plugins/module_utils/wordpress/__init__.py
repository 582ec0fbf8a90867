# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The WordPress side, read and never written: wp-config.php as PHP reads it (php), the network's database in one
read-only snapshot (database), the mapping reader (reader) over one small class per mapping plugin
(mapping_plugins/), the watch that polls it for the event source (mapping_watch), and the mapping plugin's own
ServerPilot credentials (plugin_credentials)."""
