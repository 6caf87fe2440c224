"""Word board documents: body paragraphs and tables in order, footnotes read from `word/footnotes.xml`.

python-docx opens the package and hands us the body; it exposes neither footnotes nor where their
references sit, so references are read from the run XML and the notes from the footnotes part.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from .errors import EmptyFileError, IngestError
from .masthead import FrontLine, read_masthead
from .structure import SourceText, fn_ref
from .textfile import blocks_to_source

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY_START = re.compile(r"^\s*(\d{1,3}\.\s|[IVXL]+\.\s|[一二三四五六七八九十]+\s*[.、．])")


def read_docx(path: Path) -> SourceText:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - python-docx is a declared dependency
        raise IngestError(path, "python-docx is not installed, so Word files cannot be read") from exc
    try:
        document = docx.Document(str(path))
        notes_xml, header_xml = _parts(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(
            path, "not a readable Word (.docx) file: the package is damaged or not a .docx"
        ) from exc
    notes = _footnote_texts(notes_xml)
    counter = _Counter()
    blocks: list[list[str]] = []
    group: list[str] = []
    in_body = False
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            text = _paragraph_text(child, notes, counter)
            lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
            if not in_body and lines and _BODY_START.match(lines[0]):
                in_body = True
                if group:
                    blocks.append(group)
                    group = []
            if not in_body:
                if lines:  # one front-matter paragraph is one group: Word separates them by spacing
                    blocks.append(lines)
            elif lines:
                blocks.append([" ".join(lines)])
        elif child.tag == f"{_W}tbl":
            if group:
                blocks.append(group)
                group = []
            for row in child.iter(f"{_W}tr"):
                cells = [" ".join(_paragraph_text(p, notes, counter).split()) for p in _cells(row)]
                if any(cells):
                    blocks.append([" | ".join(cells)])
    if group:
        blocks.append(group)
    if not blocks:
        raise EmptyFileError(path, "the Word document has no text")
    footnotes = {mark: notes[fid] for fid, mark in counter.used.items() if fid in notes}
    source = blocks_to_source(blocks, footnotes, None)
    source.header_lines = [" ".join(_all_text(h).split()) for h in header_xml if _all_text(h).strip()]
    source.masthead = read_masthead(_front_lines(document))
    return source


def _front_lines(document: Any) -> list[FrontLine]:
    """Page 1 as the masthead reader wants it: the first-page header block, then the body up to its
    first numbered paragraph, each line with the type size and weight its style gives it."""
    section = document.sections[0]
    header = section.first_page_header if section.different_first_page_header_footer else section.header
    lines: list[FrontLine] = []
    for table in header.tables:
        for row in table.rows:
            for cell in row.cells:
                for part in cell.text.split("\n"):
                    if part.strip() and (not lines or lines[-1].text != part.strip()):
                        lines.append(FrontLine(part.strip()))  # merged cells repeat their text
    for p in document.paragraphs[:80]:
        text = " ".join(p.text.split())
        if not text:
            continue
        if _BODY_START.match(text):
            break
        lines.append(FrontLine(text, _style_size(p), _style_bold(p)))
    return lines


def _style_size(p: Any) -> float:
    for run in p.runs:
        if run.text.strip() and run.font.size:
            return float(run.font.size.pt)
    style = p.style
    while style is not None:
        if style.font.size:
            return float(style.font.size.pt)
        style = style.base_style
    return 0.0


def _style_bold(p: Any) -> bool:
    runs = [r.bold for r in p.runs if r.text.strip()]
    if runs and all(b is not None for b in runs):
        return all(runs)
    style = p.style
    while style is not None and style.font.bold is None:
        style = style.base_style
    return bool(style is not None and style.font.bold)


class _Counter:
    """Numbers automatic footnote marks in order; custom marks ("*") keep their own text."""

    def __init__(self) -> None:
        self.n = 0
        self.used: dict[str, str] = {}  # footnote id -> mark


def _parts(path: Path) -> tuple[Any, list[Any]]:
    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        notes = etree.fromstring(zf.read("word/footnotes.xml")) if "word/footnotes.xml" in names else None
        headers = [etree.fromstring(zf.read(n)) for n in names if re.match(r"word/header\d*\.xml$", n)]
    return notes, headers


def _footnote_texts(root: Any) -> dict[str, str]:
    if root is None:
        return {}
    out: dict[str, str] = {}
    for fn in root.iter(f"{_W}footnote"):
        if fn.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        out[fn.get(f"{_W}id")] = " ".join(_all_text(fn).split())
    return out


def _all_text(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(f"{_W}t"))


def _cells(row: Any) -> list[Any]:
    cells = []
    for tc in row.iter(f"{_W}tc"):
        paras = list(tc.iter(f"{_W}p"))
        wrapper = paras[0] if len(paras) == 1 else tc
        cells.append(wrapper)
    return cells


def _paragraph_text(p: Any, notes: dict[str, str], counter: _Counter) -> str:
    parts: list[str] = []
    skip_custom = False
    for el in p.iter():
        tag = el.tag
        if tag == f"{_W}t":
            text = el.text or ""
            if skip_custom:
                skip_custom = False
                continue
            parts.append(text)
        elif tag == f"{_W}tab":
            parts.append(" ")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")  # "UN-Habitat" kept on one line is still hyphenated
        elif tag == f"{_W}footnoteReference":
            fid = el.get(f"{_W}id")
            if el.get(f"{_W}customMarkFollows") in ("1", "true", "on"):
                run = el.getparent()
                texts = [t.text or "" for t in run.iter(f"{_W}t")]
                mark = (texts[0].strip() if texts else "") or "*"
                skip_custom = bool(texts)
            else:
                counter.n += 1
                mark = str(counter.n)
            counter.used[fid] = mark
            parts.append(fn_ref(mark))
    return "".join(parts)
