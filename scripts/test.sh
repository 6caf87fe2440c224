#!/usr/bin/env bash
# The whole test suite: lint, types, then pytest (real PDFs, real FAISS, real models, local Slack stand-in).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev,st   # test tools and the sentence-transformers backend (tests/test_embed.py)
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/pytest -q "$@"
