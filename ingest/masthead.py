"""The facts a UN paper prints on its first page: symbol, date of issue, title, the document it amends.

The UN prints one front-page block in every language: the organisation's name beside the symbol
("United Nations  DP/2025/12", "Nations Unies A/HRC/…"; in the old layout "UNITED NATIONS … Distr.
GENERAL" with the symbol on a line of its own), the issuing body, "Distr.: General" followed by the
date of issue, "Original: English", the job number and barcode, then the session, the agenda item
with its topic line(s), and only then the title, set in larger bold type, sometimes followed by a
by-line ("Report of the Administrator") or a subtitle ("Corrigendum", the country of a review). The
block may stand at the foot of the page (the symbol of DP/OPS/2025/3). So the reader works on the
lines of page 1 with their type size: the masthead span (from the organisation's name to "Original:")
is set aside, the agenda item and its topic lines (body-size type) are skipped, and the title is the
first run of lines in larger type after them. Decision numbers ("2024/27") never match a symbol: a
symbol starts with an upper-case body name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .clean import is_cjk
from .dates import find_date

# Document symbols: an upper-case body ("DP", "DP-FPA", "A", "UNW"), then slash-separated parts, where
# a budget fascicle adds "(Sect. 15)" and "/Part A"; a trailing "*" marks a reissue and is not kept.
_BODY = r"[A-Z][A-Z0-9]{0,9}(?:-[A-Z][A-Z0-9]{0,9})*"
_PART = r"(?:Part\s[A-Z0-9]{1,3}|Sect\.\s?\d+|[A-Za-z0-9][A-Za-z0-9.\-]*)"
_PAREN = r"(?:\s?\((?:Sect|Part|Vol|Chap)\.\s?[0-9A-Z]{1,4}\))"
SYMBOL = re.compile(rf"(?<![\w/\-])({_BODY}(?:/{_PART}{_PAREN}?){{2,}})(\*{{0,3}})(?![\w/])")
# The organisation's name as the masthead prints it, in the six official languages.
_UN_NAME = re.compile(
    r"(United\s+Nations|UNITED\s+NATIONS|Nations\s+Unies|NATIONS\s+UNIES|Naciones\s+Unidas|NACIONES\s+UNIDAS|"
    r"Организация\s+Объединенных\s+Наций|ОРГАНИЗАЦИЯ\s+ОБЪЕДИНЕННЫХ\s+НАЦИЙ|الأمم\s+المتحدة|联合国)"
)
_DISTR = re.compile(r"^(?:.*\s)?(Distr\.|DISTR\.|Distr\s*:|Распр\.|التوزيع|分发)", re.I)
_ORIGINAL = re.compile(r"^(Original|ORIGINAL|Оригинал|Язык оригинала|الأصل|原文)\s*[:：]", re.I)
_JOB = re.compile(
    r"^\s*(?:GE\.)?\d{2}-\d{5}[A-Z]?\s*\*?\s*(?:\(\s*[A-Z]\s*\))?(?:\s+\d{6}){0,2}\s*$|^\s*\*\d{7}\*\s*$"
)
_PROCESSED = re.compile(r"^\s*(?:\d\s*)?Note\s*:\s*The present document was processed", re.I)
_AGENDA = re.compile(
    r"^(?:(?:Provisional\s+)?agenda\s+items?\s+\S.*|items?\s+\d.*\b(?:agenda|list)\b.*|"
    r"points?\s+\d.*\bordre du jour\b.*|temas?\s+\d.*\bprograma\b.*|пункты?\s+\d.*\bповестки\b.*|"
    r"البند\s+.*|临时议程.*项目.*)$",
    re.I,
)
_SESSION = re.compile(r"\b(session|sessions|сессия|sesiones|الدورة|届会|会议)\b", re.I)
_RESOLUTION_NO = re.compile(r"^\d{1,3}/\d{1,4}\.\s*")
_NOT_TITLE = re.compile(
    r"^(Resolution adopted by|Décision adoptée|Résolution adoptée|Resolución aprobada|Резолюция, принятая|"
    r"\[|(Summary|Contents|Résumé|Table des matières|Resumen|Índice|Резюме|Содержание|موجز|المحتويات|"
    r"摘要|目录)\s*$|Note by|Note du|Nota de|Записка|مذكرة من)",
    re.I,
)
_BODY_START = re.compile(r"^(\d{1,3}\.\s|[IVXL]+\.\s|Chapter\s|Chapitre\s|Capítulo\s|Глава\s)")
# A barcode set in a symbol font comes out as private-use characters.
_PRIVATE_USE = re.compile(r"^[\ue000-\uf8ff\s]+$")
_SUBTITLE = re.compile(
    r"^(Corrigendum|Addendum|Revision|Rectificatif|Additif|Révision|Corrección|Adición|Revisión|"
    r"Исправление|Добавление|Пересмотр|تصويب|إضافة|更正|增编)$",
    re.I,
)
_BUDGET_SECTION = re.compile(r"^Section\s+\d+$")
_ENTITY = re.compile(r"^(United Nations|UN)(\s+[A-Z][\w\-]*|\s+(of|for|and|the|on))*$")
# What a symbol suffix says about the paper: a corrigendum or addendum amends the paper it is cut from.
_AMENDS = re.compile(r"^(.+?)/(?:Corr|Add|Amend)\.\d+(?:/.*)?$")


@dataclass
class FrontLine:
    """One line of page 1 as printed: its text, type size (0 when the format has none) and weight."""

    text: str
    size: float = 0.0
    bold: bool = False


@dataclass
class Masthead:
    symbol: str | None = None
    date: str | None = None
    title: str | None = None
    amends: str | None = None


def find_symbol_in(text: str) -> str | None:
    """The first document symbol in a piece of text, reissue marks and trailing dots removed."""
    m = SYMBOL.search(text)
    return m.group(1).rstrip(".") if m else None


def amended_symbol(symbol: str | None) -> str | None:
    """`DP/2025/14` for `DP/2025/14/Corr.1` or `…/Add.2`; None for a paper that amends nothing."""
    m = _AMENDS.match(symbol or "")
    return m.group(1) if m else None


def read_masthead(lines: list[FrontLine]) -> Masthead:
    """Symbol, date of issue and title from the lines of page 1 (see the module docstring)."""
    lines = [FrontLine(ln.text.strip(), ln.size, ln.bold) for ln in lines if ln.text.strip()]
    span = _masthead_span(lines)
    symbol = _symbol(lines, span)
    date = _issue_date(lines)
    title = _title(lines, span)
    return Masthead(symbol=symbol, date=date, title=title, amends=amended_symbol(symbol))


def masthead_lines(texts: list[str]) -> set[int]:
    """Indexes of page 1's masthead block among its text lines (blank lines are never part of it)."""
    kept = [i for i, t in enumerate(texts) if t.strip()]
    span = _masthead_span([FrontLine(texts[i].strip()) for i in kept])
    return {kept[k] for k in span}


def _masthead_span(lines: list[FrontLine]) -> set[int]:
    """Indexes of the front-page block: from the organisation's name (or Distr.) to "Original:"."""
    span: set[int] = set()
    i = 0
    while i < len(lines):
        if _is_un_name_line(lines[i].text) or _is_split_un_name(lines, i) or _DISTR.match(lines[i].text):
            j = i
            end = None
            while j < len(lines) and j - i < 16:
                if _ORIGINAL.match(lines[j].text):
                    end = j
                    break
                if _DISTR.match(lines[j].text) and end is None:
                    # resolutions print no "Original:": the block ends with the date of issue
                    dated = [k for k in range(j, min(j + 5, len(lines))) if find_date([lines[k].text])]
                    end = dated[0] if dated else None
                j += 1
            if end is not None:
                j = end
                # a language line ("Français", "Russian") may follow "Original:" in other versions
                span.update(range(i, j + 1))
                i = j + 1
                continue
        i += 1
    return span


def _is_un_name_line(text: str) -> bool:
    """The organisation's name alone or beside a symbol (not a sentence that mentions it)."""
    name = _UN_NAME.search(text)
    if not name:
        return False
    rest = (text[: name.start()] + " " + text[name.end() :]).strip().rstrip(" *")
    return not rest or bool(SYMBOL.fullmatch(rest))


def _is_split_un_name(lines: list[FrontLine], i: int) -> bool:
    """The old layout prints "UNITED" and "NATIONS" on two lines."""
    nxt = lines[i + 1].text if i + 1 < len(lines) else ""
    return lines[i].text.upper() == "UNITED" and nxt.upper().startswith("NATIONS")


def _symbol(lines: list[FrontLine], span: set[int]) -> str | None:
    # The organisation's name and the symbol on one line, in either order.
    for ln in lines:
        name = _UN_NAME.search(ln.text)
        if name:
            rest = (ln.text[: name.start()] + " " + ln.text[name.end() :]).strip().rstrip(" *")
            m = SYMBOL.fullmatch(rest)
            if m:
                return m.group(1)
    # A symbol on a line of its own inside the front-page block (the old layout), or next to Distr.
    distr = [i for i, ln in enumerate(lines) if _DISTR.match(ln.text)]
    for i, ln in enumerate(lines):
        m = SYMBOL.fullmatch(ln.text.rstrip(" *"))
        if m and (i in span or any(abs(i - d) <= 4 for d in distr)):
            return m.group(1)
    return None


def _issue_date(lines: list[FrontLine]) -> str | None:
    """The date printed under "Distr.": the date of issue (a session's dates come later)."""
    for i, ln in enumerate(lines):
        m = _DISTR.match(ln.text)
        if not m:
            continue
        window = [ln.text[m.end() :]] + [x.text for x in lines[i + 1 : i + 5]]
        for text in window:
            if _ORIGINAL.match(text):
                break
            found = find_date([text])
            if found:
                return found
    return None


def _body_size(lines: list[FrontLine]) -> float:
    """The text size of the front page: that of the agenda item line, else the commonest."""
    for pattern in (_AGENDA,):
        for ln in lines:
            if pattern.match(ln.text) and ln.size:
                return ln.size
    sizes: Counter[float] = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _title_start(lines: list[FrontLine], span: set[int], body: float) -> int:
    """The first line after the agenda item and its topic lines, or after the session's date line."""
    for i, ln in enumerate(lines):
        if i not in span and _AGENDA.match(ln.text):
            j = i + 1
            while j < len(lines) and (j in span or _furniture(lines[j].text) or lines[j].size <= body + 0.5):
                j += 1  # the topic lines are set in text type, the title in larger type
            return j
    for i, ln in enumerate(lines[:40]):
        if i not in span and _SESSION.search(ln.text) and len(ln.text.split()) <= 6:
            nxt = lines[i + 1].text if i + 1 < len(lines) else ""
            return i + 2 if re.search(r"\d{4}", nxt) and not re.search(r"\d{4}", ln.text) else i + 1
    return 0


def _furniture(text: str) -> bool:
    return bool(_JOB.match(text) or _PROCESSED.match(text) or _PRIVATE_USE.match(text))


def _title(lines: list[FrontLine], span: set[int]) -> str | None:
    body = _body_size(lines)
    if body == 0:
        return None  # without type sizes the title cannot be told from the topic line
    i = _title_start(lines, span, body)
    candidates = [
        (k, ln) for k, ln in enumerate(lines) if k >= i and k not in span and not _furniture(ln.text)
    ]
    run: list[FrontLine] = []
    rest: list[FrontLine] = []
    skip_size: float | None = None
    for pos, (_k, ln) in enumerate(candidates):
        if not run:
            if _BODY_START.match(ln.text):
                return None  # the body began: no title block
            if _NOT_TITLE.match(ln.text) or not (ln.size >= body + 1 or ln.bold and ln.size >= body):
                skip_size = ln.size if _NOT_TITLE.match(ln.text) else None
                continue
            if skip_size is not None and abs(ln.size - skip_size) < 0.6 and not _RESOLUTION_NO.match(ln.text):
                continue  # the second line of "Resolution adopted by … / on 22 September 2024"
            following = [x for _, x in candidates[pos + 1 : pos + 2]]
            if _ENTITY.match(ln.text) and following and abs(following[0].size - ln.size) >= 0.6:
                continue  # "United Nations Population Fund" above the title
            run.append(ln)
            continue
        same_type = abs(ln.size - run[0].size) < 0.6
        if same_type and not _NOT_TITLE.match(ln.text) and not _BODY_START.match(ln.text):
            run.append(ln)
        else:
            rest = [x for _, x in candidates[pos:]]
            break
    if not run:
        return None
    title, subtitle = _split_at_mark(run)
    out = _decapitalise(_RESOLUTION_NO.sub("", _tidy(_join(title))))
    if subtitle:
        out = f"{out}: {_join(subtitle)}"
    elif rest and _SUBTITLE.match(rest[0].text):
        out = f"{out}: {rest[0].text}"
    for a, b in zip(rest, rest[1:], strict=False):
        if _NOT_TITLE.match(a.text):
            break
        if _BUDGET_SECTION.match(a.text) and abs(a.size - run[0].size) < 0.6:
            out = f"{out}, {a.text}: {b.text}"  # a budget fascicle: "…, Section 15: Human settlements"
            break
    return _tidy(out) or None


def _split_at_mark(run: list[FrontLine]) -> tuple[list[FrontLine], list[FrontLine]]:
    """A title ends at its footnote asterisk; what follows in the same type is its subtitle ("Italy")."""
    for k, ln in enumerate(run[:-1]):
        if ln.text.endswith("*"):
            return run[: k + 1], run[k + 1 :]
    return run, []


def _join(lines: list[FrontLine]) -> str:
    out = ""
    for ln in lines:
        text = ln.text.strip()
        if out.endswith("-") and text[:1].islower() or out and is_cjk(out[-1]) and is_cjk(text[:1] or "a"):
            out = out + text
        else:
            out = f"{out} {text}" if out else text
    return out


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*\*+$", "", text)
    return text.strip(" :")


def _decapitalise(text: str) -> str:
    """The old layout sets titles in capitals; give them sentence case."""
    letters = [c for c in text if c.isalpha()]
    if text.isupper() and len(letters) > 12 and all(c.isascii() for c in letters):
        return text[0] + text[1:].lower()
    return text
