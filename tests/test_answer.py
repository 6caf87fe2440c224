"""Extractive answers: sentence splitting, the answer sentence, confidence and "not found"."""

from __future__ import annotations

from conftest import CITATION_KEYS

from index.answering.confidence import SIGNALS, Calibrator
from index.answering.sentences import not_found_text, split_sentences
from index.retrieval.search import query_language


def test_english_sentences_keep_numbers_and_abbreviations() -> None:
    text = (
        "Total revenue amounted to USD 203.8 million. Of that amount, USD 12.6 million came from the "
        "regular budget, e.g. for posts. The rest (96.9 per cent) was earmarked; it grew."
    )
    assert split_sentences(text) == [
        "Total revenue amounted to USD 203.8 million.",
        "Of that amount, USD 12.6 million came from the regular budget, e.g. for posts.",
        "The rest (96.9 per cent) was earmarked; it grew.",
    ]


def test_chinese_sentences_split_on_full_width_marks() -> None:
    text = "报告提出了建议。这些建议包括：规划目标；强化作用！是否有效？是的"
    assert split_sentences(text) == [
        "报告提出了建议。",
        "这些建议包括：规划目标；",
        "强化作用！",
        "是否有效？",
        "是的",
    ]


def test_shipped_confidence_is_a_probability_with_a_line_inside_it() -> None:
    cal = Calibrator.shipped()
    assert cal.signals == SIGNALS and 0.0 < cal.decision_line < 1.0
    for value in (0.0, 0.5, 1.0):
        assert 0.0 <= cal.probability(dict.fromkeys(SIGNALS, value)) <= 1.0


def test_found_answer_is_the_sentence_that_answers(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    a = corpus_qa.ask("How many cities prepared recovery plans with UN-Habitat support?")
    assert a.found and corpus_qa.decision_line <= a.confidence <= 1.0
    assert "17 cities" in a.answer and len(a.answer) < 400
    zh = corpus_qa.ask("2020年年度报告在哪里刊载？")
    assert zh.found and "网站" in zh.answer and zh.answer.endswith("。")


def test_not_found_says_so_and_shows_closest_matches(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    for q in (
        "What is the capital of France?",
        "今天天气怎么样？",
        "How many satellites did the agency launch into orbit in 2020?",
    ):
        a = corpus_qa.ask(q)
        assert not a.found, (q, a.confidence)
        assert a.answer == not_found_text(query_language(q))  # in the question's language
        assert 0.0 <= a.confidence <= 1.0
        assert a.citations


def test_to_dict_shape(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    d = corpus_qa.ask("What does Part 4 of the report cover?", top_k=3).to_dict()
    assert set(d) == {"question", "answer", "found", "confidence", "citations"}
    assert len(d["citations"]) == 3
    for c in d["citations"]:
        assert CITATION_KEYS <= set(c)
