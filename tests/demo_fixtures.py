"""The quick start's index, built once per session the way scripts/demo.sh builds it.

A temp folder holds a copy of the repository's config.toml (so `boardqa` finds it as the default, like a
user in a fresh clone) and `examples/` linked from the repo; the index is made by running demo.sh's own
`boardqa ingest` line there. The README test runs the documented commands in this folder, and the CLI
usability tests read the same index (they never write to it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from demo_helpers import DEMO, REPO, boardqa_lines, run_boardqa


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like a fresh clone after `bash scripts/demo.sh` ingested the examples."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copy(REPO / "config.toml", root / "config.toml")
    (root / "examples").symlink_to(REPO / "examples")
    ingests = [c for c, _ in boardqa_lines(DEMO.read_text(encoding="utf-8")) if " ingest " in f" {c} "]
    assert len(ingests) == 1, ingests
    done = run_boardqa(ingests[0], root)
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="session")
def demo_config(demo_dir: Path) -> Path:
    return demo_dir / "config.toml"
