"""Positioned text and shaded rectangles of one PDF page, read through pypdf's visitor callbacks.

A designed publication cannot be read in drawing order: columns, bands, floats and shaded boxes have
to be rebuilt from where things stand on the page. This module only measures (where each line starts
and ends, its size and style, which filled rectangles are drawn); `ingest.report` decides what they are.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pypdf import PageObject

from .xforms import PlacedText

BULLETS = frozenset("•◦▪▫‣∙●○■□–-*")
_FILL_OPS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
_CLEAR_OPS = {b"n", b"S", b"s"}
_SHOW_OPS = {b"Tj", b"TJ", b"'", b'"'}

Matrix = list[float]


@dataclass(frozen=True)
class Span:
    """One visual line (or piece of a line) of text, in PDF points with the origin bottom left."""

    x0: float
    x1: float  # where the text ends, with word and character spacing
    y: float  # baseline
    size: float  # effective font size
    font: str
    text: str
    order: int = 0  # drawing order on the page
    spaced: bool = False  # drawn with extra word spacing: a justified line, so not a paragraph's last

    @property
    def bold(self) -> bool:
        name = self.font.lower()
        return "bold" in name or "black" in name or "heavy" in name or "semibold" in name

    @property
    def italic(self) -> bool:
        name = self.font.lower()
        return "italic" in name or "oblique" in name

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(frozen=True)
class Rect:
    """A filled rectangle: a box panel, a table stripe, a coloured band or a page background."""

    x0: float
    y0: float
    x1: float
    y1: float
    fill: tuple[float, ...] = ()

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def white(self) -> bool:
        return bool(self.fill) and all(c >= 0.99 for c in self.fill)

    def holds(self, span: Span, tol: float = 1.5) -> bool:
        return (
            self.x0 - tol <= span.x0
            and span.x1 <= self.x1 + tol
            and self.y0 - tol <= span.y <= self.y1 + tol
        )


@dataclass
class PageLayout:
    number: int  # 1-based PDF page index
    width: float
    height: float
    spans: list[Span] = field(default_factory=list)
    rects: list[Rect] = field(default_factory=list)


def _mul(a: Matrix, b: Matrix) -> Matrix:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _num(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


class _Widths:
    """Glyph advance widths of the page's fonts, keyed by the Unicode text pypdf hands out."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[dict[str, float], float]] = {}

    def measure(self, font_dict: Any, text: str) -> float:
        """Sum of advances in 1/1000 em; an average width when the font cannot be read."""
        if font_dict is None:
            return 500.0 * len(text)
        key = id(font_dict)
        if key not in self._cache:
            self._cache[key] = self._load(font_dict)
        widths, default = self._cache[key]
        return sum(widths.get(ch, default) for ch in text)

    @staticmethod
    def _load(font_dict: Any) -> tuple[dict[str, float], float]:
        try:  # pypdf's own font model knows /Widths, /W and the 14 standard fonts
            from pypdf.generic._font import Font

            font = Font.from_font_resource(font_dict)
        except Exception:  # noqa: BLE001 - any unreadable font falls back to an average width
            return {}, 500.0
        by_code = font.character_widths
        default = float(by_code.get("default", 500) or 500)
        widths: dict[str, float] = {}
        for code, width in by_code.items():
            if code != "default":
                widths[code] = float(width)
        for code, uni in font.character_map.items():  # re-key subset codes by the text they decode to
            if isinstance(code, str) and isinstance(uni, str) and len(uni) == 1 and code in by_code:
                widths[uni] = float(by_code[code])
        return widths, default


def read_page(page: PageObject, number: int) -> PageLayout:
    """Every text run with its position, size and font, and every non-white filled rectangle."""
    box = page.mediabox
    layout = PageLayout(number=number, width=float(box.width), height=float(box.height))
    widths = _Widths()
    state: dict[str, Any] = {"tw": 0.0, "tc": 0.0, "tz": 100.0, "fill": (0.0,), "tj": 0.0, "max_tw": 0.0}
    stack: list[tuple[float, float, float, tuple[float, ...]]] = []
    path: list[tuple[float, float, float, float, Matrix]] = []

    def on_op(op: bytes, args: list[Any], cm: Matrix, tm: Matrix) -> None:
        if op == b"q":
            stack.append((state["tw"], state["tc"], state["tz"], state["fill"]))
        elif op == b"Q" and stack:
            state["tw"], state["tc"], state["tz"], state["fill"] = stack.pop()
        elif op == b"Tw" and args:
            state["tw"] = _num(args[0])
        elif op == b"Tc" and args:
            state["tc"] = _num(args[0])
        elif op == b"Tz" and args:
            state["tz"] = _num(args[0], 100.0)
        elif op in {b"rg", b"g", b"k", b"sc", b"scn"}:
            values = tuple(_num(a) for a in args if isinstance(a, int | float) or _is_number(a))
            if len(values) == 4:  # CMYK to RGB, enough to tell white from shaded
                c, m, y, k = values
                values = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
            if values:
                state["fill"] = values
        elif op == b"re" and len(args) == 4:
            x, y, w, h = (_num(a) for a in args)
            path.append((x, y, w, h, list(cm)))
        elif op in _FILL_OPS:
            for x, y, w, h, ctm in path:
                xa, ya = _apply(ctm, x, y)
                xb, yb = _apply(ctm, x + w, y + h)
                rect = Rect(min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb), tuple(state["fill"]))
                if not rect.white and rect.width > 0.5 and rect.height > 0.5:
                    layout.rects.append(rect)
            path.clear()
        elif op in _CLEAR_OPS:
            path.clear()
        if op in _SHOW_OPS:
            state["max_tw"] = max(state["max_tw"], abs(state["tw"]))
            if op == b"TJ" and args:  # kerning and spacing offsets inside the array
                state["tj"] += sum(-_num(a) for a in args[0] if _is_number(a))

    def on_text(text: str, cm: Matrix, tm: Matrix, font_dict: Any, font_size: float) -> None:
        tw, tj = state["max_tw"], state["tj"]
        state["max_tw"], state["tj"] = 0.0, 0.0
        for piece in text.split("\n"):
            _add_span(layout, widths, piece, cm, tm, font_dict, font_size, tw, tj, state)
            tj = 0.0

    PlacedText(page).extract(visitor_text=on_text, visitor_operand_before=on_op)
    return layout


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _add_span(
    layout: PageLayout,
    widths: _Widths,
    piece: str,
    cm: Matrix,
    tm: Matrix,
    font_dict: Any,
    font_size: float,
    tw: float,
    tj: float,
    state: dict[str, Any],
) -> None:
    stripped = piece.strip()
    if not stripped:
        return
    m = _mul(list(tm), list(cm))
    x_scale = math.hypot(m[0], m[1])
    y_scale = math.hypot(m[2], m[3])
    if x_scale <= 0 or abs(m[1]) > 0.1 * x_scale:  # rotated or degenerate text is not body text
        return
    lead = len(piece) - len(piece.lstrip())
    size = font_size * y_scale
    scale = state["tz"] / 100.0
    advance = widths.measure(font_dict, piece) * font_size / 1000.0
    advance += state["tc"] * len(piece) + tw * piece.count(" ") + tj * font_size / 1000.0
    lead_advance = widths.measure(font_dict, piece[:lead]) * font_size / 1000.0 if lead else 0.0
    trail = piece[len(piece.rstrip()) :]
    trail_advance = widths.measure(font_dict, trail) * font_size / 1000.0 if trail else 0.0
    x0 = m[4] + (lead_advance + tw * piece[:lead].count(" ")) * scale * x_scale
    x1 = m[4] + (advance - trail_advance - tw * trail.count(" ")) * scale * x_scale
    name = str(font_dict.get("/BaseFont", "")) if font_dict is not None else ""
    name = name.split("+", 1)[-1].lstrip("/")
    layout.spans.append(
        Span(x0, max(x1, x0), m[5], size, name, stripped, len(layout.spans), spaced=tw > 0.05)
    )


def merge_lines(spans: list[Span], joinable: Callable[[Span, Span], bool] | None = None) -> list[Span]:
    """Join runs drawn one after another on the same baseline with only a word space between them.

    pypdf reports a run that follows another inside one text line (a bold lead-in, then roman) at
    nearly the line's start, so a run that starts inside the previous one is placed after it.
    """
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: s.order):
        if out:
            prev = out[-1]
            size = max(prev.size, span.size)
            same_base = abs(prev.y - span.y) <= 0.25 * size
            gap = span.x0 - prev.x1
            bullet = len(prev.text) == 1 and prev.text in BULLETS
            lagging = prev.x0 - 1 <= span.x0 < prev.x1 - 0.5 * size
            close = -0.5 * prev.size <= gap <= (2.0 if bullet else 0.45) * size
            if same_base and (close or lagging) and (joinable is None or joinable(prev, span)):
                x1 = prev.x1 + 0.25 * span.size + span.width if lagging else max(prev.x1, span.x1)
                sep = " " if lagging or bullet or gap > 0.15 * prev.size else ""
                major = span if bullet or len(span.text) > len(prev.text) else prev
                out[-1] = replace(
                    prev,
                    x1=x1,
                    text=prev.text + sep + span.text,
                    size=span.size if bullet else prev.size,
                    font=major.font,
                    spaced=prev.spaced or span.spaced,
                )
                continue
        out.append(span)
    return out
