#!/usr/bin/env bash
# The event-driven sync against the demo's world: no account needed. Starts the stand-in ServerPilot API (as
# scripts/demo.sh does) and a MariaDB network (Debian's mariadb-server, in a temporary data directory), runs
# `ansible-rulebook -r multisite.serverpilot.sync_on_change` (Java 17), maps a new domain in the network's
# database and shows it arriving on the app. Then stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$PWD/.ansible/collections"
export ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
# shellcheck source=scripts/standin_world.sh
source scripts/standin_world.sh
python scripts/demo_events.py "$workdir"
