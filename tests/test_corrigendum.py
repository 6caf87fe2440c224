"""Corrigenda: a list of corrections under the places they correct, read as one passage per correction,
with the masthead as front matter, on the real DP/2025/14/Corr.1 and on corrigenda of our own in other
layouts and languages (reportlab, so no test depends on one paper's wording)."""

from __future__ import annotations

from pathlib import Path

import pytest

from boardqa.config import IngestConfig
from ingest.corrigendum import place
from ingest.models import Document
from ingest.parse import parse_file
from tests.conftest import REAL, real_manifest_entries

MASTHEAD = ("Distr.", "Original:", "provisional agenda")


def _pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800.0
    for line in lines:
        c.setFont("STSong-Light" if any("\u4e00" <= ch <= "\u9fff" for ch in line) else "Helvetica", 11)
        c.drawString(60, y, line)
        y -= 14 if line else 10
    c.save()
    return path


def _corrections(doc: Document) -> list:
    return [p for p in doc.passages if p.kind != "front"]


@pytest.mark.parametrize(("line", "where"), [
    ("Paragraph 28", "paragraph 28"),
    ("Table 1 Independent country programme evaluations, 2024", "table 1"),
    ("Annex II, paragraph 4", "annex II, paragraph 4"),
    ("Paragraphs 12 and 13", "paragraphs 12 and 13"),
    ("Page 3, footnote 2", "page 3, footnote 2"),
    ("Paragraphe 5 b)", "paragraphe 5"),
    ("第28段", "第28段"),
    ("The text of paragraph 28 should read as follows.", None),
    ("Table 2 shows that the number of evaluations fell by a third in the year under review.", None),
])
def test_the_place_a_correction_names(line: str, where: str | None) -> None:
    assert place(line) == where


def test_real_corrigendum_one_passage_per_correction() -> None:
    entry = next((e for e in real_manifest_entries() if e.get("corrects")), None)
    if entry is None:
        pytest.skip("../shared/corpus/real is not beside the repo")
    doc = parse_file(REAL / entry["path"], IngestConfig())
    assert (doc.symbol, doc.amends) == (entry["symbol"], entry["corrects"])
    fixes = {p.paragraph: p for p in _corrections(doc)}
    assert set(fixes) == {"correction to table 1", "correction to paragraph 28"}
    assert fixes["correction to paragraph 28"].text.endswith("“in several countries and territories.”")
    table = fixes["correction to table 1"].text
    assert "Kosovo" in table and "(1999).” The second column" in table
    assert all(m not in p.text for p in _corrections(doc) for m in MASTHEAD)
    assert doc.paragraph_count == entry["paragraphs"] == 0


def test_corrigendum_of_our_own_with_a_general_correction_first(tmp_path: Path) -> None:
    """Another paper, another layout: a correction for the whole text before the first place, a
    two-line correction, and the job number under the masthead."""
    path = _pdf(tmp_path / "hsp-eb-2026-4-corr1.en.pdf", [
        "United Nations                                   HSP/EB.2026/4/Corr.1",
        "Executive Board of the United Nations Human Settlements Programme",
        "Distr.: General", "3 March 2026", "Original: English",
        "First session of 2026", "Item 5 of the provisional agenda", "Financial matters",
        "Report on the financial situation of UN-Habitat", "Corrigendum", "",
        "Throughout the document, for “Foundation non-earmarked fund” read “United Nations Habitat",
        "Foundation non-earmarked fund”.",
        "Paragraph 12",
        "For USD 5.9 million read USD 6.2 million.",
        "Annex II, paragraph 4",
        "The second sentence should be deleted.",
        "26-03311 (E)    050326",
    ])
    doc = parse_file(path, IngestConfig())
    assert (doc.symbol, doc.amends, doc.kind) == ("HSP/EB.2026/4/Corr.1", "HSP/EB.2026/4", "board-document")
    fixes = _corrections(doc)
    assert [p.paragraph for p in fixes] == ["correction 1", "correction to paragraph 12",
                                           "correction to annex II, paragraph 4"]
    assert fixes[0].text.endswith("“United Nations Habitat Foundation non-earmarked fund”.")
    assert fixes[1].text == "Paragraph 12\nFor USD 5.9 million read USD 6.2 million."
    assert all("26-03311" not in p.text and "Distr." not in p.text for p in fixes)
    front = next(p for p in doc.passages if p.kind == "front")
    assert "Corrigendum" in front.text and "Original: English" in front.text


def test_chinese_corrigendum(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "hsp-eb-2026-4-corr1.zh.pdf", [
        "联合国                                   HSP/EB.2026/4/Corr.1",
        "联合国人类住区规划署执行局",
        "Distr.: General", "2026年3月3日", "Chinese", "Original: English",
        "人居署财务状况报告", "更正", "",
        "第12段",
        "将“590万美元”改为“620万美元”。",
    ])
    doc = parse_file(path, IngestConfig())
    assert doc.language == "zh" and doc.amends == "HSP/EB.2026/4"
    fixes = _corrections(doc)
    assert [p.paragraph for p in fixes] == ["correction to 第12段"]
    assert fixes[0].text.endswith("将“590万美元”改为“620万美元”。")
