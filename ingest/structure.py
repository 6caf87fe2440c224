"""Board-document structure: numbered paragraphs, nested sub-items, headings, boxes, agenda items.

Every reader (PDF, TXT, MD, DOCX) hands over the same thing: a `SourceText` of lines in reading
order, with footnote references already turned into inline markers. A line either starts a unit
(paragraph "12." / "15.12" / "44 With", sub-item "(c)" / "(ii)", heading, box, table, agenda item) or
continues the one before. A number only starts a paragraph when it continues its sequence, so "2021.",
a table row, a numbered sub-heading or a footnote never does; an annex starts its own sequence.
The contents page and the footnotes under the page-foot rule are never units at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import outline as ol
from .clean import tidy
from .dates import is_date_line
from .masthead import Masthead
from .models import HEADING_SEP, Footnote, Passage

# A footnote reference inside text: FN_OPEN + mark + FN_CLOSE (private-use characters).
FN_OPEN = "\ue000"
FN_CLOSE = "\ue001"
_FN_REF = re.compile(f"{FN_OPEN}([^{FN_CLOSE}]*){FN_CLOSE}")

_PARA = re.compile(r"^(\d{1,3})\.(?:\s+|$)(.*)$", re.S)
_PARA_NO_STOP = re.compile(r"^(\d{1,3})\s+([A-Z“\"‘(].*)$", re.S)
_DECIMAL = re.compile(r"^(\d{1,2}|[A-Z])\.(\d{1,3})(?:\s+|$)(.*)$", re.S)
_SUBITEM = re.compile(r"^\(([a-z])\)(?:\s+|$)(.*)$", re.S)
_SUBROMAN = re.compile(r"^\(([ivx]{1,5})\)(?:\s+|$)(.*)$", re.S)
_TABLE_ROW_CONT = re.compile(r"^[\d(（–-]")
# a footnote under the rule: its mark as printed, or as a reference when its type showed a superscript
_FOOTNOTE_LINE = re.compile(r"^\ue000?(\d{1,3}|\*{1,3})(?:\ue001\s*|\s+)(\S.*)$")
_MAX_CHAPEAU_LINES = 6
_DOCUMENTATION = re.compile(r"^Documentation\s*:?$", re.I)

_CJK_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}

Joiner = Callable[[str, str], str]


@dataclass
class Line:
    text: str
    page: int = 0  # 1-based PDF page; 0 for text sources
    hard: bool = True  # a whole logical block (text sources); PDF lines may continue the previous one
    bold: bool = False  # set in bold throughout (PDF lines; a heading's usual type)
    row: bool = False  # a row of a table the PDF reader put back where it stands: never a heading


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
    kind: str  # front, para, sub, head, table, box, item, body, figure, adopted
    label: str  # "12", "15.3", "c", "ii", "4" (item); the heading's own text for heads
    text: str
    pages: set[int]
    part: str = ""  # "annex I" when the annex restarts the numbering
    locator: str = ""
    parent: str | None = None
    level: int = 0  # heads only
    heading: str = ""
    first_page: int = 0


_CLOSED = re.compile(r"[.;,:]\s*$")  # a line that ends like a sentence or a list item, not a heading


def _short_unclosed(text: str) -> bool:
    """Short enough for a numbered or lettered heading, and not closed like a sentence."""
    return len(text) <= 100 and not _CLOSED.search(text)


_LAST_LIST_ITEM = re.compile(r"(?:^|\s)[•▪●◦]\s[^•▪●◦]{1,240}$")


def _ends_with_list_item(text: str) -> bool:
    """The unit's text so far ends with a bulleted item: a list item needs no full stop, so a heading
    may follow it directly ("• 31 per cent – increase in … 2023 levels" / "People-centred excellence")."""
    return bool(_LAST_LIST_ITEM.search(take_footnote_refs(text)[0].rstrip()))


def fn_ref(mark: str) -> str:
    return f"{FN_OPEN}{mark}{FN_CLOSE}"


def take_footnote_refs(text: str) -> tuple[str, list[str]]:
    """Remove inline footnote markers; return the clean text and the marks in order of citation."""
    marks = _FN_REF.findall(text)
    return _FN_REF.sub("", text), marks


def roman_value(s: str) -> int:
    total = 0
    s = s.upper()
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = _ROMAN.get(a, 0)
        total += -v if b != " " and _ROMAN.get(b, 0) > v else v
    return total


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


def _number(s: str) -> int:
    return int(s) if s.isdigit() else roman_value(s)


def decimal_prefix(texts: list[str]) -> str | None:
    """The chapter prefix of decimal paragraph numbers ("15" for 15.1, 15.2 …), if the paper uses them."""
    expected: dict[str, int] = {}
    for t in texts:
        m = _DECIMAL.match(t)
        if m and m.group(1).isdigit() and m.group(3)[:1].isupper():
            p, n = m.group(1), int(m.group(2))
            if expected.get(p, 1) <= n <= expected.get(p, 1) + 1:  # one number may be misread
                expected[p] = n + 1
    best = max(expected.items(), key=lambda kv: kv[1], default=None)
    return best[0] if best and best[1] > 3 else None


def agenda_items(texts: list[str]) -> bool:
    """An agenda prints its items as "Item 1", "Item 2" … headings; it has no numbered paragraphs."""
    expected = 1
    for t in texts:
        m = ol.ITEM_HEAD.match(t)
        if m and int(m.group(1)) == expected and (m.group(2) is None or len(m.group(2)) < 100):
            expected += 1
    return expected > 3


class _State:
    """Where the document's sequences stand: paragraph numbers per part, sub-items, heading counters."""

    def __init__(self, decimal: str | None, agenda: bool) -> None:
        self.decimal = decimal
        self.agenda = agenda
        self.part = ""
        self.last: dict[str, int] = {}  # part -> last paragraph number
        self.prefix: dict[str, str] = {}  # part -> decimal prefix
        self.para = ""  # label of the open paragraph
        self.para_part = ""
        self.letter = ""
        self.roman = 0
        self.chapter = 0
        self.section = ""
        self.last_section = "@"
        self.named: dict[str, int] = {}
        self.numhead = 0
        self.item = 0
        self.documents = False  # inside the open agenda item's list of documents
        self.lookahead: list[str] = []

    def enter_part(self, name: str) -> None:
        self.part = name
        self.chapter = 0
        self.section = ""
        self.last_section = "@"
        self.named = {}
        self.numhead = 0

    def paragraph(self, text: str, prev: _Unit | None) -> tuple[str, str, str] | None:
        """(label, part, rest) when the line starts the next numbered paragraph."""
        if self.agenda:
            return None
        part = self.part
        own = self.last.get(part, 0)
        main = self.last.get("", 0)
        if self.decimal:
            m = _DECIMAL.match(text)
            if not m:
                return None
            prefix, n = m.group(1), int(m.group(2))
            want = self.prefix.get(part, self.decimal if not part else "")
            if prefix == want and n == own + 1:
                return f"{prefix}.{n}", part, m.group(3)
            if part and not own and n == 1 and prefix != self.decimal:
                self.prefix[part] = prefix
                return f"{prefix}.{n}", part, m.group(3)
            return None
        m = _PARA.match(text)
        if m:
            n = int(m.group(1))
            if n == own + 1:
                return str(n), part, m.group(2)
            if part and not own and main and n == main + 1:
                return str(n), "", m.group(2)  # the annex goes on with the main numbering
            return None
        m = _PARA_NO_STOP.match(text)
        if m and own and int(m.group(1)) == own + 1 and prev is not None and prev.kind in ("para", "sub"):
            if ol.SENTENCE_END.search(prev.text) and self.stop_follows(own + 2):
                return m.group(1), part, m.group(2)
        return None

    def stop_follows(self, n: int) -> bool:
        """A number printed without its full stop is a lapse only if the next paragraph has its stop."""
        return any(t.startswith(f"{n}. ") for t in self.lookahead)

    def advance_para(self, label: str, part: str) -> None:
        n = int(label.rsplit(".", 1)[-1])
        key = part if part or not self.part else ""
        self.last[key] = n
        if key == "" and self.part and not self.last.get(self.part):
            self.last[self.part] = 0
        self.para, self.para_part = label, key
        self.letter, self.roman = "", 0


def _locator(label: str, part: str) -> str:
    return f"{part}/{label}" if part and "." not in label else label


def _display(label: str, part: str) -> str:
    return f"{label} ({part})" if part and "." not in label else label


class _Reader:
    """One pass over the lines, deciding for each whether it starts a unit or continues one."""

    def __init__(self, texts: list[str], pages: list[int], hards: list[bool], join: Joiner,
                 bolds: list[bool] | None = None, rows: list[bool] | None = None) -> None:
        self.texts, self.pages, self.hards, self.join = texts, pages, hards, join
        self.bolds = bolds or [False] * len(texts)
        self.rows = rows or [False] * len(texts)
        self.bold_headings = any(self.bolds)  # the reader saw the type: headings are set in bold
        self.contents = ol.contents_lines(texts)
        self.zone = ol.footnote_zone(pages, texts) | ol.endnote_zone(texts)
        body = [t for i, t in enumerate(texts) if i not in self.contents]
        self.state = _State(decimal_prefix(body), agenda_items(body))
        self.state.lookahead = body
        self.units: list[_Unit] = []
        self.front: _Unit | None = None
        self.footnotes: list[tuple[str, str]] = []
        self.interrupted: _Unit | None = None  # the unit a box broke into
        self.flat = " ".join(texts)  # every line in one string, for `_wraps_a_name`

    # -- classification ------------------------------------------------------------------------

    def start(self, i: int) -> _Unit | None:
        """The unit line i starts, advancing the sequences, or None when it continues the current one."""
        text, page = self.texts[i], self.pages[i]
        st = self.state
        cur = self.units[-1] if self.units else None
        pages = {page} if page else set()
        m = ol.ANNEX_HEAD.match(text)
        if m:
            name = m.group(1).lower().rstrip("s").replace("annexe", "annex")
            part = f"{name} {m.group(2)}" if m.group(2) else name
            st.enter_part(part)
            return _Unit("head", part, text, pages, level=ol.ANNEX)
        m = ol.DECISION_HEAD.match(text)
        if m and st.part:  # decisions annexed to a session report
            st.part = f"decision {m.group(1)}"
            return _Unit("head", st.part, text, pages, level=ol.NAMED)
        if cur is not None and self._adoption(i, cur):
            part = st.para_part or st.part
            return _Unit("adopted", "adoption", text, pages, part=part, locator=_locator("adoption", part))
        para = st.paragraph(text, cur)
        if para is not None:
            label, part, rest = para
            st.advance_para(label, part)
            return _Unit("para", label, rest.strip(), pages, part=st.para_part,
                         locator=_locator(label, st.para_part))
        if st.para:
            sub = self._subitem(text, pages)
            if sub is not None:
                return sub
        if cur is not None and cur.kind == "table" and st.para:
            t = ol.TABLE_HEAD.match(text)
            if ol.FIGURE_HEAD.match(text):  # the next caption ends the table
                return _Unit("figure", "", text, pages)
            if t and t.group(1) != cur.label:
                return _Unit("table", t.group(1), text, pages)
        if cur is not None and cur.kind == "table" and not self._chapter_after_table(i):
            return None  # a table's category rows ("B. Generation …") are no outline
        # (a caption holds no rows: the heading printed under a figure is the document's next section)
        m = ol.ITEM_HEAD.match(text)
        if m and st.agenda and int(m.group(1)) == st.item + 1:
            st.item += 1
            st.documents = False
            loc = f"item {st.item}"
            return _Unit("item", str(st.item), (m.group(2) or "").strip(), pages, locator=loc)
        m = ol.ROMAN_HEAD.match(text)
        if m and all(c in _ROMAN for c in m.group(1)) and roman_value(m.group(1)) == st.chapter + 1:
            st.chapter += 1
            st.section, st.numhead = "", 0
            return _Unit("head", m.group(1), text, pages, level=ol.CHAPTER)
        m = ol.CJK_HEAD.match(text)
        if m and all(c in _CJK_NUM for c in m.group(1)) and _cjk_value(m.group(1)) == st.chapter + 1:
            st.chapter += 1
            st.section, st.numhead = "", 0
            return _Unit("head", m.group(1), text, pages, level=ol.CHAPTER)
        m = ol.LETTER_HEAD.match(text)
        want = ord(st.section) + 1 if st.section else ord("A")
        if (m and ord(m.group(1)) in (want, ord(st.last_section) + 1)
                and (not st.para or self._heads_paragraphs(i))):
            st.section = st.last_section = m.group(1)  # some papers letter on across chapters
            st.numhead = 0
            return _Unit("head", m.group(1), text, pages, level=ol.SECTION)
        m = ol.NAMED_HEAD.match(text)
        if m:
            word, n = m.group(1), _number(m.group(2))
            if n in (st.named.get(word, 0) + 1, 1):
                st.named[word] = n
                return _Unit("head", f"{word} {n}", text, pages, level=ol.NAMED)
        m = ol.NUMBERED_HEAD.match(text)
        if m and int(m.group(1)) == st.numhead + 1 and self._numbered_heading(i):
            st.numhead += 1
            return _Unit("head", m.group(1), text, pages, level=ol.NUMBERED)
        m = ol.LETTERED_HEAD.match(text)
        if m and self._numbered_heading(i):
            return _Unit("head", m.group(1), text, pages, level=ol.LETTERED)
        t = ol.TABLE_HEAD.match(text)
        if t and st.para:
            return _Unit("table", t.group(1), text, pages)
        if ol.FIGURE_HEAD.match(text) and st.para:
            return _Unit("figure", "", text, pages)
        if ol.BOX_HEAD.match(text) and cur is not None and cur.kind not in ("front", "table", "figure"):
            return _Unit("box", "", text, pages)
        return None

    def _adoption(self, i: int, cur: _Unit) -> bool:
        """The line that closes a resolution or decision once its last paragraph has ended: the meeting
        that adopted it ("54th plenary meeting", then its date) or the date alone (UN-Women's
        decisions). It is a passage of its own, not the end of that paragraph."""
        if cur.kind not in ("para", "sub") or not self._ended(cur):
            return False
        text = self.texts[i].strip()
        if ol.ADOPTION.match(text):
            return True
        if not is_date_line(text):
            return False
        j = self._next(i)  # the date closes the text: a heading, a new part or nothing comes next
        return j is None or not self._continues(j)

    def _continues(self, j: int) -> bool:
        """Whether line j carries on a text (starts lower case) rather than opening something new."""
        return bool(re.match(r"^[a-z(]", self.texts[j].strip()))

    def _subitem(self, text: str, pages: set[int]) -> _Unit | None:
        st = self.state
        base = _locator(st.para, st.para_part)
        m = _SUBROMAN.match(text)
        if m and st.letter and roman_value(m.group(1)) == st.roman + 1:
            want_letter = chr(ord(st.letter) + 1)
            if not (m.group(1) == want_letter and st.roman == 0 and m.group(1) not in ("i",)):
                st.roman += 1
                parent = f"{base}({st.letter})"
                return _Unit("sub", m.group(1), m.group(2).strip(), pages, part=st.para_part,
                             locator=f"{parent}({m.group(1)})", parent=parent)
        m = _SUBITEM.match(text)
        if m and ord(m.group(1)) == (ord(st.letter) + 1 if st.letter else ord("a")):
            st.letter, st.roman = m.group(1), 0
            return _Unit("sub", m.group(1), m.group(2).strip(), pages, part=st.para_part,
                         locator=f"{base}({m.group(1)})", parent=base)
        return None

    def _chapter_after_table(self, i: int) -> bool:
        """The next chapter's heading under a table: "III. Status of …", its wrapped lines, then the
        next numbered paragraph (a table's own rows never run on into the paragraph numbering); or a
        lettered sub-heading right above the next paragraph ("a. Business unit audits" / "31. …")."""
        if ol.LETTERED_HEAD.match(self.texts[i]) and self._numbered_heading(i):
            return True
        named = ol.NAMED_HEAD.match(self.texts[i])  # "Subprogramme 2" after subprogramme 1's table
        if named and self.state.named.get(named.group(1), 0) and (
                _number(named.group(2)) == self.state.named[named.group(1)] + 1):
            return True
        m = ol.ROMAN_HEAD.match(self.texts[i])
        if not (m and all(c in _ROMAN for c in m.group(1))
                and roman_value(m.group(1)) == self.state.chapter + 1):
            return False
        j = self._next(i)
        while j is not None and ol.opens_phrase(self.texts[j]) and not self._starts_anything(self.texts[j]):
            j = self._next(j)
        return j is not None and self._opens_paragraph(self.texts[j])

    def _in_figure_or_table(self, cur: _Unit, i: int) -> bool:
        """Under a figure or in a table, in a paper that sets its headings in bold, a line in regular
        type is the chart's or the table's own (a legend, "Planned Actual"; a source line; a row of
        one cell, "Mexico"), not the next heading."""
        return cur.kind in ("figure", "table") and self.bold_headings and not self.bolds[i]

    def _heads_paragraphs(self, i: int) -> bool:
        """A lettered section heading is followed by the next numbered paragraph before the next
        section or chapter heading: a table's category rows ("B. Generation and transfer of
        knowledge", "C. Substantive deliverables") head none."""
        j = self._next(i)
        while j is not None:
            text = self.texts[j]
            if self._opens_paragraph(text):
                return True
            if ol.LETTER_HEAD.match(text) or ol.ROMAN_HEAD.match(text) or ol.ANNEX_HEAD.match(text):
                return False
            j = self._next(j)
        return True

    def _numbered_heading(self, i: int) -> bool:
        """A short numbered (or lettered) line that is no paragraph, followed by the next paragraph,
        directly or under a sub-heading ("2. Civil and political rights" / "Right to life, liberty and …",
        "1. Policy on asylum …" / "a) Evolution of the Italian society")."""
        if not _short_unclosed(self.texts[i]):
            return False
        text, nxt = self._wrapped(i)
        if nxt is None or _CLOSED.search(text):
            return False
        if self._opens_paragraph(self.texts[nxt]) or self._plain_heading(nxt, 1):
            return True
        after = self._next(nxt)  # "1. Policy on asylum …" / "a) Evolution of the Italian society" / "53. …"
        return (bool(ol.LETTERED_HEAD.match(self.texts[nxt])) and _short_unclosed(self.texts[nxt])
                and after is not None and self._opens_paragraph(self.texts[after]))

    def _wrapped(self, i: int) -> tuple[str, int | None]:
        """Line i with the lines a heading wraps onto (lower-case starts, never the next paragraph:
        "11. Reaffirms …", "15.36 To support …"), and the index of the line after them."""
        phrase, j = self.texts[i], self._next(i)
        while (j is not None and ol.opens_phrase(self.texts[j]) and len(phrase) < 200
               and not self._starts_anything(self.texts[j])):
            phrase += " " + self.texts[j]
            j = self._next(j)
        return phrase, j

    def _opens_paragraph(self, text: str) -> bool:
        st = self.state
        own = st.last.get(st.part, 0)
        if st.decimal:
            m = _DECIMAL.match(text)
            return bool(m and int(m.group(2)) in (own + 1, 1))
        m = _PARA.match(text)
        return bool(m and int(m.group(1)) in (own + 1, 1))

    def _starts_anything(self, text: str) -> bool:
        """State-free: could this line open a unit (paragraph, heading, item, box, table)?"""
        if self._opens_paragraph(text) or _SUBITEM.match(text):
            return True
        return any(p.match(text) for p in (ol.ANNEX_HEAD, ol.ROMAN_HEAD, ol.LETTER_HEAD, ol.NAMED_HEAD,
                                            ol.ITEM_HEAD, ol.TABLE_HEAD, ol.BOX_HEAD, ol.CJK_HEAD))

    def _next(self, i: int) -> int | None:
        for j in range(i + 1, len(self.texts)):
            if j not in self.contents and j not in self.zone:
                return j
        return None

    def _plain_heading(self, i: int, depth: int = 0) -> bool:
        """An unnumbered heading: a capitalised phrase with no closing punctuation, between the end of
        one unit and the start of the next (possibly after other headings or its own wrapped line)."""
        if not ol.heading_like(take_footnote_refs(self.texts[i])[0].strip(), 200 if self.hards[i] else 120):
            return False  # (a note cited in the heading is no digit of a table row: "Women⁵")
        phrase, j = self._wrapped(i)
        if j is None or not ol.one_phrase(take_footnote_refs(phrase)[0]):
            return False
        if self._starts_anything(self.texts[j]):
            return True
        if depth < 2 and self._plain_heading(j, depth + 1):
            return True
        return depth == 0 and self._chapeau(j)

    def _chapeau(self, j: int) -> bool:
        """A sentence that introduces the numbered paragraphs under a heading ("Guided by these
        principles, we hereby pledge to:"): capitalised, a few lines, ending in a colon, then the next
        paragraph."""
        if not self.texts[j][:1].isupper():
            return False
        k: int | None = j
        for _ in range(_MAX_CHAPEAU_LINES):
            if k is None or (k != j and self._starts_anything(self.texts[k])):
                return False
            if self.texts[k].rstrip().endswith(":"):
                nxt = self._next(k)
                return nxt is not None and self._opens_paragraph(self.texts[nxt])
            k = self._next(k)
        return False

    # -- the pass ------------------------------------------------------------------------------

    def run(self) -> list[_Unit]:
        prev_page = 0
        for i, text in enumerate(self.texts):
            page = self.pages[i]
            pages = {page} if page else set()
            if i in self.zone:
                self._footnote_line(text)
                continue
            if i in self.contents:
                self._to_front(text, pages)
                continue
            cur = self.units[-1] if self.units else None
            if cur is not None and cur.kind == "table" and self.rows[i]:
                self._glue(cur, text, pages, True)  # the reader saw the table: a row stays a row
                prev_page = page or prev_page
                continue
            unit = self.start(i)
            if unit is not None:
                if unit.kind == "box":
                    self.interrupted = cur if cur is not None and cur.kind != "box" else self.interrupted
                unit.first_page = page
                self.units.append(unit)
            elif cur is None or cur.kind == "front":
                self._to_front(text, pages)
            elif self._document_listed(cur, i):
                self._glue(cur, text, pages, self.hards[i])
            elif cur.kind == "box" and page != prev_page and self.interrupted is not None:
                self._glue(self.interrupted, text, pages, self.hards[i])  # the text the box broke into
                self.units.append(self.units.pop(self.units.index(self.interrupted)))
                self.interrupted = None
            elif cur.kind == "adopted" and is_date_line(text) and "\n" not in cur.text:
                cur.text += "\n" + text
                cur.pages |= pages
            elif cur.kind in ("head", "adopted"):
                self._after_heading(i, cur, pages)
            elif _bare_caption(cur):  # "Figure 15.II", "Table 15.1": the title is printed below
                cur.text = self.join(cur.text, text)
                cur.pages |= pages
            elif (cur.kind in ("para", "sub", "body", "item", "table", "figure")
                  and (((self._ended(cur) or cur.kind in ("table", "figure")) and self._plain_heading(i)
                        and not self._in_figure_or_table(cur, i))
                       or ((_ends_with_list_item(cur.text) or (cur.kind in ("para", "sub", "body")
                                                                   and self._bold_heading(i)))
                           and self._heading_over_paragraph(i)))):
                self.units.append(_Unit("head", text, text, pages, level=ol.PLAIN, first_page=page))
            else:
                self._glue(cur, text, pages, self.hards[i])
            prev_page = page or prev_page
        return self.units

    def _document_listed(self, cur: _Unit, i: int) -> bool:
        """Line i belongs to the list of documents an agenda prints under an item ("Documentation:"
        and one title a line, "… (DP/2025/10)"). The list runs to the next item: a title is never a
        heading, however it ends. Only a bold line, in a paper whose headings the reader saw in bold,
        heads what follows ("UNDP segment")."""
        st = self.state
        if not st.agenda or cur.kind != "item":
            return False
        if _DOCUMENTATION.match(self.texts[i].strip()):
            st.documents = True
            return True
        return st.documents and not (self.bold_headings and self.bolds[i])

    def _heading_over_paragraph(self, i: int) -> bool:
        """A heading right above the next numbered paragraph, after text that may end without a stop:
        a list item, or anything when the heading is set in bold (`_bold_heading`); nothing less shows
        it is no wrapped line of that text. A bold heading may wrap onto bold lines of its own."""
        j = self._next(i)
        while j is not None and self.bolds[i] and self.bolds[j] and j - i < 3:
            j = self._next(j)
        return (j is not None and ol.heading_like(take_footnote_refs(self.texts[i])[0].strip())
                and self._opens_paragraph(self.texts[j]))

    def _bold_heading(self, i: int) -> bool:
        """Line i opens a run of bold lines that the line before does not belong to, and is no caption
        (a figure's or table's title is bold too, and heads no paragraphs)."""
        text = self.texts[i]
        return (self.bolds[i] and i > 0 and not self.bolds[i - 1]
                and not (ol.FIGURE_HEAD.match(text) or ol.TABLE_HEAD.match(text)))

    def _ended(self, unit: _Unit) -> bool:
        return bool(ol.SENTENCE_END.search(take_footnote_refs(unit.text)[0]))

    def _after_heading(self, i: int, head: _Unit, pages: set[int]) -> None:
        text = self.texts[i]
        words = head.text.split()
        unclosed = head.text.rstrip().endswith(("-", ",", "–")) or (
            bool(words) and words[-1] in ("and", "of", "for", "the"))  # "… rights to land" is closed
        if head.kind == "head" and (ol.opens_phrase(text) or unclosed or self._wraps_a_name(head, i)):
            self._glue(head, text, pages, True)
        elif self._plain_heading(i):
            self.units.append(_Unit("head", text, text, pages, level=ol.PLAIN, first_page=self.pages[i]))
        elif (head.kind == "head" and head.level in (ol.ANNEX, ol.NAMED, ol.CHAPTER) and len(head.text) < 30
              and ol.heading_like(text)):
            self._glue(head, text, pages, True)  # "Annex I" / "Global Digital Compact"
        else:
            n = sum(1 for u in self.units if u.kind == "body") + 1
            self.units.append(_Unit("body", str(n), text, pages, part=self.state.part,
                                    locator=f"text-{n}", first_page=self.pages[i]))

    def _wraps_a_name(self, head: _Unit, i: int) -> bool:
        """A bold heading wrapped inside a name ("… to achieve the Sustainable" / "Development Goals",
        "… UNAIDS Programme" / "Coordinating Board"): line i is bold like the heading line above it, both
        words at the break are capitalised, the line reads as a heading, and the paper prints the two
        words together elsewhere. A heading under a heading ("Declaration on Future Generations" /
        "Preamble") joins no words it prints."""
        if not (self.bold_headings and self.bolds[i] and i > 0 and self.bolds[i - 1]
                and ol.heading_like(self.texts[i].strip())):
            return False
        if re.search(r"[.;:]\s", re.sub(r"^\S+\.\s+", "", head.text)):
            return False  # a bold sentence ("Action 16. We will promote … between Member"), no heading
        before, after = head.text.split(), self.texts[i].split()
        if not (before and after and before[-1][:1].isupper() and after[0][:1].isupper()):
            return False
        pair = re.compile(rf"(?<!\S){re.escape(before[-1])}\s+{re.escape(after[0])}(?!\S)")
        return len(pair.findall(self.flat)) > 1  # the break itself is one

    def _glue(self, unit: _Unit, text: str, pages: set[int], hard: bool) -> None:
        keep_line = unit.kind in ("front", "table") and _new_row(unit, text, hard)
        unit.text = unit.text + "\n" + text if keep_line else self.join(unit.text, text)
        unit.pages |= pages

    def _to_front(self, text: str, pages: set[int]) -> None:
        if self.front is None:
            self.front = _Unit("front", "front", text, pages)
            self.units.insert(0, self.front)
        else:
            self.front.text += "\n" + text
            self.front.pages |= pages

    def _footnote_line(self, text: str) -> None:
        if ol.FOOTNOTE_RULE.match(text):
            return
        m = _FOOTNOTE_LINE.match(text)
        if m:
            self.footnotes.append((m.group(1), m.group(2)))
        elif self.footnotes:
            mark, body = self.footnotes[-1]
            self.footnotes[-1] = (mark, self.join(body, text))


def _assign_headings(units: list[_Unit]) -> None:
    """Heading paths, once all lines are in (a heading may wrap onto a second line)."""
    stack: list[tuple[int, str]] = []
    prev_head = False
    for u in units:
        if u.kind == "head":
            text = take_footnote_refs(u.text)[0].strip()
            keep_plain = u.level == ol.PLAIN and prev_head and stack and stack[-1][0] == ol.PLAIN
            if not keep_plain:
                stack = [(lv, t) for lv, t in stack if lv < u.level]
            stack.append((u.level, tidy(text)))
            prev_head = True
            continue
        prev_head = False
        if u.kind != "front":
            u.heading = HEADING_SEP.join(t for _, t in stack)


def _new_row(unit: _Unit, text: str, hard: bool) -> bool:
    """Front matter keeps its lines; a table keeps one row per line (a cell that wrapped is re-joined)."""
    if unit.kind == "front":
        return True
    if hard:
        return True
    return not (_TABLE_ROW_CONT.match(text) or unit.text.endswith("-"))


_BARE_CAPTION = re.compile(
    r"(?:Table|Figure|Chart|Graph|Map|表|图)\s*(?:[A-Z]\.)?[\dIVXL]+(?:\.[\dIVXL]+)?[.:：]?")


def _bare_caption(unit: _Unit) -> bool:
    """A figure's or table's label with nothing after it yet ("Figure 15.II", "Table 3.", "表 2")."""
    return unit.kind in ("figure", "table") and bool(_BARE_CAPTION.fullmatch(unit.text.strip()))


def _units(lines: list[Line], join: Joiner) -> tuple[list[_Unit], list[tuple[str, str]]]:
    kept = [ln for ln in lines if ln.text.strip()]
    texts = [ln.text.strip() for ln in kept]
    reader = _Reader(texts, [ln.page for ln in kept], [ln.hard for ln in kept], join,
                     [ln.bold for ln in kept], [ln.row for ln in kept])
    units = reader.run()
    _assign_headings(units)
    return units, reader.footnotes


def has_board_structure(source: SourceText) -> bool:
    """Numbered paragraphs (three in sequence, plain or decimal) or agenda items: a board paper."""
    texts = [ln.text.strip() for ln in source.lines]
    if agenda_items(texts) or decimal_prefix(texts):
        return True
    expected = 1
    for t in texts:
        m = re.match(r"^(\d{1,3})\.\s", t)
        if m and int(m.group(1)) == expected:
            expected += 1
            if expected > 3:
                return True
    return False


def build_passages(source: SourceText, join: Joiner) -> list[Passage]:
    """Turn the lines of a board document into citable passages (front, paragraphs, sub-items, boxes,
    agenda items, tables, unnumbered text under a heading)."""
    units, zone_notes = _units(source.lines, join)
    footnotes = dict(source.footnotes)
    for mark, text in zone_notes:
        footnotes.setdefault(mark, text)
    passages: list[Passage] = []
    by_loc: dict[str, Passage] = {}
    table_no = box_no = 0

    def notes(marks: list[str]) -> list[Footnote]:
        seen: list[Footnote] = []
        for mk in marks:
            if mk in footnotes and all(f.mark != mk for f in seen):
                seen.append(Footnote(mark=mk, text=footnotes[mk]))
        return seen

    heading_marks: list[str] = []  # notes cited in a heading go with the first passage under it
    for u in units:
        text, marks = take_footnote_refs(u.text)
        text = tidy(text)
        pages = sorted(u.pages)
        if u.first_page and pages and pages[0] != u.first_page:
            pages = sorted(set(pages) | {u.first_page})
        if u.kind == "head":
            heading_marks.extend(marks)
            continue
        if u.kind != "front":
            marks, heading_marks = heading_marks + marks, []
        if u.kind == "front":
            passages.append(Passage("front", "front", text, None, pages=pages, footnotes=notes(marks)))
        elif u.kind == "para":
            p = Passage(u.locator, "paragraph", text, _display(u.label, u.part), heading=u.heading,
                        pages=pages, footnotes=notes(marks), part=u.part)
            passages.append(p)
            by_loc[u.locator] = p
        elif u.kind == "sub":
            display = _display(u.locator[len(u.part) + 1:] if u.part else u.locator, u.part)
            sub = Passage(u.locator, "subitem", text, display, parent=u.parent, heading=u.heading,
                          pages=pages, footnotes=notes(marks), part=u.part)
            passages.append(sub)
            by_loc[u.locator] = sub
            parent = by_loc.get(u.parent or "")
            while parent is not None:  # "91(a)(i)" also reads inside 91(a) and 91
                parent.text = f"{parent.text}\n({u.label}) {text}"
                parent.pages = sorted(set(parent.pages) | u.pages)
                parent.footnotes.extend(f for f in sub.footnotes if f not in parent.footnotes)
                parent = by_loc.get(parent.parent or "")
        elif u.kind == "item":
            loc = u.locator
            passages.append(Passage(loc, "item", text, loc, heading=u.heading, pages=pages,
                                    footnotes=notes(marks)))
        elif u.kind == "box":
            box_no += 1
            loc = f"box-{box_no}"
            passages.append(Passage(loc, "box", text, loc, heading=u.heading, pages=pages,
                                    footnotes=notes(marks)))
        elif u.kind == "adopted":
            loc, n = u.locator, 1
            while loc in by_loc:
                n += 1
                loc = f"{u.locator}-{n}"
            label = loc[len(u.part) + 1:] if u.part else loc
            by_loc[loc] = p = Passage(loc, "body", text, _display(label, u.part), heading=u.heading,
                                      pages=pages, footnotes=notes(marks), part=u.part)
            passages.append(p)
        elif u.kind == "body":
            passages.append(Passage(u.locator, "body", text, u.locator, heading=u.heading, pages=pages,
                                    footnotes=notes(marks)))
        elif u.kind == "figure":
            box_no += 1
            loc = f"figure-{box_no}"
            passages.append(Passage(loc, "caption", text, None, heading=u.heading, pages=pages,
                                    footnotes=notes(marks)))
        elif u.kind == "table":
            table_no += 1
            loc = f"table{u.label}"
            if any(p.locator == loc for p in passages):
                loc = f"table-{table_no}"
            passages.append(
                Passage(loc, "table", text, None, heading=u.heading, pages=pages, footnotes=notes(marks))
            )
    return passages
