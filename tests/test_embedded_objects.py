"""Tables drawn as embedded objects (Form XObjects): read where the page places them, rows in order."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from boardqa.config import IngestConfig
from ingest.figures import page_text
from ingest.parse import parse_file
from ingest.xforms import PlacedText, multiply

FILLER = ("The Executive Board reviewed the plan and the resources it requires over the period. "
          "The text goes on so that the page reads as running paragraphs do in a board paper.")


def _paper(path: Path) -> Path:
    """A board paper whose table is an embedded object, drawn scaled, its row labels after its figures."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)

    def para(y: float, number: int, text: str) -> float:
        words, line = text.split(), f"{number}. "
        for w in words:
            if c.stringWidth(line + w, "Helvetica", 10) > 440:
                c.drawString(72, y, line.rstrip())
                y -= 12
                line = ""
            line += w + " "
        c.drawString(72, y, line.rstrip())
        return y - 18

    y = para(780, 1, "Table 1 shows the budget by window for the two periods. " + FILLER)
    c.drawString(72, y, "Table 1. Allocations by window (In millions of United States dollars)")
    # the form in its own space: twice the size it is shown at, figures drawn first, labels last
    c.beginForm("table1")
    c.setFont("Helvetica", 16)
    rows = [("Country window", "1,798.9", "1,392.7", "997.8"), ("Regional window", "155.0", "83.3", "99.6"),
            ("Global window", "30.7", "18.8", "13.4"), ("Total", "2,197.6", "1,617.2", "1,239.7")]
    for k, (_, *figures) in enumerate(rows):
        for col, figure in enumerate(figures):
            c.drawString(400 + 180 * col, 300 - 40 * k, figure)
    for k, (label, *_) in enumerate(rows):
        c.drawString(0, 300 - 40 * k, label)
    c.drawString(400, 350, "2022-2025")
    c.endForm()
    c.saveState()
    c.translate(72, y - 200)
    c.scale(0.5, 0.5)
    c.doForm("table1")
    c.restoreState()
    y -= 230
    for n in range(2, 5):
        y = para(y, n, f"Paragraph {n} discusses the allocations in the table above. " + FILLER)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _paper(tmp_path_factory.mktemp("xform") / "embedded.pdf")


def test_fragments_of_an_embedded_object_are_placed_on_the_page(paper: Path) -> None:
    page = PdfReader(paper).pages[0]
    placed = PlacedText(page)
    seen: list[tuple[str, float, float, bool]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            seen.append((text.strip(), y, size * abs(tm[3] or 1) * abs(cm[3] or 1), placed.in_form))

    placed.extract(visit)
    total = next(s for s in seen if s[0] == "Total")
    caption = next(s for s in seen if s[0].startswith("Table 1."))
    second = next(s for s in seen if s[0].startswith("2. Paragraph"))
    assert total[3] and not caption[3]
    assert second[1] < total[1] < caption[1]  # between the caption and the next paragraph
    assert total[2] == pytest.approx(8.0)  # 16-point type shown at half size


def test_multiply_composes_in_drawing_order() -> None:
    scale, shift = [0.5, 0, 0, 0.5, 0, 0], [1, 0, 0, 1, 72, 100]
    assert multiply(scale, shift) == [0.5, 0, 0, 0.5, 72, 100]  # scaled, then moved
    assert multiply(shift, scale) == [0.5, 0, 0, 0.5, 36, 50]


def test_the_table_is_read_where_it_stands_with_rows_in_order(paper: Path) -> None:
    lines = page_text(PdfReader(paper).pages[0]).split("\n")
    at = {text.strip(): i for i, text in enumerate(lines)}
    assert "Country window 1,798.9 1,392.7 997.8" in at
    assert "Total 2,197.6 1,617.2 1,239.7" in at
    caption = next(i for i, t in enumerate(lines) if t.startswith("Table 1."))
    second = next(i for i, t in enumerate(lines) if t.startswith("2. Paragraph"))
    assert caption < at["Country window 1,798.9 1,392.7 997.8"] < at["Total 2,197.6 1,617.2 1,239.7"] < second


def test_the_table_is_a_passage_and_no_paragraph_holds_its_rows(paper: Path) -> None:
    doc = parse_file(paper, IngestConfig())
    table = doc.passage("table1")
    assert table is not None
    assert "Regional window 155.0 83.3 99.6" in table.text.split("\n")
    for p in doc.passages:
        if p.kind == "paragraph":
            assert "1,798.9" not in p.text and "Country window" not in p.text, p.locator


def test_real_embedded_tables_keep_their_row_labels(real_documents: dict) -> None:
    """DP/2025/23 draws tables 1 and 2 as embedded objects, their row labels after the figures."""
    doc = real_documents["board/dp-2025-23.en.pdf"]
    table1, table2 = doc.passage("table1"), doc.passage("table2")
    rows1, rows2 = table1.text.split("\n"), table2.text.split("\n")
    assert any(r.startswith("Total - III. Enabling functions 778.6") for r in rows1)
    assert "Country window 1,798.9 81.9% 1,392.7 86.1% 997.8 80.5%" in rows2
    assert "a/Includes" not in doc.passage("36").text  # the table's notes are its footnote 1
    assert "1,984.6" not in doc.passage("57").text
