#!/usr/bin/env bash
# Quick start: install, ingest the shipped examples, answer sample questions in the console.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/boardqa ingest examples/
.venv/bin/boardqa ask "How much did the pilot cost?"
.venv/bin/boardqa ask "试点项目覆盖了多少个社区？"
.venv/bin/boardqa cite "para 3"
