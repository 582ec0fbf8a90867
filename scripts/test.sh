#!/usr/bin/env bash
# Every check the project has: ansible-lint, changelog lint, collection build, ansible-test sanity,
# antsibull-docs lint, the role's molecule scenario, and pytest (unit and integration) - which starts first and
# runs beside the others (most of it waits on processes, servers and sleeps); its output comes last.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$PWD/.ansible/collections"

pytest_log=$(mktemp)
# four workers on any machine: most of a test is waiting on ansible-playbook, a server or a sleep, and two
# cores keep four busy (measured here: the suite 8.4 min at -n 4, 9.9 min at -n 2)
python -m pytest -n 4 "$@" > "$pytest_log" 2>&1 &
pytest_pid=$!
# called by the EXIT traps below: a check that fails ends the run, pytest with it
# shellcheck disable=SC2317
stop_pytest() { kill -- "$pytest_pid" 2>/dev/null || true; }

echo "== ansible-lint (production profile)"
ansible-lint --offline

echo "== antsibull-changelog lint"
antsibull-changelog lint

echo "== ansible-galaxy collection build (no warning allowed)"
build_dir=$(mktemp -d)
trap 'stop_pytest; rm -rf "$build_dir"' EXIT
ansible-galaxy collection build --output-path "$build_dir" . 2>&1 | tee "$build_dir/build.log"
if grep -qi 'warning' "$build_dir/build.log"; then
  echo "collection build printed a warning" >&2
  exit 1
fi

echo "== ansible-test sanity (every test on Python 3.11; compile and import on each other Python of tests/config.yml's range the machine has)"
# ansible-test wants the collection under ansible_collections/<ns>/<name>: test a copy of the tree.
sanity_root="$build_dir/sanity/ansible_collections/multisite/serverpilot"
mkdir -p "$sanity_root"
git ls-files -co --exclude-standard | grep -vxF -f <(git ls-files -d; echo /dev/null) | tar -cf - -T - | tar -xf - -C "$sanity_root"
# ansible-test downloads its pip bootstrap script from a host we cannot reach; give it ours.
pip_version=$(python - <<'PY'
import os, re, ansible_test
src = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
mkdir -p ~/.ansible/test/cache
cp scripts/get_pip_offline.py ~/.ansible/test/cache/"get_pip_${pip_version//./_}.py"
sanity() {
  (cd "$sanity_root" && ansible-test sanity --local --color no "$@" 2>&1 \
     | grep -v -e '^Looking in' -e '^WARNING: Location' -e '^  Downloading' -e '^Collecting' -e '━')
}
sanity --python 3.11
for version in 3.9 3.10 3.12 3.13; do
  # on PATH, or installed but not activated (pyenv): the machine has it either way
  interpreter=$(command -v "python$version" 2>/dev/null || true)
  if [ -z "$interpreter" ] || ! "$interpreter" -c '' 2>/dev/null; then
    interpreter=$(find "${PYENV_ROOT:-$HOME/.pyenv}/versions" -path "*/versions/$version.*/bin/python$version" \
                  2>/dev/null | sort | tail -1)
  fi
  if [ -z "$interpreter" ] || ! "$interpreter" -c '' 2>/dev/null; then
    continue
  fi
  echo "-- compile and import on Python $version ($interpreter)"
  PATH="$(dirname "$interpreter"):$PATH" sanity --python "$version" --test compile --test import
done

echo "== antsibull-docs lint-collection-docs --plugin-docs (the community's docs linter)"
(cd "$sanity_root" && ANSIBLE_COLLECTIONS_PATH="$build_dir/sanity" antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .)

echo "== molecule (role domain_mapping, on this machine against the stand-in)"
free_port() { python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export STANDIN_WORKDIR="$build_dir/molecule" STANDIN_PORT STANDIN_TLS_PORT MOLECULE_PYTHON="$PWD/.venv/bin/python"
STANDIN_PORT=$(free_port)
STANDIN_TLS_PORT=$(free_port)
mkdir -p "$STANDIN_WORKDIR"
trap 'stop_pytest; kill "$(cat "$STANDIN_WORKDIR/standin.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$build_dir"' EXIT
(cd roles/domain_mapping && molecule reset && molecule test)

echo "== pytest (started first, beside the checks above)"
pytest_rc=0
wait "$pytest_pid" || pytest_rc=$?
cat "$pytest_log"
rm -f "$pytest_log"
exit "$pytest_rc"
