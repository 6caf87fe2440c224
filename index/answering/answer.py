"""Confidence that the best passages answer the question, in 0..1 (the answer text itself is
index.answering.sentences).

Confidence needs no extra model call. It combines two signals that fail in different ways:
- the dense cosine of the best passage (off-topic questions land far from every passage), and
- how much of the question's distinctive vocabulary (idf-weighted content words, Chinese bigrams) the
  best passages hold: an off-topic question that shares a few common words with the corpus
  ("agency", "2020") covers little of its rare words ("satellites", "orbit").
- the share of that vocabulary the corpus never uses at all ("cryptocurrency", "vaccination"): past
  about half of an English question's weight, the question is about something else, however close its
  embedding lands (Chinese bigrams across word boundaries are often unseen, so only Latin-script
  questions are read this way).
All are turned into one logistic score; `min_confidence` (config [answer]) is the found/not-found line.
Calibrated on the dev questions plus off-topic ones (see tests/test_quality.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Calibration:
    """Logistic model of P(the best passage answers) from its dense cosine and term coverage.

    e5 cosines run higher for Chinese questions (about +0.045 on the same corpus), so the dense
    centre is per question language; a passage found across languages scores lower still. Fitted by
    logistic regression on the dev questions, off-topic questions and the report probes (leave-one-out
    errors: 2 of 72), for multilingual-e5-small; another embedding model needs its own centres.
    """

    dense_weight: float = 70.0
    dense_centers: tuple[tuple[str, float], ...] = (("en", 0.815), ("zh", 0.86))
    cross_language_shift: float = 0.04  # a question and passage in two languages: centre this much lower
    coverage_weight: float = 2.7
    coverage_center: float = 0.64
    cross_language_coverage: float = 0.5  # assumed when the best passage is in another language
    # Unseen vocabulary beyond this share of an English question's weight lowers the score steeply.
    unseen_weight: float = 15.0
    unseen_center: float = 0.45
    unseen_languages: tuple[str, ...] = ("en",)

    def confidence(self, dense: float, cover: float | None, language: str = "en",
                   unseen: float = 0.0) -> float:
        center = dict(self.dense_centers).get(language, self.dense_centers[0][1])
        if cover is None:
            center -= self.cross_language_shift
            cover = self.cross_language_coverage
        z = self.dense_weight * (dense - center) + self.coverage_weight * (cover - self.coverage_center)
        if language in self.unseen_languages:
            z -= self.unseen_weight * max(0.0, unseen - self.unseen_center)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
