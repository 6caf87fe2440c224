"""Lexical (BM25) index over language-aware tokens, with bm25s.

Tokens, all lower-cased after NFKC and dash normalisation:
- Chinese runs are cut into words by jieba in search mode (its bundled dictionary): a long word also
  yields the dictionary words inside it, so "资金" matches inside "长期资金".
- Latin, Cyrillic and Arabic words are Snowball stems (PyStemmer): Cyrillic words take the Russian
  stemmer, Arabic-script words the Arabic one, Latin words the stemmer of the text's language (English,
  French or Spanish, told apart by counting their function words; English when none is seen), so
  "proposes"/"proposed"/"proposal" and "programmes"/"programme" meet.
- Numbers are kept whole and normalised: thousands separators dropped ("1,200", "1 200" -> "1200"), decimal
  comma read as a point where it cannot be a thousands separator ("12,5" -> "12.5"), and a range
  "2020–2023" gives "2020-2023" besides its two years.

`stem`, `terms` and `tokenize` are the one tokeniser of the project: the answer layer matches question
terms against sentences with them, and `index.retrieval.bridge` translates Chinese questions into this
token space. The tokeniser's identity (`TOKENIZER`) is written beside each saved index; an index saved by
another tokeniser is refused on load (`StaleTokenizerError`), since its tokens would never match a query;
the store then rebuilds it in memory from the stored passages until the next ingest.

Measured, lexical only with spelling correction (BM25 over the 21 real PDFs; `tests/bridge_measure.py`),
English questions R@1 / R@5: real_dev (19) old 0.526 / 0.632, new 0.474 / 0.579; real held-out (37)
old 0.568 / 0.757, new 0.541 / 0.757: one question either way, within noise (indexing surface words
beside stems measured the same). Chinese questions gain only through `index.retrieval.bridge`, whose
translations are stems; Chinese-to-Chinese matching is by jieba words.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import bm25s
import jieba
import numpy as np
import Stemmer
from rapidfuzz import fuzz, process

log = logging.getLogger(__name__)

# jieba prints "Building prefix dict ..." through a stream handler of its own: route it to our log.
_jieba_log = logging.getLogger("jieba")
_jieba_log.handlers.clear()
_jieba_log.propagate = True
_jieba_log.setLevel(logging.NOTSET)

TOKENIZER = f"jieba-{jieba.__version__}+snowball+num/1"
TOKENIZER_FILE = "tokenizer.txt"

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NUMBER = r"[0-9]+(?:[.,][0-9]+)*"
_TOKEN = re.compile(rf"[{_CJK}]+|{_NUMBER}(?:-{_NUMBER})?|[^\W\d_]+", re.UNICODE)
CJK_RUN = re.compile(rf"[{_CJK}]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# "370 000": a space as thousands separator (a group of one to three digits, then groups of three).
_SPACED_THOUSANDS = re.compile(r"(?<![0-9.,])[0-9]{1,3}(?: [0-9]{3})+(?![0-9])")
_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?$")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})

# Function words that tell the Latin-script languages of the corpus apart (a text's language decides
# its stemmer). Only the counts matter; a word shared by two lists counts for both.
_FUNCTION_WORDS = {
    "english": set("the of and to in is are was were that for with on by this from which has have".split()),
    "french": set("le la les des du de et en est sont une un pour dans par sur que qui au aux ces".split()),
    "spanish": set("el la los las del de y en es son una un para por con que se al sus".split()),
}
ENGLISH_STOP = set(
    "a an the of and or to in on at by for with from as is are was were be been being it its this that "
    "these those which what who whom whose when where why how did do does done has have had will would "
    "shall should can could may might must than then there their them they he she his her our we you "
    "your i me my not no so if about into over under per also such more most other any all each both "
    "only very".split()
)
ZH_STOP = set(
    "的 了 是 在 和 与 及 或 有 为 对 把 被 就 也 都 而 其 这 那 这些 那些 哪 哪些 哪个 哪里 "
    "什么 多少 几 如何 怎么 怎么样 为什么 是否 吗 呢 吧 啊 里 中 上 下 说 请问 请 给 到 从 以 "
    "之 等 个 又 还".split()
)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).lower()
    return _SPACED_THOUSANDS.sub(lambda m: m.group(0).replace(" ", ""), text)


def is_cjk(token: str) -> bool:
    return bool(CJK_RUN.fullmatch(token))


def normalise_number(num: str) -> str:
    """"1,200" -> "1200", "1.200.000" -> "1200000", "12,5" -> "12.5": one spelling per value. Section
    numbers ("15.10", "15.12.3") are left as printed."""
    if "," in num:
        num = num.replace(",", "") if _THOUSANDS.match(num) else num.replace(",", ".")
    if num.count(".") > 1 and all(len(g) == 3 for g in num.split(".")[1:]):
        num = num.replace(".", "")
    return num


@lru_cache(maxsize=1)
def segmenter() -> jieba.Tokenizer:
    """One jieba tokenizer per process, initialised on first use (loading its dictionary takes ~1 s)."""
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def segment(run: str, search: bool = True) -> list[str]:
    """jieba words of a run of Chinese characters; `search` adds the dictionary words inside long ones."""
    seg = segmenter()
    words = seg.cut_for_search(run) if search else seg.cut(run)
    return [w for w in words if w.strip()]


class _Stemmers(threading.local):
    """PyStemmer objects are not thread-safe: one set per thread."""

    def __init__(self) -> None:
        self.by_language: dict[str, Stemmer.Stemmer] = {}

    def get(self, language: str) -> Stemmer.Stemmer:
        st = self.by_language.get(language)
        if st is None:
            st = self.by_language[language] = Stemmer.Stemmer(language)
        return st


_STEMMERS = _Stemmers()


def script_language(word: str, latin: str = "english") -> str:
    """The stemmer a word takes: by its script, and `latin` for Latin letters."""
    if _CYRILLIC.search(word):
        return "russian"
    if _ARABIC.search(word):
        return "arabic"
    return latin


def latin_language(words: Iterable[str]) -> str:
    """English, French or Spanish, whichever has most function words among `words` (English on a tie)."""
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for w in words:
        for lang, stop in _FUNCTION_WORDS.items():
            if w in stop:
                counts[lang] += 1
    best = max(counts, key=lambda k: (counts[k], k == "english"))
    return best if counts[best] else "english"


def stem(word: str, language: str = "english") -> str:
    """Snowball stem of one lower-cased word (CJK words and numbers are returned as they are)."""
    if not word.isalpha() or is_cjk(word):
        return word
    return _STEMMERS.get(script_language(word, language)).stemWord(word)


def tokenize(text: str, language: str | None = None) -> list[str]:
    """Index tokens of `text`. `language` names the stemmer of Latin words ("english", "french",
    "spanish"); None reads it from the text's function words."""
    raw = _TOKEN.findall(normalise(text))
    latin = language or latin_language(t for t in raw if t.isalpha() and not is_cjk(t))
    tokens: list[str] = []
    for tok in raw:
        if is_cjk(tok):
            tokens.extend(segment(tok))
        elif tok[0].isdigit():
            if "-" in tok:
                left, _, right = tok.partition("-")
                tokens.extend((f"{normalise_number(left)}-{normalise_number(right)}",
                               normalise_number(left), normalise_number(right)))
            else:
                tokens.append(normalise_number(tok))
        else:
            tokens.append(stem(tok, latin))
    return tokens


def terms(text: str, language: str | None = None) -> list[str]:
    """Content tokens: `tokenize` without function words (English, Chinese) and one-letter words."""
    raw = _TOKEN.findall(normalise(text))
    latin = language or latin_language(t for t in raw if t.isalpha() and not is_cjk(t))
    out: list[str] = []
    for tok in raw:
        if not is_cjk(tok) and (tok in ENGLISH_STOP or (len(tok) < 2 and not tok.isdigit())):
            continue
        for t in tokenize(tok, latin):
            if t not in ZH_STOP:
                out.append(t)
    return out


class StaleTokenizerError(Exception):
    """A saved lexical index whose tokens come from another tokeniser than this one."""

    def __init__(self, folder: Path, found: str) -> None:
        super().__init__(
            f"lexical index in {folder} was built with tokeniser {found!r}, this BoardQA uses {TOKENIZER!r}: "
            "run `boardqa ingest` on any file to publish a version with a rebuilt index"
        )
        self.found = found


class LexicalIndex:
    """BM25 over `tokenize` tokens, plus the index's Latin words as written (`words`), which spelling
    correction matches against: a misspelling is closer to the word than to its stem."""

    WORDS_FILE = "words.txt"

    def __init__(self, retriever: bm25s.BM25, size: int, words: list[str] | None = None) -> None:
        self._retriever = retriever
        self.size = size
        self._words = words or []
        self._df: np.ndarray | None = None
        self._by_initial: dict[str, list[str]] | None = None

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        retriever = bm25s.BM25()
        # bm25s cannot index an empty token list; a placeholder keeps row numbers aligned.
        corpus = [tokenize(t) or ["\u2400"] for t in texts]
        if corpus:
            retriever.index(corpus, show_progress=False)
        words = {w for t in texts for w in _TOKEN.findall(normalise(t))
                 if len(w) >= 4 and w.isalpha() and not is_cjk(w)}
        return cls(retriever, len(texts), sorted(words))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(folder))
        (folder / "size.txt").write_text(str(self.size))
        (folder / self.WORDS_FILE).write_text("\n".join(self._words), encoding="utf-8")
        (folder / TOKENIZER_FILE).write_text(TOKENIZER)

    @staticmethod
    def tokenizer_of(folder: Path) -> str:
        """The tokeniser a saved index was built with ("bigram/1": the one before tokeniser files)."""
        marker = folder / TOKENIZER_FILE
        return marker.read_text().strip() if marker.is_file() else "bigram/1"

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Raises StaleTokenizerError for an index another tokeniser built (no tokeniser file: the
        character-bigram tokeniser before this one)."""
        size = int((folder / "size.txt").read_text())
        found = cls.tokenizer_of(folder)
        if size and found != TOKENIZER:
            raise StaleTokenizerError(folder, found)
        retriever = bm25s.BM25.load(str(folder)) if size else bm25s.BM25()
        words_file = folder / cls.WORDS_FILE
        words = words_file.read_text(encoding="utf-8").split("\n") if words_file.is_file() else []
        return cls(retriever, size, [w for w in words if w])

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row (0 where no token matches)."""
        if self.size == 0:
            return np.zeros(0, dtype=np.float32)
        vocab = self._retriever.vocab_dict
        toks = [t for t in tokenize(query) if t in vocab]
        if not toks:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(toks), dtype=np.float32)

    def scores_weighted(self, tokens: Iterable[tuple[str, float]]) -> np.ndarray:
        """Sum over (token, weight) of weight x the token's BM25 contribution, for every row: the score
        of a query given as weighted tokens (a translated question, `bridge.translate_query`). Tokens
        are already in index space; a token repeated adds its weights."""
        out = np.zeros(self.size, dtype=np.float32)
        if self.size == 0:
            return out
        vocab = self._retriever.vocab_dict
        mat = self._retriever.scores
        data, indices, indptr = mat["data"], mat["indices"], mat["indptr"]
        weight: dict[int, float] = {}
        for tok, w in tokens:
            tid = vocab.get(tok)
            if tid is not None and w:
                weight[tid] = weight.get(tid, 0.0) + float(w)
        for tid, w in weight.items():
            lo, hi = int(indptr[tid]), int(indptr[tid + 1])
            np.add.at(out, indices[lo:hi], w * data[lo:hi])
        return out

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
        """The query with misspelt Latin words replaced by the closest word of the index ("excelence"
        -> "excellence"), so BM25 still matches a half-remembered term. Words whose stem is indexed
        are left alone."""
        if self.size == 0:
            return query
        vocab = self._retriever.vocab_dict
        if self._by_initial is None:
            buckets: dict[str, list[str]] = {}
            for word in self._words:
                buckets.setdefault(word[0], []).append(word)
            self._by_initial = buckets
        raw = _TOKEN.findall(normalise(query))
        latin = latin_language(t for t in raw if t.isalpha() and not is_cjk(t))
        out: list[str] = []
        for tok in raw:
            if len(tok) >= 6 and tok.isalpha() and not is_cjk(tok) and stem(tok, latin) not in vocab:
                pool = [w for w in self._by_initial.get(tok[0], []) if abs(len(w) - len(tok)) <= 2]
                best = process.extractOne(tok, pool, scorer=fuzz.ratio, score_cutoff=min_ratio)
                if best is not None:
                    tok = best[0]
            out.append(tok)
        return " ".join(out)
