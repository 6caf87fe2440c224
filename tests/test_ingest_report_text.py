"""The annual report's `.txt` twin (`#` headings, `[BOX]`, `Table N:`, `- ` lists) read as a report."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from conftest import CORPUS
from rapidfuzz import fuzz

from boardqa.config import IngestConfig
from ingest.errors import NoStructureError
from ingest.models import Document
from ingest.parse import parse_file
from ingest.report import parse_report

TXT = CORPUS / "reports" / "annual-report-2020.en.txt"
PDF = CORPUS / "reports" / "annual-report-2020.en.pdf"


@pytest.fixture(scope="session")
def twin(corpus_manifest: dict) -> Document:
    return parse_file(TXT, IngestConfig())


@pytest.fixture(scope="session")
def printed(corpus_manifest: dict) -> Document:
    return parse_report(PDF, pypdf.PdfReader(PDF), IngestConfig())


def test_the_txt_twin_is_a_report_with_the_pdfs_facts(
    twin: Document, printed: Document, corpus_manifest: dict
) -> None:
    entry = next(f for f in corpus_manifest["files"] if f["path"] == "reports/annual-report-2020.en.txt")
    assert (twin.kind, twin.format, twin.pages, twin.symbol) == ("report", "txt", 0, None)
    assert twin.title == entry["title"] == printed.title
    assert (twin.family, twin.language, twin.date) == (printed.family, printed.language, printed.date)
    assert twin.paragraph_count == 0
    assert all(p.pages == [] and p.printed_pages == [] for p in twin.passages)
    assert len({p.locator for p in twin.passages}) == len(twin.passages)


def test_the_same_boxes_tables_lists_and_captions_as_the_pdf(twin: Document, printed: Document) -> None:
    for kind in ("box", "table", "list", "caption"):
        mine = sorted(p.text for p in twin.passages if p.kind == kind)
        theirs = sorted(p.text for p in printed.passages if p.kind == kind)
        assert len(mine) == len(theirs), kind
        for a, b in zip(mine, theirs, strict=True):
            assert fuzz.ratio(a, b) >= 97, (kind, a[:60], b[:60])


def test_body_passages_carry_the_heading_path_of_the_text(twin: Document, printed: Document) -> None:
    bodies = {p.text: p.heading for p in twin.passages if p.kind == "body"}
    same = [p for p in printed.passages if p.kind == "body" and p.text in bodies]
    assert len(same) >= 0.8 * len(bodies)
    assert all(bodies[p.text] == p.heading for p in same)  # the PDF's columns follow the text's sections
    assert twin.passages[0].kind == "front" and "Annual Report 2020" in twin.passages[0].text


def test_a_txt_with_headings_but_nothing_under_them_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "hollow-report.en.txt"
    empty.write_text("Cover line\n\n# Part one\n\n# Part two\n", encoding="utf-8")
    with pytest.raises(NoStructureError) as err:
        parse_file(empty, IngestConfig())
    assert str(err.value).startswith("hollow-report.en.txt: ") and "\n" not in str(err.value)
