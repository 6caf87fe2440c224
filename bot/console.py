"""Plain-text answers, citations and sources for `boardqa chat`, the console stand-in for Slack.

They show what the Slack messages show, in the same order and words (see `bot.describe`), so a quick start
in the console is a faithful preview of the bot.
"""

from __future__ import annotations

import textwrap

from bot import describe
from bot.render import QUOTE_CHARS
from index.answering.results import Answer, Citation, CiteResult, SourceInfo
from index.answering.sentences import not_found_line

WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    lines = []
    for para in text.split("\n"):
        lines.append(textwrap.fill(para, WIDTH, initial_indent=indent, subsequent_indent=indent) or indent)
    return "\n".join(lines)


def citation_text(c: Citation, n: int | None = None, full: bool = True) -> str:
    number = f"[{n}] " if n is not None else ""
    shown, truncated = (c.text.strip(), False) if full else describe.cut(c.text, QUOTE_CHARS)
    out = [f"{number}{c.title or c.source}", "    " + " · ".join(describe.facts(c)), _wrap(shown, "    │ ")]
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
        return f"/cite {c.source} para {c.paragraph}"
    return "/cite"


def answer_text(answer: Answer) -> str:
    out = [answer.answer if answer.found else not_found_line(answer.answer)]
    if answer.citations:
        out += ["", "Sources:" if answer.found else "Closest matches (these may not answer the question):"]
        out += [citation_text(c, n, full=False) for n, c in enumerate(answer.citations, start=1)]
    return "\n".join(out)


def cite_text(result: CiteResult) -> str:
    if result.citation is not None:
        return citation_text(result.citation)
    if result.candidates:
        lines = [f"{result.reference!r} matches several passages; be more specific:"]
        lines += [f"  - {c.title or c.source} — {' · '.join(describe.facts(c))}" for c in result.candidates]
        return "\n".join(lines)
    return f"Not found: {result.error or 'no such paragraph'}"


def sources_text(sources: list[SourceInfo]) -> str:
    if not sources:
        return "No documents are indexed yet; add some with `boardqa ingest PATH`."
    lines = [f"{len(sources)} indexed document{'s' if len(sources) != 1 else ''}:"]
    for s in sources:
        facts = describe.source_facts(s)
        lines.append(f"  - {s.title or s.source} — {' · '.join(facts)}")
    return "\n".join(lines)
