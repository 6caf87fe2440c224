"""A lexical bridge from English questions to Chinese text: for a paper indexed only in Chinese.

The zh -> en bridge (index.retrieval.bridge) read backwards. For every Chinese word the index holds,
its CC-CEDICT senses (`gloss_tokens`, sense-weighted as there) and the UN terms it is part of
(`un_terms`) give English tokens; inverted, an English token leads to the Chinese words that render it,
each with the weight its sense has there. Only the words the index holds are looked up, so the
lexicon is small and built once per index version, when the first English question meets a Chinese
paragraph no English version stands beside (`SearchIndex.english_bridge_tokens`). A token keeps its
`RENDERINGS` strongest Chinese words: "city" -> 城市, 市, 都市, not every word with a city sense.
Numbers pass through as they are (Chinese papers print "24 个社区" with Arabic digits).

Rows that have an English version never read it: the English text answers an English question
better. No labelled question asks in English about a Chinese-only paper, so the ranker weighs this
BM25 as it weighs the zh -> en bridge (the same feature, `bm25_bridge`).
"""

from __future__ import annotations

from collections.abc import Iterable

from index.retrieval.bridge import gloss_tokens, un_terms
from index.retrieval.lexical import is_cjk, terms

RENDERINGS = 3

Lexicon = dict[str, tuple[tuple[str, float], ...]]


def reverse_lexicon(words: Iterable[str]) -> Lexicon:
    """English token -> the Chinese words (of `words`) rendering it, strongest first."""
    vocabulary = {w for w in words if w and all(is_cjk(ch) for ch in w)}
    table: dict[str, dict[str, float]] = {}

    def add(token: str, word: str, weight: float) -> None:
        slot = table.setdefault(token, {})
        slot[word] = max(slot.get(word, 0.0), weight)

    for word in vocabulary:
        for token, weight in gloss_tokens(word):
            add(token, word, weight)
    for unit, renderings in un_terms().items():
        parts = unit.split()
        if all(p in vocabulary for p in parts):
            for token, weight in renderings:
                for p in parts:
                    add(token, p, weight)
    return {t: tuple(sorted(ws.items(), key=lambda kv: -kv[1])[:RENDERINGS]) for t, ws in table.items()}


def translate_english(question: str, lexicon: Lexicon) -> list[tuple[str, float]]:
    """Chinese index tokens for an English question, each with a weight in (0, 1]."""
    out: dict[str, float] = {}
    for token in set(terms(question, "english")):
        if token[0].isdigit():
            out[token] = 1.0
            continue
        for word, weight in lexicon.get(token, ()):
            out[word] = max(out.get(word, 0.0), weight)
    return sorted(out.items(), key=lambda kv: -kv[1])
