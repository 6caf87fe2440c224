"""Where the parsing libraries' own messages go: the ingest log file, never the user's terminal.

pypdf reports what it could not decode through `logging` (and a few things through `warnings`); with
no handler configured Python prints every such record on stderr, which for a designed report meant
hundreds of lines. The CLI and every spawned parser child call `route_library_logs` first, so those
records land in one log file with a timestamp and the file they concern is named by the caller's own
one-line report instead.
"""

from __future__ import annotations

import logging
from pathlib import Path

LIBRARY_LOGGERS = ("pypdf", "fontTools", "docx", "PIL", "py.warnings")
_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
_MARK = "_boardqa_route"


def route_library_logs(log_file: Path | None) -> None:
    """Send the parsing libraries' records to `log_file` (or drop them when it cannot be written)."""
    logging.captureWarnings(True)
    handler: logging.Handler = logging.NullHandler()
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(log_file, encoding="utf-8", delay=True)
            handler.setFormatter(logging.Formatter(_FORMAT))
        except OSError:
            handler = logging.NullHandler()
    setattr(handler, _MARK, True)
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if getattr(h, _MARK, False)]:
            logger.removeHandler(old)
            old.close()
        logger.addHandler(handler)
        logger.propagate = False
