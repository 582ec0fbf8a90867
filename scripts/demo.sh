#!/usr/bin/env bash
# The main job against the stand-in ServerPilot API: no account needed.
# Starts the stand-in API and its TLS endpoint on free local ports, runs
# playbooks/demo.yml (the domain_mapping role) twice: the first run changes the
# app, the second changes nothing. Then stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/standin_world.sh
source scripts/standin_world.sh

echo "### First run: the app gains the domains and AutoSSL; the network's own name is ok, and each customer"
echo "### domain that is not gets one line saying why (the run stays green: only network.example is required)"
ansible-playbook -i localhost, playbooks/demo.yml --diff
echo "### Second run: nothing to change"
ansible-playbook -i localhost, playbooks/demo.yml --diff
echo "### The health report: $DEMO_REPORT_DIR/demoNetworkApp01.html (and .json)"
