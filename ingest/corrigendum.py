"""A corrigendum (or an addendum) with no numbered paragraphs of its own: a list of corrections, each
printed under the place it corrects ("Paragraph 28", "Table 1 …", "Page 3", "Annex II, paragraph 4").

Each correction becomes one passage, cited as "correction to paragraph 28" and found by the words it
changes; lines before the first such place are a correction of their own ("Throughout the document …").
The masthead, up to the "Corrigendum" / "Addendum" line that closes it, is front matter. The paper it
amends is read from the symbol (ingest.masthead), so citations of both show the link.
"""

from __future__ import annotations

import re

from .models import Passage
from .structure import Joiner, Line, SourceText

# The line that names the paper's kind, closing the masthead, in the UN's languages.
_KIND_LINE = re.compile(
    r"^\s*(?:Corrigendum|Addendum|Rectificatif|Additif|Corrección|Adición|Исправление|Добавление|更正|增编|"
    r"تصويب|إضافة)\s*\*?\s*$", re.I)
_NUMBER = r"(?:\d{1,3}(?:\.\d{1,3})?|[IVXLC]{1,6}|[A-Z](?:\.\d{1,3})?)(?:\s*\([a-z]{1,4}\))*"
_PLACE_WORD = (r"Paragraphs?|Subparagraphs?|Paras?\.|Pages?|Tables?|Figures?|Annex(?:es)?|Footnotes?|"
               r"Chapters?|Sections?|Box(?:es)?|Paragraphes?|Tableaux?|Annexes?|Párrafos?|Cuadros?|Anexos?|"
               r"Páginas?|Пункты?|Таблицы?|Таблица|Приложение|Страница|Глава|Раздел")
# "Paragraph 28", "Table 1 Independent …", "Annex II, paragraph 4", "Paragraphs 12 and 13", "第28段".
_PLACE = re.compile(
    rf"^\s*(?P<place>(?:{_PLACE_WORD})\s+{_NUMBER}"
    rf"(?:\s*(?:,|and|to|et|y|и|–|-)\s*(?:(?i:{_PLACE_WORD})\s+)?{_NUMBER})*)(?=[\s,.:;]|$)"
    r"|^\s*(?P<zh>(?:第\s*[\d.]+\s*(?:\([a-z]\))?\s*段|表\s*\d+|图\s*\d+|第\s*\d+\s*页|附件[一二三四五六七八九十\d]+)"
    r"(?:[，,、和至]\s*第?\s*[\d.]+\s*段)*)"
)
_MAX_PLACE_WORDS = 14  # a heading naming the place, not a sentence that happens to start with "Table 2"


def is_amendment(source: SourceText) -> bool:
    """A corrigendum or addendum: its symbol says so, or a line closing its masthead does."""
    if source.masthead is not None and source.masthead.amends:
        return True
    return _kind_line(source.lines) is not None


def _kind_line(lines: list[Line]) -> int | None:
    return next((i for i, ln in enumerate(lines[:60]) if _KIND_LINE.match(ln.text)), None)


def place(text: str) -> str | None:
    """The place a correction heading names ("paragraph 28", "table 1"), or None for other lines."""
    m = _PLACE.match(text)
    if m is None or len(text.split()) > _MAX_PLACE_WORDS or text.rstrip().endswith((".", "。")):
        return None
    found = re.sub(r"\s+", " ", (m.group("place") or m.group("zh")).strip())
    return found[0].lower() + found[1:] if m.group("place") else found


def correction_passages(source: SourceText, join: Joiner) -> list[Passage] | None:
    """Front matter and one passage per correction, or None when the paper is not an amendment or
    lists no correction."""
    if not is_amendment(source):
        return None
    lines = [ln for ln in source.lines if ln.text.strip()]
    end = _kind_line(lines)
    if end is None:
        end = next((i - 1 for i, ln in enumerate(lines) if place(ln.text.strip())), -1)
    front, body = lines[: end + 1], lines[end + 1:]
    groups: list[tuple[str | None, list[Line]]] = []
    for ln in body:
        where = place(ln.text.strip())
        if where is not None or not groups:
            groups.append((where, [ln]))
        else:
            groups[-1][1].append(ln)
    if not groups:
        return None
    out: list[Passage] = []
    if front:
        out.append(Passage(locator="front", kind="front", text="\n".join(ln.text.strip() for ln in front),
                           paragraph=None, pages=sorted({ln.page for ln in front if ln.page})))
    for n, (where, group) in enumerate(groups, 1):
        text = ""
        for ln in group[1:] if where else group:
            text = join(text, ln.text.strip())
        if where:  # the place on a line of its own, as printed
            text = f"{group[0].text.strip()}\n{text}" if text else group[0].text.strip()
        heading = group[0].text.strip() if where else ""
        out.append(Passage(locator=f"correction {n}", kind="body", text=text,
                           paragraph=f"correction to {where}" if where else f"correction {n}",
                           heading=heading, pages=sorted({ln.page for ln in group if ln.page})))
    return out
