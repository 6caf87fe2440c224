"""Plain-text answers, citations and sources for `boardqa chat`, the console stand-in for Slack.

They show what the Slack messages show, in the same order and words (see `bot.describe`), so a quick start
in the console is a faithful preview of the bot.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from bot import describe
from bot.render import QUOTE_CHARS
from index.answering.results import Answer, Citation, CiteResult, SourceInfo
from index.answering.sentences import not_found_line

WIDTH = 100  # terminal columns; a Chinese character takes two

# a run of spaces, a run of other non-wide characters (a word), or one character (CJK: one per token)
_TOKEN = re.compile(r"\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|.")
_NO_LINE_START = set("，。；：、！？）》」』”’,.;:!?)")


def _fill(text: str, room: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for tok in _TOKEN.findall(text):
        if cell_len(line) + cell_len(tok) <= room:
            line += tok
            continue
        if tok.isspace():
            lines.append(line)
            line = ""
            continue
        carry = ""
        if tok in _NO_LINE_START and len(line) > 1 and not line[-1].isspace():
            line, carry = line[:-1], line[-1]  # a comma or full stop never starts a line
        if line.strip():
            lines.append(line)
        line = carry + tok
        while cell_len(line) > room:  # a word longer than the line: cut it by width
            cut = len(line)
            while cut > 1 and cell_len(line[:cut]) > room:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    lines.append(line)
    return [ln.rstrip() for ln in lines]


def wrap(text: str, indent: str = "", first: str | None = None, width: int = WIDTH) -> str:
    """Wrap by display width (a CJK character is two columns): at spaces in English, between
    characters in Chinese; `first` replaces `indent` on the first line."""
    lead = indent if first is None else first
    room = max(10, width - max(cell_len(indent), cell_len(lead)))
    out: list[str] = []
    for para in text.split("\n"):
        for piece in _fill(para.strip(), room):
            out.append(((lead if not out else indent) + piece).rstrip() or indent)
    return "\n".join(out)


def citation_text(c: Citation, n: int | None = None, full: bool = True) -> str:
    number = f"[{n}] " if n is not None else ""
    shown, truncated = (c.text.strip(), False) if full else describe.cut(c.text, QUOTE_CHARS)
    out = [wrap(c.title or c.source, " " * len(number), first=number),
           wrap(" · ".join(describe.facts(c)), "    "), wrap(shown, "    │ ")]
    if truncated:
        out.append(f"    (cut; {_cite_hint(c)} shows the whole passage)")
    if full:
        out += ["    " + line for line in describe.footnote_lines(c)]
    others = [describe.language_name(lang) for lang in sorted(c.parallels) if lang != c.language]
    if others:
        out.append(f"    also in: {', '.join(others)}")
    return "\n".join(out)


def _cite_hint(c: Citation) -> str:
    if c.kind == "board-document" and c.paragraph:
        return f"/cite {c.source} {c.part + ' ' if c.part else ''}para {c.paragraph}"
    return "/cite"


def answer_text(answer: Answer) -> str:
    out = [wrap(answer.answer if answer.found else not_found_line(answer.answer))]
    unsure = describe.doubt(answer)
    if unsure:
        out.insert(0, wrap(unsure))
    if answer.citations:
        out += ["", "Sources:" if answer.found else "Closest matches (these may not answer the question):"]
        out += [citation_text(c, n, full=False) for n, c in enumerate(answer.citations, start=1)]
    return "\n".join(out)


def cite_text(result: CiteResult) -> str:
    if result.citation is not None:
        return citation_text(result.citation)
    if result.candidates:
        lines = [f"{result.reference!r} matches several passages; be more specific:"]
        lines += [wrap(f"{c.title or c.source} — {' · '.join(describe.facts(c))}", "    ", first="  - ")
                  for c in result.candidates]
        return "\n".join(lines)
    return f"Not found: {result.error or 'no such paragraph'}"


def sources_text(sources: list[SourceInfo]) -> str:
    if not sources:
        return "No documents are indexed yet; add some with `boardqa ingest PATH`."
    lines = [f"{len(sources)} indexed document{'s' if len(sources) != 1 else ''}:"]
    for s in sources:
        facts = describe.source_facts(s)
        lines.append(wrap(f"{s.title or s.source} — {' · '.join(facts)}", "    ", first="  - "))
    return "\n".join(lines)
