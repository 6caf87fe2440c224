"""The answer text: the sentence or two of the top passages that hold what the question asks, or a plain
"not found" in the question's language."""

from __future__ import annotations

import re

from index.answering.answer import coverage
from index.retrieval.lexical import is_cjk

NOT_FOUND = "The indexed documents do not answer this."

_EN_SENT = re.compile(r"(?<=[.!?;])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9(])")
_ZH_SENT = re.compile(r"(?<=[。！？；])")
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|etc|No|Nos|para|paras|Mr|Ms|Dr|St|approx|cf|vs|U\.S)|\b[A-Z])\.$")


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage: Chinese on 。！？；, English on . ! ? ; before a capital or digit,
    never after an abbreviation ("e.g.") or inside a number ("USD 5.9 million")."""
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        parts: list[str] = []
        for chunk in _ZH_SENT.split(line):
            pieces = _EN_SENT.split(chunk)
            for piece in pieces:
                if parts and _ABBREV.search(parts[-1]):
                    parts[-1] = f"{parts[-1]} {piece}"
                else:
                    parts.append(piece)
        out.extend(p.strip() for p in parts if p.strip())
    return out


def best_sentences(question_terms_: dict[str, float], passages: list[str], max_sentences: int = 2,
                   max_chars: int = 420) -> str:
    """The sentence that covers most of the question's terms (earlier passages win ties), plus the
    next sentence of the same passage when the first is short or the next also matches."""
    best: tuple[float, int, int] | None = None
    split = [split_sentences(p) for p in passages]
    for pi, sents in enumerate(split):
        for si, s in enumerate(sents):
            score = coverage(question_terms_, s) - 0.05 * pi - 0.01 * si
            if best is None or score > best[0]:
                best = (score, pi, si)
    if best is None:
        return ""
    _, pi, si = best
    sents = split[pi]
    chosen = [sents[si]]
    if max_sentences > 1 and si + 1 < len(sents):
        nxt = sents[si + 1]
        if len(chosen[0]) < 120 or coverage(question_terms_, nxt) > 0.2:
            if len(chosen[0]) + len(nxt) <= max_chars:
                chosen.append(nxt)
    text = " ".join(chosen) if not any(is_cjk(ch) for ch in chosen[0][:5]) else "".join(chosen)
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def not_found_text(language: str) -> str:
    """One plain sentence in every language, so that callers and tests can rely on it."""
    return NOT_FOUND
