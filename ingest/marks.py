"""Footnote marks printed in superscript, told from the text around them by type size and baseline.

pypdf's plain text gives a footnote mark as ordinary digits, so a mark reads as part of the text: glued
to a heading's last word ("non-discrimination16"), set off by a space in mid-paragraph ("for all. 6 The
subprogramme"), or opening a line ("5. The four vacancies"), where it looks like a paragraph number.
The type tells it apart: a mark is a run of one to three digits (a few marks separated by commas)
set well smaller than the text beside it on the same printed line, its baseline raised above that
text's but by less than a line. Such a run is rewritten in Unicode superscript digits, which the
PDF reader already turns into inline footnote references; a full stop set in the mark's small raised
type after it is part of the mark, not the sentence's, and is left out. Anything else (a year, "SDG 16",
a symbol "DP/2025/12" in a masthead set in mixed sizes on one baseline, ordinals "19th", the power of a
unit "m²") is unchanged.

The notes themselves get the same treatment: a note whose number is printed in its own small type
("18. In 2024, …") is given a superscript number when a raised mark on the page cites that number.
And a note is put where it is printed, at the foot: Word may draw a page's notes before a table or a
chart that stands above them, which put the note in the middle of the page text, where the PDF
reader, looking for notes at a page's foot, never found it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

_MARK = re.compile(r"\d{1,3}(?:\s*,\s*\d{1,3})*\.?")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SMALLER = 0.8  # a mark's type is at most this share of the text beside it
_RISE_MIN = 0.15  # its baseline raised at least this share of that text's size …
_RISE_MAX = 0.7  # … and less than a line
_FOOTNOTE_TYPE = 0.9  # a footnote's text is set at most this share of the page's body size
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_NOTE_NUMBER = re.compile(r"^(\s*)(\d{1,3})\.?\s+(?=\S)")

Segment = tuple[str, float, float]  # (text, baseline y, type size) as pypdf's visitor hands them out


@dataclass
class _Run:
    """Consecutive segments of one printed line set in the same size on the same baseline."""

    text: str
    y: float
    size: float


def _runs(segments: list[Segment]) -> list[_Run]:
    runs: list[_Run] = []
    for text, y, size in segments:
        if not text:
            continue  # pypdf reports an empty piece at every font change
        if runs and abs(runs[-1].size - size) < 0.05 and abs(runs[-1].y - y) < 0.1 * max(size, 1.0):
            runs[-1].text += text
        else:
            runs.append(_Run(text, y, size))
    return runs


def _raised_above(mark: _Run, text: _Run | None) -> bool:
    """The mark is set smaller than `text` with its baseline raised above it, within the line."""
    if text is None or text.size <= 0 or mark.size > _SMALLER * text.size:
        return False
    rise = mark.y - text.y
    return _RISE_MIN * text.size <= rise <= _RISE_MAX * text.size


def _neighbour(runs: list[_Run], k: int, step: int) -> _Run | None:
    j = k + step
    while 0 <= j < len(runs) and not runs[j].text.strip():
        j += step
    return runs[j] if 0 <= j < len(runs) else None


def is_superscript_mark(runs: list[_Run], k: int) -> bool:
    """Run k is a footnote mark: digits in small raised type beside the line's text."""
    if not _MARK.fullmatch(runs[k].text.strip()):
        return False
    return _raised_above(runs[k], _neighbour(runs, k, -1)) or _raised_above(runs[k], _neighbour(runs, k, 1))


def superscript(mark: str) -> str:
    """The mark's digits in superscript, its own full stop dropped, commas between marks kept."""
    core = mark.strip().rstrip(".")
    lead = mark[: len(mark) - len(mark.lstrip())]
    trail = mark[len(mark.rstrip()):]
    return lead + re.sub(r"\s+", "", core).translate(_SUPERSCRIPT) + trail


class PrintedLine(Protocol):
    """What this module needs of a page line (`ingest.figures.PageLine`): its text and its pieces."""

    text: str
    segments: list[Segment]


L = TypeVar("L", bound=PrintedLine)


def mark_footnotes(lines: list[L]) -> list[L]:
    """A page's lines with footnote marks in superscript digits, at the references and at the notes,
    and the notes drawn mid-page (before a table, a chart) moved to the foot of the page."""
    body = body_type(lines)
    cited: set[str] = set()
    for line in lines:
        line.text, marks = _with_superscripts(line.segments)
        cited |= marks
    for line in lines:
        line.text = _note_number(line, cited, body)
    return _footnotes_to_foot(lines, body)


def _with_superscripts(segments: list[Segment]) -> tuple[str, set[str]]:
    """One printed line's text with its raised marks in superscript digits, and those marks."""
    runs = _runs(segments)
    out: list[str] = []
    marks: set[str] = set()
    for k, run in enumerate(runs):
        if is_superscript_mark(runs, k) and not _unit_power(runs, k):
            out.append(superscript(run.text))
            marks |= set(re.findall(r"\d+", run.text))
        else:
            out.append(run.text)
    return "".join(out), marks


_UNIT = re.compile(r"(?:\b(?:k|c|m)?m|\bft|\bmi)$")  # "m²", "km²", "m³": a power, not a note


def _unit_power(runs: list[_Run], k: int) -> bool:
    before = _neighbour(runs, k, -1)
    return runs[k].text.strip() in ("2", "3") and before is not None and bool(_UNIT.search(before.text))


def _note_number(line: PrintedLine, cited: set[str], body: float) -> str:
    """A note that opens with its number in its own small type ("18. In 2024, …") when a raised mark
    on the page cites that number: the number in superscript, like a note whose number is raised."""
    m = _NOTE_NUMBER.match(line.text)
    if not m or m.group(2) not in cited or not _small_type(_runs(line.segments), body):
        return line.text
    return m.group(1) + superscript(m.group(2)) + " " + line.text[m.end():]


def body_type(lines: Sequence[PrintedLine]) -> float:
    """The type size most of the page's characters are set in."""
    weights: Counter[float] = Counter()
    for line in lines:
        for text, _, size in line.segments:
            weights[round(size, 1)] += len(text.strip())
    return weights.most_common(1)[0][0] if weights else 10.0


def _lowest(line: PrintedLine) -> float:
    return min((y for text, y, _ in line.segments if text.strip()), default=float("inf"))


def _blank(line: PrintedLine) -> bool:
    return not line.text.strip()


def _small_type(runs: list[_Run], body: float) -> bool:
    return all(r.size <= _FOOTNOTE_TYPE * body for r in runs if r.text.strip())


def opens_footnote(line: PrintedLine, body: float) -> bool:
    """A footnote's first line: its mark in superscript, then text in type smaller than the body's."""
    text = line.text.lstrip()
    rest = text.lstrip(_SUPERSCRIPT_DIGITS)
    if not text or text[0] not in _SUPERSCRIPT_DIGITS or not rest.strip():
        return False
    return _small_type(_runs(line.segments), body)


def _footnote_block(lines: Sequence[PrintedLine], start: int, body: float) -> int:
    """End (exclusive) of the footnotes opening at `start`: the lines in small type going on down."""
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if not _blank(line):
            if not _small_type(_runs(line.segments), body) or _lowest(line) > _lowest(lines[end - 1]):
                break
        end += 1
    return end


def _footnotes_to_foot(lines: list[L], body: float) -> list[L]:
    """Footnotes drawn mid-page moved down to where they are printed: after every line drawn above
    them, before the page's foot drawn below them (a job number, a page number)."""
    cursor = 0
    while True:
        start = next((i for i in range(cursor, len(lines)) if opens_footnote(lines[i], body)), None)
        if start is None:
            return lines
        end = _footnote_block(lines, start, body)
        bottom = min(_lowest(ln) for ln in lines[start:end])
        at = len(lines)
        while at > end and (_blank(lines[at - 1]) or _lowest(lines[at - 1]) < bottom):
            at -= 1
        if at == end:
            return lines  # at the foot of the page already
        lines = lines[:start] + lines[end:at] + lines[start:end] + lines[at:]
        cursor = start
