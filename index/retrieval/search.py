"""Search: candidate passages of a question, ranked by the fitted ranker, one hit per passage.

How a question is scored lives in three modules: `features.py` (what is measured on each candidate:
dense cosine, BM25 in the question's language and bridged into the others, term coverage, language
versions, document names, time frames, passage kind), `ranker.py` (the weights `boardqa fit` fitted,
from params.json) and this one (the arrays derived once per index version, and grouping). No score is
normalised per language: a passage's score is the ranker's probability that it is the one that answers
(0..1, summed over its language versions), so scores mean the same across languages and corpora.
Language versions of one passage (same family and locator) are one hit, shown in the question's
language when that version is indexed; a sub-item and its whole paragraph are never both shown.
Measured numbers: README (quality) and `boardqa fit` (cross-validated, with feature ablations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import faiss
import numpy as np

from index.retrieval.bilingual import ParallelLexicon
from index.retrieval.bridge import Unit, query_units, translate_query
from index.retrieval.features import FEATURES, KIND_CODES, Candidates, evidence, extract, year_mask
from index.retrieval.lexical import LexicalIndex
from index.retrieval.ranker import RankParams, softmax
from index.retrieval.reverse_bridge import Lexicon, reverse_lexicon, translate_english
from index.retrieval.textrep import lexical_text
from ingest.models import Document, Passage

_STEMMER_LANGUAGE = {"en": "english", "fr": "french", "es": "spanish", "ru": "russian"}

__all__ = ["Hit", "RankParams", "SearchIndex", "is_citable", "query_language", "year_mask"]

_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
_TABLE_CAPTION = re.compile(r"^\s*(?:table|表)\s*(\d{1,2})\b", re.I)


def query_language(text: str) -> str:
    """"zh" when the question is mostly Chinese characters, else "en" (Latin script)."""
    letters = _LETTER.findall(text)
    if not letters:
        return "en"
    cjk = sum(1 for ch in letters if _CJK_CHAR.match(ch))
    return "zh" if cjk * 2 >= len(letters) or cjk >= 4 else "en"


@dataclass(frozen=True)
class Hit:
    """One passage found: `row` is the version shown; `rows` every language version of it."""

    row: int
    score: float  # the ranker's probability that this passage answers (0..1, over its versions)
    dense: float  # raw cosine of the best-ranked version
    lexical: float  # normalised BM25 of the best version in the question's language (0 if none)
    rows: tuple[int, ...]
    logit: float = 0.0  # the ranker's score of the best-ranked version
    features: tuple[float, ...] = ()  # its features (index.retrieval.features.FEATURES)


def is_citable(passage: Passage) -> bool:
    """Front matter, covers and contents pages are context, never an answer."""
    return passage.kind != "front" and passage.paragraph is not None


class SearchIndex:
    """What search needs from one index version, derived once: row metadata as numpy arrays and the
    grouping of the language versions of each passage."""

    def __init__(self, version: Any, params: RankParams | None = None) -> None:
        self.version = version
        self.params = params or RankParams.shipped()
        self.all_features = False  # measure features the ranker gives no weight too (for fitting)
        self.documents: list[Document] = list(version.documents)
        self.rows: list[tuple[int, int]] = [(int(d), int(p)) for d, p in version.rows]
        self.vectors: np.ndarray = np.asarray(version.vectors, dtype=np.float32)
        self.dense: faiss.Index = version.dense
        self.lexical: LexicalIndex = version.lexical
        n = len(self.rows)
        self.languages: list[str] = sorted({d.language for d in self.documents})
        self.row_doc = np.array([d for d, _ in self.rows], dtype=np.int32)
        doc_lang = np.array([self.languages.index(d.language) for d in self.documents], dtype=np.int16)
        doc_year = np.array([_year(d) for d in self.documents], dtype=np.int32)
        doc_report = np.array([d.kind == "report" for d in self.documents], dtype=bool)
        self.row_lang = doc_lang[self.row_doc] if n else np.zeros(0, dtype=np.int16)
        self.row_year = doc_year[self.row_doc] if n else np.zeros(0, dtype=np.int32)
        self.row_report = doc_report[self.row_doc] if n else np.zeros(0, dtype=bool)
        self.row_kind = np.zeros(n, dtype=np.int8)
        self.row_loglen = np.zeros(n, dtype=np.float32)
        self.citable = np.zeros(n, dtype=bool)
        self.row_group = np.zeros(n, dtype=np.int32)
        self.group_rows: list[list[int]] = []
        group_of: dict[tuple[str, str], int] = {}
        parents: list[tuple[str, str] | None] = []
        for r, (di, pi) in enumerate(self.rows):
            doc = self.documents[di]
            p = doc.passages[pi]
            self.citable[r] = is_citable(p)
            self.row_kind[r] = KIND_CODES.get(p.kind, 0)
            self.row_loglen[r] = np.log1p(len(p.text.split()) + len(p.text) / 4.0 * (doc.language == "zh"))
            key = (doc.family or doc.stem, p.locator)
            g = group_of.get(key)
            if g is None:
                g = group_of[key] = len(self.group_rows)
                self.group_rows.append([])
                parents.append((key[0], p.parent) if p.parent else None)
            self.group_rows[g].append(r)
            self.row_group[r] = g
        self.group_parent = [group_of.get(k, -1) if k else -1 for k in parents]
        group_langs = np.zeros(len(self.group_rows), dtype=np.int64)
        for g, members in enumerate(self.group_rows):
            for r in members:
                group_langs[g] |= 1 << int(self.row_lang[r])
        self.row_group_langs = group_langs[self.row_group] if n else np.zeros(0, dtype=np.int64)
        self.lexicon = ParallelLexicon.learn(self._aligned_pairs())
        self.tables: dict[str, list[int]] = {}  # "2" -> rows of passages that are "Table 2"/"表 2"
        for r, (di, pi) in enumerate(self.rows):
            m = _TABLE_CAPTION.match(self.documents[di].passages[pi].text)
            if m:
                self.tables.setdefault(m.group(1), []).append(r)
        self._group_of = group_of
        self.row_years = np.array([self._passage_years(r) for r in range(n)], dtype=np.int64)
        self.doc_centroids = self._centroids()
        self.zh_only = self._zh_only()
        self._reverse: Lexicon | None = None

    def _passage_years(self, row: int) -> int:
        """Bit mask of the years a passage speaks of: those it names, else its document's year."""
        doc, p = self.passage(row)
        mask = year_mask(f"{p.heading} {p.text}")
        return mask or year_mask(doc.date[:4] if doc.date else doc.title)

    def _aligned_pairs(self) -> list[tuple[str, str]]:
        """The text of each passage indexed in exactly two languages, as (first, second) pairs."""
        pairs = []
        for rows in self.group_rows:
            langs = {int(self.row_lang[r]) for r in rows}
            if len(rows) == 2 and len(langs) == 2:
                pairs.append((self.passage(rows[0])[1].text, self.passage(rows[1])[1].text))
        return pairs

    def with_params(self, params: RankParams) -> SearchIndex:
        """The same arrays under other ranker parameters (for ablations and cross-validation)."""
        other = object.__new__(SearchIndex)
        other.__dict__.update(self.__dict__)
        other.params = replace(params)
        return other

    def measures(self, *names: str) -> bool:
        return self.all_features or self.params.uses(*names)

    def lexical_text(self, row: int) -> str:
        doc, p = self.passage(row)
        return lexical_text(doc, p)

    def parallel_scores(self, query: str) -> np.ndarray:
        """BM25 of every row for the question carried through the corpus's own parallel paragraphs
        (index.retrieval.bilingual; zeros without parallel documents)."""
        if not len(self.lexicon):
            return np.zeros(len(self.rows), dtype=np.float32)
        tokens = " ".join(self.lexicon.translate(query))
        return self.lexical.scores(tokens) if tokens else np.zeros(len(self.rows), dtype=np.float32)

    def bridge_tokens(self, query: str, qcode: int) -> list[tuple[str, float]]:
        """A Chinese question as weighted English index tokens (index.retrieval.bridge); [] otherwise."""
        if qcode >= 0 and self.languages[qcode] != "zh":
            return []
        if query_language(query) != "zh":
            return []
        return translate_query(query)

    def _zh_only(self) -> np.ndarray:
        """Rows in Chinese whose passage has no English version indexed."""
        zh, en = self.language_code("zh"), self.language_code("en")
        if zh < 0:
            return np.zeros(len(self.rows), dtype=bool)
        rows = self.row_lang == zh
        return rows & ((self.row_group_langs & (1 << en)) == 0) if en >= 0 else rows

    def english_bridge_tokens(self, query: str, qcode: int) -> list[tuple[str, float]]:
        """An English question as weighted Chinese index tokens (index.retrieval.reverse_bridge), for the
        rows in `zh_only`; [] for another question or an index without such rows."""
        if not self.zh_only.any() or qcode < 0 or self.languages[qcode] != "en":
            return []
        if query_language(query) != "en":
            return []
        if self._reverse is None:
            self._reverse = reverse_lexicon(self.lexical.vocabulary)
        return translate_english(query, self._reverse)

    def bridge_units(self, query: str, qcode: int) -> list[Unit]:
        """A Chinese question's words, terms and amounts with their English tokens; [] otherwise."""
        if qcode >= 0 and self.languages[qcode] != "zh":
            return []
        if query_language(query) != "zh":
            return []
        return query_units(query)

    def row_stem_language(self, row: int) -> str | None:
        """The stemmer language of a row's Latin words (None: read from the text)."""
        return _STEMMER_LANGUAGE.get(self.documents[int(self.row_doc[row])].language)

    def _centroids(self) -> np.ndarray:
        """Mean passage vector of each document: what a document is about, for naming it loosely."""
        dim = self.vectors.shape[1] if self.vectors.ndim == 2 else 0
        out = np.zeros((len(self.documents), dim), dtype=np.float32)
        for di in range(len(self.documents)):
            sel = (self.row_doc == di) & self.citable
            if sel.any():
                v = self.vectors[sel].mean(axis=0)
                out[di] = v / (np.linalg.norm(v) or 1.0)
        return out

    def passage(self, row: int) -> tuple[Document, Passage]:
        di, pi = self.rows[row]
        doc = self.documents[di]
        return doc, doc.passages[pi]

    def row_of(self, doc_index: int, locator: str) -> int | None:
        doc = self.documents[doc_index]
        for g in (self._group_of.get((doc.family or doc.stem, locator)),):
            if g is None:
                return None
            for r in self.group_rows[g]:
                if self.row_doc[r] == doc_index:
                    return r
        return None

    def allowed(self, docs: set[int] | None = None, language: str | None = None,
                years: set[int] | None = None) -> np.ndarray:
        """Rows that may be cited under the filters (front matter never)."""
        mask = self.citable.copy()
        if docs is not None:
            mask &= np.isin(self.row_doc, np.array(sorted(docs), dtype=np.int32))
        if language is not None:
            code = self.languages.index(language) if language in self.languages else -1
            mask &= self.row_lang == code
        if years:
            mask &= np.isin(self.row_year, np.array(sorted(years), dtype=np.int32))
        return mask

    def dense_scores(self, qvec: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Cosine of every allowed row (0 elsewhere), through the version's FAISS index.

        Fusion needs every row's score, not a ranking, so a range search with a threshold below any
        cosine scores all rows without sorting them (measured at 10,000 rows: 0.7 ms, against 2.3 ms
        for a search with k = all rows)."""
        out = np.zeros(len(self.rows), dtype=np.float32)
        if not len(self.rows) or not mask.any():
            return out
        q = np.ascontiguousarray(np.asarray(qvec, dtype=np.float32).reshape(1, -1))
        _limits, sims, ids = self.dense.range_search(q, -2.0)  # normalised vectors: cosines >= -1
        out[ids] = sims
        out[~mask] = 0.0
        return out

    def language_code(self, language: str) -> int:
        return self.languages.index(language) if language in self.languages else -1

    def candidates(self, query: str, qvec: np.ndarray, mask: np.ndarray | None = None,
                   query_lang: str | None = None, named_table: np.ndarray | None = None,
                   companion: np.ndarray | None = None) -> Candidates:
        """Candidate rows of a question with their features (index.retrieval.features);
        `companion`: the companion dense model's cosine of every row, when there is one."""
        mask = self.citable if mask is None else mask & self.citable
        qlang = query_lang or query_language(query)
        qcode = self.languages.index(qlang) if qlang in self.languages else -1
        return extract(self, query, qvec, mask, qcode, named_table, self.params.pool, companion)

    def search(self, query: str, qvec: np.ndarray, top_k: int, mask: np.ndarray | None = None,
               query_lang: str | None = None, named_table: np.ndarray | None = None,
               companion: np.ndarray | None = None) -> list[Hit]:
        """The top_k passages for a question, best first, one hit per passage across languages.
        `named_table` marks rows of a table the question names ("table 2"); `companion` is the
        companion dense model's cosine of every row."""
        if not self.rows or top_k <= 0:
            return []
        mask = self.citable if mask is None else mask & self.citable
        if not mask.any():
            return []
        qlang = query_lang or query_language(query)
        qcode = self.languages.index(qlang) if qlang in self.languages else -1
        cands = extract(self, query, qvec, mask, qcode, named_table, self.params.pool, companion)
        return self.rank(cands, top_k, qcode, mask)

    def rank(self, cands: Candidates, top_k: int, qcode: int, mask: np.ndarray) -> list[Hit]:
        """Hits from scored candidates: best first, language versions of a passage as one."""
        if not len(cands.rows):
            return []
        logits = self.params.logits(cands.x)
        probs = softmax(logits)
        group_prob: dict[int, float] = {}
        for r, pr in zip(cands.rows, probs, strict=True):
            g = int(self.row_group[r])
            group_prob[g] = group_prob.get(g, 0.0) + float(pr)
        order = np.argsort(-logits, kind="stable")
        return self._group(cands, order, logits, group_prob, cands.cosine, top_k, qcode, mask)

    def _group(self, cands: Candidates, order: np.ndarray, logits: np.ndarray, group_prob: dict[int, float],
               cosine: np.ndarray, top_k: int, qcode: int, mask: np.ndarray) -> list[Hit]:
        hits: list[Hit] = []
        shown: set[int] = set()
        bm25_col = cands.x[:, FEATURES.index("bm25")]
        lex_of = {int(r): float(v) for r, v in zip(cands.rows, bm25_col, strict=True)}
        for i in order:  # best first, so the first row of a group is its best version
            r = int(cands.rows[i])
            g = int(self.row_group[r])
            if g in shown:
                continue
            parent = self.group_parent[g]
            if parent in shown or any(self.group_parent[s] == g for s in shown):
                shown.add(g)
                continue  # a sub-item and its whole paragraph: keep whichever ranks higher
            shown.add(g)
            rows = tuple(self.group_rows[g])
            row = self._shown_row(rows, r, qcode, mask)
            best_lex = max((lex_of.get(x, 0.0) for x in rows if self.row_lang[x] == qcode), default=0.0)
            feats = evidence(self, cands, int(i), qcode) if not hits else cands.x[i]
            hits.append(Hit(row=row, score=group_prob.get(g, 0.0), dense=float(cosine[i]), lexical=best_lex,
                            rows=rows, logit=float(logits[i]), features=tuple(float(v) for v in feats)))
            if len(hits) >= top_k:
                break
        return hits

    def _shown_row(self, rows: tuple[int, ...], best_row: int, qcode: int, mask: np.ndarray) -> int:
        """The question's language version when it is indexed (and allowed), else the best one."""
        for r in rows:
            if self.row_lang[r] == qcode and mask[r]:
                return r
        return best_row


def _year(doc: Document) -> int:
    return int(doc.date[:4]) if doc.date and doc.date[:4].isdigit() else 0
