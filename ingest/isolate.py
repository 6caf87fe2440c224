"""`parse_isolated`: `parse_file` in a child process with a time limit and an address-space cap.

A hostile PDF can make a parser loop, balloon or crash; only the child suffers. The child is
started with "spawn" (not "fork") so that it never inherits the threads and locks of a running bot.
The Document comes back as a plain dict; an IngestError comes back as its class name and message and
is raised again in the parent unchanged.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from boardqa.config import IngestConfig

from . import errors
from .errors import IngestError, ParseTimeoutError
from .liblog import route_library_logs
from .models import Document

Target = Callable[[Path, IngestConfig], Document]


def parse_isolated(path: Path, cfg: IngestConfig) -> Document:
    """Like `parse_file`, but killed after `cfg.timeout_seconds` and capped at `cfg.memory_mb`."""
    from .parse import parse_file

    return run_isolated(parse_file, Path(path), cfg)


def run_isolated(target: Target, path: Path, cfg: IngestConfig) -> Document:
    """Run `target(path, cfg)` (a module-level function) in a child process under the caps."""
    ctx = mp.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(target, str(path), cfg, sender), daemon=True)
    proc.start()
    sender.close()
    message: Any = None
    try:
        if not receiver.poll(cfg.timeout_seconds):
            raise ParseTimeoutError(
                path,
                f"parsing took longer than {cfg.timeout_seconds:g} s and was stopped (broken file?)",
            )
        try:
            message = receiver.recv()
        except (EOFError, OSError):
            message = None
    finally:
        receiver.close()
        if proc.is_alive() and message is None:
            proc.kill()
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
    if message is None:
        raise _died(path, proc.exitcode, cfg)
    status, payload = message
    if status == "ok":
        return Document.from_dict(payload)
    cls_name, text = payload
    cls = getattr(errors, cls_name, IngestError)
    if not (isinstance(cls, type) and issubclass(cls, IngestError)):
        cls = IngestError
    raise cls(path, text)


def _died(path: Path, exitcode: int | None, cfg: IngestConfig) -> IngestError:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return IngestError(path, f"the parser crashed on this file (killed by {name}); the file is refused")
    return IngestError(
        path,
        f"the parser stopped without an answer (exit code {exitcode}); it may have exceeded the "
        f"{cfg.memory_mb} MB memory cap",
    )


def _child(target: Target, path: str, cfg: IngestConfig, conn: Connection) -> None:
    route_library_logs(cfg.log_file)
    try:
        if cfg.memory_mb > 0:
            cap = cfg.memory_mb * 1024 * 1024
            _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            resource.setrlimit(
                resource.RLIMIT_AS, (cap, cap if hard == resource.RLIM_INFINITY else min(cap, hard))
            )
        doc = target(Path(path), cfg)
        conn.send(("ok", doc.to_dict()))
    except IngestError as exc:
        conn.send(("error", (type(exc).__name__, exc.message)))
    except MemoryError:
        conn.send(
            ("error", ("IngestError", f"the file needs more than the {cfg.memory_mb} MB memory cap to read"))
        )
    except BaseException as exc:  # noqa: BLE001 - anything else is reported as one clear line, not a traceback
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        conn.send(
            (
                "error",
                (
                    "IngestError",
                    f"unexpected parser failure ({type(exc).__name__}{': ' + first if first else ''})",
                ),
            )
        )
    finally:
        conn.close()
