"""Hybrid search on real indexes: cross-lingual retrieval, language versions, dedupe, filters."""

from __future__ import annotations

import pytest

from boardqa.config import Config
from index.answering.qa import DocumentNotFoundError, QAService
from index.retrieval.ranker import RankParams
from index.retrieval.search import SearchIndex, query_language, year_mask
from index.version import build_version


def test_query_language() -> None:
    assert query_language("How many outcome areas?") == "en"
    assert query_language("第12段") == "zh"
    assert query_language("2020 年人居署在多少个国家有项目？") == "zh"
    assert query_language("COVID-19 应对计划") == "zh"


@pytest.fixture(scope="module")
def zh_only_qa(corpus_documents, qa_embedder) -> QAService:  # type: ignore[no-untyped-def]
    """The COVID-19 update ingested only in Chinese, among English distractors."""
    docs = [
        d
        for d in corpus_documents
        if d.source
        in {
            "covid19-response-update.zh.pdf",
            "funding-and-resource-mobilization.en.pdf",
            "executive-board-2021-first-session-report.en.pdf",
        }
    ]
    version = build_version(docs, qa_embedder)
    return QAService(lambda: version, qa_embedder, Config())


def test_english_question_finds_a_paper_ingested_only_in_chinese(zh_only_qa: QAService) -> None:
    a = zh_only_qa.ask("How many cities mapped the vulnerability of informal settlements?")
    # The paragraph has no English version: the en -> zh bridge (index.retrieval.reverse_bridge) carries
    # the question's words into Chinese ones, beside the dense cosine.
    found = [(c.source, c.paragraph) for c in a.citations[:3]]
    assert ("covid19-response-update.zh.pdf", "9") in found
    assert all(0.0 <= c.score <= 1.0 for c in a.citations)  # scores are probabilities
    off = zh_only_qa.ask("What is the recipe for chocolate cake?")
    assert a.confidence > off.confidence  # the calibration itself, not a fixed line, says which is better


def test_question_language_version_is_cited_and_the_other_is_one_step_away(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    en = corpus_qa.ask("How many cities prepared recovery plans with UN-Habitat support?")
    assert (en.citations[0].source, en.citations[0].paragraph) == ("covid19-response-update.en.pdf", "12")
    assert en.citations[0].parallels == {"zh": "covid19-response-update.zh.pdf"}
    zh = corpus_qa.ask("有多少城市在人居署支持下编制了复苏计划？")
    assert (zh.citations[0].source, zh.citations[0].paragraph) == ("covid19-response-update.zh.pdf", "12")
    other = corpus_qa.parallel("covid19-response-update.zh.pdf", "12", "en")
    assert (
        other is not None and other.source == "covid19-response-update.en.pdf" and "17 cities" in other.text
    )
    assert corpus_qa.parallel("funding-and-resource-mobilization.en.pdf", "4", "zh") is None


def test_no_paragraph_twice_in_one_list(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    for q in (
        "What were the results of the quick impact projects?",
        "速效项目取得了哪些成果？",
        "What lessons did the COVID-19 response plan yield?",
    ):
        cites = corpus_qa.ask(q, top_k=10).citations
        keys = [(c.family, c.locator) for c in cites]
        assert len(keys) == len(set(keys)), keys  # never the same paragraph in two languages
        for c in cites:  # never a sub-item together with its whole paragraph
            if c.paragraph and "(" in c.paragraph:
                assert (c.family, c.paragraph.split("(")[0]) not in keys


def test_front_matter_and_report_cover_are_never_cited(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    for q in (
        "Executive Board second session provisional agenda item",
        "UN-Habitat Annual Report 2020 contents",
        "Distr.: General Original: English",
    ):
        for c in corpus_qa.ask(q, top_k=10).citations:
            assert c.paragraph is not None
            assert c.locator not in {"front"}
            assert not (c.kind == "report" and set(c.pages) & {1, 2})


def test_filters_by_document_language_and_year(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    q = "How much non-earmarked income was received in 2020?"
    a = corpus_qa.ask(q, doc="HSP/EB.2021/TEST/2", top_k=5)
    assert {c.source for c in a.citations} == {"executive-board-2021-first-session-report.en.pdf"}
    a = corpus_qa.ask(q, lang="zh", top_k=5)
    assert a.citations and all(c.language == "zh" for c in a.citations)
    a = corpus_qa.ask(q, doc="annual-report-2020-summary", lang="en")
    assert {c.source for c in a.citations} == {"annual-report-2020-summary.en.pdf"}
    a = corpus_qa.ask(q, year=2021, top_k=10)
    assert a.citations and all(c.kind == "board-document" for c in a.citations)  # the report has no date
    with pytest.raises(DocumentNotFoundError):
        corpus_qa.ask(q, doc="no such paper anywhere")


def test_misspelt_terms_are_corrected_against_the_index(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    a = corpus_qa.ask("urban investmnt facilty clearing house")
    assert (a.citations[0].source, a.citations[0].paragraph) == ("annual-report-2020-summary.en.pdf", "11")


def test_hybrid_beats_each_side_alone(corpus_version, qa_embedder) -> None:  # type: ignore[no-untyped-def]
    """The fusion is not decoration: on questions where one side alone fails, the hybrid is right."""
    from index.embed import embed_question

    si = SearchIndex(corpus_version)
    cases = {
        "What austerity measures has the Executive Director applied?": (
            "funding-and-resource-mobilization",
            "20",
        ),
        "报告的建议包括什么？": ("annual-report-2020-summary", "15"),
        "What total resources are proposed for 2022?": ("draft-work-programme-budget-2022", "13"),
    }
    wins = {"hybrid": 0, "dense": 0, "lexical": 0}
    for q, gold in cases.items():
        qv = embed_question(qa_embedder, q)
        use = corpus_version.extra_scores(qv).get("use")
        for name, w in (
            ("hybrid", RankParams.shipped()),
            ("dense", RankParams.dense_only()),
            ("lexical", RankParams.lexical_only()),
        ):
            hit = si.with_params(w).search(q, qv.primary, 1, companion=use)[0]
            doc, p = si.passage(hit.row)
            wins[name] += (doc.stem, (p.paragraph or "").split("(")[0]) == gold
    assert wins["hybrid"] == len(cases)
    assert wins["hybrid"] >= max(wins["dense"], wins["lexical"])


def test_parallel_lexicon_is_learnt_from_the_corpus(corpus_version) -> None:  # type: ignore[no-untyped-def]
    si = SearchIndex(corpus_version)
    assert len(si.lexicon) > 50
    assert "project" in si.lexicon.translate("有多少个项目？")  # English side: Snowball stems
    assert "data" in si.lexicon.translate("数据")
    assert "2020" in si.lexicon.translate("2020 年")
    from index.retrieval.bilingual import ParallelLexicon

    assert len(ParallelLexicon.learn([])) == 0  # no parallel documents: nothing is translated


def test_chinese_question_reaches_an_english_only_report_page(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    a = corpus_qa.ask("2020 年人居署在多少个国家有正在进行的项目？")
    top = a.citations[0]
    assert top.source == "annual-report-2020.en.pdf" and "86" in top.text


def test_time_frames_are_years_not_plan_periods_or_titles() -> None:
    assert year_mask("visits by the end of 2020") == year_mask("in 2020") == 1 << 30
    assert year_mask("as at 30 June 2021, since January 2020") == (1 << 31) | (1 << 30)
    assert year_mask("the strategic plan for 2020–2023") == year_mask("2020-2023 年期间战略计划") == 0
    assert year_mask("USD 1,300 and 203.8 million") == 0
