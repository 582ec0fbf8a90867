#!/usr/bin/env bash
# The stand-in ServerPilot API and its world (DNS, the app's web server with a test CA, "a CDN"), to try the
# collection by hand, no account needed: it writes what a shell, a playbook and an inventory need into .standin/
# (or $STANDIN_DIR), says how to use them, and runs until Ctrl-C, when it removes what it made.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/standin_world.sh
source scripts/standin_world.sh
out=${STANDIN_DIR:-$PWD/.standin}
mkdir -p "$out"
cat > "$out/env" <<ENV
# source this file: what an AWX credential would inject, and where Ansible finds the collection
export SERVERPILOT_API_URL=$SERVERPILOT_API_URL
export SERVERPILOT_CLIENT_ID=$SERVERPILOT_CLIENT_ID
export SERVERPILOT_API_KEY=$SERVERPILOT_API_KEY
export SERVERPILOT_APP_ID=demoNetworkApp01
export ANSIBLE_COLLECTIONS_PATH=$ANSIBLE_COLLECTIONS_PATH
export DEMO_DNS=$DEMO_DNS DEMO_TLS_PORT=$DEMO_TLS_PORT DEMO_TLS_CA=$DEMO_TLS_CA DEMO_REPORT_DIR=$out/report
export PATH=$PWD/.venv/bin:\$PATH
ENV
cat > "$out/vars.yml" <<VARS
# the role's variables for the stand-in's world: its DNS server, its web server's port and test CA
serverpilot_dns_nameservers: ["$DEMO_DNS"]
serverpilot_verify_port: $DEMO_TLS_PORT
serverpilot_verify_ca_path: $DEMO_TLS_CA
serverpilot_verify_wait_delay: 1
serverpilot_autossl_delay: 2
VARS
cat > "$out/inventory.yml" <<INVENTORY
# one local host whose Python has the collection's libraries (without it Ansible may pick another Python)
all:
  hosts:
    localhost:
      ansible_connection: local
      ansible_python_interpreter: $PWD/.venv/bin/python
INVENTORY
cat <<SAY
The stand-in ServerPilot API is at $SERVERPILOT_API_URL; it serves one app, demoNetworkApp01 (network.example).
In another shell:

  source $out/env
  ansible-playbook -i $out/inventory.yml playbooks/demo.yml                  # the demo's role run
  ansible-playbook -i $out/inventory.yml my-play.yml -e @$out/vars.yml       # your own play, in this world

Ctrl-C stops it.
SAY
wait "$standin"
