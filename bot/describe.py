"""Words shared by the Slack and console renderings of an answer and its citations, so the two never
disagree.

Board documents are cited by paragraph; the designed annual report has no numbered paragraphs, so it is
cited by heading path and the page number printed on the page (which differs from the PDF page index).
"""

from __future__ import annotations

import re

from index.answering.results import Answer, Citation, SourceInfo
from index.answering.sentences import unsure_line

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "zh": "中文",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "ru": "Русский",
}

ELLIPSIS = "…"
_SOFT_BREAK = re.compile(r"[\s,;:，。；：、]")
_SENTENCE_END = re.compile(r"[.!?;](?=\s)|[。！？；]|\n")
_NOT_AN_END = re.compile(r"(?:\b[A-Z]|\b(?:e\.g|i\.e|No|Nos|para|paras|Mr|Ms|Dr|vs|cf|U\.S))\.$")


def doubt(answer: Answer) -> str | None:
    """The "not sure" line shown above a found answer that is more likely wrong than right."""
    return unsure_line(answer.question, answer.confidence) if answer.found else None


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def _chinese(c: Citation) -> bool:
    return c.language == "zh"


def location(c: Citation) -> str:
    """Where the passage is in its document, in the passage's language: "para 14(c)" or "第14(c)段",
    or for the report the heading path and printed page."""
    if c.kind == "report":
        parts = [c.heading] if c.heading else []
        if c.printed_pages:
            if _chinese(c):
                parts.append(f"印刷页码 {_span(c.printed_pages)}")
            else:
                label = "printed page" if len(c.printed_pages) == 1 else "printed pages"
                parts.append(f"{label} {_span(c.printed_pages)}")
        return " · ".join(parts) if parts else ("前言" if _chinese(c) else "front matter")
    if c.paragraph and (c.paragraph[0].isdigit() or c.paragraph[1:2] == "."):  # "12", "15.3", "A.3"
        label = f"第{c.paragraph}段" if _chinese(c) else f"para {c.paragraph}"
        return f"{c.part}, {label}" if c.part else label
    if c.paragraph:  # "item 4", "box-2": cited as the paper labels them
        return c.paragraph
    return "前言" if _chinese(c) else "front matter"


def pages_label(c: Citation) -> str:
    """The PDF page(s): "PDF pages 3–4", or "第 3–4 页" for a Chinese passage."""
    if not c.pages:
        return ""
    span = _span([str(p) for p in c.pages])
    if _chinese(c):
        return f"第 {span} 页"
    label = "PDF page" if len(c.pages) == 1 else "PDF pages"
    return f"{label} {span}"


def _span(values: list[str]) -> str:
    return values[0] if len(values) == 1 else f"{values[0]}–{values[-1]}"


def amendment_note(amends: str | None, amended_by: list[str]) -> str:
    """"amends DP/2025/14" for a corrigendum, "amended by DP/2025/14/Corr.1" for the paper it corrects."""
    parts = [f"amends {amends}"] if amends else []
    if amended_by:
        parts.append("amended by " + ", ".join(amended_by))
    return "; ".join(parts)


def facts(c: Citation) -> list[str]:
    """The short facts of a citation, in display order: symbol, location, pages, language, amendments."""
    out = [c.symbol] if c.symbol else []
    out.append(location(c))
    if pages_label(c):
        out.append(pages_label(c))
    out.append(language_name(c.language))
    if c.amends or c.amended_by:
        out.append(amendment_note(c.amends, c.amended_by))
    return out


def source_facts(s: SourceInfo) -> list[str]:
    """Symbol, file, language and size of an indexed document: the same words in Slack and the console."""
    out = [s.symbol] if s.symbol else []
    out += [s.source, language_name(s.language)]
    # an agenda or a corrigendum has items or corrections, not numbered paragraphs
    out.append(f"{s.paragraphs} paragraphs" if s.kind == "board-document" and s.paragraphs
               else f"{s.passages} passages")
    if s.pages:
        out.append(f"{s.pages} pages")
    if s.amends or s.amended_by:
        out.append(amendment_note(s.amends, s.amended_by))
    return out


def cut(text: str, limit: int) -> tuple[str, bool]:
    """Shorten to at most `limit` characters, ending in "…" after a sentence or sub-item when one ends
    past half the limit, else at a clause or word break: never inside a word."""
    text = text.strip()
    if len(text) <= limit:
        return text, False
    head = text[: max(1, limit - 1)]
    ends = [m.end() for m in _SENTENCE_END.finditer(head) if not _NOT_AN_END.search(head[: m.end()])]
    if ends and ends[-1] > limit * 0.5:
        return head[: ends[-1]].rstrip() + " " + ELLIPSIS, True
    breaks = [m.start() for m in _SOFT_BREAK.finditer(head)]
    if breaks and breaks[-1] > limit * 0.6:
        head = head[: breaks[-1] + 1]
    elif breaks:
        head = head[: breaks[-1]]
    return head.rstrip() + ELLIPSIS, True


def split(text: str, limit: int) -> list[str]:
    """Split into pieces of at most `limit` characters, preferring line, sentence and word breaks."""
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        at = max(window.rfind("\n"), window.rfind(". "), window.rfind("。"))
        if at < limit * 0.5:
            at = max(window.rfind(" "), window.rfind("，"), window.rfind("、"))
        if at < limit * 0.5:
            at = limit - 1
        pieces.append(text[: at + 1].rstrip())
        text = text[at + 1 :].lstrip()
    if text:
        pieces.append(text)
    return pieces


def footnote_lines(c: Citation) -> list[str]:
    return [f"{f.get('mark', '')} {f.get('text', '')}".strip() for f in c.footnotes]
