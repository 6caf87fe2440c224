"""One writer at a time: an flock on `<index>/lock`, whose content says who holds it.

The kernel releases an flock when its holder dies, so a lock left by a killed process is never stale
in effect; its recorded holder is simply overwritten by the next writer.
"""

from __future__ import annotations

import fcntl
import getpass
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from index.store_errors import LockBusyError


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def describe_holder(info: dict[str, Any]) -> str:
    if not info:
        return "another process"
    return (f"pid {info.get('pid')} ({info.get('command', '?')}, user {info.get('user', '?')}, "
            f"since {info.get('since', '?')})")


class WriterLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[str] | None = None
        self.stale_holder: dict[str, Any] | None = None  # a dead holder found when acquiring

    @property
    def held(self) -> bool:
        return self._fh is not None

    def holder(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
            data = json.loads(text) if text.strip() else {}
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def acquire(self, command: str, user: str | None = None, wait: float = 0.0) -> None:
        """Take the lock, polling for up to `wait` seconds; LockBusyError names the holder otherwise."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while held
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.close()
                    raise LockBusyError(describe_holder(self.holder())) from None
                time.sleep(0.1)
        previous = self.holder()
        pid = previous.get("pid")
        if isinstance(pid, int) and pid != os.getpid() and not pid_alive(pid):
            self.stale_holder = previous
        info = {
            "pid": os.getpid(),
            "command": command,
            "user": user or _user(),
            "argv": sys.argv[1:],
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps(info))
        fh.flush()
        os.fsync(fh.fileno())
        self._fh = fh

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            self._fh.seek(0)
            self._fh.truncate()
            self._fh.flush()
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
        finally:
            self._fh.close()
            self._fh = None
