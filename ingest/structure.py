"""Board-document structure: numbered paragraphs, lettered sub-items, headings, tables, front matter.

Every reader (PDF, TXT, MD, DOCX) hands over the same thing: a `SourceText` of lines in reading
order, with footnote references already turned into inline markers. A line either starts a unit
(paragraph "12.", sub-item "(c)", heading "II." / "A.", "Table 1") or continues the one before.
A number only starts a paragraph when it continues the sequence, so "2021." or a table row never does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .clean import tidy
from .masthead import Masthead
from .models import HEADING_SEP, Footnote, Passage

# A footnote reference inside text: FN_OPEN + mark + FN_CLOSE (private-use characters).
FN_OPEN = "\ue000"
FN_CLOSE = "\ue001"
_FN_REF = re.compile(f"{FN_OPEN}([^{FN_CLOSE}]*){FN_CLOSE}")

_PARA = re.compile(r"^(\d{1,3})\.(?:\s+|$)(.*)$", re.S)
_SUBITEM = re.compile(r"^\(([a-z])\)(?:\s+|$)(.*)$", re.S)
_ROMAN_HEAD = re.compile(r"^([IVXL]+)\.\s+(\S.*)$", re.S)
_CJK_HEAD = re.compile(r"^([一二三四五六七八九十]+)\s*[.、．]\s*(\S.*)$", re.S)
_LETTER_HEAD = re.compile(r"^([A-Z])\.\s+(\S.*)$", re.S)
_TABLE = re.compile(r"^(?:Table|表)\s*(\d+)(?:\s*[:.：]\s*.*)?$")
_TABLE_ROW_CONT = re.compile(r"^[\d(（–-]")

_CJK_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}

Joiner = Callable[[str, str], str]


@dataclass
class Line:
    text: str
    page: int = 0  # 1-based PDF page; 0 for text sources
    hard: bool = True  # a whole logical block (text sources); PDF lines may continue the previous one


@dataclass
class SourceText:
    """What a reader extracted, before structure is recognised."""

    lines: list[Line]
    footnotes: dict[str, str]  # normalised mark ("*", "1") -> footnote text
    title_hint: str | None = None  # a title the format states explicitly (MD "# ", PDF /Title)
    header_lines: list[str] = field(default_factory=list)  # running header text, for symbol and date
    page_labels: dict[int, str] = field(default_factory=dict)  # PDF page -> printed page number
    masthead: Masthead | None = None  # facts read from page 1 as printed (PDF only)


@dataclass
class _Unit:
    kind: str  # front, para, sub, section, subhead, table
    label: str
    text: str
    pages: set[int]
    parent: str | None = None
    heading: str = ""


def fn_ref(mark: str) -> str:
    return f"{FN_OPEN}{mark}{FN_CLOSE}"


def take_footnote_refs(text: str) -> tuple[str, list[str]]:
    """Remove inline footnote markers; return the clean text and the marks in order of citation."""
    marks = _FN_REF.findall(text)
    return _FN_REF.sub("", text), marks


def roman_value(s: str) -> int:
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN[b] > v else v
    return total


class _State:
    def __init__(self) -> None:
        self.para = 0
        self.letter = ""
        self.section = 0
        self.subhead = ""

    def classify(self, text: str) -> tuple[str, str, str] | None:
        """(kind, label, rest) when the line starts a unit that continues the document's sequences."""
        m = _PARA.match(text)
        if m and int(m.group(1)) == self.para + 1:
            return "para", m.group(1), m.group(2)
        m = _SUBITEM.match(text)
        if m and self.para and ord(m.group(1)) == (ord(self.letter) + 1 if self.letter else ord("a")):
            return "sub", m.group(1), m.group(2)
        m = _ROMAN_HEAD.match(text)
        if m and all(c in _ROMAN for c in m.group(1)) and roman_value(m.group(1)) == self.section + 1:
            return "section", m.group(1), m.group(2)
        m = _CJK_HEAD.match(text)
        if m and all(c in _CJK_NUM for c in m.group(1)) and _cjk_value(m.group(1)) == self.section + 1:
            return "section", m.group(1), m.group(2)
        m = _LETTER_HEAD.match(text)
        if m and ord(m.group(1)) == (ord(self.subhead) + 1 if self.subhead else ord("A")):
            return "subhead", m.group(1), m.group(2)
        t = _TABLE.match(text)
        if t and self.para:
            return "table", t.group(1), text
        return None

    def advance(self, kind: str, label: str) -> None:
        if kind == "para":
            self.para = int(label)
            self.letter = ""
        elif kind == "sub":
            self.letter = label
        elif kind == "section":
            self.section += 1
            self.subhead = ""
        elif kind == "subhead":
            self.subhead = label


def _cjk_value(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CJK_NUM[s[1]]
    if len(s) == 3 and s[1] == "十":
        return _CJK_NUM[s[0]] * 10 + _CJK_NUM[s[2]]
    if len(s) == 2 and s[1] == "十":
        return _CJK_NUM[s[0]] * 10
    return _CJK_NUM.get(s, 0)


def _units(lines: list[Line], join: Joiner) -> list[_Unit]:
    state = _State()
    units: list[_Unit] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        pages = {line.page} if line.page else set()
        start = state.classify(text)
        cur = units[-1] if units else None
        if start is None:
            if cur is None:
                units.append(_Unit("front", "front", text, pages))
            else:
                keep_line = cur.kind in ("front", "table") and _new_row(cur, text, line.hard)
                cur.text = cur.text + "\n" + text if keep_line else join(cur.text, text)
                cur.pages |= pages
            continue
        kind, label, rest = start
        state.advance(kind, label)
        if kind in ("section", "subhead"):
            rest = f"{label}. {rest.strip()}"
        parent = str(state.para) if kind == "sub" else None
        units.append(_Unit(kind, label, rest.strip(), pages, parent=parent))
    # Headings are assigned once all lines are in, since a heading may wrap onto a second line.
    section = subhead = ""
    for u in units:
        if u.kind == "section":
            section, subhead = u.text, ""
        elif u.kind == "subhead":
            subhead = u.text
        elif u.kind in ("para", "sub", "table"):
            u.heading = HEADING_SEP.join(h for h in (section, subhead) if h)
    return units


def _new_row(unit: _Unit, text: str, hard: bool) -> bool:
    """Front matter keeps its lines; a table keeps one row per line (a cell that wrapped is re-joined)."""
    if unit.kind == "front":
        return True
    if hard:
        return True
    return not (_TABLE_ROW_CONT.match(text) or unit.text.endswith("-"))


def build_passages(source: SourceText, join: Joiner) -> list[Passage]:
    """Turn the lines of a board document into citable passages (front, paragraphs, sub-items, tables)."""
    units = _units(source.lines, join)
    passages: list[Passage] = []
    by_para: dict[str, Passage] = {}
    table_no = 0

    def notes(marks: list[str]) -> list[Footnote]:
        seen: list[Footnote] = []
        for mk in marks:
            if mk in source.footnotes and all(f.mark != mk for f in seen):
                seen.append(Footnote(mark=mk, text=source.footnotes[mk]))
        return seen

    for u in units:
        text, marks = take_footnote_refs(u.text)
        text = tidy(text)
        pages = sorted(u.pages)
        if u.kind == "front":
            if passages and passages[-1].kind == "front":
                front = passages[-1]
                front.text = tidy(front.text + "\n" + text)
                front.pages = sorted(set(front.pages) | u.pages)
                front.footnotes.extend(f for f in notes(marks) if f not in front.footnotes)
            else:
                passages.append(Passage("front", "front", text, None, pages=pages, footnotes=notes(marks)))
        elif u.kind == "para":
            p = Passage(
                u.label, "paragraph", text, u.label, heading=u.heading, pages=pages, footnotes=notes(marks)
            )
            passages.append(p)
            by_para[u.label] = p
        elif u.kind == "sub":
            loc = f"{u.parent}({u.label})"
            sub = Passage(
                loc,
                "subitem",
                text,
                loc,
                parent=u.parent,
                heading=u.heading,
                pages=pages,
                footnotes=notes(marks),
            )
            passages.append(sub)
            parent = by_para.get(u.parent or "")
            if parent is not None:
                parent.text = f"{parent.text}\n({u.label}) {text}"
                parent.pages = sorted(set(parent.pages) | u.pages)
                parent.footnotes.extend(f for f in sub.footnotes if f not in parent.footnotes)
        elif u.kind == "table":
            table_no += 1
            loc = (
                f"table{u.label}"
                if not any(p.locator == f"table{u.label}" for p in passages)
                else f"table-{table_no}"
            )
            passages.append(
                Passage(loc, "table", text, None, heading=u.heading, pages=pages, footnotes=notes(marks))
            )
    return passages
