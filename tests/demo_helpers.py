"""Helpers for running documented `boardqa` lines (README code blocks, scripts/demo.sh) as a user would."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

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
