"""Extractive answers: the sentence or two of the top passages that best answer the question, or a
plain "not found" when the corpus does not answer; the question's terms and how much of them a text
covers, which the answer sentence and the confidence (index.answering.confidence) both read.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from index.retrieval.lexical import LexicalIndex, is_cjk, normalise, tokenize

NOT_FOUND = "The indexed documents do not answer this."

_EN_STOP = set(
    "a an the of in on at to for by with from and or is are was were be been being do does did what which "
    "who whom whose when where why how many much has have had its it this that these those as about into "
    "than then there their they he she we you i can could would should will shall may might any each also "
    "other some such not no if so our your my me us them his her un".split()
)
_ZH_QUESTION_WORDS = (
    "为什么 怎么样 怎么 什么 多少 哪些 哪个 哪里 哪儿 如何 是否 "
    "有没有 几个 多久 是不是 吗 呢 吧 了 的 是 有 在 和 与"
).split()
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


def question_terms(question: str, lexical: LexicalIndex) -> dict[str, float]:
    """Content terms of the question with their idf: English words minus stopwords, Chinese bigrams
    minus question words. Terms no passage holds count with the idf of a word seen once, so that
    unknown words ("satellites") weigh against coverage instead of vanishing."""
    q = normalise(question)
    for w in _ZH_QUESTION_WORDS:
        q = q.replace(w, " ")
    q = lexical.correct(q)
    terms: dict[str, float] = {}
    unseen = math.log(1.0 + (max(lexical.size, 1) - 0.5) / 1.5)
    for tok in tokenize(q):
        if is_cjk(tok):
            if len(tok) != 2:
                continue
        elif tok in _EN_STOP or (len(tok) < 2 and not tok.isdigit()):
            continue
        idf = lexical.idf(tok)
        terms[tok] = idf if idf > 0 else unseen
    return terms


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """A light English suffix stripper, so "proposes"/"proposed"/"proposal" and "grants"/"grant" meet."""
    if is_cjk(token) or not token.isalpha() or len(token) <= 4:
        return token
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s", "al", "ly"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            base = token[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return token


def unseen_share(terms: dict[str, float], lexical: LexicalIndex) -> float:
    """idf-weighted share of the question's terms that no indexed passage holds (0..1)."""
    total = sum(terms.values())
    if not total:
        return 0.0
    return sum(w for t, w in terms.items() if lexical.doc_freq(t) == 0) / total


def coverage(terms: dict[str, float], text: str) -> float:
    """idf-weighted share of the question's terms present in `text` (0..1), matching stems."""
    if not terms:
        return 0.0
    have = {stem(t) for t in tokenize(text)}
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if stem(t) in have) / total if total else 0.0


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
