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


@pytest.fixture(scope="session")
def corpus_manifest() -> dict:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repo")
    return json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))
