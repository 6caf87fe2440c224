"""The plain-text twin of a designed report: `#` headings, `[BOX]` panels, `Table N:` grids, `- ` lists.

The board-document `.txt` reader anchors on numbered paragraphs and has nothing to hold on to in
this markup, so it is read here into the same passage kinds the report PDF gives (body, box, table,
list, caption), under the same heading paths, with no pages: a text file has none. Locators are
`t1`, `t2`, … in reading order, and the cover block is the front matter.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import NoStructureError
from .models import HEADING_SEP, Document, Passage, PassageKind
from .report import report_date, report_document
from .textfile import read_text

_HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}\.\s")
_TABLE = re.compile(r"^(?:Table|Tableau|Cuadro)\s+\w+\s*[:.]\s*\S", re.IGNORECASE)
_TITLE_WORDS = re.compile(r"\b(report|review|yearbook|rapport|informe)\b", re.IGNORECASE)


def is_report_markup(text: str) -> bool:
    """`#` headings and no run of numbered paragraphs: a report's text, not a board document's."""
    lines = text.split("\n")
    headings = sum(1 for ln in lines if _HEADING.match(ln))
    numbered = sum(1 for ln in lines if _NUMBERED.match(ln))
    return headings >= 2 and numbered < 3


def parse_report_text(path: Path) -> Document:
    """A report's `.txt` markup as a Document of kind `report` (pages empty)."""
    path = Path(path)
    raw = read_text(path)
    lines = [ln.rstrip() for ln in raw.replace("\r\n", "\n").split("\n") if not ln.startswith("%")]
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", "\n".join(lines)) if b.strip()]
    cover: list[str] = []
    path_parts: list[str] = []
    passages: list[Passage] = []
    started = False
    for block in blocks:
        rows = block.split("\n")
        while rows and (m := _HEADING.match(rows[0])):  # a heading, maybe with text right under it
            level = len(m.group(1))
            path_parts = path_parts[: level - 1] + [""] * max(0, level - 1 - len(path_parts)) + [m.group(2)]
            started = True
            rows = rows[1:]
        if not rows:
            continue
        if not started:
            cover.extend(r.strip() for r in rows)
            continue
        heading = HEADING_SEP.join(p for p in path_parts if p)
        for kind, text in _units(rows):
            locator = f"t{len(passages) + 1}"
            passages.append(Passage(locator, kind, text, paragraph=locator, heading=heading))
    if not passages:
        raise NoStructureError(path, "no headings with text under them: nothing to cite in this report")
    title = _cover_title(cover) or path.name.split(".", 1)[0]
    if cover:
        passages.insert(0, Passage("front", "front", "\n".join(cover), paragraph=None))
    return report_document(path, "txt", title, 0, passages, report_date(title, ["\n".join(cover)], []))


def _units(rows: list[str]) -> list[tuple[PassageKind, str]]:
    """One block's passages: a box, a table, a list, a photo caption, or one body passage a line."""
    first = rows[0].strip()
    if first.startswith("[BOX]"):
        body = [_item(r) for r in rows[1:] if r.strip()]
        return [("box", "\n".join([first.removeprefix("[BOX]").strip(), *body]))]
    if _TABLE.match(first) and len(rows) > 1 and all(" | " in r for r in rows[1:]):
        return [("table", "\n".join(r.strip() for r in rows))]
    if all(r.lstrip().startswith("- ") for r in rows):
        return [("list", "\n".join(_item(r) for r in rows))]
    out: list[tuple[PassageKind, str]] = []
    for row in rows:
        text = row.strip()
        if text.startswith("[PHOTO]"):
            out.append(("caption", text.removeprefix("[PHOTO]").strip()))
        elif text:
            out.append(("body", text))
    return out


def _item(row: str) -> str:
    text = row.strip()
    return f"• {text[2:].strip()}" if text.startswith("- ") else text


def _cover_title(cover: list[str]) -> str:
    """The cover line naming the report (with a one-word brand line above it), then the subtitle."""
    for i, line in enumerate(cover):
        if _TITLE_WORDS.search(line):
            title = line
            if i and len(cover[i - 1].split()) == 1:
                title = f"{cover[i - 1]} {title}"
            if i + 1 < len(cover):
                title = f"{title}. {cover[i + 1]}"
            return title
    return ". ".join(cover[1:3] if len(cover) > 2 else cover)
