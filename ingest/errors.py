"""Typed refusals: one class per reason a file is not ingested, each with a message a person understands."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file that is refused. `str(err)` is one line naming the file and the reason."""

    reason = "unreadable"

    def __init__(self, path: str | Path, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{self.path.name}: {message}")


class EmptyFileError(IngestError):
    reason = "empty"


class NotAPdfError(IngestError):
    reason = "not-a-pdf"


class EncryptedPdfError(IngestError):
    reason = "encrypted"


class TruncatedPdfError(IngestError):
    reason = "truncated"


class NoTextLayerError(IngestError):
    reason = "no-text"


class TooManyPagesError(IngestError):
    reason = "too-many-pages"


class FileTooLargeError(IngestError):
    reason = "too-large"


class ParseTimeoutError(IngestError):
    reason = "timeout"


class UnsupportedFormatError(IngestError):
    reason = "unsupported"


class NoStructureError(IngestError):
    """Text was extracted but no citable passage could be found in it."""

    reason = "no-structure"
