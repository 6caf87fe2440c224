"""Test hook: `BOARDQA_TEST_PAUSE_AT=<stage>` makes a writer stop at that stage so a test can SIGKILL it.

Stages: parsing, embedding, writing, publishing. On reaching the stage the process writes
`<stage>` to the file named by `BOARDQA_TEST_PAUSE_MARKER` (if set) and sleeps; it never continues on
its own within a test's lifetime. Unset (the normal case), this is a no-op.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ENV_STAGE = "BOARDQA_TEST_PAUSE_AT"
ENV_MARKER = "BOARDQA_TEST_PAUSE_MARKER"


def pause_point(stage: str) -> None:
    if os.environ.get(ENV_STAGE) != stage:
        return
    marker = os.environ.get(ENV_MARKER)
    if marker:
        Path(marker).write_text(stage, encoding="utf-8")
    time.sleep(600)
