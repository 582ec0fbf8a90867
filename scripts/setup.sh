#!/usr/bin/env bash
# Create .venv with everything the demo and the tests need, and make the repository
# importable as the collection multisite.serverpilot. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! cmp -s requirements-dev.txt .venv/.installed 2>/dev/null || ! cmp -s requirements.txt .venv/.installed-run 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  cp requirements-dev.txt .venv/.installed
  cp requirements.txt .venv/.installed-run
fi
# The repository root is the collection root; Ansible finds it through this link.
link=.ansible/collections/ansible_collections/multisite/serverpilot
if [ ! -e "$link" ]; then
  mkdir -p "$(dirname "$link")"
  ln -s "$PWD" "$link"
fi
