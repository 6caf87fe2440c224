"""Broken and hostile inputs: each is refused with its own error class and a one-line reason."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from boardqa.config import IngestConfig
from ingest.errors import (
    EmptyFileError,
    EncryptedPdfError,
    FileTooLargeError,
    IngestError,
    NoStructureError,
    NotAPdfError,
    NoTextLayerError,
    TooManyPagesError,
    TruncatedPdfError,
)
from ingest.parse import parse_file
from tests.conftest import CORPUS

CFG = IngestConfig()

EXPECTED = {
    "empty.pdf": (EmptyFileError, "empty"),
    "not-a-pdf.pdf": (NotAPdfError, "not a PDF"),
    "truncated.pdf": (TruncatedPdfError, "truncated"),
    "encrypted.pdf": (EncryptedPdfError, "encrypted"),
    "scanned-image-only.pdf": (NoTextLayerError, "no text layer: scanned PDF? OCR it first"),
    "blank-3000-pages.pdf": (TooManyPagesError, "3000 pages"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_bad_file(corpus_manifest: dict, name: str) -> None:
    cls, words = EXPECTED[name]
    with pytest.raises(cls) as err:
        parse_file(CORPUS / "bad" / name, CFG)
    message = str(err.value)
    assert message.startswith(f"{name}: ") and words in message
    assert "\n" not in message and "Traceback" not in message
    assert type(err.value).reason != IngestError.reason


def test_manifest_lists_exactly_these_bad_files(corpus_manifest: dict) -> None:
    bad = {Path(f["path"]).name for f in corpus_manifest["files"] if f["kind"] == "bad-input"}
    assert bad == set(EXPECTED)


def test_page_limit_checked_before_text(corpus_manifest: dict) -> None:
    with pytest.raises(TooManyPagesError, match="4 pages; the limit is 2"):
        parse_file(CORPUS / "en" / "annual-report-2020-summary.en.pdf", replace(CFG, max_pages=2))


def test_size_limit_checked_before_reading(corpus_manifest: dict) -> None:
    with pytest.raises(FileTooLargeError, match="too large"):
        parse_file(CORPUS / "zh" / "annual-report-2020-summary.zh.pdf", replace(CFG, max_file_mb=0.1))


def test_damaged_pdf_body_is_a_clear_error(tmp_path: Path) -> None:
    src = (CORPUS / "en" / "covid19-response-update.en.pdf").read_bytes()
    broken = tmp_path / "scrambled.pdf"
    middle = bytes((b * 7 + 3) % 256 for b in src[200:-2000])
    broken.write_bytes(src[:200] + middle + src[-2000:])
    with pytest.raises(IngestError) as err:
        parse_file(broken, CFG)
    assert "\n" not in str(err.value) and str(err.value).startswith("scrambled.pdf: ")


def test_text_without_numbered_paragraphs(tmp_path: Path) -> None:
    loose = tmp_path / "minutes.txt"
    loose.write_text(
        "Minutes of a meeting\n\nThe meeting opened at noon.\n\nIt closed at two.\n", encoding="utf-8"
    )
    with pytest.raises(NoStructureError, match="no numbered paragraphs"):
        parse_file(loose, CFG)


def test_not_a_zip_docx(tmp_path: Path) -> None:
    fake = tmp_path / "paper.docx"
    fake.write_text("this is not a Word file", encoding="utf-8")
    with pytest.raises(IngestError, match="not a readable Word"):
        parse_file(fake, CFG)


def test_designed_report_is_dispatched(corpus_manifest: dict) -> None:
    doc = parse_file(CORPUS / "reports" / "annual-report-2020.en.pdf", CFG)
    assert doc.kind == "report" and doc.paragraph_count == 0
