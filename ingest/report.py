"""Designed reports: cover, contents, coloured bands, two columns, shaded boxes, tables and floats.

A glossy report has no numbered paragraphs to anchor on and its drawing order is not its reading
order, so passages are rebuilt from page geometry and font sizes: the running header and page number
are cut away by position, shaded panels stay whole as boxes, grids of cells stay tables (one row a
line, cells joined by " | "), columns are read left before right between full-width items, and a
paragraph cut by a column break, a page break or a float is joined back together.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypdf

from boardqa.config import IngestConfig

from .clean import Vocabulary, join_lines, tidy
from .errors import NoStructureError, NoTextLayerError
from .figures import labels_only
from .furniture import is_furniture, strip_furniture
from .layout import BULLETS, PageLayout, Span, merge_lines, read_page
from .meta import detect_language, document_from_file, find_date, language_hint
from .models import HEADING_SEP, Document, Passage, PassageKind

_PAGE_NUMBER = re.compile(r"(?:\d{1,4}|[ivxlcdm]{1,7})", re.IGNORECASE)
_TERMINAL = (".", "!", "?", ":", ";", ")", "\"", "'", "”", "’", "。", "！", "？", "；", "：", "…")
_TABLE_LABEL = re.compile(r"\s*(?:table|tableau|cuadro|表)\s*[\dA-Z]", re.IGNORECASE)
_FIGURE = re.compile(r"[–\-−(]?[$€£¥%]?\s?\d[\d.,\s]*%?\)?|[–\-—]")
_MARGIN = 0.07  # share of the page height, top and bottom, where running heads and folios stand


@dataclass
class _Element:
    """One reading unit of a page: a heading, a paragraph, a box, a table, a list or a caption."""

    kind: str  # heading | body | box | table | list | caption
    page: int
    lines: list[Span]
    text: str = ""  # boxes, tables and lists are rendered when they are found
    lane: str = "full"  # full | span | left | right
    spread: bool = False  # a box, table or figure set across both columns of a two-column page

    @property
    def top(self) -> float:
        return max(s.y + s.size for s in self.lines)

    @property
    def bottom(self) -> float:
        return min(s.y for s in self.lines)

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.lines)

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.lines)

    @property
    def size(self) -> float:
        return statistics.median(s.size for s in self.lines)


@dataclass
class _Page:
    layout: PageLayout
    lines: list[Span]
    label: str | None = None
    front: bool = False
    elements: list[_Element] = field(default_factory=list)

    @property
    def number(self) -> int:
        return self.layout.number


def parse_report(path: Path, reader: pypdf.PdfReader, cfg: IngestConfig) -> Document:
    """A designed report PDF as a Document of body, box, table, list, caption and front passages."""
    path = Path(path)
    pages = [_Page(layout, _without_furniture(merge_lines(layout.spans))) for layout in _read_pages(reader)]
    all_lines = [s for p in pages for s in p.lines]
    if not any(s.text.strip() for s in all_lines):
        raise NoTextLayerError(path, "the PDF has no text layer (a scanned PDF?): run OCR on it first")
    body = _body_size(all_lines)
    _strip_running_heads(pages, body)
    _mark_front(pages, body)
    vocab = Vocabulary(s.text for p in pages for s in p.lines)
    split = _column_split(pages, body)
    for page in pages:
        if not page.front:
            page.elements = _page_elements(page, body, split, vocab)
    levels = _heading_levels(pages)
    assembler = _Assembler(vocab, levels)
    passages = list(assembler.run(pages))
    _refile_floats(passages, assembler.floats)
    if not any(p.kind != "front" for p in passages):
        raise NoStructureError(path, "no readable text outside the cover: nothing to cite in this report")
    title = _title(reader, pages, body) or path.name.split(".", 1)[0]
    date = report_date(title, [p.text for p in passages if p.kind == "front"], _metadata_dates(reader))
    return report_document(path, "pdf", title, len(pages), passages, date)


def report_document(path: Path, fmt: str, title: str, pages: int, passages: list[Passage],
                    date: str | None) -> Document:
    """A report's Document, the same from its PDF or its marked-up text twin."""
    language = detect_language(" ".join(p.text for p in passages[:40]), language_hint(path.name))
    return document_from_file(path, kind="report", fmt=fmt, title=title, symbol=None, language=language,
                              pages=pages, passages=passages, date=date)


def _without_furniture(lines: list[Span]) -> list[Span]:
    """Merged lines without job numbers and barcodes (a barcode on a text line is cut out of it)."""
    return [replace(s, text=strip_furniture(s.text)) for s in lines if not is_furniture(s.text)]


def _read_pages(reader: pypdf.PdfReader) -> Iterator[PageLayout]:
    for i, page in enumerate(reader.pages):
        yield read_page(page, i + 1)


# ---------------------------------------------------------------------------------------------
# document-wide measurements


def _body_size(lines: list[Span]) -> float:
    """The font size carrying most of the characters: what body text is set in."""
    weight: Counter[float] = Counter()
    for s in lines:
        weight[round(s.size, 1)] += len(s.text)
    return weight.most_common(1)[0][0] if weight else 10.0


def _in_margin(span: Span, height: float) -> bool:
    return span.y > height * (1 - _MARGIN) or span.y < height * _MARGIN


def _strip_running_heads(pages: list[_Page], body: float) -> None:
    """Drop running headers and folios (small or repeated lines in the margins); keep the folio."""
    def key(s: Span) -> str:
        return re.sub(r"\d+", "#", s.text.lower())

    repeats = Counter(key(s) for p in pages for s in p.lines if _in_margin(s, p.layout.height))
    for page in pages:
        height = page.layout.height
        kept: list[Span] = []
        folios: list[Span] = []
        for s in page.lines:
            if _in_margin(s, height) and not _inside_panel(s, page.layout):
                folio = bool(_PAGE_NUMBER.fullmatch(s.text.strip()))
                if folio:
                    folios.append(s)
                    continue
                if s.size < body * 0.98 or repeats[key(s)] >= 3:
                    continue
            kept.append(s)
        page.lines = kept
        if folios:
            page.label = min(folios, key=lambda s: s.y).text.strip()  # the foot folio wins


def _inside_panel(span: Span, layout: PageLayout) -> bool:
    return any(r.holds(span) and r.width < 0.9 * layout.width for r in layout.rects)


def _mark_front(pages: list[_Page], body: float) -> None:
    """Cover, contents and back cover: the unnumbered pages before the first and after the last folio."""
    numbered = [i for i, p in enumerate(pages) if p.label]
    if numbered:
        for i, page in enumerate(pages):
            page.front = i < numbered[0] or i > numbered[-1]
    elif pages and pages[0].lines and max(s.size for s in pages[0].lines) >= 2 * body:
        pages[0].front = True  # a cover: display type and little else


def _column_split(pages: list[_Page], body: float) -> float | None:
    """Where the right-hand column starts: the usual left edge of body lines in the middle of the page."""
    starts: Counter[int] = Counter()
    for page in pages:
        if page.front:
            continue
        width = page.layout.width
        for s in page.lines:
            if abs(s.size - body) <= 0.15 * body and len(s.text) >= 15 and 0.3 * width < s.x0 < 0.7 * width:
                if not _inside_panel(s, page.layout):
                    starts[round(s.x0 / 2) * 2] += 1
    if not starts:
        return None
    x, n = starts.most_common(1)[0]
    return float(x) if n >= 5 else None


# ---------------------------------------------------------------------------------------------
# one page: boxes, tables, text blocks, lanes and reading order


def _page_elements(page: _Page, body: float, split: float | None, vocab: Vocabulary) -> list[_Element]:
    layout = page.layout
    pool = list(page.lines)
    boxes = _boxes(page.number, pool, layout, vocab)
    used = {id(s) for b in boxes for s in b.lines}
    pool = [s for s in pool if id(s) not in used]
    two_col = split is not None and sum(1 for s in pool if abs(s.x0 - split) <= 3) >= 2
    col = split if two_col else None
    tables = find_tables(page.number, pool, body, col, vocab)
    used = {id(s) for t in tables for s in t.lines}
    pool = [s for s in pool if id(s) not in used]
    blocks = _blocks(page.number, pool, body, vocab)
    elements = boxes + tables + blocks
    for el in elements:
        el.lane = _lane(el, col)
    if split is not None and any(e.kind == "body" and _lane(e, split) != "span" for e in elements):
        for el in elements:
            el.spread = el.kind in ("box", "table", "caption") and _lane(el, split) == "span"
    return _reading_order(elements, col is not None)


def _baseline_rows(lines: Iterable[Span]) -> list[list[Span]]:
    """Lines sharing a baseline and a type size, top of the page first, each row left to right."""
    rows: list[list[Span]] = []
    for s in sorted(lines, key=lambda s: (-s.y, s.x0)):
        for row in rows:
            ref = row[0]
            if abs(ref.y - s.y) <= 1.0 and abs(ref.size - s.size) <= 0.12 * ref.size:
                row.append(s)
                break
        else:
            rows.append([s])
    for row in rows:
        row.sort(key=lambda s: s.x0)
    rows.sort(key=lambda r: -r[0].y)
    return rows


def _boxes(page: int, pool: list[Span], layout: PageLayout, vocab: Vocabulary) -> list[_Element]:
    """Shaded panels that hold running text; a panel of table cells is a table stripe, not a box."""
    panels = [
        r for r in layout.rects
        if r.width < 0.9 * layout.width and r.width >= 0.15 * layout.width and r.height >= 14
    ]
    owned: dict[int, list[Span]] = {}
    for s in pool:
        holders = [i for i, r in enumerate(panels) if r.holds(s)]
        if holders:
            best = min(holders, key=lambda i: panels[i].width * panels[i].height)
            owned.setdefault(best, []).append(s)
    boxes: list[_Element] = []
    for i, lines in owned.items():
        rows = _baseline_rows(lines)
        multi = sum(1 for r in rows if len(r) > 1)
        if not rows or multi * 2 >= len(rows) or len(rows) < 2 or panels[i].height < 2 * _median_size(lines):
            continue
        box = _Element("box", page, lines)
        box.text = _box_text(lines, vocab)
        boxes.append(box)
    return boxes


def _median_size(lines: list[Span]) -> float:
    return statistics.median(s.size for s in lines)


def _box_text(lines: list[Span], vocab: Vocabulary) -> str:
    """Title on the first line, then one line per paragraph of the box."""
    ordered = sorted(lines, key=lambda s: (-s.y, s.x0))
    paragraphs: list[list[Span]] = []
    for s in ordered:
        if paragraphs:
            prev = paragraphs[-1][-1]
            same_style = prev.bold == s.bold and abs(prev.size - s.size) <= 0.3
            close = prev.y - s.y <= 1.5 * max(prev.size, s.size)
            if same_style and close and not _starts_item(s.text):
                paragraphs[-1].append(s)
                continue
        paragraphs.append([s])
    return "\n".join(_join(p, vocab) for p in paragraphs)


def _join(lines: list[Span], vocab: Vocabulary) -> str:
    text = ""
    for s in lines:
        text = join_lines(text, s.text, vocab)
    return tidy(text)


def _starts_item(text: str) -> bool:
    return len(text) > 1 and text[0] in BULLETS and text[1] == " "


def find_tables(
    page: int, pool: list[Span], body: float, split: float | None, vocab: Vocabulary | None = None
) -> list[_Element]:
    """Runs of baseline rows with several separated cells, plus the caption standing just above."""
    rows = _baseline_rows(pool)

    def multi(row: list[Span]) -> bool:
        if len(row) < 2:
            return False
        if split is not None and len(row) == 2:  # one line of each column, side by side
            a, b = row
            if a.x1 <= split + 3 and b.x0 >= split - 3 and min(a.size, b.size) >= 0.9 * body:
                return False
        return True

    tables: list[_Element] = []
    taken: set[int] = set()
    i = 0
    while i < len(rows):
        if not multi(rows[i]):
            i += 1
            continue
        group = [rows[i]]
        size = _median_size(rows[i])
        x0, x1 = rows[i][0].x0, max(s.x1 for s in rows[i])
        j = i + 1
        while j < len(rows):
            row = rows[j]
            if all(s.x1 < x0 - 3 or s.x0 > x1 + 3 for s in row):
                j += 1  # a line of the other column, level with the table
                continue
            gap = group[-1][0].y - row[0].y
            inside = all(s.x0 >= x0 - 3 and s.x1 <= x1 + 3 for s in row) or multi(row)
            if gap > 3 * size or abs(_median_size(row) - size) > 0.12 * size or not inside:
                break
            if not multi(row) and gap > 1.5 * size:
                break
            group.append(row)
            x0, x1 = min(x0, row[0].x0), max(x1, max(s.x1 for s in row))
            j += 1
        if sum(1 for r in group if multi(r)) >= 2:
            cells = [s for r in group for s in r]
            above = [s for s in pool if id(s) not in taken and s.y > group[0][0].y]
            wrapped = _wrapped_above(above, group[0][0].y, size, x0, x1)
            cells = wrapped + cells
            caption = _caption_above(
                [s for s in above if s not in wrapped], max(s.y for s in cells), x0, x1, body
            )
            if not _TABLE_LABEL.match(" ".join(s.text for s in caption)) and _prose_columns(group):
                i += 1  # two columns of running text side by side, not a grid
                continue
            table = _Element("table", page, caption + cells)
            table.text = _table_text(caption, cells, vocab)
            tables.append(table)
            taken.update(id(s) for s in table.lines)
            i = j
        else:
            i += 1
    return tables


def _prose_columns(rows: list[list[Span]]) -> bool:
    """Whether a run of "rows" is really lines of two text columns read across the gutter.

    A grid of data has figures in its cells, and nearly every row holds several cells. Two
    columns of justified prose only line up by chance: most rows hold one line, the lines are
    wordy and drawn with stretched word spacing (or end flush on the column's right edge).
    """
    multi = [r for r in rows if len(r) >= 2]
    if not multi or any(_FIGURE.fullmatch(s.text.strip()) for r in multi for s in r):
        return False
    if sum(1 for r in multi if len(r) == 2) < 0.8 * len(multi):
        return False
    lines = [s for r in rows for s in r]
    if sum(1 for s in lines if _wordy(s)) < 0.75 * len(lines):
        return False
    edge = max(r[0].x1 for r in multi)
    flush = sum(1 for r in multi if r[0].spaced or edge - r[0].x1 <= 1.5)
    return len(multi) < 0.5 * len(rows) or flush >= 0.6 * len(multi)


def _wordy(line: Span) -> bool:
    """A line of running text: stretched to the measure, several words, or a sentence's end."""
    text = line.text.strip()
    sentence_end = text.endswith(_TERMINAL) and any(c.islower() for c in text)
    return line.spaced or len(text.split()) >= 5 or sentence_end


def _wrapped_above(above: list[Span], top: float, size: float, x0: float, x1: float) -> list[Span]:
    """Head cells that wrap stand a little above the head row."""
    out: list[Span] = []
    for s in sorted(above, key=lambda s: s.y):
        if (
            s.y - top <= 1.5 * size
            and abs(s.size - size) <= 0.12 * size
            and s.x0 >= x0 - 3
            and s.x1 <= x1 + 3
        ):
            out.append(s)
            top = s.y
    return out


def _caption_above(above: list[Span], top: float, x0: float, x1: float, body: float) -> list[Span]:
    """The lines right above a table that are set apart from body text (bold or smaller)."""
    caption: list[Span] = []
    level = [s for s in above if s.x1 > x0 + 3 and s.x0 < x1 - 3]  # not the other column
    for s in sorted(level, key=lambda s: s.y):
        ref = caption[-1] if caption else None
        limit = 1.6 * s.size if ref else 2.6 * s.size
        if s.y - top > limit or abs(s.x0 - x0) > 8 or s.x1 > x1 + 8:
            break
        if not (s.bold or s.size < 0.95 * body) or (ref and (s.bold != ref.bold or s.size != ref.size)):
            break
        caption.append(s)
        top = s.y
    caption.reverse()
    return caption


def _table_text(caption: list[Span], cells: list[Span], vocab: Vocabulary | None = None) -> str:
    """Caption line, then each row on its own line with its cells in column order."""
    columns: list[list[float]] = []
    for s in sorted(cells, key=lambda s: s.x0):
        if columns and s.x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], s.x1)
        else:
            columns.append([s.x0, s.x1])
    size = _median_size(cells)
    rows: list[list[Span]] = []
    for s in sorted(cells, key=lambda s: -s.y):
        if rows and rows[-1][-1].y - s.y <= 1.5 * size and not any(
            _column_of(s, columns) == _column_of(o, columns) and abs(o.y - s.y) < 0.5 for o in rows[-1]
        ):
            rows[-1].append(s)
        else:
            rows.append([s])
    out = [" ".join(s.text for s in caption)] if caption else []
    for row in rows:
        texts = [""] * len(columns)
        for s in sorted(row, key=lambda s: -s.y):
            k = _column_of(s, columns)
            texts[k] = join_lines(texts[k], s.text, vocab)  # a wrapped cell, rejoined like prose
        out.append(" | ".join(texts))
    return tidy("\n".join(out))


def _column_of(span: Span, columns: list[list[float]]) -> int:
    for k, (a, b) in enumerate(columns):
        if a - 0.5 <= span.x0 <= b + 0.5:
            return k
    return len(columns) - 1


def _blocks(page: int, pool: list[Span], body: float, vocab: Vocabulary) -> list[_Element]:
    """Paragraph-sized runs of lines: same left edge, size and style, at the usual line spacing."""
    open_blocks: list[list[Span]] = []
    for s in sorted(pool, key=lambda s: (-s.y, s.x0)):
        best = None
        if not _starts_item(s.text):
            for block in open_blocks:
                last, first = block[-1], block[0]
                step = last.y - s.y
                if not (0 < step <= 1.6 * max(s.size, last.size)):
                    continue
                if abs(last.size - s.size) > 0.3 or last.italic != s.italic:
                    continue
                if last.bold != s.bold and max(s.size, last.size) >= 1.05 * body:
                    continue  # a display heading never runs on into text
                hanging = _starts_item(first.text) and first.x0 < s.x0 <= first.x0 + 3 * s.size
                if abs(s.x0 - last.x0) <= 2 or hanging:
                    if best is None or step < best[-1].y - s.y:
                        best = block
        if best is not None:
            best.append(s)
        else:
            open_blocks.append([s])
    elements: list[_Element] = []
    for block in open_blocks:
        first = block[0]
        if _starts_item(first.text):
            kind = "list"
        elif _is_heading(block, body):
            kind = "heading"
        elif all(s.italic for s in block) and first.size < body:
            kind = "caption"
        elif labels_only([s.text for s in block]):
            continue  # a chart's axis values or data labels: no words to cite
        else:
            kind = "body"
        el = _Element(kind, page, block)
        el.text = _join(block, vocab)
        elements.append(el)
    return _merge_lists(elements)


def _is_heading(block: list[Span], body: float) -> bool:
    if len(block) > 4 or any(s.italic for s in block) or sum(len(s.text) for s in block) > 250:
        return False
    size = block[0].size
    return (all(s.bold for s in block) and size >= 1.05 * body) or size >= 1.3 * body


def _merge_lists(elements: list[_Element]) -> list[_Element]:
    """Consecutive list items in one column become one list passage, one item a line."""
    items = sorted((e for e in elements if e.kind == "list"), key=lambda e: -e.top)
    others = [e for e in elements if e.kind != "list"]
    lists: list[_Element] = []
    for item in items:
        if lists:
            prev = lists[-1]
            gap = prev.bottom - item.top
            if abs(prev.lines[0].x0 - item.lines[0].x0) <= 2 and gap <= 1.5 * item.size:
                prev.lines.extend(item.lines)
                prev.text = f"{prev.text}\n{item.text}"
                continue
        lists.append(item)
    return others + lists


def _lane(el: _Element, split: float | None) -> str:
    if split is None:
        return "full"
    if el.x0 >= split - 3:
        return "right"
    if el.x1 <= split + 3:
        return "left"
    return "span"


def _reading_order(elements: list[_Element], two_col: bool) -> list[_Element]:
    """Full-width items in turn, and between them the left column before the right column."""
    def down(e: _Element) -> tuple[float, float]:
        return (-round(e.top / 3.0), e.x0)

    if not two_col:
        return sorted(elements, key=down)
    spans = sorted((e for e in elements if e.lane == "span"), key=down)
    sections: list[list[_Element]] = [[] for _ in range(len(spans) + 1)]
    for e in elements:
        if e.lane == "span":
            continue
        above = sum(1 for s in spans if s.bottom >= e.top - 1)
        sections[above].append(e)
    ordered: list[_Element] = []
    for k, section in enumerate(sections):
        if k:
            ordered.append(spans[k - 1])
        for lane in ("left", "right"):
            ordered.extend(sorted((e for e in section if e.lane == lane), key=down))
    return ordered


def _heading_levels(pages: list[_Page]) -> dict[float, int]:
    """Heading sizes, largest first, grouped where they differ by under a tenth: level 1, 2, 3, …"""
    sizes = sorted({round(e.size, 1) for p in pages for e in p.elements if e.kind == "heading"}, reverse=True)
    levels: dict[float, int] = {}
    level, anchor = 0, None
    for size in sizes:
        if anchor is None or size < anchor * 0.9:
            level += 1
            anchor = size
        levels[size] = level
    return levels


# ---------------------------------------------------------------------------------------------
# passages


class _Assembler:
    """Walks the elements in reading order, keeps the heading path and rejoins broken paragraphs."""

    def __init__(self, vocab: Vocabulary, levels: dict[float, int]) -> None:
        self.vocab = vocab
        self.levels = levels
        self.path: list[str] = []
        self.counters: Counter[int] = Counter()
        self.labels: dict[int, str | None] = {}
        self.open: Passage | None = None
        self.open_tail: _Element | None = None
        self.interrupted = False
        self.justified = False
        self.floats: set[str] = set()  # locators of items set across both columns

    def run(self, pages: list[_Page]) -> Iterator[Passage]:
        self.labels = {p.number: p.label for p in pages}
        body_lines = [s for p in pages for e in p.elements if e.kind == "body" for s in e.lines]
        self.justified = sum(s.spaced for s in body_lines) >= 0.2 * max(1, len(body_lines))
        edges = _lane_edges(pages)
        for page in pages:
            if page.front:
                self.open = None
                text = _front_text(page.lines)
                if text:
                    yield self._new(page.number, "front", text, heading="")
                continue
            for el in page.elements:
                if el.kind == "heading":
                    self._heading(el)
                elif el.kind == "body":
                    passage = self._body(el, edges)
                    if passage is not None:
                        yield passage
                else:
                    kind: PassageKind = el.kind  # type: ignore[assignment]
                    passage = self._new(el.page, kind, el.text)
                    if el.spread:
                        self.floats.add(passage.locator)
                    yield passage
                    self.interrupted = True

    def _heading(self, el: _Element) -> None:
        level = self.levels.get(round(el.size, 1), len(self.levels) or 1)
        text = " ".join(s.text for s in el.lines)
        self.path = self.path[: level - 1] + [""] * max(0, level - 1 - len(self.path)) + [tidy(text)]
        self.open = None

    def _body(self, el: _Element, edges: dict[tuple[int, str], float]) -> Passage | None:
        tail = self.open_tail
        if self.open is not None and tail is not None:
            moved = (tail.page, tail.lane) != (el.page, el.lane)
            if (moved or self.interrupted) and self._runs_on(tail, edges):
                text = self.open.text
                for s in el.lines:
                    text = join_lines(text, s.text, self.vocab)
                self.open.text = tidy(text)
                if el.page not in self.open.pages:
                    self.open.pages.append(el.page)
                    label = self.labels.get(el.page)
                    if label:
                        self.open.printed_pages.append(label)
                self.open_tail = el
                self.interrupted = False
                return None
        passage = self._new(el.page, "body", el.text)
        self.open, self.open_tail, self.interrupted = passage, el, False
        return passage

    def _runs_on(self, tail: _Element, edges: dict[tuple[int, str], float]) -> bool:
        """Whether the paragraph goes on: its last line is a full justified line or breaks a word."""
        last = max(tail.lines, key=lambda s: -s.y)
        text = last.text.rstrip()
        if text.endswith("-") or not text.endswith(_TERMINAL):
            return True
        edge = edges.get((tail.page, tail.lane))
        if self.justified:  # word spacing marks every full line; a last line only fills by chance
            return last.spaced or (edge is not None and abs(last.x1 - edge) <= 1.5)
        return edge is not None and last.x1 >= edge - 0.015 * (edge - tail.x0)

    def _new(self, page: int, kind: PassageKind, text: str, heading: str | None = None) -> Passage:
        self.counters[page] += 1
        locator = f"p{page}.{self.counters[page]}"
        label = self.labels.get(page)
        return Passage(
            locator=locator,
            kind=kind,
            text=text,
            paragraph=None if kind == "front" else locator,
            heading=HEADING_SEP.join(p for p in self.path if p) if heading is None else heading,
            pages=[page],
            printed_pages=[label] if label else [],
        )


def _refile_floats(passages: list[Passage], floats: set[str]) -> None:
    """Give each float the heading of the section it belongs to, not of the page it is printed on.

    A layout engine moves an item that spans both columns to the top or foot of the page where it
    fits, often the page after the point where it stands in the text. Its section is one of those
    running on that page or the page before; the one whose words it shares (weighted by rarity)
    wins when it clearly leads. Otherwise the float keeps only what those sections have in common
    (the part, say): a vaguer heading, never a wrong one.
    """
    content = [p for p in passages if p.kind != "front"]
    df: Counter[str] = Counter()
    sections: dict[str, Counter[str]] = {}
    for p in content:
        words = _words(p.text)
        df.update(set(words))
        if p.kind == "body" and p.locator not in floats:
            sections.setdefault(p.heading, Counter()).update(words)
    for p in content:
        if p.locator not in floats or not p.pages:
            continue
        near = {p.pages[0] - 1, p.pages[0]}
        candidates = sorted({
            q.heading for q in content
            if q.kind == "body" and q.locator not in floats and near & set(q.pages)
        })
        if not candidates:
            continue
        mine = set(_words(p.text))
        scores = []
        for heading in candidates:
            vocab = sections.get(heading, Counter()) + Counter(_words(heading.split(HEADING_SEP)[-1]))
            score = sum(max(0.0, math.log(len(content) / (1 + df[w]))) for w in mine if w in vocab)
            scores.append((score, heading))
        scores.sort(reverse=True)
        best, runner_up = scores[0][0], scores[1][0] if len(scores) > 1 else 0.0
        if best > 0 and best >= 2 * runner_up:
            p.heading = scores[0][1]
            continue
        common = _common_path([h.split(HEADING_SEP) for h in candidates])
        if common:
            p.heading = HEADING_SEP.join(common)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+(?:[.,]\d+)*", text.lower()) if len(w) >= 3 or w.isdigit()]


def _common_path(paths: list[list[str]]) -> list[str]:
    common: list[str] = []
    for parts in zip(*paths, strict=False):
        if any(part != parts[0] for part in parts):
            break
        common.append(parts[0])
    return common


def _lane_edges(pages: list[_Page]) -> dict[tuple[int, str], float]:
    """The right edge of each column on each page: where its justified lines end."""
    edges: dict[tuple[int, str], float] = {}
    by_lane: dict[str, list[float]] = {}
    for page in pages:
        for lane in ("full", "span", "left", "right"):
            ends = [s.x1 for e in page.elements if e.kind == "body" and e.lane == lane for s in e.lines]
            by_lane.setdefault(lane, []).extend(ends)
            if len(ends) >= 4:
                edges[(page.number, lane)] = _upper_quartile(ends)
    for page in pages:
        for lane, ends in by_lane.items():
            if ends and (page.number, lane) not in edges:
                edges[(page.number, lane)] = _upper_quartile(ends)
    return edges


def _upper_quartile(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, (3 * len(ordered)) // 4)]


def _front_text(lines: list[Span]) -> str:
    rows = _baseline_rows(lines)
    return tidy("\n".join(" ".join(s.text for s in row) for row in rows))


_YEAR = re.compile(r"(?<![\d/.])((?:19|20)\d\d)(?:\s*[–\-/]\s*((?:19|20)?\d\d))?(?![\d/.])")
_META_DATE = re.compile(r"D:((?:19|20)\d\d)(\d\d)?(\d\d)?")


def report_date(title: str, front: list[str], metadata: list[str]) -> str | None:
    """The date the report states: a publication date printed on the cover, contents page or back
    cover (ISO day), else the year the title names ("Annual Report 2020": "2020"), else a metadata
    date, but only one whose year the front pages print too: tools stamp /CreationDate with the
    build time, or with a fixed date for reproducible builds, and neither is the report's date."""
    lines = [line for text in front for line in text.split("\n")]
    printed = find_date(lines)
    if printed:
        return printed
    m = _YEAR.search(title.split(". ", 1)[0]) or _YEAR.search(title)
    if m:
        end = m.group(2)
        if end:  # "2019–2020", "2019/20": the year the period ends
            return end if len(end) == 4 else m.group(1)[:2] + end
        return m.group(1)
    shown = " ".join(front)
    for stamp in metadata:
        d = _META_DATE.match(stamp)
        if d and d.group(1) in shown:
            return "-".join(g for g in d.groups() if g)
    return None


def _metadata_dates(reader: pypdf.PdfReader) -> list[str]:
    """Raw /CreationDate and /ModDate strings (parsed later: some writers make pypdf's parser fail)."""
    try:
        info = reader.trailer.get("/Info")
        info = info.get_object() if info is not None else None
        return [str(info[k]) for k in ("/CreationDate", "/ModDate") if info and k in info]
    except Exception:  # noqa: BLE001 - broken metadata only means no metadata date
        return []


def _title(reader: pypdf.PdfReader, pages: list[_Page], body: float) -> str:
    """The title in the metadata (or the cover's largest type), plus the cover's subtitle under it."""
    try:
        meta = reader.metadata
        title = str(meta.title).strip() if meta and meta.title else ""
    except Exception:  # noqa: BLE001 - broken metadata is not a reason to refuse a report
        title = ""
    if re.fullmatch(r"(untitled|document\d*|.*\.(pdf|docx?|indd|qxp))", title, re.IGNORECASE):
        title = ""
    cover = next((p for p in pages if p.front), None)
    if cover is None or not cover.lines:
        return title
    lines = sorted(cover.lines, key=lambda s: -s.y)
    big = max(lines, key=lambda s: s.size)
    if not title:
        title = " ".join(s.text for s in lines if abs(s.size - big.size) < 0.5)
    below = [s for s in lines if s.y < big.y and body < s.size < big.size]
    if below:
        # the subtitle may wrap: every line of it is in the type of its first line
        run = [s for s in below if abs(s.size - below[0].size) < 0.5]
        sub = " ".join(s.text.strip() for s in run)
        qualifier = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", title)
        printed = {s.text.strip().lower() for s in lines}
        if qualifier and qualifier.group(2).lower() in printed and sub.lower() not in title.lower():
            # "Report 2025 (Overview)" with "OVERVIEW" under the subtitle on the cover: that edition's title
            return tidy(f"{qualifier.group(1)}: {sub}. {qualifier.group(2)}")
        if sub and sub.lower() not in title.lower():
            title = f"{title}. {sub}"
    return tidy(title)
