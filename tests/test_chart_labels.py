"""Chart labels stay out of numbered paragraphs: real UN papers whose charts pypdf reads out of order.

A chart floated on a Word page is drawn after the text, so its axis values, legend and data labels used
to end whatever paragraph the page ended on (UNW/2025/2 paragraph 70 ended "… $98 million. $65.5 M
$62.3 M …"). The assertions are structural where they can be: no paragraph of any real paper holds a
run of chart values, no paragraph of the papers with charts holds a run of bare numbers, and a
legend's words never repeat inside a paragraph; a few paragraphs are checked to end with their own
sentence and the caption keeps the note printed under its chart.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import real_manifest_entries

UNW = "board/unw-2025-2.en.pdf"
# Papers with charts drawn as floats: UN-Women's annual report, the UNDP evaluation report, the budget
# fascicle's performance-measure charts.
CHARTED = [UNW, "board/dp-2025-14.en.pdf", "board/a-81-6-sect15.en.pdf"]

_VALUE = r"(?:[$€£]\d[\d.,]*(?:\s?[MBK]\b)?|\d[\d.,]*\s?%)"
VALUE_RUN = re.compile(rf"{_VALUE}(?:\s+{_VALUE}){{2,}}")  # "$65.5 M $62.3 M $81.6 M", "0% 10% 20%"
BARE_RUN = re.compile(r"(?<![\w.,])(?:\d[\d.,]*\s+){5,}\d[\d.,]*(?![\w.,])")  # "11 11 7 29 6 16"
LEGEND = re.compile(r"(\b[A-Z][a-z]+\b)[^.]{0,20}\d+%\s+\1\b")  # "Progress >= 60% Progress"


def _paragraphs(real_documents: dict, path: str) -> list:  # type: ignore[type-arg]
    return [p for p in real_documents[path].passages if p.kind in ("paragraph", "subitem")]


def test_no_paragraph_of_any_real_paper_holds_chart_values(real_documents: dict) -> None:
    found = [(path, p.locator, m.group(0)) for path, doc in real_documents.items()
             for p in doc.passages if p.kind in ("paragraph", "subitem")
             for m in VALUE_RUN.finditer(p.text)]
    assert not found, found[:5]


@pytest.mark.parametrize("path", CHARTED)
def test_no_paragraph_of_a_charted_paper_holds_axis_numbers(path: str, real_documents: dict) -> None:
    found = [(p.locator, m.group(0)) for p in _paragraphs(real_documents, path)
             for m in BARE_RUN.finditer(p.text)]
    assert not found, found[:5]


@pytest.mark.parametrize("path", CHARTED)
def test_no_paragraph_repeats_a_legend(path: str, real_documents: dict) -> None:
    found = [(p.locator, m.group(0)) for p in _paragraphs(real_documents, path)
             for m in LEGEND.finditer(p.text)]
    assert not found, found[:5]


@pytest.mark.parametrize(("path", "locator", "end"), [
    (UNW, "14", "resulted in the highest representation of women ever in Parliament."),
    (UNW, "39", "in pursuing three pathways to change discriminatory social norms."),
    (UNW, "70", "goods and resources with $98 million."),
    ("board/dp-2025-14.en.pdf", "43", "their findings, conclusions, and recommendations."),
    ("board/a-81-6-sect15.en.pdf", "15.53", "in the performance measure below (see figure 15.VI)."),
])
def test_paragraph_ends_with_its_own_sentence(path: str, locator: str, end: str,
                                              real_documents: dict) -> None:
    p = real_documents[path].passage(locator)
    assert p is not None and p.kind == "paragraph"
    assert p.text.endswith(end), p.text[-160:]


def test_paragraph_continued_across_a_chart_keeps_its_words_together(real_documents: dict) -> None:
    """UNW/2025/2 paragraph 35 runs from page 10 to 11; a chart drawn at the end of page 10 sat in between."""
    p = real_documents[UNW].passage("35")
    assert p is not None and p.pages == [10, 11]
    assert p.text.startswith("UN-Women continued to strengthen the capacities of national partners")
    assert "maternal and child health services, benefiting over 51,500 mothers and children." in p.text


def test_caption_keeps_its_note_and_drops_its_labels(real_documents: dict) -> None:
    captions = [p for p in real_documents[UNW].passages if p.kind == "caption"]
    first = next(p for p in captions if p.text.startswith("Figure 1:"))
    assert "Please note: The figures in this report exclude 26 indicators" in first.text
    assert first.text.endswith("not assigned a 2024 milestone")
    second = next(p for p in captions if p.text.startswith("Figure 2:"))
    assert second.text == "Figure 2: Progress towards 2024 milestones"


def test_headings_under_a_chart_stay_headings(real_documents: dict) -> None:
    """The section heading printed under a chart is a heading, not the end of the caption or a paragraph."""
    doc = real_documents[UNW]
    assert doc.passage("15") is not None and doc.passage("15").heading.endswith(  # type: ignore[union-attr]
        "A. Impact 1: Governance & Participation in Public Life")
    assert all("Impact 2: Women’s Economic Empowerment" not in p.text for p in doc.passages
               if p.kind in ("paragraph", "caption"))


# A caption printed under its paragraph: "… (see figure A.I). Figure A.I Performance measure: …"
CAPTION_IN_TEXT = re.compile(
    r"[.)]\s(?:Figure|Chart|Graph)\s(?:[A-Z]\.)?[\dIVXL]+(?:\.[\dIVXL]+)?\.?\s+[A-Z]")


def test_no_passage_of_any_real_paper_is_only_chart_labels(real_documents: dict) -> None:
    """A designed report's axis values ("0 2 4 6 8 10", "2017 2018 … 2023") are no passage of their own."""
    from ingest.figures import labels_only

    found = [(path, p.locator, p.text[:40]) for path, doc in real_documents.items()
             for p in doc.passages if p.kind != "front" and labels_only([p.text])]
    assert not found, found[:5]


def test_no_paragraph_of_any_real_paper_holds_a_figure_caption(real_documents: dict) -> None:
    """An annex numbers its figures by its letter ("Figure A.I"); the caption is a caption there too."""
    found = [(path, p.locator, m.group(0)) for path, doc in real_documents.items()
             for p in doc.passages if p.kind in ("paragraph", "subitem", "body")
             for m in CAPTION_IN_TEXT.finditer(p.text)]
    assert not found, found[:5]
    a5 = real_documents["board/a-81-6-sect15.en.pdf"].passage("A.5")
    assert a5 is not None and a5.text.endswith("(see figure A.I).")


# a table row's figures, "4 3 5 3 8 5 15 11" (a list of goals "1, 4, 6, 7" is no row)
TABLE_FIGURES = re.compile(r"(?<![\w.,])(?:\d+(?:[.,]\d+)*\s+){5,}\d+(?:[.,]\d+)*(?![\w.,%])")
@pytest.mark.parametrize("path", [e["path"] for e in real_manifest_entries()])
def test_no_paragraph_holds_the_figures_of_a_table(path: str, real_documents: dict) -> None:
    """A table drawn after the text (DP/FPA/2025/6 table 6 ended paragraph 81) is put back where it stands."""
    found = [(p.locator, m.group(0)) for p in _paragraphs(real_documents, path)
             for m in TABLE_FIGURES.finditer(p.text)]
    assert not found, found[:5]


def test_table_drawn_after_the_text_is_read_where_it_stands(real_documents: dict) -> None:
    doc = real_documents["board/dp-fpa-2025-6.en.pdf"]
    table = doc.passage("table6")
    assert table is not None and "Arab States 31 26 33 20 27 16 20 15" in table.text
    p81 = doc.passage("81")
    assert p81 is not None and p81.text.endswith("addressing open cases carried over from prior years.")
