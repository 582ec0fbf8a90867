#!/usr/bin/env bash
# The main job against the stand-in ServerPilot API: no account needed.
# Starts the stand-in API and its TLS endpoint on free local ports, runs
# playbooks/demo.yml (the domain_mapping role) twice: the first run changes the
# app, the second changes nothing. Then stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$PWD/.ansible/collections"
export ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

free_port() { python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
tls_port=$(free_port)
workdir=$(mktemp -d)
python tests/stand_in/server.py --port "$port" --seed playbooks/demo/apps.json \
  --tls-port "$tls_port" --tls-ca-path "$workdir/ca.pem" > "$workdir/standin.log" 2>&1 &
standin=$!
trap 'kill $standin 2>/dev/null || true; rm -rf "$workdir"' EXIT
for _ in $(seq 100); do
  [ -s "$workdir/ca.pem" ] && python -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
  sleep 0.1
done

# What an AWX credential would inject; the stand-in's own test credentials.
export SERVERPILOT_API_URL="http://127.0.0.1:$port/v1"
export SERVERPILOT_CLIENT_ID=cid-standin
export SERVERPILOT_API_KEY=standin-api-key-0123456789abcdef
# The app's web server (the stand-in's TLS endpoint) and the test CA it uses.
export DEMO_TLS_PORT="$tls_port" DEMO_TLS_CA="$workdir/ca.pem"

echo "### First run: the app gains the mapped domains, AutoSSL and ForceSSL, and every certificate verifies"
ansible-playbook -i localhost, playbooks/demo.yml --diff
echo "### Second run: nothing to change"
ansible-playbook -i localhost, playbooks/demo.yml --diff
