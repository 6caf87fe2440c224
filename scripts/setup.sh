#!/usr/bin/env bash
# Create .venv and install BoardQA at the exact versions of requirements/lock.txt (refresh it with
# `bash scripts/lock.sh`). Usage: bash scripts/setup.sh [EXTRAS], e.g. `dev,st` (scripts/test.sh: the test
# tools and the sentence-transformers backend); no extras for the demo, which never needs PyTorch.
# Idempotent: skips pip when the lock and pyproject.toml are unchanged and the extras are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
extras=${1:-}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.boardqa-installed
have=""
fresh=1
if [ -f "$stamp" ] && [ "$stamp" -nt pyproject.toml ] && [ "$stamp" -nt requirements/lock.txt ]; then
  have=$(cat "$stamp")
  fresh=0
fi
for e in ${extras//,/ }; do
  case ",$have," in *",$e,"*) ;; *) fresh=1 ;; esac
done
if [ "$fresh" = 1 ]; then
  all=$(printf '%s\n' ${have//,/ } ${extras//,/ } | sort -u | paste -sd, -)
  # -c: the lock constrains every package pip installs (torch, when asked for, is the CPU build it pins)
  .venv/bin/pip install --quiet --disable-pip-version-check -c requirements/lock.txt -e ".${all:+[$all]}"
  echo "$all" > "$stamp"
fi
