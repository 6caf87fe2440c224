"""The answer text on real UN paragraphs: whole sentences, the sentence that holds the fact asked, the
Chinese version beside the English, not-found in the question's language, no cut inside a word."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CORPUS, EVAL, EXAMPLES, REPO

from index.answering.sentences import (
    CUT,
    AnswerSource,
    Question,
    asked_kinds,
    clean,
    counted_thing,
    holds_asked,
    lines,
    no_paragraph_text,
    not_found_label,
    not_found_line,
    not_found_text,
    question_parts,
    resting_on,
    select,
    shorten,
    split_sentences,
    states_none_asked,
)
from index.measure.evaluate import load_questions
from index.retrieval.lexical import LexicalIndex, is_cjk
from index.retrieval.reference import parse_reference
from index.retrieval.search import query_language

REAL = CORPUS / "real"
DEV_QUESTIONS = EVAL / "dev_questions.jsonl"
REAL_PDFS = [
    "board/dp-2025-12.en.pdf",
    "board/dp-2025-14.en.pdf",
    "board/dp-fpa-2025-6.en.pdf",
    "board/unw-2025-2.en.pdf",
    "board/dp-2025-1.en.pdf",
    "board/a-res-79-1.en.pdf",
    "board/dp-2025-23.en.pdf",
]
OWN_QUESTIONS = REPO / "tests" / "data" / "answer_questions.jsonl"  # written on real paragraphs, not dev


@pytest.fixture(scope="session")
def real_documents() -> dict:
    """A few real board papers, parsed for real, by file stem."""
    if not REAL.is_dir():
        pytest.skip("../shared/corpus/real is not beside the repo")
    from boardqa.config import IngestConfig
    from ingest.parse import parse_file

    cfg = IngestConfig()
    return {Path(rel).name.split(".")[0]: parse_file(REAL / rel, cfg) for rel in REAL_PDFS}


@pytest.fixture(scope="session")
def real_lexical(real_documents: dict) -> LexicalIndex:
    return LexicalIndex.build([p.text for d in real_documents.values() for p in d.passages])


def paragraph(real_documents: dict, stem: str, para: str) -> str:
    return next(p.text for p in real_documents[stem].passages if p.paragraph == para)


def words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text))


# -- splitting ----------------------------------------------------------------------------------------

def test_real_paragraphs_split_into_whole_sentences(real_documents: dict) -> None:
    for doc in real_documents.values():
        for p in doc.passages:
            sents = split_sentences(p.text)
            joined = " ".join(sents)
            # nothing lost but footnote marks and spacing, nothing split inside a number or a word
            assert words(joined) == words(clean(p.text)), (doc.source, p.locator)
            line_starts = {line[:20] for line in lines(p.text)}
            for s in sents:  # a sentence opens with a capital, a digit or a bracket, or where a line does
                assert not re.match(r"^[a-z]", s) or s[:20] in line_starts, (p.locator, s)
                assert not re.match(r"^\d+(?:\.\d+)?\s*(?:million|billion|per cent)", s), (p.locator, s)
    sents = split_sentences(paragraph(real_documents, "dp-2025-14", "72"))
    money = [s for s in sents if "$14.03 million" in s]
    assert len(money) == 1 and money[0].endswith("$14.03 million.")
    assert "Strategic Plan, the Office" in money[0]  # the footnote mark after "Plan," is gone
    sents = split_sentences(paragraph(real_documents, "dp-2025-12", "64"))
    assert any("$6.8 in 2017, increasing to $7.4 in 2024." in s for s in sents)


def test_footnote_marks_and_paragraph_numbers_are_taken_out(real_documents: dict) -> None:
    text = paragraph(real_documents, "dp-fpa-2025-6", "86")
    assert "(see annex 4). Management" in text  # the parser finds the raised mark by its type
    # a mark left in the text as plain digits (a PDF that sets it on the baseline) is cleaned away
    sents = split_sentences(text.replace("(see annex 4). Management", "(see annex 4).20 Management"))
    assert sents[-1] == "Management is pursuing all avenues of loss recovery."
    assert any(s.endswith("(see annex 4).") for s in sents)
    assert split_sentences("It was approved in 2025. 44 With that adjustment, the date moved.") == [
        "It was approved in 2025.", "With that adjustment, the date moved."]
    assert split_sentences("The SDG 5.c.1 indicator rose.") == ["The SDG 5.c.1 indicator rose."]


def test_abbreviations_and_decimals_never_split() -> None:
    text = ("Contributions from the U.S. Government rose to $14.03 million, e.g. for No. 5 and para. 7. "
            "Leverage rose from 6.8 to 7.4 per cent. See Sales No. E.96.IV.13, chap. I, annex.")
    assert split_sentences(text) == [
        "Contributions from the U.S. Government rose to $14.03 million, e.g. for No. 5 and para. 7.",
        "Leverage rose from 6.8 to 7.4 per cent.",
        "See Sales No. E.96.IV.13, chap. I, annex.",
    ]


def test_shortening_stops_between_sentences_and_marks_the_cut(real_documents: dict) -> None:
    long = [p.text for d in real_documents.values() for p in d.passages if len(p.text) > 900]
    assert long
    for text in long:
        short = shorten(text, 400)
        if not short.endswith(CUT):  # one long sentence is shown whole rather than cut inside
            assert short == " ".join(lines(text)) and len(split_sentences(text)) == 1
            continue
        body = short[: -len(CUT)].rstrip()
        last = body.split("\n")[-1]
        assert re.search(r"[.;:!?)”’]$", body) or last in lines(text), body[-40:]  # a sentence or line end
        assert " ".join(lines(text)).startswith(" ".join(body.split("\n"))[:200].rstrip())


# -- what the question asks and the sentence that holds it --------------------------------------------

@pytest.mark.parametrize(("question", "kinds"), [
    ("How much did the office spend on evaluation in 2024?", {"money"}),
    ("What share of staff came from programme countries?", {"percent"}),
    ("How many countries received support?", {"count"}),
    ("When will the report be presented?", {"date"}),
    ("Who recommended the delay?", {"name"}),
    ("Which country issued the bond?", {"place"}),
    ("项目的预算是多少美元？", {"money"}),
    ("方案国家人员的比例是多少？", {"percent", "count"}),
    ("什么时候开始搬迁？", {"date"}),
    ("是谁提出的建议？", {"name"}),
    ("哪个国家发行了债券？", {"place"}),
    ("What rank does India hold in the readiness index?", {"rank"}),
    ("开发署拿到的是第几次无保留审计意见？", {"rank"}),
])
def test_question_kinds(question: str, kinds: set[str]) -> None:
    assert kinds <= set(asked_kinds(question))


@pytest.mark.parametrize(("question", "texts", "none"), [
    ("How much is the approved budget of the programme?",
     ["The programme aims to streamline processes. It is part of broader reforms."], True),
    ("How much is the approved budget of the programme?",
     ["The programme aims to streamline processes.", "Its budget is $12.4 million."], False),
    ("How many countries received support?", ["Support went to 13 countries."], False),
    ("When will the review take place?", ["The review is planned for early 2025."], False),
    ("经常预算一共有多少个员额？", ["The proposal covers the posts of the secretariat."], True),
    ("经常预算一共有多少个员额？", ["The proposal covers 48 posts of the secretariat."], False),
    ("What does the programme aim to do?", ["The programme aims to streamline processes."], False),
    # numbers that name rather than count: a decision, a grade, an article; an ordinal
    ("How many recommendations did the review make?",
     ["In line with decision 2022/13, UNOPS commissioned a third-party review (Art. 60.2) of P-5 posts."],
     True),
    ("How many recommendations did the review make?", ["The review included 43 recommendations."], False),
    ("开发署拿到的是第几次无保留审计意见？", ["UNDP received an unqualified opinion."], True),
    ("开发署拿到的是第几次无保留审计意见？", ["It was the twentieth unqualified opinion."], False),
    ("How long are the terms?", ["Members of both Chambers serve five-year terms."], False),
])
def test_a_passage_stating_no_figure_of_the_kind_asked(question: str, texts: list[str], none: bool) -> None:
    """The near-miss signal of the answer confidence: a topic passage that states no figure asked for."""
    assert states_none_asked(question, texts) is none


def own_questions() -> list[dict]:
    if not OWN_QUESTIONS.is_file():
        return []
    return [json.loads(line) for line in OWN_QUESTIONS.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("q", [q for q in own_questions() if q["doc"] in {Path(r).name.split(".")[0]
                                                                        for r in REAL_PDFS}],
                         ids=lambda q: q["id"])
def test_selection_holds_the_fact_asked(q: dict, real_documents: dict, real_lexical: LexicalIndex) -> None:
    """Given the right paragraph, the answer text holds every figure or name the question asks for,
    and is a selection, not the paragraph."""
    text = paragraph(real_documents, q["doc"], q["paras"][0])
    if not all(e.lower() in clean(text).lower() for e in q["expect"]):
        pytest.skip("the paragraph as parsed lacks the fact: an ingest question, not a selection one")
    qlang = query_language(q["q"])
    answer = select(Question.read(q["q"], real_lexical, qlang), AnswerSource(text, "en"))
    for expect in q["expect"]:
        assert expect.lower() in answer.lower(), (q["q"], answer)
    if len(split_sentences(text)) > 3:
        assert len(answer) < len(clean(text))


@pytest.mark.parametrize(("question", "parts"), [
    ("How many posts are vacant?", 1),
    ("How many posts are vacant, and how many were filled?", 2),
    ("how many members in parliament + how long r the terms", 2),
    ("开发署的员额有多少？空缺多少？", 2),
    ("开发署收到了多少捐款？和2023年相比增长了多少？", 2),  # 和 … 相比 is one comparison
])
def test_how_many_things_a_question_asks(question: str, parts: int) -> None:
    assert question_parts(question) == parts


def test_a_grade_or_a_plan_period_is_not_the_count_asked(real_documents: dict,
                                                          real_lexical: LexicalIndex) -> None:
    """The paragraph's first sentence names grade P-5 and four plan periods; the count asked is in the
    next one."""
    text = paragraph(real_documents, "dp-2025-23", "73")
    q = Question.read("How many senior posts does the 2026-2029 integrated budget allow?", real_lexical, "en")
    assert "232" in select(q, AnswerSource(text, "en"))


def test_a_sentence_that_continues_brings_its_predecessor(real_lexical: LexicalIndex) -> None:
    text = ("In its decision 2024/28, the Board requested the Internal Audit and Investigation Group to "
            "commission an evaluation. In October 2024, the group recommended that the selection take "
            "place after the evaluation. The road map is being updated.")
    q = Question.read("Who recommended that the selection take place after the evaluation?",
                      real_lexical, "en")
    answer = select(q, AnswerSource(text, "en"))
    assert answer.startswith("In its decision 2024/28") and "the group recommended" in answer
    assert "road map" not in answer


@pytest.mark.parametrize(("question", "thing"), [
    ("How many communities did the pilot cover?", ("communiti",)),
    ("How many UN country teams reported on the scorecard?", ("un", "countri")),
    ("试点项目覆盖了多少个社区？", ("社区",)),
    ("How many of the 12 outcome areas were underfunded?", ()),
    ("How much did the pilot cost?", ()),
])
def test_what_a_how_many_question_counts(question: str, thing: tuple[str, ...]) -> None:
    assert counted_thing(question) == thing


def test_the_answer_rests_on_the_first_passage_that_states_the_fact_asked() -> None:
    q = "How many communities did the pilot cover?"
    committees = AnswerSource("First, the two committees that could not cover maintenance costs served the "
                              "poorest communities.", "en")
    covered = AnswerSource("The pilot covered 24 communities in six secondary cities.", "en")
    teams = AnswerSource("In 2024, 116 United Nations Country Teams reported on the scorecard.", "en")
    assert resting_on(q, [committees, covered]) is covered  # a number, but not of communities
    assert resting_on(q, [covered, committees]) is covered
    assert resting_on(q, [committees]) is committees  # none states it: the first, as ranked
    assert resting_on("How many UN country teams reported on the scorecard?", [teams, covered]) is teams
    zh = AnswerSource("The pilot covered 24 communities.", "en", "试点项目覆盖了 24 个社区。")
    assert resting_on("试点项目覆盖了多少个社区？", [AnswerSource("两个委员会。", "zh"), zh]) is zh


def test_the_answer_rests_on_one_cited_passage(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    """Every sentence of an answer is from one passage among the first cited (`ANSWER_PASSAGES`) or its
    version in the question's language, and from the first unless that one lacks the fact asked."""
    from index.answering.qa import ANSWER_PASSAGES

    for q in load_questions(DEV_QUESTIONS):
        a = corpus_qa.ask(q["q"])
        if not a.found or parse_reference(q["q"]) is not None:
            continue
        pieces = [clean(p).strip() for line in a.answer.splitlines() for p in line.split(CUT)]
        holders = []
        for c in a.citations[:ANSWER_PASSAGES]:
            versions = [corpus_qa.parallel(c.source, c.locator, lang) for lang in c.parallels]
            texts = [clean(v.text) for v in [c, *versions] if v is not None]
            if all(any(p in t for t in texts) for p in pieces):
                holders.append(c)
        assert holders, (q["id"], a.answer[:80])
        first = a.citations[0]
        if holders[0] is not first:
            texts = [first.text] + [v.text for lang in first.parallels
                                    if (v := corpus_qa.parallel(first.source, first.locator, lang))]
            assert not holds_asked(q["q"], texts), (q["id"], a.answer[:80])


# -- languages ------------------------------------------------------------------------------------------

def test_not_found_in_the_question_language() -> None:
    zh = not_found_text(query_language("今天天气怎么样？"))
    assert all(is_cjk(ch) or ch in "。" for ch in zh)
    assert not_found_label(zh) == "未找到。"
    assert not_found_line(zh) == "未找到。" + zh
    assert not_found_text("en") == "The indexed documents do not answer this."
    assert not_found_line(not_found_text("en")) == "Not found. The indexed documents do not answer this."


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


def test_paragraph_answer_is_whole_never_cut_inside_a_word(demo_qa) -> None:  # type: ignore[no-untyped-def]
    a = demo_qa.ask("What does paragraph 10 recommend?")
    assert a.found
    assert "(d) To encourage Member States and partners to contribute to closing the funding gap" in a.answer
    english = a.answer.split("\n执行局")[0]
    assert english.rstrip().endswith("USD 7.2 million.")
    assert "…" not in a.answer


def test_chinese_question_gets_english_and_chinese_versions(demo_qa) -> None:  # type: ignore[no-untyped-def]
    a = demo_qa.ask("试点项目覆盖了多少个社区？")
    assert a.found
    english, chinese = a.answer.split("\n", 1)
    assert "24 communities" in english and not any(is_cjk(ch) for ch in english)
    assert "24 个社区" in chinese


def test_english_question_gets_the_english_sentence_only(demo_qa) -> None:  # type: ignore[no-untyped-def]
    en = demo_qa.ask("How many communities did the pilot cover?")
    assert "24 communities" in en.answer and not any(is_cjk(ch) for ch in en.answer)


def test_off_topic_chinese_question_is_told_so_in_chinese(demo_qa) -> None:  # type: ignore[no-untyped-def]
    a = demo_qa.ask("今天天气怎么样？")
    assert not a.found and a.answer == not_found_text("zh")


def test_first_hit_language_is_read_from_every_version_of_it(demo_qa) -> None:  # type: ignore[no-untyped-def]
    """A hit whose best-ranked version is English still counts as one in a Chinese question's language
    when its Chinese version is indexed: an off-topic Chinese question that shares no Chinese word with
    the demo paper is ranked on its English rows, and that is not the cross-language kind of hit (a
    Chinese question on an English-only paper) that the fitted confidence trusts."""
    from index.answering.confidence import in_question_language
    from index.retrieval.search import Hit

    si = demo_qa.index()
    pair = next(rows for rows in si.group_rows if len(rows) == 2)
    english = next(r for r in pair if si.passage(r)[0].language == "en")
    both = [Hit(row=english, score=0.5, dense=0.8, lexical=0.0, rows=tuple(pair))]
    alone = [Hit(row=english, score=0.5, dense=0.8, lexical=0.0, rows=(english,))]
    assert in_question_language("zh", both, si) and in_question_language("en", both, si)
    assert not in_question_language("zh", alone, si) and in_question_language("en", alone, si)
    assert not in_question_language("fr", both, si) and not in_question_language("zh", [], si)


def test_chinese_question_that_finds_nothing_is_told_so_in_chinese(demo_qa) -> None:  # type: ignore[no-untyped-def]
    a = demo_qa.ask("第99段讲了什么？")
    assert not a.found and a.answer == no_paragraph_text("99", "zh")
    assert demo_qa.ask("What does paragraph 99 say?").answer == no_paragraph_text("99", "en")


def test_chinese_question_on_a_paper_indexed_in_both_languages(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    """The synthetic corpus holds English and Chinese versions of the same papers: a Chinese question
    is answered with the English sentence(s) and then the same paragraph's Chinese sentence(s)."""
    a = corpus_qa.ask("2020年年度报告在哪里刊载？")
    assert a.found
    top = a.citations[0]
    english, chinese = a.answer.split("\n", 1)
    assert not any(is_cjk(ch) for ch in english) and any(is_cjk(ch) for ch in chinese)
    versions = {lang: corpus_qa.parallel(top.source, top.locator, lang) for lang in ("en", "zh")}
    assert versions["en"] is not None and versions["zh"] is not None
    for text, lang in ((english, "en"), (chinese, "zh")):
        whole = " ".join(lines(versions[lang].text))
        assert all(part.strip() in whole for part in text.split(CUT)), (lang, text)


def test_fact_rate_measures_both_ways(demo_qa) -> None:  # type: ignore[no-untyped-def]
    from index.measure.facts import end_to_end, given_passage, holds, rate

    assert holds("a total of USD\u00a04.2 million.", ["usd 4.2 MILLION"])
    questions = [
        {"id": "d1", "lang": "en", "q": "How much did the pilot cost in total?",
         "doc": "water-sanitation-pilot",
         "paras": ["4"], "expect": ["USD 4.2 million"]},
        {"id": "d2", "lang": "zh", "q": "试点项目覆盖了多少个社区？", "doc": "water-sanitation-pilot",
         "paras": ["3"], "expect": ["24 communities", "24 个社区"]},
        {"id": "d3", "lang": "en", "q": "What is the capital of France?", "doc": None, "paras": []},
    ]
    given = given_passage(demo_qa.index(), questions)
    asked = end_to_end(demo_qa.ask, questions)
    assert [r.id for r in given] == [r.id for r in asked] == ["d1", "d2"]  # answerable ones with facts
    assert rate(given) == 1.0 and rate(asked) == 1.0
