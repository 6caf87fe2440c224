#!/usr/bin/env bash
# Quick start: install, ingest the shipped examples, answer sample questions in the console.
# examples/ holds a fictional board paper (EXB/2026/DEMO/1) in English and Chinese. Only the PDFs are
# ingested: `boardqa ingest examples/` would also read their .txt sources in examples/src/ and skip them
# as duplicates, one line each.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh          # no extras: the demo never needs PyTorch
.venv/bin/boardqa ingest examples/*.pdf
.venv/bin/boardqa ask "How much did the pilot cost?"                  # paragraph 4: USD 4.2 million
.venv/bin/boardqa ask "试点项目覆盖了多少个社区？"                     # 第3段: 24 个社区
.venv/bin/boardqa ask "What is the funding gap for the extension?"    # paragraph 9: USD 7.2 million
.venv/bin/boardqa cite "para 3"                                       # paragraph 3: 24 communities
