"""Paragraph references as users write them, resolved by QAService.cite and ask over real UN papers.

The papers are parsed for real (the session's `real_documents`) and indexed with real e5 vectors; a few
of them share paragraph numbers (10, 31, 50 …), so a reference must name its document to be answered."""

from __future__ import annotations

import pytest

# The papers these references address (several share paragraph numbers: 10, 12, 31, 50 …).
PAPERS = [
    "board/a-81-6-sect15.en.pdf", "board/a-res-79-1.en.pdf", "board/a-res-79-214.en.pdf",
    "board/dp-2025-23.en.pdf", "board/unw-2025-1.en.pdf", "board/dp-2025-l2.en.pdf",
    "board/dp-fpa-2025-6.en.pdf",
]


@pytest.fixture(scope="module")
def real_qa(real_documents: dict, qa_embedder):  # type: ignore[no-untyped-def]
    from boardqa.config import Config
    from index.answering.qa import QAService
    from index.version import build_version

    version = build_version([real_documents[p] for p in PAPERS], qa_embedder)
    return QAService(lambda: version, qa_embedder, Config())


@pytest.mark.parametrize(
    ("ref", "source", "paragraph", "starts"),
    [
        ("para 15.12", "a-81-6-sect15.en.pdf", "15.12", "Across regions, subprogramme implementation"),
        ("第15.12段", "a-81-6-sect15.en.pdf", "15.12", "Across regions"),
        ("15.21", "a-81-6-sect15.en.pdf", "15.21", "With regard to the external factors"),
        ("人居署2027年拟议方案预算第15.21段", "a-81-6-sect15.en.pdf", "15.21", "With regard to the external"),
        ("annex I para 12", "a-res-79-1.en.pdf", "12", ""),
        ("A/RES/79/1 annex II, paragraph 3", "a-res-79-1.en.pdf", "3", ""),
        ("91(a)(i)", "dp-fpa-2025-6.en.pdf", "91(a)(i)", "In one case, the IPRC observed"),
        ("item 4", "dp-2025-l2.en.pdf", "item 4", "Ethics"),
        ("operative paragraph 10 of A/RES/79/214", "a-res-79-214.en.pdf", "10", ""),
        ("DP/2025/23 第50段", "dp-2025-23.en.pdf", "50", ""),
        ("UNW/2025/1 第31段", "unw-2025-1.en.pdf", "31", ""),
        ("paragraph 3 of decision 2025/4", "unw-2025-1.en.pdf", "3", "Underlines that risk management"),
        ("第2025/4号决定第12段", "unw-2025-1.en.pdf", "12", "Invites the United Nations Office"),
    ],
)
def test_cite_resolves_the_reference(real_qa, ref: str, source: str, paragraph: str,  # type: ignore[no-untyped-def]
                                     starts: str) -> None:
    result = real_qa.cite(ref)
    assert result.citation is not None, result.to_dict()
    c = result.citation
    assert (c.source, c.paragraph) == (source, paragraph)
    assert c.text.startswith(starts)


def test_annex_paragraph_is_not_the_main_text_one(real_qa, real_documents: dict) -> None:  # type: ignore[no-untyped-def]
    doc = real_documents["board/a-res-79-1.en.pdf"]
    annexed = real_qa.cite("A/RES/79/1 annex II, paragraph 3").citation
    main = real_qa.cite("A/RES/79/1 paragraph 3").citation
    assert annexed.text == doc.passage("annex II/3").text
    assert main.text == doc.passage("3").text != annexed.text
    # cited as printed: paragraph 3, of annex II (the scorer's and the reader's "paragraph 3")
    assert (annexed.paragraph, annexed.part) == ("3", "annex II") and (main.paragraph, main.part) == ("3", "")


def test_nested_subitem_sits_inside_its_parents(real_qa) -> None:  # type: ignore[no-untyped-def]
    inner = real_qa.cite("91(a)(i)").citation.text
    assert inner in real_qa.cite("91(a)").citation.text
    assert inner in real_qa.cite("DP/FPA/2025/6 para 91").citation.text


def test_named_document_without_the_paragraph_is_not_answered_from_another(real_qa) -> None:  # type: ignore[no-untyped-def]
    result = real_qa.cite("operative paragraph 40 of A/RES/79/214")  # it has 32 paragraphs
    assert result.citation is None and not result.candidates
    assert "A/RES/79/214" in (result.error or "")


@pytest.mark.parametrize(
    ("question", "source", "paragraph"),
    [
        ("What does operative paragraph 10 of A/RES/79/214 say?", "a-res-79-214.en.pdf", "10"),
        ("DP/2025/23 第50段说了什么？", "dp-2025-23.en.pdf", "50"),
        ("人居署2027年拟议方案预算第15.21段", "a-81-6-sect15.en.pdf", "15.21"),
        ("What is under item 4?", "dp-2025-l2.en.pdf", "item 4"),
    ],
)
def test_ask_answers_the_reference_first(real_qa, question: str, source: str, paragraph: str) -> None:  # type: ignore[no-untyped-def]
    a = real_qa.ask(question)
    assert a.found
    assert (a.citations[0].source, a.citations[0].paragraph) == (source, paragraph)


def test_a_decision_paragraph_is_addressed_within_its_decision(real_qa, real_documents: dict) -> None:  # type: ignore[no-untyped-def]
    """A session report annexes its decisions, each numbered from 1: "paragraph 3 of decision 2025/4" is
    that decision's paragraph, not the report's paragraph 3."""
    doc = real_documents["board/unw-2025-1.en.pdf"]
    c = real_qa.cite("paragraph 3 of decision 2025/4").citation
    assert (c.paragraph, c.part) == ("3", "decision 2025/4")
    assert c.text == doc.passage("decision 2025/4/3").text != doc.passage("3").text
    missing = real_qa.ask("paragraph 30 of decision 2025/4")
    assert not missing.found and "30 of decision 2025/4" in missing.answer


def test_a_decision_no_paper_holds_is_a_question_not_a_missing_paragraph(real_qa) -> None:  # type: ignore[no-untyped-def]
    """Papers cite decisions they do not contain ("in line with decision 2022/13"): asked about one, the
    question is searched as it stands, not refused for a paragraph no paper can hold."""
    a = real_qa.ask("What did UNFPA do under paragraph 3 of decision 2022/13 on its internal audit?")
    assert "No paragraph" not in a.answer and a.citations
