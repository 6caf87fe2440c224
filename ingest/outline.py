"""How UN papers print their outline: the contents page, headings at every level, the footnote zone.

These are state-free tests on one printed line; the sequence rules that decide whether a numbered
line really continues the document (chapter II after chapter I) live in `structure`.
"""

from __future__ import annotations

import re

# Heading levels, outermost first. A heading drops every open heading at its level or deeper.
ANNEX, CHAPTER, SECTION, NAMED, NUMBERED, LETTERED, PLAIN = range(7)

ROMAN_HEAD = re.compile(r"^([IVXL]+)\.\s+(\S.*)$", re.S)
CJK_HEAD = re.compile(r"^([一二三四五六七八九十]+)\s*[.、．]\s*(\S.*)$", re.S)
LETTER_HEAD = re.compile(r"^([A-Z])\.\s+(\S.*)$", re.S)
NUMBERED_HEAD = re.compile(r"^(\d{1,2})\.\s+(\S.*)$", re.S)
# "a. Business unit audits", "b) Asylum policy; …": a lower-case letter under a numbered heading.
LETTERED_HEAD = re.compile(r"^([a-z])[.)]\s+([A-Z\u00C0-\u00DE\u0400-\u042F].*)$", re.S)
# "Subprogramme 1", "Action 12. We will …", "Part IV", "Goal 3": a word, then its number.
NAMED_HEAD = re.compile(
    r"^(Subprogramme|Programme|Action|Part|Chapter|Goal|Outcome|Objective|Component|Pillar)"
    r"\s+(\d{1,3}|[IVXL]{1,6})\b[.:]?(?:\s+(.*))?$",
    re.S,
)
ANNEX_HEAD = re.compile(
    r"^(Annex(?:es)?|ANNEX(?:ES)?|Appendix|APPENDIX|Appendices|Attachment)(?:\s+([IVXL]{1,6}|\d{1,2}|[A-Z]))?"
    r"\s*[.:]?$"
)
# The line that closes a resolution: where and when it was adopted ("54th plenary meeting").
ADOPTION = re.compile(r"^(?:\d{1,3}(?:st|nd|rd|th)\s+plenary\s+meeting|\d{1,3}(?:e|re)\s+séance\s+plénière|"
                      r"\d{1,3}-[ея]\s+пленарное\s+заседание|\d{1,3}ª\s+sesión\s+plenaria|第\s*\d{1,3}\s*次全体会议)"
                      r"\s*$", re.I)
# A decision printed in an annex under its number alone ("2025/3"): its paragraphs count from 1 again.
DECISION_HEAD = re.compile(r"^(?:Decision\s+)?((?:19|20)\d\d/\d{1,3})\s*$")
ITEM_HEAD = re.compile(r"^(?:Item|ITEM)\s+(\d{1,2})\s*[.:]?(?:\s+([A-Z]\S*.*))?$", re.S)
# A box set inside the run of paragraphs: "Box 3", "SPOTLIGHT: Access to …", "Case study 2:".
BOX_HEAD = re.compile(
    r"^(?:(?:Box|BOX|Encadré|Recuadro|Вставка|专栏)\s+\d+(?:\.\d+)?\b"
    r"|(?:Spotlight|SPOTLIGHT|Highlight|HIGHLIGHT|Case study|CASE STUDY|In focus|IN FOCUS|Focus|FOCUS"
    r"|Story|STORY|Snapshot|SNAPSHOT)(?:\s+\d+)?\s*:)"
)
TABLE_HEAD = re.compile(r"^(?:Table|表)\s*(\d+(?:\.\d+)?)(?:\s*[:.：]\s*.*)?$")
FIGURE_HEAD = re.compile(r"^(?:Figure|Chart|Graph|Map|图)\s*(?:[A-Z]\.)?[\dIVXL]+(?:\.[\dIVXL]+)?\b")
FOOTNOTE_RULE = re.compile(r"^_{5,}\s*$")

_LEADER = re.compile(r"(?:\.\s*){4,}|…{2,}|(?:\.\s){3,}")
# A contents entry without leaders: a numbered or named heading that ends in page (and paragraph) numbers.
_ENTRY_NUMBERS = re.compile(r"\S\s{1,}(?:\d{1,3}\s*[-–]\s*)?\d{1,3}(?:\s+\d{1,3})?\s*$")
_TABLE_ENTRY = re.compile(r"^\||\|\s*(?:\d{1,3})?\s*$|\S\s\|\s\d{1,3}\s*$")
_ENTRY_START = re.compile(r"^(?:[IVXL]+\.|[A-Z]\.|\d{1,2}\.?|Annex|Subprogramme|Chapter|Part)\s")
_CONTENTS_TITLE = re.compile(r"^(?:Contents|CONTENTS|Table of contents|Sommaire|TABLE DES MATI[EÈ]RES|"
                             r"Table des matières|Содержание|СОДЕРЖАНИЕ|目录|Índice|ÍNDICE|المحتويات)\s*$")
_PAGE_ONLY = re.compile(r"^(?:Page|Pages|Paragraphs|Paragraphes|Item|Стр\.|页次)?(?:\s*\d{1,3})?\s*$", re.I)
_MAX_GAP = 3  # wrapped entries and page breaks between two contents lines
SENTENCE_END = re.compile(r"[.!?;:。；！？”’\")\]]\s*$")


def is_contents_entry(text: str) -> bool:
    """A line of a table of contents: dot leaders, a heading that ends in its page number, or a
    row of a contents table (a Word original lays its contents out as a table: "Overview | 2")."""
    if _LEADER.search(text) or _TABLE_ENTRY.search(text):
        return True
    return bool(_ENTRY_START.match(text) and _ENTRY_NUMBERS.search(text) and not SENTENCE_END.search(text))


def contents_lines(texts: list[str]) -> set[int]:
    """Indexes of the lines that make up contents pages: front matter only, never headings.

    A contents block is a run of entries (or starts at a "Contents" title) in which at most a few
    lines (an entry that wrapped, a column header, a page break) stand between two entries."""
    marked: set[int] = set()
    i = 0
    n = len(texts)
    while i < n:
        titled = bool(_CONTENTS_TITLE.match(texts[i]))
        if not (titled or _LEADER.search(texts[i])):
            i += 1
            continue
        start = last = i
        j = i + 1
        while j < n and j - last <= _MAX_GAP + 1:
            if is_contents_entry(texts[j]):
                last = j
            elif j - last == 1 and _PAGE_ONLY.match(texts[j]) and texts[j].strip():
                last = j  # a page number printed on the line after its leaders
            j += 1
        if last > start or not titled:
            last = _body_start(texts, start, last) - 1
            marked.update(range(start, last + 1))
        i = last + 1
    return marked


def _entry_key(text: str) -> str:
    text = re.sub("[\ue000-\ue0ff]", "", text)
    text = _LEADER.split(text)[0]
    text = re.sub(r"(?:\s+\d{1,3}(?:\s*[-–]\s*\d{1,3})?)+\s*$", "", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def _body_start(texts: list[str], start: int, last: int) -> int:
    """The text starts with the first heading the contents list; lines up to it (an annex list
    without page numbers, a note on where annexes are published) still belong to the contents."""
    first = next((texts[k] for k in range(start, last + 1) if _ENTRY_START.match(texts[k])), None)
    key = _entry_key(first)[:30] if first else ""
    if len(key) < 6:
        return last + 1
    for j in range(last + 1, min(len(texts), last + 80)):
        if _entry_key(texts[j]).startswith(key):
            return j
    return last + 1


def footnote_zone(pages: list[int], texts: list[str]) -> set[int]:
    """Lines below the short rule UN papers print above a page's footnotes, to the end of that page."""
    zone: set[int] = set()
    rule_page = -1
    for i, (page, text) in enumerate(zip(pages, texts, strict=True)):
        if page and FOOTNOTE_RULE.match(text):
            rule_page = page
            zone.add(i)
        elif page and page == rule_page:
            zone.add(i)
    return zone


_ENDNOTES_HEAD = re.compile(r"^\s*(?:Notes|Endnotes|Notes de fin|Notas|Примечания|注释|注)\s*:?\s*$", re.I)
_NOTE_START = re.compile(r"^\s*\ue000?\d{1,3}(?:\ue001|\s)\s*\S")
_PARAGRAPH_START = re.compile(r"^\s*\d{1,3}\.\s+[A-Z\u4e00-\u9fff]")  # "12. The Board …": main text


def endnote_zone(texts: list[str]) -> set[int]:
    """The endnotes some papers print after their last paragraph instead of at each page's foot (the
    Human Rights Council's summaries): from a "Notes" line followed by note 1 to the next annex, or the
    end."""
    for i, text in enumerate(texts):
        if not _ENDNOTES_HEAD.match(text):
            continue
        nxt = next((t for t in texts[i + 1:] if t.strip()), "")
        if not _NOTE_START.match(nxt):
            continue
        end = next((j for j in range(i + 1, len(texts)) if ANNEX_HEAD.match(texts[j].strip())), len(texts))
        if any(_PARAGRAPH_START.match(texts[j]) for j in range(i + 1, end)):
            continue  # the notes of a table, with the text going on below them
        return set(range(i, end))
    return set()


def heading_like(text: str, longest: int = 120) -> bool:
    """A line that could be an unnumbered heading: starts a capitalised phrase and does not end a sentence.

    A printed line is at most `longest` characters; a text source's whole block may be a longer heading."""
    if len(text) > longest or len(text) < 3:
        return False
    first = text[0]
    if not (first.isupper() or first.isdigit() and not text[:4].strip().isdigit()):
        return False
    if not first.isupper():
        return False
    words = text.split()
    if sum(w[:1].isalpha() for w in words) <= sum(any(c.isdigit() for c in w) for w in words):
        return False  # a table row ("Retaliation 1 1 3 8") or a job number and page ("GE.19-13879 3")
    if re.search(r"/[^()]*\)\s*$", text):
        return False  # "Report of the first regular session (DP/2025/8)": a list of documents
    return not re.search(r"[.,;:!?]\s*$", text)


def opens_phrase(text: str) -> bool:
    """A line that continues the line before (lower-case or number start): a wrapped heading's second line."""
    return bool(text) and (text[0].islower() or text[0].isdigit() or text[0] in "(–-")


def one_phrase(text: str) -> bool:
    """A heading is one phrase: no sentence ends inside it, and it does not end like a sentence."""
    if len(text) > 200 or re.search(r"[a-z\d)][.;]\s+\S", text):
        return False
    return not re.search(r"[.,;:]\s*\S{0,3}$", text)
