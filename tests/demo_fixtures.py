"""The quick start's index, built once per session the way scripts/demo.sh builds it.

A temp folder holds a copy of the repository's config.toml (so `boardqa` finds it as the default, like a
user in a fresh clone) and `examples/` linked from the repo; the index is made by running demo.sh's own
`boardqa ingest` line there. The README test runs the documented commands in this folder, and the CLI
usability tests read the same index (they never write to it).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "scripts" / "demo.sh"
BOARDQA_PREFIXES = (".venv/bin/boardqa ", "boardqa ")


def boardqa_lines(script: str) -> list[tuple[str, str]]:
    """(command, comment) of every line of a shell text that runs `boardqa`, in order."""
    out = []
    for raw in script.splitlines():
        line = raw.strip()
        if not line.startswith(BOARDQA_PREFIXES):
            continue
        command, comment = line, ""
        quote = ""  # the comment starts at the first '#' outside quotes
        for i, ch in enumerate(line):
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"":
                quote = ch
            elif ch == "#":
                command, comment = line[:i].strip(), line[i + 1 :].strip()
                break
        out.append((command, comment))
    return out


def run_boardqa(command: str, cwd: Path, stdin: str = "",
                timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run a documented `boardqa …` line in `cwd` with a shell (globs expand as for the user), the
    `boardqa` program being this checkout's (the same code as .venv/bin/boardqa after setup)."""
    for prefix in BOARDQA_PREFIXES:
        if command.startswith(prefix):
            command = command[len(prefix) :]
            break
    program = f"{shlex.quote(sys.executable)} -m boardqa.cli"
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "COLUMNS": "100"}
    env.pop("BOARDQA_CONFIG", None)
    return subprocess.run(["bash", "-c", f"{program} {command}"], cwd=cwd, input=stdin, capture_output=True,
                          text=True, timeout=timeout, env=env)


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
