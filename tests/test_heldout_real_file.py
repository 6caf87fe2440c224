"""The held-out real-corpus question file is well formed: it loads with the evaluator's own reader, its
ids are unique, every question carries the fields its kind needs, and every gold document stem names a
file in ../shared/corpus/real. Cheap on purpose: no parsing, no retrieval (the file is a final check
that nobody fits on, so nothing here looks at what BoardQA answers)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from index.measure.evaluate import load_questions
from tests.conftest import CORPUS

QUESTIONS = Path(__file__).parent / "data" / "real_heldout_questions.jsonl"
REAL = CORPUS / "real"
LANGS = {"en", "zh"}
TYPES = {"fact", "funding", "outcome", "recommendation", "fuzzy", "paragraph", "unanswerable"}


@pytest.fixture(scope="module")
def questions() -> list[dict[str, Any]]:
    return load_questions(QUESTIONS)


def _golds(q: dict[str, Any]) -> list[dict[str, Any]]:
    return ([q] if q["doc"] is not None else []) + list(q.get("alt") or [])


def test_ids_unique_and_in_sequence(questions: list[dict[str, Any]]) -> None:
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids))
    assert ids == [f"rh{i:02d}" for i in range(1, len(ids) + 1)]


def test_fields_per_kind(questions: list[dict[str, Any]]) -> None:
    for q in questions:
        assert q["lang"] in LANGS, q["id"]
        assert q["type"] in TYPES, q["id"]
        assert q["q"].strip(), q["id"]
        assert all(isinstance(e, str) and e for e in q.get("expect", [])), q["id"]
        if q["type"] == "unanswerable":
            assert q["doc"] is None and not q.get("paras") and not q.get("pages"), q["id"]
            continue
        assert isinstance(q["doc"], str), q["id"]
        if "pages" in q:  # a document without numbered paragraphs: pages + a verbatim snippet
            assert q["pages"] and all(isinstance(p, int) and p >= 1 for p in q["pages"]), q["id"]
            assert isinstance(q.get("snippet"), str) and q["snippet"].strip(), q["id"]
        else:
            assert q["paras"] and all(isinstance(p, str) and p for p in q["paras"]), q["id"]
        assert q["expect"], q["id"]
        for a in q.get("alt") or []:
            assert isinstance(a.get("doc"), str), q["id"]


def test_composition(questions: list[dict[str, Any]]) -> None:
    """Roughly 40 % Chinese and 10 % unanswerable, as the dev set and the hidden set are built."""
    langs = Counter(q["lang"] for q in questions)
    types = Counter(q["type"] for q in questions)
    assert 0.3 <= langs["zh"] / len(questions) <= 0.5
    assert 0.05 <= types["unanswerable"] / len(questions) <= 0.15


def test_gold_documents_exist(questions: list[dict[str, Any]]) -> None:
    if not REAL.is_dir():
        pytest.skip("../shared/corpus/real is not beside the repo")
    stems = {p.name.split(".", 1)[0] for p in REAL.rglob("*") if p.is_file()}
    missing = {(q["id"], g["doc"]) for q in questions for g in _golds(q) if g["doc"] not in stems}
    assert not missing
