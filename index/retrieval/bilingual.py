"""A small bilingual lexicon learnt from the corpus itself: the aligned paragraphs of documents
ingested in two languages (same family, same locator) say which Chinese words go with which English
stems ("项目" ~ "project", "数据" ~ "data").

Search uses it to translate a question's terms for passages that exist only in the other language, where
BM25 on the question itself cannot match. No model and no download: with no parallel documents indexed
the lexicon is empty and nothing changes. Association is the Dice coefficient over aligned pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from index.retrieval.lexical import is_cjk, normalise, tokenize

_STOP = set(
    "the and for that with from this are was were has have had its which their not but been will also "
    "other such into than under over per cent more most all each only both".split()
)
_ZH_FUNCTION = "为什么 怎么样 怎么 什么 多少 哪些 哪个 哪里 如何 是否 的 了 是 在 和 与 有".split()


def terms(text: str) -> set[str]:
    """What is aligned: Chinese words (jieba, two characters or more) on one side, English stems on the
    other (numbers are shared by both languages already and need no translation)."""
    out: set[str] = set()
    for tok in tokenize(text):
        if is_cjk(tok):
            if len(tok) >= 2:
                out.add(tok)
        elif tok.isalpha() and len(tok) > 2 and tok not in _STOP:
            out.add(tok)
    return out


class ParallelLexicon:
    MIN_PAIRS = 2  # a pairing seen once is chance
    MIN_DICE = 0.55
    PER_TERM = 2

    def __init__(self, table: dict[str, list[tuple[float, str]]]) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table)

    @classmethod
    def learn(cls, pairs: Iterable[tuple[str, str]]) -> ParallelLexicon:
        """`pairs`: (text in language A, the same passage in language B)."""
        left: Counter[str] = Counter()
        right: Counter[str] = Counter()
        both: Counter[tuple[str, str]] = Counter()
        for a_text, b_text in pairs:
            a, b = terms(a_text), terms(b_text)
            left.update(a)
            right.update(b)
            both.update((x, y) for x in a for y in b)
        table: dict[str, list[tuple[float, str]]] = {}
        for (x, y), n in both.items():
            if n < cls.MIN_PAIRS or is_cjk(x) == is_cjk(y):
                continue
            dice = 2.0 * n / (left[x] + right[y])
            if dice >= cls.MIN_DICE:
                table.setdefault(x, []).append((dice, y))
                table.setdefault(y, []).append((dice, x))
        for k in table:
            table[k].sort(reverse=True)
            del table[k][cls.PER_TERM:]
        return cls(table)

    def translate(self, question: str) -> list[str]:
        """Tokens of the other language for the question's terms (and its numbers, unchanged)."""
        q = normalise(question)
        for w in _ZH_FUNCTION:
            q = q.replace(w, " ")
        out: list[str] = []
        for tok in tokenize(q):
            if tok.isdigit():
                out.append(tok)
            elif tok in self._table:
                out.extend(word for _, word in self._table[tok])
        return out
