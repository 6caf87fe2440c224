"""Lexical (BM25) index over CJK-aware tokens, with bm25s.

English is lower-cased word tokens; Chinese (no spaces between words) becomes character unigrams and
bigrams, so that "资金" matches inside "长期资金" without a word segmenter. Dashes and full-width forms
are normalised so that "2020–2023" and "2020-2023" match.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import bm25s
import numpy as np
from rapidfuzz import fuzz, process

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9]+(?:[.,][0-9]+)*|[^\W_]+", re.UNICODE)
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DASHES).lower()


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for tok in _TOKEN.findall(normalise(text)):
        if _CJK_RUN.fullmatch(tok):
            tokens.extend(tok)
            tokens.extend(tok[i : i + 2] for i in range(len(tok) - 1))
        else:
            tokens.append(tok)
    return tokens


def is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.fullmatch(token))


class LexicalIndex:
    def __init__(self, retriever: bm25s.BM25, size: int) -> None:
        self._retriever = retriever
        self.size = size
        self._df: np.ndarray | None = None
        self._by_initial: dict[str, list[str]] | None = None

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        retriever = bm25s.BM25()
        # bm25s cannot index an empty token list; a placeholder keeps row numbers aligned.
        corpus = [tokenize(t) or ["\u2400"] for t in texts]
        if corpus:
            retriever.index(corpus, show_progress=False)
        return cls(retriever, len(texts))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(folder))
        (folder / "size.txt").write_text(str(self.size))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        size = int((folder / "size.txt").read_text())
        retriever = bm25s.BM25.load(str(folder)) if size else bm25s.BM25()
        return cls(retriever, size)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row (0 where no token matches)."""
        if self.size == 0:
            return np.zeros(0, dtype=np.float32)
        vocab = self._retriever.vocab_dict
        toks = [t for t in tokenize(query) if t in vocab]
        if not toks:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(toks), dtype=np.float32)

    @property
    def vocabulary(self) -> dict[str, int]:
        return dict(self._retriever.vocab_dict) if self.size else {}

    def doc_freq(self, token: str) -> int:
        """Rows containing `token` (0 when unknown), read from the sparse score matrix bm25s keeps."""
        if self.size == 0:
            return 0
        if self._df is None:
            self._df = np.diff(np.asarray(self._retriever.scores["indptr"])).astype(np.int64)
        tid = self._retriever.vocab_dict.get(token)
        return int(self._df[tid]) if tid is not None and tid < len(self._df) else 0

    def idf(self, token: str) -> float:
        """BM25-style idf, 0 for a token no row holds: how much a query term says about a row."""
        df = self.doc_freq(token)
        if df == 0:
            return 0.0
        return float(np.log(1.0 + (self.size - df + 0.5) / (df + 0.5)))

    def correct(self, query: str, min_ratio: float = 85.0) -> str:
        """The query with misspelt Latin words replaced by the closest indexed word ("excelence" ->
        "excellence"), so BM25 still matches a half-remembered term. Known words are left alone."""
        if self.size == 0:
            return query
        vocab = self._retriever.vocab_dict
        if self._by_initial is None:
            buckets: dict[str, list[str]] = {}
            for word in vocab:
                if len(word) >= 4 and word.isalpha() and not is_cjk(word):
                    buckets.setdefault(word[0], []).append(word)
            self._by_initial = buckets
        out: list[str] = []
        for tok in _TOKEN.findall(normalise(query)):
            if len(tok) >= 6 and tok.isalpha() and not is_cjk(tok) and tok not in vocab:
                pool = [w for w in self._by_initial.get(tok[0], []) if abs(len(w) - len(tok)) <= 2]
                best = process.extractOne(tok, pool, scorer=fuzz.ratio, score_cutoff=min_ratio)
                if best is not None:
                    tok = best[0]
            out.append(tok)
        return " ".join(out)
