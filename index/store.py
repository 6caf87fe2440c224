"""The versioned index store: immutable versions on disk, an atomically switched CURRENT pointer.

Layout of the index directory:
    CURRENT              id of the version being served (switched with write-temp + fsync + os.replace)
    HISTORY              JSON list of the versions made current, oldest first (rollback pops it)
    lock                 flock of the single writer; its content names the holder
    ingest-log.jsonl     one JSON line per change: who, what, when, result
    versions/<id>/       manifest.json, documents.sqlite, vectors.npy, dense.faiss, lexical/,
                         vectors-<companion>.npy per companion model (e.g. vectors-use.npy)
    tmp/                 versions being built; anything left here is a crashed writer's and is removed

A version is built in tmp/, flushed, reloaded and verified, renamed into versions/, and only then does
CURRENT point at it, so a writer killed at any moment leaves the served version exactly as it was.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from index.docdb import read_documents, write_documents
from index.embed import Embedder, companions_of
from index.fsutil import append_durable, fsync_dir, fsync_tree, write_atomic
from index.lock import WriterLock, _user, describe_holder
from index.manifest import MANIFEST, Manifest, file_table, verify_files
from index.pausepoints import pause_point
from index.retrieval.lexical import TOKENIZER, LexicalIndex, StaleTokenizerError
from index.retrieval.textrep import lexical_text
from index.store_errors import (
    CorruptVersionError,
    ModelMismatchError,
    NoIndexError,
    StoreError,
    UnknownVersionError,
)
from index.version import DenseField, IndexVersion, Progress, build_version
from ingest.models import Document

__all__ = ["IndexStore", "IndexVersion", "VersionInfo", "build_version"]

log = logging.getLogger(__name__)

DOCS = "documents.sqlite"
VECTORS = "vectors.npy"
DENSE = "dense.faiss"
LEXICAL = "lexical"
PUBLISHED = ".published"  # written after CURRENT first pointed here; absent = a crashed writer's orphan
LOG_NAME = "ingest-log.jsonl"


def extra_file(name: str) -> str:
    """The file of a companion model's passage vectors inside a version folder."""
    return f"vectors-{name}.npy"


@dataclass
class VersionInfo:
    version: str
    created: str
    documents: int
    passages: int
    model_id: str
    current: bool

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _version_number(name: str) -> int:
    return int(name[1:]) if name.startswith("v") and name[1:].isdigit() else 0


class IndexStore:
    def __init__(self, root: Path, keep_versions: int = 5) -> None:
        self.root = Path(root)
        self.keep_versions = max(1, keep_versions)
        self.versions_dir = self.root / "versions"
        self.tmp_dir = self.root / "tmp"
        self.current_file = self.root / "CURRENT"
        self.history_file = self.root / "HISTORY"
        self.log_file = self.root / LOG_NAME
        self._lock = WriterLock(self.root / "lock")

    # ---- reading -------------------------------------------------------------------------------

    def current_id(self) -> str | None:
        try:
            text = self.current_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return text or None

    def exists(self) -> bool:
        return self.current_id() is not None

    def _require_current(self) -> str:
        cur = self.current_id()
        if cur is None:
            raise NoIndexError(self.root)
        return cur

    def manifest(self, version: str) -> Manifest:
        folder = self.versions_dir / version
        if not folder.is_dir():
            raise UnknownVersionError(f"no version {version!r} in {self.root}")
        return Manifest.read(folder)

    def load(self, version: str) -> IndexVersion:
        """Load one version fully, refusing it (CorruptVersionError) when any file fails its checksum."""
        try:
            return self._load_folder(self.versions_dir / version, version)
        except CorruptVersionError as exc:
            log.error("refusing index version %s: %s", version, exc)
            raise

    def _load_folder(self, folder: Path, version: str) -> IndexVersion:
        if not folder.is_dir():
            raise UnknownVersionError(f"no version {version!r} in {self.root}")
        man = Manifest.read(folder)
        verify_files(folder, man)
        try:
            documents, hashes = read_documents(folder / DOCS)
            vectors = np.load(folder / VECTORS, allow_pickle=False)
            dense = faiss.read_index(str(folder / DENSE))
            try:
                lexical = LexicalIndex.load(folder / LEXICAL)
            except StaleTokenizerError as exc:  # an older tokeniser: rebuilt from the stored text
                log.warning("%s; rebuilding it in memory for now", exc)
                lexical = LexicalIndex.build([lexical_text(d, p) for d in documents for p in d.passages])
        except Exception as exc:  # any unreadable part makes the whole version unusable
            raise CorruptVersionError(f"version {version}: unreadable ({exc})") from exc
        rows = [(di, pi) for di, doc in enumerate(documents) for pi in range(len(doc.passages))]
        n = len(rows)
        if not (len(hashes) == vectors.shape[0] == dense.ntotal == lexical.size == man.rows == n):
            raise CorruptVersionError(f"version {version}: row counts disagree")
        if n and vectors.shape[1] != man.dim:
            raise CorruptVersionError(f"version {version}: vector size {vectors.shape[1]} != {man.dim}")
        return IndexVersion(version=version, path=folder, model_id=man.model_id, documents=documents,
                            rows=rows, vectors=vectors, dense=dense, lexical=lexical, created=man.created,
                            hashes=hashes, extra=self._load_extra(folder, man, n))

    @staticmethod
    def _load_extra(folder: Path, man: Manifest, rows: int) -> dict[str, DenseField]:
        """The companion vectors the manifest lists; a version written before companions has none."""
        out: dict[str, DenseField] = {}
        for name, info in man.extra.items():
            try:
                vectors = np.load(folder / str(info["file"]), allow_pickle=False)
                model_id, dim = str(info["model_id"]), int(info["dim"])
            except Exception as exc:
                raise CorruptVersionError(
                    f"version {man.version}: {name} vectors unreadable ({exc})") from exc
            if vectors.ndim != 2 or vectors.shape[0] != rows or (rows and vectors.shape[1] != dim):
                raise CorruptVersionError(f"version {man.version}: {name} vectors do not match the rows")
            out[name] = DenseField(model_id=model_id, vectors=vectors)
        return out

    def lexical_is_current(self, version: str) -> bool:
        """Whether `version`'s lexical index was built by this tokeniser (else load rebuilds it)."""
        folder = self.versions_dir / version / LEXICAL
        empty = (folder / "size.txt").is_file() and (folder / "size.txt").read_text().strip() == "0"
        return not folder.is_dir() or empty or LexicalIndex.tokenizer_of(folder) == TOKENIZER

    def load_current(self, model_id: str | None = None) -> IndexVersion:
        cur = self._require_current()
        if model_id is not None:
            man = self.manifest(cur)
            if man.model_id != model_id:
                raise ModelMismatchError(man.model_id, model_id)
        return self.load(cur)

    def documents(self) -> list[Document]:
        """Documents of the current version, without loading vectors or indexes."""
        cur = self._require_current()
        folder = self.versions_dir / cur
        verify_files(folder, self.manifest(cur), names=[DOCS])
        return read_documents(folder / DOCS)[0]

    def versions(self) -> list[VersionInfo]:
        cur = self.current_id()
        out = []
        for name in self._published():
            try:
                man = Manifest.read(self.versions_dir / name)
            except CorruptVersionError:
                out.append(VersionInfo(name, "?", 0, 0, "? (manifest unreadable)", name == cur))
                continue
            out.append(VersionInfo(name, man.created, man.documents, man.passages, man.model_id, name == cur))
        return out

    def _published(self) -> list[str]:
        if not self.versions_dir.is_dir():
            return []
        cur = self.current_id()
        names = [p.name for p in self.versions_dir.iterdir()
                 if p.is_dir() and ((p / PUBLISHED).exists() or p.name == cur)]
        return sorted(names, key=_version_number)

    def _reuse_tables(self, model_id: str, companions: dict[str, str]
                      ) -> tuple[dict[str, np.ndarray], dict[str, tuple[str, dict[str, np.ndarray]]]]:
        """The current version's reuse tables: the primary's (content hash -> vector) when `model_id`
        embedded it, and per companion name in `companions` (name -> model id) the same for its vectors,
        each judged by its own model id."""
        cur = self.current_id()
        if cur is None:
            return {}, {}
        folder = self.versions_dir / cur
        try:
            man = Manifest.read(folder)
            wanted = [VECTORS] if man.model_id == model_id else []
            extras = {name: info for name, info in man.extra.items()
                      if companions.get(name) == info.get("model_id")}
            wanted += [str(info["file"]) for info in extras.values()]
            if not wanted:
                return {}, {}
            verify_files(folder, man, names=[DOCS, *wanted])
            _docs, hashes = read_documents(folder / DOCS)
            tables = {f: np.load(folder / f, allow_pickle=False) for f in wanted}
        except (StoreError, OSError, ValueError, KeyError) as exc:
            log.warning("not reusing embeddings of version %s: %s", cur, exc)
            return {}, {}

        def table(name: str) -> dict[str, np.ndarray]:
            vectors = tables[name]
            return {h: vectors[i] for i, h in enumerate(hashes)} if len(hashes) == len(vectors) else {}

        primary = table(VECTORS) if VECTORS in tables else {}
        return primary, {name: (str(info["model_id"]), table(str(info["file"])))
                         for name, info in extras.items()}

    # ---- the single writer -----------------------------------------------------------------------

    @contextmanager
    def writing(self, command: str, user: str | None = None, wait: float = 0.0) -> Iterator[None]:
        """Hold the writer lock (re-entrant per store object); clean a crashed writer's leftovers."""
        if self._lock.held:
            yield
            return
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock.acquire(command, user, wait)
        try:
            if self._lock.stale_holder:
                log.warning("previous writer %s died holding the lock; cleaning up",
                            describe_holder(self._lock.stale_holder))
            self.cleanup()
            yield
        finally:
            self._lock.release()

    def lock_holder(self) -> dict[str, Any]:
        return self._lock.holder()

    def cleanup(self) -> list[str]:
        """Remove what a killed writer left: build folders, temp files, versions never made current."""
        removed: list[str] = []
        if self.tmp_dir.is_dir():
            for p in self.tmp_dir.iterdir():
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
                removed.append(f"tmp/{p.name}")
        for p in self.root.glob(".*.tmp-*") if self.root.is_dir() else []:
            p.unlink(missing_ok=True)
            removed.append(p.name)
        cur = self.current_id()
        if self.versions_dir.is_dir():
            for p in self.versions_dir.iterdir():
                if not p.is_dir():
                    continue
                if p.name == cur:
                    (p / PUBLISHED).touch()  # killed between switching CURRENT and marking
                elif not (p / PUBLISHED).exists():
                    self._discard(p)
                    removed.append(f"versions/{p.name}")
        if removed:
            log.info("cleaned leftovers of an interrupted writer: %s", ", ".join(removed))
        return removed

    def _discard(self, folder: Path) -> None:
        """Move out of versions/ first, so a half-deleted version is never visible."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        trash = self.tmp_dir / f"trash-{folder.name}-{uuid.uuid4().hex[:8]}"
        os.replace(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def log_event(self, event: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        record = {"time": _now(), "pid": os.getpid(), "user": _user(), **event}
        append_durable(self.log_file, json.dumps(record, ensure_ascii=False, default=str))

    def read_log(self) -> list[dict[str, Any]]:
        if not self.log_file.is_file():
            return []
        out = []
        for line in self.log_file.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue  # a line cut by a crash
        return out

    # ---- publishing ------------------------------------------------------------------------------

    def _next_id(self) -> str:
        names = [p.name for p in self.versions_dir.iterdir()] if self.versions_dir.is_dir() else []
        numbers = [_version_number(n) for n in names]
        numbers += [_version_number(v) for v in self._history()]
        return f"v{max(numbers, default=0) + 1:04d}"

    def publish(self, documents: list[Document], embedder: Embedder, progress: Progress | None = None) -> str:
        return self.publish_version(documents, embedder, progress).version

    def publish_version(self, documents: list[Document], embedder: Embedder,
                        progress: Progress | None = None) -> IndexVersion:
        """Build, write, verify and switch to a new version; returns it as reloaded from disk."""
        with self.writing("publish"):
            companions = {name: e.model_id for name, e in companions_of(embedder).items()}
            reuse, extra_reuse = self._reuse_tables(embedder.model_id, companions)
            built = build_version(documents, embedder, reuse=reuse, progress=progress,
                                  extra_reuse=extra_reuse)
            version = self._next_id()
            if progress:
                progress("writing", 0, 0)
            self.tmp_dir.mkdir(parents=True, exist_ok=True)
            folder = self.tmp_dir / f"build-{version}-{uuid.uuid4().hex[:8]}"
            created = _now()
            self._write(folder, built, version, created)
            loaded = self._load_folder(folder, version)  # verify what is on disk before anyone sees it
            if (loaded.model_id != built.model_id or len(loaded.rows) != len(built.rows)
                    or set(loaded.extra) != set(built.extra)):
                raise CorruptVersionError(f"version {version}: verification after writing failed")
            self.versions_dir.mkdir(parents=True, exist_ok=True)
            final = self.versions_dir / version
            os.replace(folder, final)
            fsync_dir(self.versions_dir)
            fsync_dir(self.tmp_dir)
            if progress:
                progress("publishing", 0, 0)
            pause_point("publishing")
            self._switch(version, push=True)
            loaded.path = final
            loaded.embedded, loaded.reused = built.embedded, built.reused
            for name, f in built.extra.items():
                loaded.extra[name].embedded, loaded.extra[name].reused = f.embedded, f.reused
            self.gc()
            return loaded

    def _write(self, folder: Path, built: IndexVersion, version: str, created: str) -> None:
        folder.mkdir(parents=True)
        write_documents(folder / DOCS, built.documents, built.hashes)
        np.save(folder / VECTORS, built.vectors, allow_pickle=False)
        for name, f in built.extra.items():
            np.save(folder / extra_file(name), np.ascontiguousarray(f.vectors, dtype=np.float32),
                    allow_pickle=False)
        pause_point("writing")
        faiss.write_index(built.dense, str(folder / DENSE))
        if built.lexical.size:
            built.lexical.save(folder / LEXICAL)
        else:  # bm25s cannot save an empty index; LexicalIndex.load reads size 0 without it
            (folder / LEXICAL).mkdir()
            (folder / LEXICAL / "size.txt").write_text("0")
        docs = built.documents
        man = Manifest(
            version=version, created=created, model_id=built.model_id, dim=built.dim,
            documents=len(docs), passages=sum(len(d.passages) for d in docs), rows=len(built.rows),
            document_list=[{"source": d.source, "symbol": d.symbol, "language": d.language,
                            "family": d.family, "title": d.title, "sha256": d.sha256,
                            "passages": len(d.passages)} for d in docs],
            files=file_table(folder), embedded=built.embedded, reused=built.reused,
            extra={name: {"model_id": f.model_id, "dim": f.dim, "file": extra_file(name),
                          "embedded": f.embedded, "reused": f.reused} for name, f in built.extra.items()},
        )
        (folder / MANIFEST).write_text(man.to_json(), encoding="utf-8")
        fsync_tree(folder)

    def _history(self) -> list[str]:
        try:
            data = json.loads(self.history_file.read_text(encoding="utf-8"))
            return [str(v) for v in data] if isinstance(data, list) else []
        except (OSError, ValueError):
            return []

    def _switch(self, version: str, push: bool) -> None:
        """Point CURRENT at `version` (atomically), then record it in HISTORY and mark it published."""
        history = self._history()
        cur = self.current_id()
        if cur and (not history or history[-1] != cur):
            history.append(cur)
        write_atomic(self.current_file, (version + "\n").encode("utf-8"))
        if push:
            history.append(version)
        else:  # rollback to an earlier entry: pop back to it
            while history and history[-1] != version:
                history.pop()
            if not history:
                history.append(version)
        write_atomic(self.history_file, json.dumps(history).encode("utf-8"))
        (self.versions_dir / version / PUBLISHED).touch()

    # ---- rollback and garbage collection -----------------------------------------------------------

    def rollback_target(self) -> str | None:
        """The version that was current before the current one (and still exists)."""
        cur = self.current_id()
        history = self._history()
        while history and history[-1] == cur:
            history.pop()
        for name in reversed(history):
            if name != cur and (self.versions_dir / name).is_dir():
                return name
        # No usable history: fall back to the newest older version.
        older = [v for v in self._published() if cur and _version_number(v) < _version_number(cur)]
        return older[-1] if older else None

    def rollback(self, version: str | None = None) -> str:
        with self.writing("rollback"):
            cur = self._require_current()
            target = version or self.rollback_target()
            if target is None:
                raise StoreError(f"no earlier version to roll back to (current is {cur})")
            if not (self.versions_dir / target).is_dir() or target not in self._published():
                raise UnknownVersionError(
                    f"no version {target!r}; known: {', '.join(self._published()) or 'none'}")
            if target == cur:
                return cur
            self.load(target)  # refuse a corrupt version before switching to it
            in_history = target in self._history()
            self._switch(target, push=version is not None and not in_history)
            return target

    def gc(self) -> list[str]:
        """Delete versions beyond `keep_versions` (never the current one or the rollback target)."""
        with self.writing("gc"):
            published = self._published()
            keep = set(published[-self.keep_versions:])
            cur = self.current_id()
            if cur:
                keep.add(cur)
            target = self.rollback_target()
            if target:
                keep.add(target)
            removed = []
            for name in published:
                if name not in keep:
                    self._discard(self.versions_dir / name)
                    removed.append(name)
            if removed:
                history = [v for v in self._history() if v not in removed]
                write_atomic(self.history_file, json.dumps(history).encode("utf-8"))
            return removed
