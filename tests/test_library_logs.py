"""Library warnings (pypdf, fontTools, `warnings`) go to the ingest log file, never the user's terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REAL
from store_helpers import run_cli

REPORT = REAL / "reports" / "unctad-tir-2025-overview.en.pdf"
NOISE = ("fontTools", "pypdf", "WARNING", "Traceback", "UserWarning")


def test_library_records_go_to_the_log_file(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "ingest.log"
    script = (
        "import logging, warnings, sys\n"
        "from pathlib import Path\n"
        "from ingest.liblog import route_library_logs\n"
        f"route_library_logs(Path({str(log)!r}))\n"
        "logging.getLogger('pypdf._cmap').warning('cannot map a glyph')\n"
        "warnings.warn('a deprecated call')\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and proc.stdout == ""
    text = log.read_text(encoding="utf-8")
    assert "pypdf._cmap: cannot map a glyph" in text and "a deprecated call" in text


def test_ingesting_the_designed_report_prints_no_library_warnings(tmp_path: Path) -> None:
    if not REPORT.is_file():
        pytest.skip("../shared/corpus/real is not beside the repo")
    config = tmp_path / "config.toml"
    config.write_text('[index]\npath = "index"\n[ingest]\nlog_file = "ingest.log"\n', encoding="utf-8")
    proc = run_cli(config, "ingest", str(REPORT), timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    noisy = [line for line in (proc.stderr + proc.stdout).splitlines() if any(n in line for n in NOISE)]
    assert not noisy, noisy[:5]
    assert "now serving version" in proc.stdout.strip().splitlines()[-1]
