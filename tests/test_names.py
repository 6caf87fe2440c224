"""Names a question gives that its first hit lacks (index.answering.names): read from CC-CEDICT's proper
nouns, in English and Chinese questions, and checked on the demo paper indexed for real."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from index.answering.confidence import SIGNALS, names_missing, signals
from index.answering.names import chinese_name, english_names, missing_names, question_names, rarity


def test_places_are_names_in_both_languages() -> None:
    assert question_names("Of the $26.72 million, how much was spent in the Africa region?") == [("Africa",)]
    assert question_names("how many go to Nairobi and how many to Bonn?") == [("Nairobi",), ("Bonn",)]
    assert question_names("What did UNDP do in Burkina Faso?") == [("Burkina Faso",)]
    assert question_names("涉及也门国家办事处的有几起？") == [("也门", "Yemen")]
    assert ("阿拉伯", "Arabian", "Arabic") == question_names("阿拉伯国家区域的支出")[0][:3]


def test_common_words_dates_and_descriptions_are_no_names() -> None:
    assert question_names("How much did the Executive Board approve for the Global Fund?") == []
    assert question_names("How many agreements were signed since August, and on which Friday?") == []
    assert question_names("下周五的会议") == []
    assert chinese_name("资源") == ()  # one of its entries is "Ziyuan county"; the word is common
    assert chinese_name("资中") == ()  # "Zizhong county in Neijiang, Sichuan": no name leads the sense
    assert "kenya" in english_names() and "board" not in english_names()


def test_a_name_is_given_inflected_or_in_the_other_language() -> None:
    assert missing_names("How much in the Africa region?", ["The African region received $12 million."]) == []
    assert missing_names("阿拉伯国家区域的支出是多少？", ["expenditure in the Arab States region"]) == []
    assert missing_names("也门有几起？", ["三起涉及也门国家办事处"]) == []
    assert missing_names("What did the Italian government say?", ["Italy accepted the recommendation."]) == []
    assert missing_names("How much in the Africa region?", ["The Asia region received $12 million."]) == [
        ("Africa",)]
    assert missing_names("How much went to Mali?", ["a malignant growth"]) == [("Mali",)]
    assert missing_names("What was said in Geneva?", ["the General Assembly"]) == [("Geneva",)]


def test_a_name_narrows_as_much_as_it_is_rare() -> None:
    rows = {"unit": 90, "nation": 95, "kenya": 2}
    common = rarity(("United Nations",), lambda w: rows.get(w, 0), 100)
    rare = rarity(("Kenya",), lambda w: rows.get(w, 0), 100)
    unseen = rarity(("Yemen", "也门"), lambda w: rows.get(w, 0), 100)
    assert 0.0 <= common < rare < unseen == 1.0


@pytest.fixture(scope="module")
def demo_qa(qa_embedder):  # type: ignore[no-untyped-def]
    """The demo papers (English and Chinese versions of one paper), indexed for real."""
    from boardqa.config import Config, IngestConfig
    from index.answering.qa import QAService
    from index.version import build_version
    from ingest.parse import parse_file

    docs = [parse_file(p, IngestConfig()) for p in sorted(EXAMPLES.glob("*.pdf"))]
    version = build_version(docs, qa_embedder)
    return QAService(lambda: version, qa_embedder, Config())


@pytest.mark.parametrize(("question", "missing"), [
    ("How many communities did the pilot cover?", []),
    ("How many communities did the pilot cover in Kenya?", ["Kenya"]),
    ("试点项目在肯尼亚覆盖了多少个社区？", ["肯尼亚"]),
])
def test_the_confidence_reads_a_breakdown_the_paper_does_not_make(demo_qa, question: str,  # type: ignore[no-untyped-def]
                                                                 missing: list[str]) -> None:
    """The demo paper gives the pilot's 24 communities and names no country: whichever paragraph a
    question about Kenya's share finds first, the confidence is told that it never names Kenya."""
    ri = demo_qa.ranking_inputs(question)
    si = ri.index
    hits = si.rank(ri.candidates, 5, si.language_code(ri.language), ri.mask & si.citable)
    assert hits
    assert names_missing(question, hits, si) == missing
    values = signals(question, hits, si, ri.candidates.unseen, ri.language)
    assert set(values) == set(SIGNALS) and (values["name_missing"] > 0.0) == bool(missing)
