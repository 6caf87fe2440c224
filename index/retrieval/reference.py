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

from index.retrieval.docref import NAME_MIN, name_score
from index.retrieval.search import SearchIndex

_ZH_NUM = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SUB = r"\(\s*([a-z])\s*\)"
_PATTERNS = [
    # "subparagraph (c) of paragraph 14"
    re.compile(rf"\bsub-?\s?para(?:graph)?\s*{_SUB}\s*of\s*(?:para(?:graph)?\.?\s*)(\d{{1,3}})\b", re.I),
    # "para 12", "paragraph 14 (c)", "paras. 3", "¶ 12", "§12"
    re.compile(
        rf"(?:\b(?:sub-?)?para(?:graph)?s?\b\.?|¶|§)\s*(?:no\.?\s*)?(\d{{1,3}})(?:\s*{_SUB})?(?!\d)", re.I
    ),
    # "第12段", "第 14 (c) 段", "第14段(c)", "第十二段"
    re.compile(rf"第\s*(\d{{1,3}}|[一二两三四五六七八九十百零]+)\s*(?:{_SUB})?\s*段(?:\s*{_SUB}|\s*第?\s*\(?([a-z])\)?\s*项)?"),
    # a bare "14(c)" / "14 (c)" not part of an agenda item, decision or resolution
    re.compile(rf"(?<![\w/.])(?<!item )(?<!items )(?<!项目)(\d{{1,3}})\s*{_SUB}(?![\w(])", re.I),
]
_NOT_OURS = re.compile(
    r"^\s*(?:of\s+(?:its\s+|the\s+)?(?:resolution|decision)|of\s+(?:general\s+assembly\s+)?res)", re.I
)

# Words that only carry the request ("what does paragraph 10 say", "第5段的内容是什么").
_FILLER_EN = set(
    "a an the of in on at to from for and or is are was were be what which does do did say says said "
    "state states stated show shows mean means text content contents read quote cite give me please "
    "tell about document doc paper there this that it its".split()
)
_FILLER_ZH = (
    "说了什么 讲了什么 是什么 什么 内容 说的 的 是 请 引用 "
    "原文 全文 文件 中 里 在 了 吗 呢 ？ ? ， 。 、 ： :"
).split()


@dataclass(frozen=True)
class ParagraphRef:
    number: str  # "12"
    subitem: str | None  # "c" for "14(c)"
    rest: str  # the question without the reference and request words: a document name or topic
    bare: bool  # nothing but the reference (and request words) was asked

    @property
    def paragraph(self) -> str:
        return f"{self.number}({self.subitem})" if self.subitem else self.number


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


def parse_reference(question: str) -> ParagraphRef | None:
    """The paragraph a question cites, or None. Forms: see the module docstring."""
    text = _norm(question)
    for i, pat in enumerate(_PATTERNS):
        m = pat.search(text)
        if m is None:
            continue
        if _NOT_OURS.match(text[m.end():]):
            continue  # "paragraph 3 of its resolution 1/1" cites another text
        groups = [g for g in m.groups()]
        if i == 0:
            sub, num = groups[0], groups[1]
        elif i == 2:
            num = _zh_number(groups[0])
            sub = groups[1] or groups[2] or groups[3]
        else:
            num, sub = groups[0], groups[1]
        if not num or int(num) == 0:
            continue
        rest = strip_filler(text[: m.start()] + " " + text[m.end():])
        return ParagraphRef(number=str(int(num)), subitem=sub.lower() if sub else None, rest=rest,
                            bare=not rest)
    return None


@dataclass
class Resolution:
    """What a reference resolves to: the passage rows chosen, best first (one per document family)."""

    ref: ParagraphRef
    rows: list[int] = field(default_factory=list)
    named: bool = False  # the question named the document (symbol, file or title)
    ambiguous: bool = False  # several families hold the paragraph and nothing tells them apart
    error: str | None = None


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
    if not by_family:
        res.error = f"no paragraph {ref.paragraph} in the indexed documents"
        return res
    row_name = {r: name_score(ref.rest, si.documents[si.row_doc[r]]) if ref.rest else 0.0
                for rows in by_family.values() for r in rows}
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
