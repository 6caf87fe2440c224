"""What the ranker knows about one candidate passage for one question: a row of named features.

Every feature is a plain measurement that means the same in every corpus and language; how much
each counts is fitted (`boardqa fit`, index/measure/fit.py) and read from index/retrieval/params.json.
- Dense: the raw cosine of the question and passage vectors (e5, and the companion model USE when the
  version carries it), as its gap to the question's best cosine over all allowed rows of any
  language, so nothing is normalised per language; the offset e5 puts between a question's own
  language and the others is what `same_lang` learns.
- Lexical: BM25 of the question over rows in its language; over rows in other languages, BM25 of the
  question bridged into English (index.retrieval.bridge: UN terms, CC-CEDICT, numbers) and through the
  corpus's own parallel paragraphs (index.retrieval.bilingual); an English question reaches Chinese
  rows that have no English version through the same bridge read backwards
  (index.retrieval.reverse_bridge); each divided by the question's best so
  that long and short questions weigh alike. The idf-weighted share of the question's content terms
  a passage holds, whole and in its best sentence (real UN paragraphs run 100-300 words: BM25's length
  penalty hides a one-sentence match); a word no row holds counts in the total, so a question about
  "satellites" is not fully covered by a passage on the rest of it. On rows in another language, the
  share of the question's bridged words, each counted once by its best rendering the passage holds.
  The confidence reads these on the first hit even when the ranker gives them no weight (`evidence`).
- Corroboration: the dense gap of the passage's other language versions, which are independent
  embeddings of the same text.
- Document: how well the question names the row's document (symbol, title words), and how close the
  question is to the document's mean vector; the kind of document (report or board paper).
- Time frame: the years the question names against the years a passage speaks of.
- Passage: its length and kind (table, list, sub-item), and whether the question names its table.
Candidates are the union of the best rows by each of dense, BM25 and bridged BM25, and the rows of a
document the question names, so that every feature is read on the rows that can win.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from index.retrieval.bridge import Unit
from index.retrieval.docref import name_scores
from index.retrieval.lexical import is_cjk, tokenize
from index.retrieval.lexical import terms as content_terms

if TYPE_CHECKING:
    from index.retrieval.search import SearchIndex

FEATURES: tuple[str, ...] = (
    "dense_gap",
    "use_gap",
    "same_lang",
    "lonely",
    "bm25",
    "bm25_bridge",
    "bm25_parallel",
    "coverage",
    "sent_coverage",
    "bridge_coverage",
    "bridge_sent_coverage",
    "other_gap",
    "has_other",
    "doc_name",
    "doc_topic_gap",
    "report",
    "time_match",
    "time_mismatch",
    "time_later",
    "log_len",
    "table",
    "subitem",
    "table_named",
)

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[\"“(]?[A-Z0-9(])|(?<=[。；！？])")
_YEAR = re.compile(r"(?<!\d)(199\d|20[0-4]\d)(?!\d)")
_PERIOD = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[–—-]\s*(?:19|20)\d\d(?!\d)")
_TITLE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d\s*(?:年\s*)?(?:annual report|年度报告|report)", re.I)
_YEAR0 = 1990  # bit 0 of a year mask (1990-2049 fit in 64 bits)


def year_mask(text: str) -> int:
    """The years a text names (plan periods aside) as a bit mask from 1990; 0 when none."""
    mask = 0
    for y in _YEAR.findall(_PERIOD.sub(" ", text)):
        mask |= 1 << (int(y) - _YEAR0)
    return mask


def question_year_mask(question: str) -> int:
    """Years the question asks about; a publication year ("the 2020 annual report") is not one."""
    return year_mask(_TITLE_YEAR.sub(" ", question))


@dataclass(frozen=True)
class Candidates:
    """The candidate rows of one question and their features (rows x FEATURES)."""

    rows: np.ndarray
    x: np.ndarray
    cosine: np.ndarray  # raw cosine of each candidate row
    unseen: float  # idf-weighted share of the question's terms no indexed row holds
    # The question's weighted terms and bridged units, kept so that the evidence columns the ranker
    # does not weigh can still be read for the hit the answer rests on (`evidence`).
    terms: dict[str, float] = field(default_factory=dict)
    units: list[dict[str, float]] = field(default_factory=list)
    measured: bool = True  # every evidence column was measured on every row


def _norm_max(values: np.ndarray) -> np.ndarray:
    best = float(values.max()) if len(values) else 0.0
    return np.sqrt(values / best).astype(np.float32) if best > 0 else np.zeros_like(values)


_UNSEEN = "\0unseen"  # stands for a question word no row holds: counted in every total, held by no text


def unseen_weight(si: SearchIndex) -> float:
    """The idf a question word no row holds weighs: that of a word one row holds, so that a word the
    corpus never uses ("satellites", "天气") counts against coverage instead of vanishing."""
    return math.log(1.0 + (max(si.lexical.size, 1) - 0.5) / 1.5)


def _word(tok: str) -> bool:
    """A token that can name something: a Chinese word of two characters or more, a Latin word of four
    letters or more (shorter tokens the corpus lacks are mostly noise)."""
    return len(tok) >= 2 if is_cjk(tok) else tok.isalpha() and len(tok) > 3


def query_terms(query: str, si: SearchIndex) -> tuple[dict[str, float], float]:
    """The question's lexical tokens with their idf (each word no row holds under its own unseen key),
    and the idf share of those unseen words. Tokens every row holds weigh nothing, so no stopword list
    is needed."""
    weight = unseen_weight(si)
    terms: dict[str, float] = {}
    unseen = 0.0
    for tok in set(content_terms(si.lexical.correct(query))):
        idf = si.lexical.idf(tok)
        if idf > 0:
            terms[tok] = idf
        elif _word(tok) and si.lexical.doc_freq(tok) == 0:
            terms[f"{_UNSEEN}{tok}"] = weight
            unseen += weight
    total = sum(terms.values())
    return terms, (unseen / total if total else 0.0)


def unit_weights(units: list[Unit], si: SearchIndex) -> list[dict[str, float]]:
    """Each bridged unit's English tokens weighted by mass x weight x idf; a Chinese word that neither
    the corpus nor any of its renderings in the corpus holds is one unseen token."""
    out: list[dict[str, float]] = []
    for u in units:
        toks = {t: u.mass * w * si.lexical.idf(t) for t, w in u.tokens}
        toks = {t: v for t, v in toks.items() if v > 0}
        if not toks and _unseen_unit(u, si):
            toks = {f"{_UNSEEN}{u.source}": u.mass * unseen_weight(si)}
        out.append(toks)
    return out


def _unseen_unit(u: Unit, si: SearchIndex) -> bool:
    return (is_cjk(u.source) and len(u.source) >= 2 and si.lexical.doc_freq(u.source) == 0
            and not any(si.lexical.doc_freq(t) for t, _ in u.tokens))


def coverage(terms: dict[str, float], tokens: set[str]) -> float:
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if t in tokens) / total if total else 0.0


def unit_coverage(units: list[dict[str, float]], tokens: set[str]) -> float:
    """The share of the units' weight a text holds, each unit counted once by its best token present
    (alternative renderings of one word do not dilute each other)."""
    total = sum(max(u.values()) for u in units if u)
    held = sum(max((w for t, w in u.items() if t in tokens), default=0.0) for u in units if u)
    return held / total if total else 0.0


def _whole_and_best_sentence(cover: Callable[[set[str]], float], text: str,
                             language: str | None) -> tuple[float, float]:
    """`cover` of the whole text's tokens and of its best sentence's."""
    whole = cover(set(tokenize(text, language)))
    best = 0.0
    for sent in _SENTENCE_END.split(text):
        if sent and sent.strip():
            best = max(best, cover(set(tokenize(sent, language))))
            if best >= whole:
                break
    return whole, best


def term_evidence(terms: dict[str, float], text: str, language: str | None) -> tuple[float, float]:
    """Coverage of the whole text and of its best sentence."""
    if not terms:
        return 0.0, 0.0
    return _whole_and_best_sentence(lambda toks: coverage(terms, toks), text, language)


def unit_evidence(units: list[dict[str, float]], text: str, language: str | None) -> tuple[float, float]:
    """term_evidence for a bridged question's units."""
    if not any(units):
        return 0.0, 0.0
    return _whole_and_best_sentence(lambda toks: unit_coverage(units, toks), text, language)


def extract(si: SearchIndex, query: str, qvec: np.ndarray, mask: np.ndarray, qcode: int,
            named_table: np.ndarray | None = None, pool: int = 40,
            companion: np.ndarray | None = None) -> Candidates:
    """Candidate rows of `query` among `mask` and their features (see module docstring).
    `companion`: the companion model's cosine of every row, when the version carries one."""
    n = len(si.rows)
    cos = si.dense_scores(qvec, mask)
    allowed = np.flatnonzero(mask)
    best_cos = float(cos[allowed].max())
    use_gap = np.zeros(n, dtype=np.float32)
    if companion is not None and len(companion) == n:
        use_gap = (companion - float(companion[allowed].max())).astype(np.float32)
    same = (si.row_lang == qcode) & mask
    other = mask & ~same
    corrected = si.lexical.correct(query)
    raw = si.lexical.scores(corrected)
    bm25 = _norm_max(np.where(same, raw, 0.0).astype(np.float32)) if len(raw) == n else \
        np.zeros(n, np.float32)
    bridge = np.zeros(n, dtype=np.float32)
    parallel = np.zeros(n, dtype=np.float32)
    bridged = si.bridge_tokens(query, qcode) if other.any() else []
    into = other
    if not bridged and other.any():  # an English question, into the Chinese rows without English
        bridged, into = si.english_bridge_tokens(query, qcode), other & si.zh_only
    if bridged:
        bridge = _norm_max(np.where(into, si.lexical.scores_weighted(bridged), 0.0).astype(np.float32))
    if other.any():
        praw = si.parallel_scores(query)
        if len(praw) == n:
            parallel = _norm_max(np.where(other, praw, 0.0).astype(np.float32))
    doc_name = np.array(name_scores(query, si.documents), dtype=np.float32)
    named_docs = np.flatnonzero(doc_name >= 0.99)

    picks = [_top(np.where(mask, cos, -np.inf), pool), _top(np.where(bm25 > 0, bm25, -np.inf), pool),
             _top(np.where(bridge > 0, bridge, -np.inf), pool),
             _top(np.where(parallel > 0, parallel, -np.inf), pool // 2)]
    if companion is not None and len(companion) == n:
        picks.append(_top(np.where(mask, use_gap, -np.inf), pool // 2))
    if len(named_docs):
        in_named = mask & np.isin(si.row_doc, named_docs)
        picks.append(_top(np.where(in_named, cos, -np.inf), pool))
    if named_table is not None:
        picks.append(np.flatnonzero(named_table & mask))
    rows = np.unique(np.concatenate(picks)).astype(np.int64)
    rows = rows[mask[rows]]

    terms, unseen = query_terms(query, si)
    gap = cos - best_cos
    # corroboration: mean gap of the other allowed language versions of each candidate's passage
    group = si.row_group[rows]
    other_gap = np.zeros(len(rows), dtype=np.float32)
    has_other = np.zeros(len(rows), dtype=np.float32)
    for i, g in enumerate(group):
        mates = [r for r in si.group_rows[int(g)] if r != rows[i] and mask[r]]
        if mates:
            has_other[i] = 1.0
            other_gap[i] = float(np.mean(gap[mates]))
    lonely = ((si.row_group_langs[rows] & (1 << qcode)) == 0) if qcode >= 0 else np.ones(len(rows), bool)
    cov = np.zeros(len(rows), dtype=np.float32)
    sent_cov = np.zeros(len(rows), dtype=np.float32)
    b_cov = np.zeros(len(rows), dtype=np.float32)
    b_sent = np.zeros(len(rows), dtype=np.float32)
    b_units = unit_weights(si.bridge_units(query, qcode), si) if other.any() else []
    measure_sent = si.measures("sent_coverage")
    measure_bridged = si.measures("bridge_coverage", "bridge_sent_coverage")
    measured = measure_sent and measure_bridged  # every evidence column, on every row
    for i, r in enumerate(rows):
        lang = si.row_stem_language(int(r))
        if same[r]:
            if measure_sent:
                cov[i], sent_cov[i] = term_evidence(terms, si.lexical_text(int(r)), lang)
            else:
                cov[i] = coverage(terms, set(tokenize(si.lexical_text(int(r)), lang)))
        elif b_units and measure_bridged:
            b_cov[i], b_sent[i] = unit_evidence(b_units, si.lexical_text(int(r)), lang)
    centroid = si.doc_centroids @ np.asarray(qvec, dtype=np.float32).reshape(-1)
    docs = si.row_doc[rows]
    doc_topic = centroid[docs] - float(centroid.max())
    qyears = question_year_mask(query)
    years = si.row_years[rows]
    if qyears:
        dated = years != 0
        match = (years & qyears) != 0
        later = (years >> qyears.bit_length()) != 0
        t_match, t_mis, t_later = match, dated & ~match, match & later
    else:
        t_match = t_mis = t_later = np.zeros(len(rows), dtype=bool)
    kind = si.row_kind[rows]
    cols = {
        "dense_gap": gap[rows],
        "use_gap": use_gap[rows],
        "same_lang": same[rows],
        "lonely": lonely,
        "bm25": bm25[rows],
        "bm25_bridge": bridge[rows],
        "bm25_parallel": parallel[rows],
        "coverage": cov,
        "sent_coverage": sent_cov,
        "bridge_coverage": b_cov,
        "bridge_sent_coverage": b_sent,
        "other_gap": other_gap,
        "has_other": has_other,
        "doc_name": doc_name[docs],
        "doc_topic_gap": doc_topic,
        "report": si.row_report[rows],
        "time_match": t_match,
        "time_mismatch": t_mis,
        "time_later": t_later,
        "log_len": si.row_loglen[rows],
        "table": kind == KIND_CODES["table"],
        "subitem": kind == KIND_CODES["subitem"],
        "table_named": named_table[rows] if named_table is not None else np.zeros(len(rows), bool),
    }
    x = np.column_stack([np.asarray(cols[f], dtype=np.float32) for f in FEATURES]) if len(rows) else \
        np.zeros((0, len(FEATURES)), dtype=np.float32)
    return Candidates(rows=rows, x=x, cosine=cos[rows].astype(np.float32), unseen=unseen, terms=terms,
                      units=b_units, measured=measured)


def evidence(si: SearchIndex, cands: Candidates, i: int, qcode: int) -> np.ndarray:
    """Candidate i's feature row with every evidence column measured (the confidence reads them on the
    first hit, whether or not the ranker weighs them)."""
    x = cands.x[i].copy()
    if cands.measured:
        return x
    r = int(cands.rows[i])
    text, lang = si.lexical_text(r), si.row_stem_language(r)
    same = qcode >= 0 and int(si.row_lang[r]) == qcode
    cov, sent = term_evidence(cands.terms, text, lang) if same else \
        unit_evidence(cands.units, text, lang) if cands.units else (0.0, 0.0)
    cols = ("coverage", "sent_coverage") if same else ("bridge_coverage", "bridge_sent_coverage")
    x[FEATURES.index(cols[0])], x[FEATURES.index(cols[1])] = cov, sent
    return x


KIND_CODES = {"paragraph": 0, "subitem": 1, "table": 2, "list": 3, "box": 4, "body": 5, "caption": 6,
              "front": 7}


def _top(values: np.ndarray, k: int) -> np.ndarray:
    finite = np.flatnonzero(np.isfinite(values))
    if len(finite) <= k:
        return finite
    part = np.argpartition(-values[finite], k - 1)[:k]
    return finite[part]
