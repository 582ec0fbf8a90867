# Copyright (c) 2026, multisite.serverpilot contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ServerPilot side: the API client (api), the rules that decide (domains, autossl, certificates, caa, health,
history: pure, tested with plain values), the workflows that apply them through the client (*_workflow), and the
DNS and TLS probes of what the world sees (probes)."""
