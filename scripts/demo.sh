#!/usr/bin/env bash
# The main job against the stand-in ServerPilot API: no account needed.
# Starts the stand-in on a free local port, runs playbooks/demo.yml twice
# (first run changes the app, second run changes nothing), then stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$PWD/.ansible/collections"
export ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

port=$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python tests/stand_in/server.py --port "$port" --seed playbooks/demo/apps.json > /dev/null &
standin=$!
trap 'kill $standin 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  python -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
  sleep 0.1
done

# What an AWX credential would inject; the stand-in's own test credentials.
export SERVERPILOT_API_URL="http://127.0.0.1:$port/v1"
export SERVERPILOT_CLIENT_ID=cid-standin
export SERVERPILOT_API_KEY=standin-api-key-0123456789abcdef

echo "### First run: the app gains the mapped domains"
ansible-playbook -i localhost, -c local playbooks/demo.yml --diff
echo "### Second run: nothing to change"
ansible-playbook -i localhost, -c local playbooks/demo.yml --diff
