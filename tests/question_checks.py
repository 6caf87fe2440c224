"""Checks shared by the tests of our own question files (the fresh real-corpus set, the demo set)."""

from __future__ import annotations

from typing import Any

TYPES = {"fact", "funding", "outcome", "recommendation", "fuzzy", "paragraph", "unanswerable"}


def assert_well_formed(questions: list[dict[str, Any]], prefix: str, doc: str | None = None) -> None:
    """Ids `prefix`01, 02, … in order; every question has a language, a kind and a text; an unanswerable
    one has no gold, every other one a gold document (`doc` when given), paragraphs and `expect`."""
    assert [q["id"] for q in questions] == [f"{prefix}{i:02d}" for i in range(1, len(questions) + 1)]
    for q in questions:
        assert q["lang"] in {"en", "zh"} and q["type"] in TYPES and q["q"].strip(), q["id"]
        if q["type"] == "unanswerable":
            assert q["doc"] is None and not q["paras"] and not q.get("expect"), q["id"]
        else:
            assert isinstance(q["doc"], str) and q["paras"] and q["expect"], q["id"]
            assert doc is None or q["doc"] == doc, q["id"]
