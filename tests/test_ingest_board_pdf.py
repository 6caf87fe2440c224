"""Board-document PDFs: every paragraph, sub-item, page, footnote and heading as the `.txt` twin has it."""

from __future__ import annotations

import re

import pytest
from rapidfuzz import fuzz

from boardqa.config import IngestConfig
from ingest.clean import Vocabulary, join_lines, tidy
from ingest.models import Document
from ingest.parse import parse_file
from tests.conftest import CORPUS
from tests.txt_reference import normalise, reference_paragraphs

CFG = IngestConfig()
_CJK_PAIR = re.compile(r"[\u4e00-\u9fff] [\u4e00-\u9fff]")


def _pdf_entries(manifest: dict) -> list[dict]:
    return [f for f in manifest["files"] if f["kind"] == "board-document" and f["format"] == "pdf"]


@pytest.fixture(scope="module")
def parsed(corpus_manifest: dict) -> dict[str, tuple[Document, dict]]:
    return {e["path"]: (parse_file(CORPUS / e["path"], CFG), e) for e in _pdf_entries(corpus_manifest)}


def test_every_board_pdf_is_parsed(parsed: dict) -> None:
    assert len(parsed) >= 8
    for doc, entry in parsed.values():
        assert doc.kind == "board-document" and doc.format == "pdf"
        assert doc.pages == entry["pages"]
        assert doc.language == entry["language"]
        assert doc.symbol == entry["symbol"], doc.source
        assert doc.date == entry["date"], doc.source
        assert doc.title == entry["title"], doc.source
        assert len(doc.sha256) == 64


def test_paragraphs_match_txt_twin(parsed: dict) -> None:
    for doc, entry in parsed.values():
        paras, subs = reference_paragraphs(CORPUS / entry["rendered_from"])
        got = [p for p in doc.passages if p.kind == "paragraph"]
        assert [p.paragraph for p in got] == [str(i) for i in range(1, entry["paragraph_count"] + 1)], (
            doc.source
        )
        for p in got:
            ratio = fuzz.ratio(normalise(p.text), normalise(paras[p.locator]))
            assert ratio >= 98, (doc.source, p.locator, ratio, p.text)
        for loc in entry["subitems"]:
            sub = doc.passage(loc)
            assert sub is not None and sub.kind == "subitem" and sub.parent == loc.split("(")[0], (
                doc.source,
                loc,
            )
            assert fuzz.ratio(normalise(sub.text), normalise(subs[loc])) >= 98, (doc.source, loc, sub.text)
            parent = doc.passage(sub.parent)
            assert parent is not None and sub.text in parent.text


def test_pages_of_each_paragraph(parsed: dict) -> None:
    for doc, entry in parsed.values():
        pages = {p.locator: p.pages for p in doc.passages if p.kind == "paragraph"}
        assert pages == entry["paragraph_pages"], doc.source
        p1 = doc.passage("1")
        assert p1 is not None and p1.printed_pages == ["1"]


def test_no_header_footer_or_page_number_in_paragraphs(parsed: dict) -> None:
    for doc, entry in parsed.values():
        label = entry["header_label"]
        for p in doc.passages:
            if p.kind == "front":
                continue
            assert label not in p.text, (doc.source, p.locator)
            assert not re.search(r"(^|\n)\d{1,2}(\n|$)", p.text), (doc.source, p.locator)


def test_no_space_between_cjk_characters(parsed: dict) -> None:
    for doc, entry in parsed.values():
        if doc.language != "zh":
            continue
        twin = (CORPUS / entry["rendered_from"]).read_text(encoding="utf-8")
        allowed = set(_CJK_PAIR.findall(twin))
        for p in doc.passages:
            assert set(_CJK_PAIR.findall(p.text)) <= allowed, (doc.source, p.locator)


def test_footnotes_attached_and_marks_removed(parsed: dict) -> None:
    for doc, entry in parsed.values():
        wanted = {(f["mark"].translate(str.maketrans("¹²³", "123")), f["text"]) for f in entry["footnotes"]}
        found = {(f.mark, f.text) for p in doc.passages for f in p.footnotes}
        assert found == wanted, doc.source
        for p in doc.passages:
            for f in p.footnotes:
                assert f.text not in p.text
    doc, _ = parsed["en/funding-and-resource-mobilization.en.pdf"]
    p4 = doc.passage("4")
    assert p4 is not None and "USD 203.8 million. Of that amount" in p4.text and p4.footnotes[0].mark == "1"
    doc, _ = parsed["en/draft-work-programme-budget-2022.en.pdf"]
    p14 = doc.passage("14")
    assert p14 is not None and "for 2022. They fund" in p14.text and p14.footnotes[0].mark == "1"


def test_front_matter_and_families(parsed: dict) -> None:
    families: dict[str, set[str]] = {}
    for doc, entry in parsed.values():
        front = doc.passages[0]
        assert front.kind == "front" and front.locator == "front" and front.paragraph is None
        assert front.pages == [1]
        families.setdefault(doc.family, set()).add(doc.language)
        assert doc.family == (entry["symbol"] or entry["family"])
    assert families["annual-report-2020-summary"] == {"zh", "en"}
    assert families["HSP/EB.2021/TEST/4"] == {"zh", "en"}


def test_hyphens_urls_and_page_breaks(parsed: dict) -> None:
    doc, _ = parsed["en/annual-report-2020-summary.en.pdf"]
    text = "\n".join(p.text for p in doc.passages)
    assert "building strategic partnerships" in text  # broken across pages 2-3
    assert "https://unhabitat.org/sites/default/files/2021/05/annual_progress_report_2020_final.pdf" in text
    assert "https://www.youtube.com/watch?v=_1T38jmK7KA" in text
    zh, _ = parsed["zh/annual-report-2020-summary.zh.pdf"]
    p2 = zh.passage("2")
    assert p2 is not None and "annual_progress_report_2020_final.pdf，有关该报告的短片" in p2.text
    budget, _ = parsed["en/draft-work-programme-budget-2022.en.pdf"]
    table = next(p for p in budget.passages if p.kind == "table")
    assert "Foundation non-earmarked 18 400.0 12 000.0 (6 400.0)" in table.text.split("\n")
    assert table.pages and table.heading == "IV. Resource requirements"


@pytest.mark.parametrize(
    ("prev", "nxt", "joined"),
    [
        ("the General As-", "sembly decided", "the General Assembly decided"),
        ("UN-", "Habitat offices", "UN-Habitat offices"),
        ("the COVID-", "19 pandemic", "the COVID-19 pandemic"),
        ("the Secret-", "ary-General said", "the Secretary-General said"),
        ("large-", "scale investors", "large-scale investors"),
        ("non-", "earmarked funds", "non-earmarked funds"),
        (
            "网址查阅：https://unhabitat.or",
            "g/sites/a.pdf。",
            "网址查阅：https://unhabitat.org/sites/a.pdf。",
        ),
        ("人居", "署执行主任", "人居署执行主任"),
        ("for the period 2020–", "2023 and", "for the period 2020–2023 and"),
        # English shares the curly quotes with Chinese, and keeps its spaces around them
        ("Resolution 1244 (1999).”", "The second column", "Resolution 1244 (1999).” The second column"),
        ("a footnote stating,", "“References to", "a footnote stating, “References to"),
        ("他说：“好。”", "下一行", "他说：“好。”下一行"),
        ("该报告", "“执行情况”", "该报告“执行情况”"),
    ],
)
def test_join_lines(prev: str, nxt: str, joined: str) -> None:
    vocab = Vocabulary(
        ["the Secretary-General and the General Assembly", "large investors at scale", "non-earmarked income"]
    )
    assert join_lines(prev, nxt, vocab) == joined


def test_tidy_spacing() -> None:
    assert tidy("一 次 会 议 上 对 其 进 行 了 介 绍 。 在") == "一次会议上对其进行了介绍。在"
    assert tidy("Capacity development  for local") == "Capacity development for local"
    assert tidy("2021 年 11 月") == "2021 年 11 月"


def test_title_from_type_size_when_metadata_is_missing(corpus_manifest: dict) -> None:
    from pypdf import PdfReader

    from ingest.pdf import title_by_font

    for entry in _pdf_entries(corpus_manifest):
        assert title_by_font(PdfReader(CORPUS / entry["path"])) == entry["title"], entry["path"]
