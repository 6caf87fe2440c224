"""Resolve what a person types for a document (file name, stem, symbol, family or a rough, possibly
misspelt title) to the indexed documents it names: the one mechanism behind `boardqa passages/remove`,
`ask --doc`, `cite` and paragraph references in questions."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from rapidfuzz import fuzz

from index.retrieval.lexical import tokenize
from ingest.models import Document

NAME_MIN = 0.6  # a name score from which a text is taken to name the document (an unrelated title ~0.2)
# A UN document symbol: "A/RES/79/214", "DP/FPA/2025/6", "DP-FPA/2025/1", "A/81/6 (Sect. 15)/Part A".
_SYMBOL = re.compile(r"\b[A-Z]{1,6}(?:[-.][A-Z]+)*(?:/(?:[A-Za-z0-9.\-]+|\s?\([^)]{1,20}\)))+")
_AMENDS = re.compile(r"^/(?:Add|Corr|Rev|Amend)\.", re.I)


def same_symbol(mentioned: str, symbol: str) -> bool:
    """Whether a symbol as typed names the document: spacing and case aside, or the document is one
    part of it ("A/81/6 (Sect. 15)" names ".../Part A"), but never an addendum or corrigendum of it."""
    a = re.sub(r"\s+", "", mentioned).lower().rstrip(".")
    b = re.sub(r"\s+", "", symbol).lower()
    return a == b or (b.startswith(a + "/") and not _AMENDS.match(b[len(a):]))
_FILE = re.compile(r"[\w\-.]+\.(?:pdf|txt|md|docx)\b", re.I)


class DocumentRefError(LookupError):
    """No document, or several equally good ones; `candidates` lists their file names."""

    def __init__(self, ref: str, candidates: list[str] | None = None) -> None:
        self.ref = ref
        self.candidates = candidates or []
        if self.candidates:
            msg = f"{ref!r} matches several documents: {', '.join(self.candidates)}"
        else:
            msg = f"no indexed document matches {ref!r}"
        super().__init__(msg)


def _words(text: str) -> list[str]:
    return [t for t in tokenize(text) if len(t) >= 2 or t.isdigit()]


def name_score(text: str, doc: Document) -> float:
    """How well `text` names `doc`, 0..1: symbol or file name exactly = 1; otherwise fuzzy word
    coverage both ways between the text and the document's title and file stem (so a misspelt or
    partial title still names it, and a question's topical words mostly do not)."""
    t = unicodedata.normalize("NFKC", text).strip()
    if not t:
        return 0.0
    if doc.symbol:
        for sym in _SYMBOL.findall(t):
            if same_symbol(sym, doc.symbol):
                return 1.0
    t = _SYMBOL.sub(" ", t).strip()  # another paper's symbol says nothing about this one
    if not t:
        return 0.0
    for f in _FILE.findall(t):
        if f.lower() == doc.source.lower():
            return 1.0
    stem_words = _words(doc.stem.replace("-", " "))
    if t.lower() == doc.stem.lower():
        return 1.0
    words = _words(t)
    if not words:
        return 0.0
    target = set(_words(doc.title)) | set(stem_words) | set(_words(doc.symbol or ""))

    def best(w: str, pool: set[str] | list[str]) -> float:
        if w in pool:
            return 1.0
        if len(w) < 4:
            return 0.0
        top = max((fuzz.ratio(w, p) for p in pool if abs(len(p) - len(w)) <= 3), default=0.0)
        return 1.0 if top >= 80 else 0.0

    forward = sum(best(w, target) for w in words) / len(words)
    backward = sum(best(w, words) for w in stem_words) / len(stem_words) if stem_words else 0.0
    return 0.75 * forward + 0.25 * backward


def resolve_documents(documents: list[Document], ref: str) -> list[int]:
    """Indexes of the documents `ref` names, in order: an exact file name names one file; a stem,
    symbol, family or title names every language version of that paper. Raises DocumentRefError
    when nothing matches or several papers match equally well (with the candidates)."""
    key = ref.strip()
    low = Path(key).name.lower()
    for pick in (lambda d: d.source.lower() == low, lambda d: d.stem.lower() == low,
                 lambda d: bool(d.symbol) and same_symbol(key, d.symbol or ""),
                 lambda d: d.family.lower() == key.lower()):
        found = [i for i, d in enumerate(documents) if pick(d)]
        if found:
            return found
    if _SYMBOL.fullmatch(key) or _FILE.fullmatch(key):
        raise DocumentRefError(ref)  # an exact name that matches nothing is not a loose title
    scores = [name_score(key, d) for d in documents]
    best = max(scores, default=0.0)
    if best < NAME_MIN:
        raise DocumentRefError(ref)
    found = [i for i, s in enumerate(scores) if s >= best - 1e-6]
    families = {documents[i].family for i in found}
    if len(families) > 1:
        raise DocumentRefError(ref, sorted(documents[i].source for i in found))
    return [i for i, d in enumerate(documents) if d.family in families]


def resolve_document(documents: list[Document], ref: str) -> Document:
    """The one file `ref` names; a paper with several language versions lists them as candidates."""
    found = resolve_documents(documents, ref)
    if len(found) > 1:
        raise DocumentRefError(ref, sorted(documents[i].source for i in found))
    return documents[found[0]]
