"""Paragraph references in questions ("para 12", "第5段", "14(c)", "HSP/EB.2021/TEST/2 para 20",
"新冠应对更新第4段", "paragraph 10 of the 2020 annual report summary") and naming documents loosely.

A reference is found by pattern; whatever else the question says is either a document name (symbol,
file name, or a title, possibly misspelt: rapidfuzz) or topical words that say which of several
documents with that paragraph is meant. Resolution against an index lives in `resolve_reference`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from index.retrieval.docref import NAME_MIN, name_scores
from index.retrieval.docref import name_score as name_score  # re-exported for callers of this module
from index.retrieval.search import SearchIndex

_ZH_NUM = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ROMANS = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
# A paragraph number as UN papers print it: "12", "15.12" (budget fascicles), "A.3" (their annexes).
_NUM = r"(\d{1,3}(?:\.\d{1,3})?|[A-Z]\.\d{1,3})"
_SUB = r"\(\s*([a-z])\s*\)"
# Nested sub-items after the number: "(a)", "(a)(i)", " (a) (ii)".
_SUBS = r"((?:\s*\(\s*(?:[a-z]|[ivx]{1,5})\s*\))*)"
_PATTERNS = [
    # "subparagraph (c) of paragraph 14"
    re.compile(rf"\bsub-?\s?para(?:graph)?\s*{_SUB}\s*of\s*(?:para(?:graph)?\.?\s*)(\d{{1,3}})\b", re.I),
    # "para 12", "operative paragraph 10", "paragraph 14 (c)", "paras. 3", "¶ 12", "§12", "para 15.12"
    re.compile(
        rf"(?:\b(?:sub-?)?para(?:graph)?s?\b\.?|¶|§)\s*(?:no\.?\s*)?{_NUM}{_SUBS}(?![\d.]\d)", re.I
    ),
    # "第12段", "第 14 (c) 段", "第14段(c)", "第十二段", "第15.12段"
    re.compile(rf"第\s*(\d{{1,3}}(?:\.\d{{1,3}})?|[一二两三四五六七八九十百零]+)\s*{_SUBS}\s*段"
               rf"(?:\s*{_SUB}|\s*第?\s*\(?([a-z])\)?\s*项)?"),
    # a bare "14(c)" / "91(a)(i)" not part of an agenda item, decision or resolution
    re.compile(
        rf"(?<![\w/.])(?<!item )(?<!items )(?<!项目)(\d{{1,3}}(?:\.\d{{1,3}})?){_SUBS}(?<=\))(?![\w(])", re.I
    ),
]
# An agenda item: "item 4", "议程项目4" (not "item 4 of the provisional agenda", which names another text).
_ITEM = re.compile(r"(?:\bitem\s+|议程项目\s*|项目\s*)(\d{1,2})\b(?!\s*\()", re.I)
# A bare decimal paragraph number, the whole question: "15.21".
_BARE_DECIMAL = re.compile(r"^\s*(\d{1,2}\.\d{1,3}|[A-Z]\.\d{1,3})\s*[?？]?\s*$")
# "annex I", "Annex II", "附件二": the part whose own numbering the paragraph belongs to.
_ANNEX = re.compile(r"\bannex\s+([IVX]{1,5}|\d{1,2})\b|附件\s*([一二三四五六七八九十]|\d{1,2})", re.I)
# A decision a session report annexes, its paragraphs numbered anew, named next to the paragraph:
# "paragraph 3 of decision 2025/4", "decision 2025/4, paragraph 3", "第2025/4号决定第3段".
_OF_DECISION = re.compile(
    r"^\s*of\s+(?:its\s+|the\s+)?(?:executive\s+board\s+)?decision\s+(\d{4}/\d{1,3})\b", re.I)
_DECISION_BEFORE = re.compile(
    r"(?:\bdecision\s+(\d{4}/\d{1,3})|第?\s*(\d{4}/\d{1,3})\s*号决定)\s*[,，]?\s*(?:的\s*)?"
    r"(?:(?:operative\s+)?(?:sub-?)?para(?:graph)?s?\.?\s*)?$", re.I)
_NOT_OURS = re.compile(
    r"^\s*(?:of\s+(?:its\s+|the\s+)?(?:resolution|decision)|of\s+(?:general\s+assembly\s+)?res"
    r"|of\s+the\s+(?:provisional\s+)?agenda)", re.I)

# Words that only carry the request ("what does paragraph 10 say", "第5段的内容是什么").
_FILLER_EN = set(
    "a an the of in on at to from for and or is are was were be what which does do did say says said "
    "state states stated show shows mean means text content contents read quote cite give me please "
    "tell about document doc paper there this that it its operative preambular".split()
)
_FILLER_ZH = (
    "说了什么 讲了什么 是什么 什么 内容 说的 的 是 请 引用 "
    "原文 全文 文件 中 里 在 了 吗 呢 ？ ? ， 。 、 ： :"
).split()


@dataclass(frozen=True)
class ParagraphRef:
    number: str  # "12", "15.12", "A.3"; for an agenda item, its number
    subitem: str | None  # "c" for "14(c)" (the first level of `subitems`)
    rest: str  # the question without the reference and request words: a document name or topic
    bare: bool  # nothing but the reference (and request words) was asked
    subitems: tuple[str, ...] = ()  # ("a", "i") for "91(a)(i)"
    part: str = ""  # "annex I" for "annex I para 12"
    item: bool = False  # "item 4" of an agenda

    @property
    def label(self) -> str:
        """The number with its sub-items: "14(c)", "91(a)(i)"."""
        subs = self.subitems or ((self.subitem,) if self.subitem else ())
        return self.number + "".join(f"({s})" for s in subs)

    @property
    def own_part(self) -> str:
        """The part whose numbering the paragraph follows ("" for the main text; a decimal number such
        as "A.3" carries its part in itself)."""
        return self.part if "." not in self.number else ""

    @property
    def printed(self) -> str:
        """The paragraph as a reader writes it: "3 of decision 2025/4", "12 of annex I", "14(c)"."""
        return f"{self.label} of {self.own_part}" if self.own_part else self.label

    @property
    def paragraph(self) -> str:
        """The passage locator the reference names, as ingest writes it ("annex I/12", "91(a)(i)")."""
        if self.item:
            return f"item {self.number}"
        return f"{self.own_part}/{self.label}" if self.own_part else self.label


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _zh_number(s: str) -> str:
    if s.isdigit():
        return str(int(s))
    total, cur = 0, 0
    for ch in s:
        if ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            cur = _ZH_NUM.get(ch, 0)
    return str(total + cur)


def strip_filler(text: str) -> str:
    """The content words of a question once request words are gone ("what does … say")."""
    t = text
    for f in _FILLER_ZH:
        t = t.replace(f, " ")
    words = re.findall(r"[\w/.\-–]+", t)
    kept = [w.strip(".-") for w in words if w.lower().strip(".-") not in _FILLER_EN]
    return " ".join(w for w in kept if w)


def _subitems(text: str | None) -> tuple[str, ...]:
    return tuple(x.lower() for x in re.findall(r"\(\s*([a-zA-Z]{1,5})\s*\)", text or ""))


def _decision(before: str, after: str) -> tuple[str, str, str]:
    """("decision 2025/4", before, after without it) when the decision is named next to the paragraph."""
    m = _OF_DECISION.match(after)
    if m is not None:
        return f"decision {m.group(1)}", before, after[m.end():]
    m = _DECISION_BEFORE.search(before)
    if m is not None:
        return f"decision {m.group(1) or m.group(2)}", before[: m.start()], after
    return "", before, after


def _annex(text: str) -> tuple[str, str]:
    """("annex II", text without it) when the question names an annex."""
    m = _ANNEX.search(text)
    if m is None:
        return "", text
    if m.group(1):
        num = m.group(1).upper()
        num = _ROMANS[int(num)] if num.isdigit() and int(num) < len(_ROMANS) else num
    else:
        zh = m.group(2)
        num = _ROMANS[int(_zh_number(zh))] if int(_zh_number(zh)) < len(_ROMANS) else zh
    return f"annex {num}", text[: m.start()] + " " + text[m.end():]


def parse_reference(question: str) -> ParagraphRef | None:
    """The paragraph (or agenda item) a question cites, or None. Forms: see the module docstring."""
    text = _norm(question)
    for i, pat in enumerate(_PATTERNS):
        m = pat.search(text)
        if m is None:
            continue
        after = text[m.end():]
        if _NOT_OURS.match(after) and not _OF_DECISION.match(after):
            continue  # "paragraph 3 of its resolution 1/1" cites another text
        groups = [g for g in m.groups()]
        subs: tuple[str, ...]
        if i == 0:
            num, subs = groups[1], (groups[0].lower(),)
        elif i == 2:
            num = _zh_number(groups[0]) if "." not in groups[0] else groups[0]
            tail = groups[2] or groups[3]
            subs = _subitems(groups[1]) + ((tail.lower(),) if tail else ())
        else:
            num, subs = groups[0], _subitems(groups[1])
        if not num or num.replace(".", "").strip("0") == "" or (num.isdigit() and int(num) == 0):
            continue
        number = str(int(num)) if num.isdigit() else num
        part, before, after = _decision(text[: m.start()], text[m.end():])
        rest_text = before + " " + after
        if not part:
            part, rest_text = _annex(rest_text)
        rest = strip_filler(rest_text)
        return ParagraphRef(number=number, subitem=subs[0] if subs else None, rest=rest, bare=not rest,
                            subitems=subs, part=part)
    m = _ITEM.search(text)
    if m and not _NOT_OURS.match(text[m.end():]):
        rest = strip_filler(text[: m.start()] + " " + text[m.end():])
        return ParagraphRef(number=str(int(m.group(1))), subitem=None, rest=rest, bare=not rest, item=True)
    m = _BARE_DECIMAL.match(text)
    if m:
        return ParagraphRef(number=m.group(1), subitem=None, rest="", bare=True)
    return None


@dataclass
class Resolution:
    """What a reference resolves to: the passage rows chosen, best first (one per document family)."""

    ref: ParagraphRef
    rows: list[int] = field(default_factory=list)
    named: bool = False  # the question named the document (symbol, file or title)
    ambiguous: bool = False  # several families hold the paragraph and nothing tells them apart
    error: str | None = None
    # A decision no indexed document holds: the question cites it from another text ("paragraph 3 of
    # decision 2022/13" in a report on it), so it is asked as it stands.
    cited_elsewhere: bool = False


def resolve_reference(ref: ParagraphRef, si: SearchIndex, qvec: np.ndarray | None, qlang: str,
                      mask: np.ndarray | None = None) -> Resolution:
    """Rows holding the referenced paragraph, best first, one per family, in the question's language
    where possible. The document is the one the question names; failing that, the one the rest of
    the question is about (the document's mean vector and title); failing that the question's
    language, then the most recent document. `ambiguous` says nothing but that last rule decided."""
    res = Resolution(ref=ref)
    mask = si.citable if mask is None else mask & si.citable
    by_family: dict[str, list[int]] = {}
    for di, doc in enumerate(si.documents):
        p = doc.passage(ref.paragraph)
        if p is None or doc.kind == "report":
            continue
        r = si.row_of(di, p.locator)
        if r is not None and mask[r]:
            by_family.setdefault(doc.family or doc.stem, []).append(r)
    what = f"item {ref.number}" if ref.item else f"paragraph {ref.printed}"
    if not by_family:
        res.error = f"no {what} in the indexed documents"
        res.cited_elsewhere = ref.part.startswith("decision ") and not any(
            p.part == ref.part for doc in si.documents for p in doc.passages)
        return res
    doc_name = name_scores(ref.rest, si.documents) if ref.rest else [0.0] * len(si.documents)
    if ref.rest:  # a named document without that paragraph must not be answered from another paper
        named = [d for d, score in zip(si.documents, doc_name, strict=True) if score >= 1.0]
        if named and not any(f in by_family for f in {d.family or d.stem for d in named}):
            res.error = f"no {what} in {named[0].symbol or named[0].source}"
            return res
    row_name = {r: doc_name[int(si.row_doc[r])] for rows in by_family.values() for r in rows}
    names = {f: max(row_name[r] for r in rows) for f, rows in by_family.items()}
    best_name = max(names.values())
    if best_name >= NAME_MIN:
        res.named = True
        families = [f for f in by_family if names[f] >= best_name - 1e-6]
    else:
        families = list(by_family)
    qcode = si.languages.index(qlang) if qlang in si.languages else -1

    def family_key(f: str) -> tuple[float, int, int]:
        rows = by_family[f]
        topic = 0.0
        if ref.rest and qvec is not None:
            topic = max(float(si.doc_centroids[si.row_doc[r]] @ qvec) for r in rows)
        topic += 0.5 * names[f]
        in_lang = int(any(si.row_lang[r] == qcode for r in rows))
        year = max(int(si.row_year[r]) for r in rows)
        return (round(topic, 3), in_lang, year)

    keyed = sorted(families, key=family_key, reverse=True)
    if len(keyed) > 1 and not res.named:
        a, b = family_key(keyed[0]), family_key(keyed[1])
        res.ambiguous = not ref.rest or abs(a[0] - b[0]) < 0.02
    for f in keyed:
        rows = by_family[f]
        if res.named:  # "covid19-response-update.zh.pdf para 4" means that file, whatever the script
            rows = [r for r in rows if row_name[r] >= names[f] - 1e-6]
        res.rows.append(next((r for r in rows if si.row_lang[r] == qcode), rows[0]))
    return res
