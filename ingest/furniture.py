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
_LINE = re.compile(
    rf"^\s*(?P<lead>\d{{1,4}}\s+)?{_JOB_NUMBER}(?:\s+\d{{6}}){{0,2}}(?P<folio>\s+\d{{1,4}})?\s*$"  # + folio
    r"|^\s*\*\d{7,8}\*\s*$"  # barcode as text
    r"|^[\s\ue000-\uf8ff]+$"  # barcode in a symbol font
    r"|^\s*[♲♻]?\s*Please\s+recycle\s*[♲♻]?\s*$",
    re.IGNORECASE,
)
_BARCODE_TOKEN = re.compile(r"(?<!\S)\*\d{7,8}\*(?!\S)\s*")


def is_furniture(line: str) -> bool:
    """True for a line that is only page furniture (a job number, a barcode, "Please recycle")."""
    return bool(line.strip()) and bool(_LINE.match(line))


def folio_of(line: str) -> str | None:
    """The page number printed on a job-number footer line ("GE.09-17088 7" -> "7"), if any."""
    m = _LINE.match(line)
    if not m or not line.strip():
        return None
    folio = m.group("folio") or m.group("lead")
    return folio.strip() if folio else None


def strip_furniture(line: str) -> str:
    """The line without a barcode that pypdf set on the same baseline as real text."""
    return _BARCODE_TOKEN.sub("", line)
