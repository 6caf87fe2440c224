"""Ingest orchestration: files → parsed Documents → merged with the current version's → one publish.

Rules (chosen so that nothing is indexed twice and nothing refused reaches the index):
- Folders are expanded recursively to .pdf, .txt, .md and .docx files; hidden files and folders and
  a folder's own notes (README, LICENSE, CHANGELOG, CONTRIBUTING) are skipped. A file named explicitly
  is always parsed; one with another suffix is refused as unsupported.
- Each file is parsed in an isolated child process, as many at once as there are CPU cores (or
  `[ingest] workers`); a refused file is reported and the batch goes on; results keep the files' order.
  A file whose name and bytes (sha256) match an indexed document is not parsed again (so re-ingesting
  an unchanged corpus costs a hash per file); `reparse=True` parses everything, e.g. after an upgrade
  of the parsers.
- One batch never holds the same paper twice: documents with the same family and language (e.g. the
  `.txt` and the `.pdf` of one paper) keep one, preferring the format that carries page numbers
  (pdf, then docx, md, txt; first in path order on a tie), and warn about the others.
- A parsed document replaces an indexed one with the same file name, the same symbol and language, or
  the same family and language (a new revision, or the same paper in a better format).
- A batch that changes nothing (every document identical to the indexed one, same embedding model)
  or where every file is refused publishes nothing; otherwise exactly one new version is published.
  When the configured embedder differs from the index's, every document is re-embedded.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from boardqa.config import Config
from index.embed import Embedder, companions_of
from index.pausepoints import pause_point
from index.retrieval.docref import resolve_document
from index.store import IndexStore
from ingest.errors import IngestError
from ingest.isolate import parse_isolated
from ingest.meta import file_sha256
from ingest.models import Document

SUPPORTED = (".pdf", ".txt", ".md", ".docx")
FORMAT_PREFERENCE = {"pdf": 0, "docx": 1, "md": 2, "txt": 3}
FOLDER_NOTES = {"readme", "license", "licence", "changelog", "contributing"}

# progress(stage, done, total): "parsing" (files), "embedding" (passages), then "writing" and
# "publishing" (0, 0). The same shape as index.version.Progress, so it is handed to the store as is.
IngestProgress = Callable[[str, int, int], None]


@dataclass
class RefusedFile:
    path: str
    reason: str  # IngestError.reason: "encrypted", "truncated", "not-found", ...
    message: str  # one line for a person

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass
class IngestReport:
    version: str | None  # the version published; None when nothing was published
    previous: str | None  # the version that was current before
    added: list[str] = field(default_factory=list)  # source file names
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # duplicates within the batch, with why
    refused: list[RefusedFile] = field(default_factory=list)
    files: int = 0  # files considered
    documents: int = 0  # documents in this batch
    parsed: int = 0  # files actually parsed (the others' bytes were already indexed)
    paragraphs: int = 0
    pages: int = 0
    passages: int = 0
    embedded: int = 0  # passages embedded for this version
    reused: int = 0  # passages whose vectors came from the previous version
    total_documents: int = 0  # documents in the version now current
    rebuilt: bool = False  # every vector re-embedded because the configured model changed
    # companion models whose vectors the previous version lacked (this ingest adds them)
    companions_added: list[str] = field(default_factory=list)
    companion_embedded: dict[str, int] = field(default_factory=dict)  # companion -> passages embedded
    seconds: float = 0.0

    @property
    def published(self) -> bool:
        return self.version is not None and self.version != self.previous

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published
        return d


def open_store(cfg: Config) -> IndexStore:
    return IndexStore(cfg.index.path, keep_versions=cfg.index.keep_versions)


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[RefusedFile]]:
    """Files to parse, in a stable order, and the named paths that cannot be (missing, unsupported)."""
    files: list[Path] = []
    refused: list[RefusedFile] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for path in paths:
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                rel = p.relative_to(path).parts
                if any(part.startswith(".") for part in rel):
                    continue
                if p.is_file() and p.suffix.lower() in SUPPORTED and p.stem.lower() not in FOLDER_NOTES:
                    add(p)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED:
                add(path)
            else:
                refused.append(RefusedFile(str(path), "unsupported",
                                           f"unsupported file type {path.suffix or '(none)'}: "
                                           f"use {', '.join(SUPPORTED)}"))
        else:
            refused.append(RefusedFile(str(path), "not-found", "no such file or folder"))
    return files, refused


def dedupe_batch(docs: list[Document]) -> tuple[list[Document], list[str]]:
    """Keep one document per (family, language); say which were dropped and why."""
    best: dict[tuple[str, str], Document] = {}
    order: list[tuple[str, str]] = []
    skipped: list[str] = []
    for doc in docs:
        key = (doc.family, doc.language)
        kept = best.get(key)
        if kept is None:
            best[key] = doc
            order.append(key)
            continue
        if FORMAT_PREFERENCE.get(doc.format, 9) < FORMAT_PREFERENCE.get(kept.format, 9):
            best[key], doc, kept = doc, kept, doc
        skipped.append(f"{doc.source}: same document as {kept.source} ({doc.family}, {doc.language}); "
                       f"kept {kept.source}")
    return [best[k] for k in order], skipped


def _same_document(a: Document, b: Document) -> bool:
    if a.source == b.source:
        return True
    if a.language != b.language:
        return False
    return bool(a.symbol and a.symbol == b.symbol) or a.family == b.family


def _content(doc: Document) -> dict[str, Any]:
    d = doc.to_dict()
    d.pop("path", None)
    return d


def merge(current: list[Document], batch: list[Document], report: IngestReport) -> list[Document]:
    """The new full document list: replacements in place, additions at the end."""
    merged = list(current)
    for doc in batch:
        idx = [i for i, old in enumerate(merged) if _same_document(old, doc)]
        if not idx:
            merged.append(doc)
            report.added.append(doc.source)
            continue
        if len(idx) == 1 and _content(merged[idx[0]]) == _content(doc):
            report.unchanged.append(doc.source)
        else:
            report.replaced.append(doc.source)
        merged[idx[0]] = doc
        for i in reversed(idx[1:]):  # e.g. a .txt and a .pdf of one paper indexed before
            del merged[i]
    return merged



def run_ingest(
    paths: list[Path],
    cfg: Config,
    embedder: Embedder,
    progress: IngestProgress | None = None,
    user: str = "cli",
    wait: float = 0.0,
    reparse: bool = False,
) -> IngestReport:
    """Parse, merge and publish once, holding the writer lock throughout (LockBusyError if taken)."""
    started = time.monotonic()
    store = open_store(cfg)
    files, refused = expand_paths([Path(p) for p in paths])
    report = IngestReport(version=None, previous=None, refused=refused, files=len(files) + len(refused))
    what = [str(p) for p in paths]
    with store.writing("ingest", user=user, wait=wait):
        report.previous = store.current_id()
        store.log_event({"event": "ingest-start", "by": user, "paths": what, "current": report.previous})
        try:
            _ingest_locked(store, files, cfg, embedder, progress, report, reparse)
        except BaseException as exc:
            report.seconds = round(time.monotonic() - started, 2)
            store.log_event({"event": "ingest", "by": user, "paths": what, "result": "failed",
                             "error": f"{type(exc).__name__}: {exc}", "seconds": report.seconds})
            raise
        report.seconds = round(time.monotonic() - started, 2)
        result = "published" if report.published else ("refused" if not report.documents else "unchanged")
        store.log_event({"event": "ingest", "by": user, "paths": what, "result": result,
                         **{k: v for k, v in report.to_dict().items() if k != "published"}})
    return report


def _already_indexed(path: Path, current: list[Document], max_bytes: int) -> Document | None:
    """The indexed document parsed from exactly these bytes under this name, if any."""
    candidates = [d for d in current if d.source == path.name]
    if not candidates or path.stat().st_size > max_bytes:
        return None
    digest = file_sha256(path)
    return next((d for d in candidates if d.sha256 == digest), None)


def parse_workers(cfg: Config, files: int) -> int:
    """How many files are parsed at once: the configured number, else one per CPU core we may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(files, cfg.ingest.workers or cores))


def _parse_all(files: list[Path], current: list[Document], cfg: Config, progress: IngestProgress | None,
               report: IngestReport, reparse: bool) -> list[Document]:
    """Every file parsed (each in its own capped child, several at once), in the order of `files`."""
    results: list[Document | RefusedFile | None] = [None] * len(files)

    def one(path: Path) -> Document | RefusedFile:
        try:
            known = None if reparse else _already_indexed(path, current, cfg.ingest.max_file_bytes)
            if known is not None:
                return known
            doc = parse_isolated(path, cfg.ingest)
            with lock:
                report.parsed += 1
            return doc
        except IngestError as exc:
            return RefusedFile(str(path), exc.reason, exc.message)
        except Exception as exc:  # a parser bug must not stop the batch or reach the index
            return RefusedFile(str(path), "error", f"{type(exc).__name__}: {exc}")

    lock = threading.Lock()
    if progress:
        progress("parsing", 0, len(files))
    # Threads only wait: the parsing itself runs in one spawned, capped child process per file.
    with ThreadPoolExecutor(max_workers=parse_workers(cfg, len(files)) if files else 1) as pool:
        futures = {pool.submit(one, path): i for i, path in enumerate(files)}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress("parsing", done, len(files))
            pause_point("parsing")
    parsed: list[Document] = []
    for result in results:
        if isinstance(result, RefusedFile):
            report.refused.append(result)
        elif result is not None:
            parsed.append(result)
    return parsed


def _ingest_locked(store: IndexStore, files: list[Path], cfg: Config, embedder: Embedder,
                   progress: IngestProgress | None, report: IngestReport, reparse: bool = False) -> None:
    current = store.documents() if store.exists() else []
    parsed = _parse_all(files, current, cfg, progress, report, reparse)
    batch, report.skipped = dedupe_batch(parsed)
    report.documents = len(batch)
    report.paragraphs = sum(d.paragraph_count for d in batch)
    report.pages = sum(d.pages for d in batch)
    report.passages = sum(len(d.passages) for d in batch)
    merged = merge(current, batch, report)
    report.total_documents = len(current)
    report.version = report.previous
    # Another embedding model than the index's, or a companion model the index lacks: re-ingesting
    # anything embeds what is missing, with that model only.
    if report.previous:
        man = store.manifest(report.previous)
        have = {name: info.get("model_id") for name, info in man.extra.items()}
        report.rebuilt = man.model_id != embedder.model_id
        report.companions_added = [name for name, e in companions_of(embedder).items()
                                   if have.get(name) != e.model_id]
    unchanged = not report.added and not report.replaced and len(merged) == len(current)
    # A version whose lexical index an older tokeniser built is republished even when nothing changed.
    stale = bool(report.previous) and not store.lexical_is_current(str(report.previous))
    if not batch or (unchanged and not report.rebuilt and not stale and not report.companions_added):
        return  # nothing to publish: every file refused, or nothing changed
    new = store.publish_version(merged, embedder, progress=progress)
    report.version = new.version
    report.embedded, report.reused = new.embedded, new.reused
    report.companion_embedded = {name: f.embedded for name, f in new.extra.items()}
    report.total_documents = len(merged)


def run_remove(ref: str, cfg: Config, embedder: Embedder, user: str = "cli",
               wait: float = 0.0) -> tuple[Document, str]:
    """Publish a version without one document (resolved like `boardqa passages DOC`)."""
    store = open_store(cfg)
    with store.writing("remove", user=user, wait=wait):
        current = store.documents()
        doc = resolve_document(current, ref)
        kept = [d for d in current if d is not doc]
        try:
            version = store.publish(kept, embedder)
        except BaseException as exc:
            store.log_event({"event": "remove", "by": user, "document": doc.source, "result": "failed",
                             "error": f"{type(exc).__name__}: {exc}"})
            raise
        store.log_event({"event": "remove", "by": user, "document": doc.source, "result": "published",
                         "version": version})
        return doc, version


def run_rollback(cfg: Config, version: str | None = None, user: str = "cli",
                 wait: float = 0.0) -> tuple[str, str]:
    """Make an earlier version current again; returns (previous, now current)."""
    store = open_store(cfg)
    with store.writing("rollback", user=user, wait=wait):
        before = store.current_id() or ""
        target = store.rollback(version)
        store.log_event({"event": "rollback", "by": user, "from": before, "to": target, "result": "ok"})
        return before, target
