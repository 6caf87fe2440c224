"""PDF reading (in progress)."""

from __future__ import annotations

from pathlib import Path

from boardqa.config import IngestConfig

from .errors import IngestError
from .models import Document
from .structure import SourceText


def read_pdf(path: Path, cfg: IngestConfig) -> Document | tuple[SourceText, int]:
    raise IngestError(path, "PDF reading is not available yet")
