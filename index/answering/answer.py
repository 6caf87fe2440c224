"""The question's distinctive terms and how much of them a text covers (idf-weighted), for the answer
text (index.answering.sentences); the fitted confidence is index.answering.confidence.
"""

from __future__ import annotations

import math
from functools import lru_cache

from index.retrieval.lexical import LexicalIndex, is_cjk, normalise, tokenize

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
