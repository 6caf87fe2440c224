"""Page furniture the UN prints that is not the document's text: job numbers, barcodes, recycling marks.

Every UN document carries its job number on page 1 ("25-05608X (E)    140425": job, language letter,
date of processing), often repeated with the page number in the footer of the older Geneva layout
("GE.09-17088 7"), the job number again as a barcode ("*2505608*", or the same in a barcode font that
comes out as private-use characters) and "Please recycle" with its symbol. None of it is ever cited,
so it is dropped by line before structure is recognised; running headers and page numbers are left to
the repetition and position rules of the readers.
"""

from __future__ import annotations

import re

_LANGUAGE_LETTER = r"\(\s*[A-Z]\s*\)"
_GENEVA_JOB = rf"GE\.\s?\d{{2}}-\d{{4,6}}[A-Z]?\*?(?:\s*{_LANGUAGE_LETTER})?"  # "GE.19-13879(E)"
_NEW_YORK_JOB = rf"\d{{2}}-\d{{5}}[A-Z]?\*?\s*{_LANGUAGE_LETTER}"  # "25-05608X (E)"
_JOB_NUMBER = f"(?:{_GENEVA_JOB}|{_NEW_YORK_JOB})"
_JOB_ONLY = r"\d{2}-\d{5}[A-Z]?"  # the job number as later pages' headers print it
_PATTERNS = [
    # the job number (with its language letter and processing dates), perhaps with the page number
    re.compile(rf"^\s*(?:(?P<folio>\d{{1,4}})\s+)?{_JOB_NUMBER}(?:\s+\d{{6}}){{0,2}}(?:\s+(?P<folio_after>\d{{1,4}}))?\s*$"),
    # "11/33 26-04489" and "26-04489 12/33": page of pages beside the job number
    re.compile(rf"^\s*(?P<folio>\d{{1,4}})/\d{{1,4}}\s+{_JOB_ONLY}\s*$"),
    re.compile(rf"^\s*{_JOB_ONLY}\s+(?P<folio>\d{{1,4}})/\d{{1,4}}\s*$"),
    # "4  25-10740" and "25-10740 5": the New York header of later pages, the page number beside the
    # job number on the outer side (no language letter there), or the job number on a line of its own
    re.compile(rf"^\s*(?:(?P<folio>\d{{1,4}})\s+)?{_JOB_ONLY}(?:\s+(?P<folio_after>\d{{1,4}}))?\s*$"),
    re.compile(r"^\s*\*\d{7,8}\*\s*$"),  # barcode as text
    re.compile(r"^[\s\ue000-\uf8ff]+$"),  # barcode in a symbol font
    re.compile(r"^\s*[♲♻]?\s*Please\s+recycle\s*[♲♻]?\s*$", re.IGNORECASE),
    # the rule of dashes or stars that closes a paper (the footnote rule of underscores stays: it
    # tells where a page's notes start)
    re.compile(r"^\s*(?:[-–—]\s*){5,}$|^\s*(?:\*\s*){3,}$"),
]
_BARCODE_TOKEN = re.compile(r"(?<!\S)\*\d{7,8}\*(?!\S)\s*")


def _match(line: str) -> re.Match[str] | None:
    if not line.strip():
        return None
    return next((m for m in (p.match(line) for p in _PATTERNS) if m), None)


def is_furniture(line: str) -> bool:
    """True for a line that is only page furniture (a job number, a barcode, "Please recycle")."""
    return _match(line) is not None


def folio_of(line: str) -> str | None:
    """The page number printed on a job-number footer line ("GE.09-17088 7" -> "7"), if any."""
    m = _match(line)
    groups = m.groupdict() if m else {}
    folio = groups.get("folio") or groups.get("folio_after")
    return folio.strip() if folio else None


def strip_furniture(line: str) -> str:
    """The line without a barcode that pypdf set on the same baseline as real text."""
    return _BARCODE_TOKEN.sub("", line)
