"""Resolve what a person types for a document (file name, stem, symbol or a rough title) to one Document."""

from __future__ import annotations

from pathlib import Path

from rapidfuzz import fuzz, process, utils

from ingest.models import Document

FUZZY_MIN = 70.0  # partial_ratio below this is not a match (an unrelated title scores ~50)
FUZZY_MARGIN = 8.0  # the best title must beat the next by this much to be chosen alone


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


def _one(ref: str, found: list[Document]) -> Document | None:
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise DocumentRefError(ref, [d.source for d in found])
    return None


def resolve_document(documents: list[Document], ref: str) -> Document:
    """Exact file name, then file stem, then symbol, then a fuzzy title; ambiguity lists the candidates."""
    key = ref.strip()
    low = Path(key).name.lower()
    for match in (
        [d for d in documents if d.source.lower() == low],
        [d for d in documents if d.stem.lower() == low],
        [d for d in documents if d.symbol and d.symbol.lower() == key.lower()],
    ):
        doc = _one(ref, match)
        if doc is not None:
            return doc
    choices = {i: f"{d.title} {d.source}" for i, d in enumerate(documents)}
    scored = process.extract(key, choices, scorer=fuzz.partial_ratio, processor=utils.default_process,
                             limit=5)
    good = [(score, i) for _text, score, i in scored if score >= FUZZY_MIN]
    if not good:
        raise DocumentRefError(ref)
    best = good[0][0]
    close = [documents[i] for score, i in good if best - score < FUZZY_MARGIN]
    doc = _one(ref, close)
    assert doc is not None
    return doc
