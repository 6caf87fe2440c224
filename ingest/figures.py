"""Chart labels out of a board document's page text: text drawn inside a figure, not in the reading flow.

Word draws a page's running text top to bottom, and a chart or diagram placed on the page as a float
is drawn after it (or before it), its labels at the chart's own positions. pypdf's plain text gives
them in drawing order, so a chart's axis values, legend and data labels ("87% >= 90% Progress",
"$65.5 M $62.3 M") land at the end of whatever paragraph the page happened to end on.

Geometry tells them apart without any list of label words:
- the page's flow is the heaviest run of lines, in drawing order, that only ever moves down the page;
  a line drawn back above text already drawn is out of the flow (a float, a table column, a text box);
- a figure occupies a region the flow skips: the out-of-flow lines lie in a vertical gap of the flow
  several body lines high;
- what a chart prints there is labels: short fragments, mostly numbers, percentages, amounts, years.
A run of out-of-flow lines that is all three is a figure. Its labels are dropped; what it says in
sentences (a caption "Figure 2: …", a "Note: …" under the chart) is kept and put back where the figure
stands on the page, so a caption passage carries it and no numbered paragraph does. A table drawn out
of order (rows of a label and its figures, standing in such a gap) is put back whole where it stands,
under its "Table 6." caption, so its rows no longer end the paragraph the page was drawn down to.
Out-of-flow text that reads as prose (a Spotlight box, a table column) is left exactly as pypdf gave it.

Before any of this the page's footnote marks are found by their type (`ingest.marks`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .furniture import is_furniture
from .marks import Segment, mark_footnotes
from .outline import FIGURE_HEAD, TABLE_HEAD
from .xforms import PlacedText

_NUMERIC = re.compile(
    r"[-–−+<>=≥≤(~]*[$€£¥]?\d[\d.,/\-–]*(?:%|M|bn|k|m)?\)?[,;:]?"
    r"|[-–−<>=≥≤%$€£]+|M|bn|\((?:actual|planned|est\.?|estimated|target)\)"
)
_GAP_LINES = 3.5  # a figure's region: a gap in the flow at least this many body sizes high
_IN_GAP_SHARE = 0.8  # of a run's lines, for the run to stand in such a gap
_CLEARANCE = 1.2  # body sizes from a figure's line to the nearest flow line (a table's header row is closer)
# (share of a run's lines that are numbers, share that are numbers or short labels) for chart labels
_LABEL_MIXES = ((0.4, 0.7), (0.25, 0.9))
_BULLET = re.compile(r"[-–•▪◦·]")
_JOB_FOOTER = re.compile(r"^\s*(?:\d{1,4}\s+)?\d{2}-\d{5}[A-Z]?(?:\s+\d{1,4})?\s*$")  # "25-10740 15"
_PARAGRAPH_START = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})?\.?\s*[A-Z“\"(][a-z]")
_SHORT_WORDS = 6
_PROSE_WORDS = 10


@dataclass
class PageLine:
    """One line of pypdf's page text, with where its first fragment was drawn."""

    text: str
    y: float = 0.0
    size: float = 0.0
    chars: int = 0
    frags: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y, size)
    segments: list[Segment] = field(default_factory=list)  # every piece of its text, blanks too
    bold_chars: int = 0  # of `chars`, those set in a bold face
    in_form: bool = False  # drawn by an embedded object (a Word table or chart), never the flow

    @property
    def bold(self) -> bool:
        """Set in bold throughout (a heading), not a bold word or lead-in inside a line."""
        return self.chars > 0 and self.bold_chars >= 0.9 * self.chars

    @property
    def words(self) -> list[str]:
        """The line's words, a leading bullet left out (a "- Governance" list item is no number)."""
        words = self.text.split()
        return words[1:] if len(words) > 1 and _BULLET.fullmatch(words[0]) else words


class Piece(NamedTuple):
    """A fragment as pypdf's visitor hands it out, placed on the page."""

    text: str
    x: float
    y: float
    size: float
    bold: bool
    in_form: bool = False


@dataclass
class LineMarks:
    """What a page's lines are, beyond their text, keyed by the (stripped) line text."""

    bold: set[str] = field(default_factory=set)  # set in bold throughout (a heading's usual type)
    rows: set[str] = field(default_factory=set)  # rows of a table put back where it stands
    small: set[str] = field(default_factory=set)  # set smaller than the page's body text (a note's type)


Visitor = Callable[[str, list[float], list[float], Any, float], None]


def is_bold_font(font: Any) -> bool:
    """Whether a PDF font resource is a bold face, by its name ("Times-Bold", "ABCDEF+Arial,Bold")."""
    name = str(font.get("/BaseFont", "")).lower() if isinstance(font, dict) else ""
    return any(w in name for w in ("bold", "black", "heavy"))


def page_text(page: Any, also: Visitor | None = None, marks: LineMarks | None = None) -> str:
    """pypdf's text of a page, footnote marks in superscript digits and the labels of its charts left
    out (the text unchanged if it has neither). `also` sees every fragment pypdf reports, placed on
    the page; `marks` receives the lines set in bold throughout, those set smaller than the body
    text and the rows of the tables put back in place."""
    pieces: list[Piece] = []
    placed = PlacedText(page)

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        pieces.append(Piece(text, x, y, size * abs(tm[3] or 1) * abs(cm[3] or 1), is_bold_font(font),
                            placed.in_form))
        if also is not None:
            also(text, cm, tm, font, size)

    text = placed.extract(visitor_text=visit)
    if "".join(p.text for p in pieces) != text:
        return text  # pypdf changed how it reports fragments: never risk the page's text
    lines = split_lines(pieces)
    lines = mark_footnotes(lines)
    size = body_size(lines)
    if marks is not None:
        marks.bold.update(ln.text.strip() for ln in lines if ln.bold)
        marks.small.update(ln.text.strip() for ln in lines if ln.chars and ln.size < 0.9 * size)
    kept = without_charts(lines, marks.rows if marks is not None else None, size)
    return "\n".join(ln.text for ln in lines) if kept is None else "\n".join(kept)


def split_lines(pieces: list[Piece]) -> list[PageLine]:
    """The page text's lines (split where pypdf put a newline), each with its fragments' positions."""
    lines = [PageLine("")]
    for text, x, y, size, bold, in_form in pieces:
        for k, seg in enumerate(text.split("\n")):
            if k:
                lines.append(PageLine(""))
            line = lines[-1]
            line.text += seg
            line.segments.append((seg, y, size))
            if seg.strip():
                if not line.frags:
                    line.y = y
                    line.in_form = in_form
                else:
                    line.in_form = line.in_form and in_form
                line.frags.append((x, y, size))
                line.size = max(line.size, size)
                line.chars += len(seg.strip())
                line.bold_chars += len(seg.strip()) if bold else 0
    return lines


def flow(lines: list[PageLine], size: float) -> set[int]:
    """Indexes of the page's reading flow: the heaviest chain of lines, in drawing order, going down.

    A line weighs its characters, a third of that when set smaller than the body text: a chart's
    many small labels must not outweigh the paragraph drawn before it. What embedded objects draw
    is never the flow, unless the page draws nothing else.
    """
    idx = _own([i for i, ln in enumerate(lines) if ln.chars], lines)
    weight = {i: lines[i].chars * (1.0 if lines[i].size >= 0.95 * size else 0.3) for i in idx}
    best: dict[int, float] = {}
    back: dict[int, int | None] = {}
    for pos, i in enumerate(idx):
        best[i], back[i] = weight[i], None
        for j in idx[:pos]:
            # a line may sit a little above the one before it (a raised footnote mark on its own line)
            if lines[i].y <= lines[j].y + 0.6 * max(lines[j].size, 1.0) and best[j] + weight[i] > best[i]:
                best[i], back[i] = best[j] + weight[i], j
    if not best:
        return set()
    end: int | None = max(best, key=lambda k: best[k])
    chain: set[int] = set()
    while end is not None:
        chain.add(end)
        end = back[end]
    return chain


def body_size(lines: list[PageLine]) -> float:
    """The type size most of the page's own characters (not an embedded table's) are set in."""
    weights: Counter[float] = Counter()
    for ln in [lines[i] for i in _own(list(range(len(lines))), lines)]:
        for _, _, size in ln.frags:
            weights[round(size, 1)] += 1
    return weights.most_common(1)[0][0] if weights else 10.0


def _own(idx: list[int], lines: list[PageLine]) -> list[int]:
    """Of these lines, those the page draws itself, if it draws any text itself."""
    own = [i for i in idx if not lines[i].in_form]
    return own if any(lines[i].chars for i in own) else idx


def without_charts(lines: list[PageLine], rows: set[str] | None = None,
                   size: float | None = None) -> list[str] | None:
    """The page's line texts with its figures' labels dropped and its tables drawn out of order put
    back where they stand, or None when the page has neither; `rows` receives those tables' rows,
    `size` is the page's `body_size` when the caller has it."""
    size = body_size(lines) if size is None else size
    in_flow = flow(lines, size)
    if not in_flow:
        return None
    groups = _groups(lines, in_flow, size)
    text_flow = in_flow - {i for g in groups for i in g}
    flow_ys = sorted((lines[i].y for i in text_flow), reverse=True)
    standing = [g for g in groups if _in_gap(g, lines, flow_ys, size)]
    tables = [g for g in standing if is_table([lines[i] for i in g])]
    figures = [g for g in standing if g not in tables and is_chart([lines[i] for i in g])]
    if not figures and not tables:
        return None
    moved = {i for g in figures + tables for i in g}
    inserts: dict[int, list[str]] = {}  # line index -> figure or table text to put before it
    placed_rows = [(g, table_rows([lines[i] for i in g])) for g in tables]
    if rows is not None:
        rows.update(r.strip() for _, table in placed_rows for r in table)
    for g, keep in [(g, kept_text([lines[i] for i in g])) for g in figures] + placed_rows:
        if keep:  # where it stands: before the first text line drawn below its top
            top = max(lines[i].y for i in g)
            at = next((i for i in sorted(text_flow) if lines[i].y < top), len(lines))
            inserts.setdefault(at, []).extend(keep)
    out: list[str] = []
    for i, ln in enumerate(lines):
        out.extend(inserts.get(i, []))
        if i not in moved:
            out.append(ln.text)
    out.extend(inserts.get(len(lines), []))
    return out


def _groups(lines: list[PageLine], in_flow: set[int], size: float) -> list[list[int]]:
    """Out-of-flow lines, each run grown over the numbers drawn next to it that the flow happened to
    take in (a chart under the page's last paragraph goes on down the page too). Page furniture (a
    job number, a folio) is never part of one: the page-number reader needs it."""
    order = [i for i, ln in enumerate(lines) if ln.chars]
    taken: set[int] = set()
    groups: list[list[int]] = []
    for k, i in enumerate(order):
        if i in in_flow or i in taken or is_furniture(lines[i].text) or _JOB_FOOTER.match(lines[i].text):
            continue
        lo = hi = k
        top = bottom = lines[i].y
        members = {i}
        grew = True
        while grew:
            grew = False
            for nk in (lo - 1, hi + 1):
                if not 0 <= nk < len(order) or order[nk] in taken or order[nk] in members:
                    continue
                ln = lines[order[nk]]
                if is_furniture(ln.text) or _JOB_FOOTER.match(ln.text):
                    continue
                near = bottom - 2 * size <= ln.y <= top + 2 * size
                if order[nk] not in in_flow or (near and numeric_line(ln.words)):
                    members.add(order[nk])
                    lo, hi = min(lo, nk), max(hi, nk)
                    top, bottom = max(top, ln.y), min(bottom, ln.y)
                    grew = True
        taken |= members
        groups.append(sorted(members))
    return groups + _drawn_in_order(lines, in_flow - taken, size)


def _drawn_in_order(lines: list[PageLine], in_flow: set[int], size: float) -> list[list[int]]:
    """Charts the flow took in whole: two or more lines of numbers in a row, set a gap below the text
    above them and followed by a gap or the end of the page (a chart under a section's heading)."""
    order = [i for i in sorted(in_flow) if not is_furniture(lines[i].text)]
    groups: list[list[int]] = []
    k = 0
    while k < len(order):
        if not numeric_line(lines[order[k]].words):
            k += 1
            continue
        end = k
        while end + 1 < len(order) and numeric_line(lines[order[end + 1]].words):
            end += 1
        gap_above = k > 0 and lines[order[k - 1]].y - lines[order[k]].y >= _GAP_LINES * size
        gap_below = (end + 1 == len(order)
                     or lines[order[end]].y - lines[order[end + 1]].y >= _GAP_LINES * size)
        if end > k and gap_above and gap_below:
            groups.append(order[k:end + 1])
        k = end + 1
    return groups


def _in_gap(group: list[int], lines: list[PageLine], flow_ys: list[float], size: float) -> bool:
    """Most of the group lies where the text leaves a gap several lines high, clear of its lines.

    Above the page's first or below its last text line counts only for a group of three lines or
    more: a running header or footer drawn out of order is one or two.
    """
    inside = 0
    beyond = False
    for i in group:
        y = lines[i].y
        above = min((fy for fy in flow_ys if fy >= y), default=float("inf"))
        below = max((fy for fy in flow_ys if fy <= y), default=float("-inf"))
        beyond = beyond or above == float("inf") or below == float("-inf")
        clear = min(above - y, y - below) >= _CLEARANCE * size
        if above - below >= _GAP_LINES * size and clear:
            inside += 1
    if beyond and len(group) < 3:
        return False
    return inside >= _IN_GAP_SHARE * len(group)


def numeric_line(words: list[str]) -> bool:
    """Half its words or more are numbers, amounts, percentages, ranges, signs: an axis or data label."""
    return bool(words) and sum(bool(_NUMERIC.fullmatch(w)) for w in words) * 2 >= len(words)


def labels_only(lines: list[str]) -> bool:
    """Nothing but numbers, amounts, percentages, years and signs: a chart's axis or data labels."""
    words = [w for line in lines for w in line.split()]
    return bool(words) and all(_NUMERIC.fullmatch(w) for w in words)


def table_row(words: list[str]) -> bool:
    """A row label and then three numbers or more, as a table prints a row ("Arab States 31 26 33 20")."""
    tail = 0
    while tail < len(words) and _NUMERIC.fullmatch(words[len(words) - 1 - tail]):
        tail += 1
    return tail >= 3 and tail < len(words) and not _NUMERIC.fullmatch(words[0])


def prose_line(words: list[str]) -> bool:
    """A line of running words, as a note or a source under a chart is written."""
    alpha = sum(bool(re.fullmatch(r"[(“\"‘']?[^\W\d_][^\W\d_’'\-]*[.,;:)”\"’']*", w)) for w in words)
    return len(words) >= _PROSE_WORDS and alpha >= 0.75 * len(words)


def is_chart(run: list[PageLine]) -> bool:
    """Chart labels: mostly numbers and short labels, hardly any running text, no paragraph opening."""
    words = [ln.words for ln in run]
    if any(_PARAGRAPH_START.match(ln.text) and len(ln.words) >= _SHORT_WORDS for ln in run):
        return False
    if sum(table_row(w) for w in words) >= 2:
        return False  # a table drawn out of order: its rows are text, kept as pypdf gave them
    numeric = sum(numeric_line(w) for w in words)
    short = sum(not numeric_line(w) and len(w) <= _SHORT_WORDS for w in words)
    prose = sum(prose_line(w) for w in words)
    n = len(run)
    mixed = any(numeric >= a * n and numeric + short >= b * n for a, b in _LABEL_MIXES)
    return mixed and prose * 4 <= n


def is_table(run: list[PageLine]) -> bool:
    """A table's cells: rows of a label and its figures, hardly any running text. An embedded
    object's rows are also read as they stand (it may draw each cell as a line of its own); a chart
    drawn on the page, whose bars carry a label and figures too, only as drawn."""
    readings = [[ln.words for ln in run]]
    if all(ln.in_form for ln in run):
        readings.append([row.split() for row in table_rows(run)])
    for words in readings:
        if sum(table_row(w) for w in words) >= 2 and sum(prose_line(w) for w in words) * 4 <= len(words):
            return True
    return False


def table_rows(run: list[PageLine]) -> list[str]:
    """A table's lines as rows, top first, the cells of a row left to right: what an embedded table
    draws comes in any order (its row labels and header cells after all its figures). A caption
    stays a line of its own."""
    def caption(ln: PageLine) -> bool:
        return bool(TABLE_HEAD.match(ln.text.strip()) or FIGURE_HEAD.match(ln.text.strip()))

    rows: list[list[PageLine]] = []
    for ln in sorted(run, key=lambda ln: -ln.y):
        last = rows[-1] if rows else None
        if (last is not None and not caption(ln) and not caption(last[0])
                and last[0].y - ln.y <= 0.5 * max(ln.size, last[0].size, 1.0)):
            last.append(ln)
        else:
            rows.append([ln])

    def left(ln: PageLine) -> float:
        return ln.frags[0][0] if ln.frags else 0.0

    return [" ".join(ln.text.strip() for ln in sorted(row, key=left)) for row in rows]


def kept_text(run: list[PageLine]) -> list[str]:
    """What a figure says in words: its caption and any sentence under it (a note, a source), top first.

    A sentence broken over lines keeps its continuation lines; every other line is a label.
    """
    keep: list[PageLine] = []
    open_sentence: PageLine | None = None  # the kept line whose sentence runs on to the next line
    for ln in run:
        words = ln.words
        caption = bool(FIGURE_HEAD.match(ln.text.strip()))
        continued = (open_sentence is not None and not numeric_line(words) and not caption
                     and 0 < open_sentence.y - ln.y <= 1.8 * max(open_sentence.size, 1.0))
        if caption or prose_line(words) or continued:
            keep.append(ln)
            open_sentence = None if caption or re.search(r"[.!?]\s*$", ln.text) else ln
        else:
            open_sentence = None
    keep.sort(key=lambda ln: -ln.y)
    return [ln.text for ln in keep]
