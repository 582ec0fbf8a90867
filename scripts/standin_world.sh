# shellcheck shell=bash
# Sourced by the demos: the stand-in ServerPilot API and its world on free local ports, the environment an AWX
# credential would inject, and a trap that stops it all. Run from the repository's root.
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$PWD/.ansible/collections"
export ANSIBLE_PYTHON_INTERPRETER="$PWD/.venv/bin/python"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
free_port() { python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
tls_port=$(free_port)
workdir=$(mktemp -d)
# The stand-in's world: its DNS server (Debian's dnsmasq where installed, else a dnspython one) answers
# playbooks/demo/dns.json and the CAA record sets of playbooks/demo/caa.json; its AutoSSL issues a certificate 3 s
# after a name points at the server (127.0.0.2), unless CAA forbids Let's Encrypt.
python tests/stand_in/server.py --port "$port" --seed playbooks/demo/apps.json \
  --tls-port "$tls_port" --tls-ca-path "$workdir/ca.pem" \
  --dns-records playbooks/demo/dns.json --dns-caa playbooks/demo/caa.json --dns-info "$workdir/dns.json" \
  --issuance-delay 3 \
  > "$workdir/standin.log" 2>&1 &
standin=$!
trap 'kill $standin 2>/dev/null || true; wait $standin 2>/dev/null || true; rm -rf "$workdir"' EXIT
for _ in $(seq 100); do
  [ -s "$workdir/ca.pem" ] && [ -s "$workdir/dns.json" ] \
    && python -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break
  sleep 0.1
done

# What an AWX credential would inject; the stand-in's own test credentials.
export SERVERPILOT_API_URL="http://127.0.0.1:$port/v1"
export SERVERPILOT_CLIENT_ID=cid-standin
export SERVERPILOT_API_KEY=standin-api-key-0123456789abcdef
# The app's web server (the stand-in's TLS endpoint), the test CA it uses, and the world's DNS.
export DEMO_TLS_PORT="$tls_port" DEMO_TLS_CA="$workdir/ca.pem"
DEMO_DNS=$(python -c "import json; print(json.load(open('$workdir/dns.json'))['nameserver'])")
export DEMO_DNS DEMO_REPORT_DIR="${DEMO_REPORT_DIR:-$PWD/demo-report}"

