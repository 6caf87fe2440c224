"""Document-level facts read from the masthead and header: symbol, date, language, title, family.

The symbol must come from the masthead or the running header, never from a footnote or the body:
the agenda footnote `* HSP/EB.2021/12` names another document.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .clean import is_cjk
from .dates import find_date
from .language import detect_language
from .masthead import SYMBOL, amended_symbol
from .models import Document, DocumentKind, Passage

__all__ = ["SYMBOL", "detect_language", "find_date", "find_symbol", "document_from_file"]

_LANG_SUFFIX = re.compile(r"\.(?P<lang>[a-z]{2})$")
_BYLINE = re.compile(
    r"^(Note by the|Report of the (Executive Director|Secretary-General|secretariat)|Report by the|"
    r".*秘书处的说明$|.*(执行主任|秘书长)的报告$)"
)


def find_symbol(front_lines: list[str], header_lines: list[str]) -> str | None:
    """A symbol standing alone on a masthead line, or closing the running header."""
    for line in front_lines[:12]:
        m = SYMBOL.fullmatch(line.strip())
        if m:
            return m.group(1)
    for line in header_lines:
        m = re.search(SYMBOL.pattern + r"\s*$", line.strip())
        if m:
            return m.group(1)
    return None


def language_hint(file_name: str) -> str | None:
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    m = _LANG_SUFFIX.search(stem)
    return m.group("lang") if m else None


def family_of(symbol: str | None, file_name: str) -> str:
    if symbol:
        return symbol
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return _LANG_SUFFIX.sub("", stem)


def title_from_groups(groups: list[list[str]], join: object = None) -> str:
    """The title block: the group before the by-line ("Note by the secretariat"), else the last group."""
    groups = [g for g in groups if g]
    if not groups:
        return ""
    idx = len(groups) - 1
    if _BYLINE.match(groups[-1][0]) and len(groups) > 1:
        idx -= 1
    return joined_title(groups[idx])


def joined_title(lines: list[str]) -> str:
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
        elif is_cjk(out[-1]) or is_cjk(line[:1] or "a"):
            out = out + ("" if (is_cjk(out[-1]) and is_cjk(line[0])) else " ") + line
        else:
            out = out + " " + line
    return out


def is_byline(line: str) -> bool:
    return bool(_BYLINE.match(line.strip()))


_MASTHEAD = re.compile(
    r"(^Distr\.|^Original:|^(Chinese|English|French|Spanish|Russian|Arabic)$|^Item \d|provisional agenda|"
    r"议程|session of \d{4}$|会议$|^Online,|^[A-Z][a-z]+, \d|^Executive Board|执行局$|:$|：$)"
)


def title_from_lines(lines: list[str]) -> str:
    """A title from front-matter lines with no blank-line grouping: the run just above the by-line."""
    lines = [ln.strip() for ln in lines if ln.strip()]
    end = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if is_byline(lines[i]):
            end = i
            break
    picked: list[str] = []
    for line in reversed(lines[:end]):
        if SYMBOL.fullmatch(line) or _MASTHEAD.search(line) or find_date([line]) or len(picked) >= 3:
            break
        picked.insert(0, line)
    return joined_title(picked) if picked else (lines[0] if lines else "")


def amendments(documents: list[Document]) -> dict[str, list[str]]:
    """Symbol -> the symbols of the indexed corrigenda and addenda that amend it, in symbol order."""
    out: dict[str, list[str]] = {}
    for d in documents:
        if d.amends and d.symbol and d.symbol not in out.get(d.amends, []):
            out.setdefault(d.amends, []).append(d.symbol)
    return {k: sorted(v) for k, v in out.items()}


def file_sha256(path: Path) -> str:
    """Identity of a source file's bytes: an unchanged file is not parsed again on re-ingest."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def document_from_file(path: Path, *, kind: DocumentKind, fmt: str, title: str, symbol: str | None,
                       language: str, pages: int, passages: list[Passage], date: str | None) -> Document:
    """The facts every reader records the same way: file name, family, bytes' hash and where it was read."""
    return Document(source=path.name, kind=kind, language=language, title=title, symbol=symbol,
                    family=family_of(symbol, path.name), format=fmt, pages=pages,
                    sha256=file_sha256(path), passages=passages, date=date, path=str(path),
                    amends=amended_symbol(symbol))
