"""The demo question set (`tests/data/demo_questions.jsonl`: 16 answerable and 4 near-miss questions on
the shipped example paper, written from its text and never fitted on) is right: well formed, every gold
paragraph is a passage of the parsed English paper, and every `expect` string is printed in it. It is
the one labelled set on documents the fit never saw, indexed alone (40 passages, not 2,550)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from question_checks import assert_well_formed

from index.answering.qa import make_citation
from index.measure.evaluate import load_questions
from ingest.models import Document

QUESTIONS = Path(__file__).parent / "data" / "demo_questions.jsonl"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def questions() -> list[dict[str, Any]]:
    return load_questions(QUESTIONS)


@pytest.fixture(scope="module")
def english_paper() -> Document:
    from boardqa.config import IngestConfig
    from ingest.parse import parse_file

    return parse_file(EXAMPLES / "water-sanitation-pilot.en.pdf", IngestConfig())


def test_ids_and_fields(questions: list[dict[str, Any]]) -> None:
    assert_well_formed(questions, "dq", "water-sanitation-pilot")


def test_every_gold_passage_prints_what_is_expected(questions: list[dict[str, Any]],
                                                    english_paper: Document) -> None:
    texts: dict[str, str] = {}
    for p in english_paper.passages:
        c = make_citation(english_paper, p)
        if c.paragraph:
            texts[c.paragraph] = " ".join(p.text.split())
    for q in [q for q in questions if q["doc"]]:
        held = [texts[para] for para in q["paras"] if para in texts]
        assert held, (q["id"], q["paras"])
        for want in q["expect"]:
            assert any(want in t for t in held), (q["id"], want)
