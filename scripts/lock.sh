#!/usr/bin/env bash
# Refresh requirements/lock.txt, the exact versions scripts/setup.sh (and so CI) installs.
# pip-tools resolves pyproject.toml's ranges, every extra included, with this machine's pip settings
# (its find-links, indexes and constraints) and requirements/pins.txt. Run it after changing the
# dependencies in pyproject.toml; pins that still fit are kept. `bash scripts/lock.sh --upgrade` takes
# the newest releases the ranges allow.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
"$PY" -m venv "$tools/venv"
"$tools/venv/bin/pip" install --quiet --disable-pip-version-check "pip-tools==7.6.2"
CUSTOM_COMPILE_COMMAND="bash scripts/lock.sh" "$tools/venv/bin/pip-compile" --quiet --all-extras \
  --strip-extras --no-emit-index-url --no-emit-find-links --constraint requirements/pins.txt \
  --output-file requirements/lock.txt "$@" pyproject.toml
echo "requirements/lock.txt: $(grep -c '==' requirements/lock.txt) pinned packages"
