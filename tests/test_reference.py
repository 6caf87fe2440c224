"""Paragraph references: the many ways people write them, and resolving them against the corpus."""

from __future__ import annotations

import pytest

from index.answering.qa import DocumentNotFoundError
from index.retrieval.docref import NAME_MIN, DocumentRefError, resolve_document, resolve_documents
from index.retrieval.reference import name_score, parse_reference


@pytest.mark.parametrize(
    ("text", "paragraph", "rest"),
    [
        ("para 12", "12", ""),
        ("What does paragraph 10 say?", "10", ""),
        ("14(b)", "14(b)", ""),
        ("14 (c)", "14(c)", ""),
        ("paragraph 14(c) of the covid update", "14(c)", "covid update"),
        ("subparagraph (c) of paragraph 14", "14(c)", ""),
        ("¶ 7", "7", ""),
        ("paras. 3", "3", ""),
        ("第12段", "12", ""),
        ("第 14 (c) 段", "14(c)", ""),
        ("第14段(b)说了什么？", "14(b)", ""),
        ("第十二段", "12", ""),
        ("新冠应对更新第4段", "4", "新冠应对更新"),
        ("HSP/EB.2021/TEST/2 para 20", "20", "HSP/EB.2021/TEST/2"),
        ("paragraph 10 of the 2020 annual report summary", "10", "2020 annual report summary"),
        (
            "para. 5 of funding-and-resource-mobilization.en.pdf",
            "5",
            "funding-and-resource-mobilization.en.pdf",
        ),
        ("paragraph 3 of decision 2025/4", "decision 2025/4/3", ""),
        ("UNW/2025/1 decision 2025/4, paragraph 12", "decision 2025/4/12", "UNW/2025/1"),
        ("operative paragraph 2 of Executive Board decision 2024/30", "decision 2024/30/2", ""),
        ("第2025/4号决定第3段", "decision 2025/4/3", ""),
        # a decision named elsewhere in the question is a topic, not the paragraph's part
        ("In paragraph 10, what does the report say of decision 2024/24?", "10", "report decision 2024/24"),
        ("annex II para 3", "annex II/3", ""),
    ],
)
def test_reference_forms(text: str, paragraph: str, rest: str) -> None:
    ref = parse_reference(text)
    assert ref is not None
    assert ref.paragraph == paragraph
    assert ref.rest == rest
    assert ref.bare == (rest == "")


@pytest.mark.parametrize(
    "text",
    [
        "How many of the 12 outcome areas were underfunded?",
        "In paragraph 3 of its resolution 1/1, what did the Assembly request?",
        "Item 6 (a) of the provisional agenda",
        "What did decision 2021/1 (a) decide?",
        "USD 5.9 million in 2020",
    ],
)
def test_not_references(text: str) -> None:
    assert parse_reference(text) is None


def test_name_score_symbol_file_and_misspelt_title(corpus_documents) -> None:  # type: ignore[no-untyped-def]
    by_stem = {(d.stem, d.language): d for d in corpus_documents}
    funding = by_stem[("funding-and-resource-mobilization", "en")]
    seed = by_stem[("annual-report-2020-summary", "en")]
    assert name_score("HSP/EB.2021/TEST/1", funding) == 1.0
    assert name_score("funding-and-resource-mobilization.en.pdf", funding) == 1.0
    # against the resolver's own bar, and by a margin over the other paper
    misspelt = "resorce mobilisation strategy"
    assert name_score(misspelt, funding) >= NAME_MIN > name_score(misspelt, seed)
    assert name_score(misspelt, funding) - name_score(misspelt, seed) > 0.3
    assert name_score("the 2020 annual report summary", seed) > name_score(
        "the 2020 annual report summary", by_stem[("annual-report-2020", "en")]
    )


def _cite(qa, ref: str):  # type: ignore[no-untyped-def]
    result = qa.cite(ref)
    assert result.citation is not None, result.to_dict()
    return result.citation


def test_cite_by_symbol_file_and_title(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    c = _cite(corpus_qa, "HSP/EB.2021/TEST/2 para 20")
    assert (c.source, c.paragraph) == ("executive-board-2021-first-session-report.en.pdf", "20")
    c = _cite(corpus_qa, "paragraph 10 of the 2020 annual report summary")
    assert (c.source, c.paragraph) == ("annual-report-2020-summary.en.pdf", "10")
    c = _cite(corpus_qa, "covid19-response-update.zh.pdf para 4")
    assert (c.source, c.paragraph) == ("covid19-response-update.zh.pdf", "4")
    assert c.parallels == {"en": "covid19-response-update.en.pdf"}
    c = _cite(corpus_qa, "para 14(c) of the resorce mobilisation strategy")
    assert (c.source, c.paragraph) == ("funding-and-resource-mobilization.en.pdf", "14(c)")
    assert "partnership" in c.text or "earmarked" in c.text


def test_cite_chinese_title_words_pick_the_document(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    c = _cite(corpus_qa, "新冠应对更新第4段")
    assert (c.source, c.paragraph) == ("covid19-response-update.zh.pdf", "4")
    assert "32.5%" in c.text


def test_cite_footnotes_and_subitem(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    c = _cite(corpus_qa, "HSP/EB.2021/TEST/2 para 3")
    assert c.footnotes and c.footnotes[0]["mark"] == "1"
    c = _cite(corpus_qa, "HSP/EB.2021/TEST/2 3(b)")
    assert c.paragraph == "3(b)" and "5.9 million" in c.text


def test_ambiguous_reference_lists_candidates(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    result = corpus_qa.cite("第5段")
    assert result.citation is None and result.error
    sources = [c.source for c in result.candidates]
    assert len(sources) >= 6
    families = [c.family for c in result.candidates]
    assert len(families) == len(set(families))  # one candidate per document, not per language
    assert sources[0].endswith(".zh.pdf")  # a Chinese reference prefers Chinese versions


def test_unknown_paragraph_and_non_reference(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    result = corpus_qa.cite("para 99")
    assert result.citation is None and not result.candidates
    assert "99" in (result.error or "")
    assert corpus_qa.cite("the budget").error


def test_ask_with_a_reference_answers_at_rank_1(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    a = corpus_qa.ask("para 12")
    assert a.found and a.citations[0].paragraph == "12"
    assert a.citations[0].source == "annual-report-2020-summary.en.pdf"  # the most recent paper
    a = corpus_qa.ask("第12段")
    assert a.citations[0].source == "annual-report-2020-summary.zh.pdf"
    a = corpus_qa.ask("What does paragraph 12 say about the quick impact projects?")
    assert a.citations[0].source.startswith("covid19-response-update.en")  # the rest of the question decides
    a = corpus_qa.ask("para 99")
    assert not a.found and "99" in a.answer


def test_one_document_resolver_for_files_symbols_families_and_titles(corpus_documents: list) -> None:
    docs = corpus_documents
    sources = lambda ref: sorted(docs[i].source for i in resolve_documents(docs, ref))  # noqa: E731
    both = ["covid19-response-update.en.pdf", "covid19-response-update.zh.pdf"]
    assert sources("HSP/EB.2021/TEST/4") == both  # a symbol names every language version
    assert sources("covid19-response-update") == both
    assert sources("covid19-response-update.zh.pdf") == both[1:]
    assert sources("resource mobilisation strategy") == ["funding-and-resource-mobilization.en.pdf"]
    assert resolve_document(docs, "funding-and-resource-mobilization.en.pdf").symbol == "HSP/EB.2021/TEST/1"
    with pytest.raises(DocumentRefError) as several:
        resolve_document(docs, "HSP/EB.2021/TEST/4")  # one file is wanted: the two are the candidates
    assert several.value.candidates == both
    for unknown in ("HSP/EB.2021/TEST/9", "minutes of the tea committee", "nothing.pdf"):
        with pytest.raises(DocumentNotFoundError, match="no indexed document matches"):
            resolve_documents(docs, unknown)
