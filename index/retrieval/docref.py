"""Resolve what a person types for a document (file name, stem, symbol, family or a rough, possibly
misspelt title) to the indexed documents it names: the one mechanism behind `boardqa passages/remove`,
`ask --doc`, `cite` and paragraph references in questions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

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


def _words(text: str) -> tuple[str, ...]:
    return tuple(t for t in tokenize(text) if len(t) >= 2 or t.isdigit())


@lru_cache(maxsize=65536)
def _names(title: str, stem: str, symbol: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """A document's name words (title, file stem, symbol) and its stem's words; cached, since every
    question reads every document's names."""
    stem_words = _words(stem.replace("-", " "))
    return frozenset(_words(title)) | frozenset(stem_words) | frozenset(_words(symbol)), stem_words


def _close(word: str, pool: Sequence[str]) -> set[str]:
    """The words of `pool` a misspelling of `word` may be: length within 3, fuzz.ratio >= 80."""
    if len(word) < 4:
        return set()
    near = [p for p in pool if abs(len(p) - len(word)) <= 3]
    return {p for p, _score, _i in process.extract(word, near, scorer=fuzz.ratio, score_cutoff=80,
                                                   limit=None)}


def name_score(text: str, doc: Document) -> float:
    """How well `text` names `doc`, 0..1: symbol or file name exactly = 1; otherwise fuzzy word
    coverage both ways between the text and the document's title and file stem (so a misspelt or
    partial title still names it, and a question's topical words mostly do not)."""
    return name_scores(text, [doc])[0]


def name_scores(text: str, documents: Sequence[Document]) -> list[float]:
    """`name_score` of `text` for each document: what the text says is read once, each document's
    names once per process, and fuzzy matches once per word against every document's name words."""
    t = unicodedata.normalize("NFKC", text).strip()
    if not t:
        return [0.0] * len(documents)
    symbols = _SYMBOL.findall(t)
    t = _SYMBOL.sub(" ", t).strip()  # another paper's symbol says nothing about this one
    files = {f.lower() for f in _FILE.findall(t)}
    words = _words(t) if t else ()
    names = [_names(d.title, d.stem, d.symbol or "") for d in documents]
    vocabulary = sorted(frozenset().union(*(target for target, _ in names))) if words else []
    forward_near = {w: _close(w, vocabulary) for w in set(words)}
    backward: dict[str, float] = {}

    def hit(w: str, target: frozenset[str]) -> float:
        return 1.0 if w in target or not forward_near[w].isdisjoint(target) else 0.0

    def back(w: str) -> float:
        if w not in backward:
            backward[w] = 1.0 if w in words or _close(w, words) else 0.0
        return backward[w]

    out: list[float] = []
    for doc, (target, stem_words) in zip(documents, names, strict=True):
        if doc.symbol and any(same_symbol(sym, doc.symbol) for sym in symbols):
            out.append(1.0)
        elif not t:
            out.append(0.0)
        elif doc.source.lower() in files or t.lower() == doc.stem.lower():
            out.append(1.0)
        elif not words:
            out.append(0.0)
        else:
            forward = sum(hit(w, target) for w in words) / len(words)
            behind = sum(back(w) for w in stem_words) / len(stem_words) if stem_words else 0.0
            out.append(0.75 * forward + 0.25 * behind)
    return out


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
    scores = name_scores(key, documents)
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
