#!/usr/bin/env bash
# The event-driven sync against the demo's world: no account needed. Starts the stand-in ServerPilot API (as
# scripts/demo.sh does) and a MariaDB network (Debian's mariadb-server, in a temporary data directory), runs
# `ansible-rulebook -r multisite.serverpilot.sync_on_change` (Java 17), maps a new domain in the network's
# database and shows it arriving on the app. Then stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/standin_world.sh
source scripts/standin_world.sh
python scripts/demo_events.py "$workdir"
