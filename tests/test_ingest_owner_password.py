"""A PDF protected only by an owner password (no password needed to read) is ingested; one that needs a
user password is refused as encrypted."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from boardqa.config import IngestConfig
from ingest.errors import EncryptedPdfError
from ingest.parse import parse_file
from tests.conftest import CORPUS

SEED_EN = CORPUS / "en" / "annual-report-2020-summary.en.pdf"


def _encrypt(src: Path, dest: Path, user: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm="AES-256")
    with dest.open("wb") as fh:
        writer.write(fh)
    return dest


@pytest.mark.skipif(not SEED_EN.is_file(), reason="../shared corpus not present")
def test_owner_password_only_pdf_is_read(tmp_path: Path) -> None:
    doc = parse_file(_encrypt(SEED_EN, tmp_path / "owner-only.en.pdf", user=""), IngestConfig())
    assert doc.paragraph_count == 15


@pytest.mark.skipif(not SEED_EN.is_file(), reason="../shared corpus not present")
def test_user_password_pdf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EncryptedPdfError, match="encrypted"):
        parse_file(_encrypt(SEED_EN, tmp_path / "locked.en.pdf", user="pw"), IngestConfig())
