"""Fitting the ranker and the confidence from labelled question sets, with cross-validation.

The procedure (`boardqa fit`):
1. For every labelled set (an index store and a question file) each question is asked once through
   QAService.ranking_inputs: its candidate rows and their features (index.retrieval.features). A row
   is a positive when its citation is a hit by the evaluation rule (index.measure.evaluate.is_hit).
   Questions a paragraph reference answers take no ranking and are left out of both fits. Query
   vectors are cached on disk, so a refit costs the feature extraction only.
2. The ranker is a conditional logit over each question's candidates (index.retrieval.ranker), fitted
   by L-BFGS with an L2 penalty on standardised features.
3. k-fold cross-validation grouped by question: each fold's ranker is fitted without the fold's
   questions and ranks them; R@1 / R@5 / MRR of these out-of-fold rankings are the cross-validated
   figures, reported beside the in-sample ones, per set.
4. The confidence (index.answering.confidence) is a logistic regression over the out-of-fold first
   hits (label: the first citation is a hit; unanswerable questions are negatives), so it learns how
   often a ranking it has not seen is right. Its own out-of-fold probabilities give the reliability
   table and the decision line: the line with the fewest errors, an unanswerable question answered and
   an answerable one refused counting alike (`decision_line`). The out-of-fold ROC AUC and log loss of
   "answerable" are reported too: they do not depend on where the line falls, so two fits whose lines
   differ still compare.
5. Ablations: the cross-validated R@1 without each feature group.
6. Feature selection (`--eliminate`), before all of the above: backward elimination by feature group.
   Starting from every feature (less any `--drop`), each round removes the group without which the
   cross-validated R@1 of all answerable questions is highest (MRR breaks ties, then the group with
   more features), as long as neither falls: R@1 rises, or it holds and MRR does not fall (a group
   that does not earn its place on questions left out of its fit goes). It stops when every remaining
   group costs R@1 or MRR.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score

from boardqa.config import Config
from index.answering.confidence import SIGNALS, Calibrator, signals
from index.answering.qa import QAService, make_citation
from index.embed import DenseModels, Embedder
from index.measure.evaluate import is_hit
from index.retrieval.features import FEATURES
from index.retrieval.ranker import RankParams
from index.retrieval.search import SearchIndex

FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "USE dense": ("use_gap",),
    "language offset": ("same_lang", "lonely"),
    "BM25": ("bm25",),
    "bridged BM25 (zh -> en)": ("bm25_bridge",),
    "parallel-paragraph lexicon": ("bm25_parallel",),
    "term coverage": ("coverage", "sent_coverage"),
    "bridged term coverage": ("bridge_coverage", "bridge_sent_coverage"),
    "sentence-level coverage": ("sent_coverage", "bridge_sent_coverage"),
    "corroboration": ("other_gap", "has_other"),
    "document name": ("doc_name",),
    "document topic": ("doc_topic_gap",),
    "report kind": ("report",),
    "time frame": ("time_match", "time_mismatch", "time_later"),
    "passage kind and length": ("log_len", "table", "subitem"),
}


class QueryCache:
    """Query vectors of every model, kept in a .npz file between runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.is_file():
            with np.load(path) as data:
                self.vectors = {k: data[k] for k in data.files}
        self.dirty = False

    def save(self) -> None:
        if self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, **self.vectors)  # type: ignore[arg-type]
            self.dirty = False


def cached(embedder: Embedder, cache: QueryCache) -> Embedder:
    """The embedder (and its companion models) with query vectors read from `cache` when there."""
    if isinstance(embedder, DenseModels):
        return DenseModels(CachedEmbedder(embedder.primary, cache),
                           {k: CachedEmbedder(v, cache) for k, v in embedder.companions.items()})
    return CachedEmbedder(embedder, cache)


class CachedEmbedder:
    """An embedder whose query vectors are kept in a QueryCache."""

    def __init__(self, inner: Embedder, cache: QueryCache) -> None:
        self.inner = inner
        self.model_id = getattr(inner, "model_id", "model")
        self.dim = int(getattr(inner, "dim", 0))
        self.cache = cache

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        key = hashlib.sha256(f"{self.model_id}\0{text}".encode()).hexdigest()[:32]
        if key not in self.cache.vectors:
            self.cache.vectors[key] = np.asarray(self.inner.embed_query(text), dtype=np.float32)
            self.cache.dirty = True
        return self.cache.vectors[key]


@dataclass
class Example:
    """One question of a labelled set, as the ranker saw it."""

    set_name: str
    qid: str
    lang: str
    answerable: bool
    index: SearchIndex | None  # None for a question the reference path answers
    question: str = ""
    x: np.ndarray = field(default_factory=lambda: np.zeros((0, len(FEATURES)), np.float32))
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    positive: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    groups: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    cosine: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    unseen: float = 0.0
    mask: np.ndarray | None = None
    reference_rank: int | None = None  # rank the reference path gave (None: not found in the list)

    @property
    def ranked(self) -> bool:
        return self.index is not None


def extract_examples(name: str, qa: QAService, questions: list[dict[str, Any]]) -> list[Example]:
    out: list[Example] = []
    for q in questions:
        answerable = q.get("doc") is not None
        inputs = qa.ranking_inputs(q["q"])
        if inputs is None:
            answer = qa.ask(q["q"], top_k=5)
            rank = next((i + 1 for i, c in enumerate(answer.citations) if is_hit(c, q)), None)
            out.append(Example(name, str(q["id"]), str(q.get("lang", "?")), answerable, None, q["q"],
                               reference_rank=rank))
            continue
        si, c = inputs.index, inputs.candidates
        positive = np.array([answerable and is_hit(make_citation(*si.passage(int(r))), q) for r in c.rows],
                            dtype=bool)
        out.append(Example(name, str(q["id"]), inputs.language, answerable, si, q["q"], c.x, c.rows,
                           positive, si.row_group[c.rows].astype(np.int64), c.cosine, c.unseen, inputs.mask))
    return out


# -- the ranker --------------------------------------------------------------------------------------

def fit_ranker(examples: list[Example], l2: float = 1.0, drop: Sequence[str] = (),
               pool: int = 40) -> RankParams:
    """Conditional logit over each question's candidates (questions with a positive candidate)."""
    train = [e for e in examples if e.ranked and e.positive.any() and len(e.rows) > 1]
    allx = np.concatenate([e.x for e in train]) if train else np.zeros((1, len(FEATURES)))
    mean = allx.mean(axis=0)
    scale = allx.std(axis=0)
    scale[scale < 1e-6] = 1.0
    keep = np.array([f not in drop for f in FEATURES])
    zs = [((e.x - mean) / scale)[:, keep] for e in train]
    poss = [e.positive for e in train]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total = 0.5 * l2 * float(w @ w)
        grad = l2 * w
        for z, pos in zip(zs, poss, strict=True):
            s = z @ w
            m = s.max()
            p_all = np.exp(s - m)
            p_all /= p_all.sum()
            p_pos = np.where(pos, np.exp(s - m), 0.0)
            p_pos /= p_pos.sum()
            total += -(math.log(np.exp(s[pos] - m).sum()) - math.log(np.exp(s - m).sum()))
            grad = grad + z.T @ (p_all - p_pos)
        return total, grad

    w0 = np.zeros(int(keep.sum()))
    res = minimize(loss, w0, jac=True, method="L-BFGS-B")
    weights = np.zeros(len(FEATURES))
    weights[keep] = res.x
    return RankParams(features=FEATURES, mean=tuple(float(v) for v in mean),
                      scale=tuple(float(v) for v in scale), weights=tuple(float(v) for v in weights),
                      pool=pool)


def rank_of_gold(e: Example, params: RankParams) -> int | None:
    """1-based rank of the first right passage (language versions as one), None when not in the pool."""
    if not e.ranked:
        return e.reference_rank
    if not e.positive.any():
        return None
    logits = params.logits(e.x)
    seen: set[int] = set()
    for i in np.argsort(-logits, kind="stable"):
        g = int(e.groups[i])
        if g in seen:
            continue
        seen.add(g)
        if e.positive[i]:
            return len(seen)
    return None


def folds(examples: list[Example], k: int, seed: int = 0) -> list[np.ndarray]:
    """k folds of question indexes, each set spread over all folds."""
    rng = np.random.default_rng(seed)
    assign = np.zeros(len(examples), dtype=int)
    for name in sorted({e.set_name for e in examples}):
        idx = np.array([i for i, e in enumerate(examples) if e.set_name == name])
        rng.shuffle(idx)
        assign[idx] = np.arange(len(idx)) % k
    return [np.flatnonzero(assign == f) for f in range(k)]


@dataclass
class RankFigures:
    n: int
    r1: float
    r5: float
    mrr: float

    @classmethod
    def of(cls, ranks: list[int | None]) -> RankFigures:
        n = len(ranks)
        if not n:
            return cls(0, 0.0, 0.0, 0.0)
        return cls(n, sum(r == 1 for r in ranks) / n, sum(r is not None and r <= 5 for r in ranks) / n,
                   sum(1.0 / r for r in ranks if r) / n)

    def to_dict(self) -> dict[str, float]:
        return {"n": self.n, "r1": round(self.r1, 4), "r5": round(self.r5, 4), "mrr": round(self.mrr, 4)}


def figures_by_set(examples: list[Example], ranks: list[int | None]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    keys = sorted({e.set_name for e in examples})
    for key in keys + ["all"]:
        for lang in (None, "en", "zh"):
            sel = [r for e, r in zip(examples, ranks, strict=True) if e.answerable
                   and (key == "all" or e.set_name == key) and (lang is None or e.lang == lang)]
            if sel:
                out[key if lang is None else f"{key} {lang}"] = RankFigures.of(sel).to_dict()
    return out


def cross_validated_ranks(examples: list[Example], k: int, fit: Callable[[list[Example]], RankParams]
                          ) -> tuple[list[int | None], list[RankParams]]:
    ranks: list[int | None] = [None] * len(examples)
    fold_params: list[RankParams] = [RankParams()] * len(examples)
    for test in folds(examples, k):
        test_set = set(test.tolist())
        params = fit([e for i, e in enumerate(examples) if i not in test_set])
        for i in test:
            ranks[i] = rank_of_gold(examples[i], params)
            fold_params[i] = params
    return ranks, fold_params


# -- the confidence ----------------------------------------------------------------------------------

def confidence_signals(e: Example, params: RankParams) -> tuple[dict[str, float], bool]:
    """The calibrator's inputs for a question under `params`, and whether its first hit is right."""
    assert e.index is not None and e.mask is not None
    from index.retrieval.features import Candidates

    si = e.index.with_params(params)
    cands = Candidates(rows=e.rows, x=e.x, cosine=e.cosine, unseen=e.unseen)
    hits = si.rank(cands, 5, si.language_code(e.lang), e.mask)
    pos_rows = set(e.rows[e.positive].tolist())
    right = bool(hits) and any(r in pos_rows for r in hits[0].rows)
    return signals(e.question, hits, si, e.unseen, e.lang), right


def _logistic(x: np.ndarray, y: np.ndarray, c: float) -> tuple[tuple[float, ...], float]:
    if len(set(y.tolist())) < 2:
        return (0.0,) * x.shape[1], 4.0 if y.all() else -4.0
    lr = LogisticRegression(C=c, max_iter=1000).fit(x, y)
    return tuple(float(v) for v in lr.coef_[0]), float(lr.intercept_[0])


def fit_calibrator(values: list[dict[str, float]], right: list[bool], answerable: list[bool],
                   c: float = 1.0) -> Calibrator:
    x = np.array([[v[s] for s in SIGNALS] for v in values], dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    w, b = _logistic(z, np.array(right, dtype=int), c)
    aw, ab = _logistic(z, np.array(answerable, dtype=int), c)
    return Calibrator(signals=SIGNALS, mean=tuple(float(v) for v in mean),
                      scale=tuple(float(v) for v in scale), weights=w, bias=b,
                      answerable_weights=aw, answerable_bias=ab)


def decision_line(probs: list[float], answerable: list[bool]) -> float:
    """The line with the fewest errors on out-of-fold confidences (an unanswerable question answered
    and an answerable one refused count alike); among equally good lines, the middle (in log-odds) of
    the widest gap between neighbouring confidences, so a small shift does not flip a question."""
    pairs = sorted(zip(probs, answerable, strict=True))
    if not pairs:
        return 0.5
    logits = [_logit(p) for p, _ in pairs]
    best: tuple[int, float, float] | None = None  # (errors, -gap, line)
    for i in range(len(pairs) + 1):  # line between pairs[i-1] and pairs[i]
        lo = logits[i - 1] if i > 0 else logits[0] - 2.0
        hi = logits[i] if i < len(pairs) else logits[-1] + 2.0
        errors = sum(1 for _, a in pairs[:i] if a) + sum(1 for _, a in pairs[i:] if not a)
        key = (errors, -(hi - lo), (lo + hi) / 2.0)
        if best is None or key[:2] < best[:2]:
            best = key
    assert best is not None
    return 1.0 / (1.0 + math.exp(-best[2]))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def separation(probs: list[float], answerable: list[bool]) -> dict[str, float]:
    """How well out-of-fold P(answerable) tells answerable questions from the rest, at any line: ROC AUC
    (1 = every answerable one above every other) and log loss (lower is better)."""
    if len(set(answerable)) < 2:
        return {}
    y = np.array(answerable, dtype=int)
    p = np.clip(np.array(probs, dtype=np.float64), 1e-6, 1 - 1e-6)
    return {"answerable_auc": round(float(roc_auc_score(y, p)), 4),
            "answerable_log_loss": round(float(log_loss(y, p)), 4)}


def reliability(probs: list[float], right: list[bool], bins: int = 5) -> list[dict[str, Any]]:
    """Predicted confidence against observed accuracy, in equal-width bins."""
    out: list[dict[str, Any]] = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = [(p, r) for p, r in zip(probs, right, strict=True)
               if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if sel:
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(sel),
                        "predicted": round(sum(p for p, _ in sel) / len(sel), 3),
                        "observed": round(sum(r for _, r in sel) / len(sel), 3)})
    return out


# -- the whole procedure -----------------------------------------------------------------------------

@dataclass
class FitResult:
    params: RankParams
    calibrator: Calibrator
    report: dict[str, Any]


def fit_all(examples: list[Example], k: int = 5, l2: float = 1.0, pool: int = 40,
            ablations: bool = True, dropped: Sequence[str] = ()) -> FitResult:
    """The whole procedure (module docstring); `dropped` features keep a weight of 0."""
    def fit(ex: list[Example], drop: Sequence[str] = ()) -> RankParams:
        return fit_ranker(ex, l2=l2, drop=tuple(drop) + tuple(dropped), pool=pool)

    params = fit(examples)
    fitted = [rank_of_gold(e, params) for e in examples]
    cv_ranks, fold_params = cross_validated_ranks(examples, k, fit)
    report: dict[str, Any] = {
        "questions": {name: sum(1 for e in examples if e.set_name == name)
                      for name in sorted({e.set_name for e in examples})},
        "fitted": figures_by_set(examples, fitted),
        "cross_validated": figures_by_set(examples, cv_ranks),
        "folds": k, "l2": l2, "dropped": list(dropped),
        "cross_validated_misses": [(e.set_name, e.qid, r) for e, r in zip(examples, cv_ranks, strict=True)
                                   if e.answerable and r != 1],
    }
    # the confidence, on out-of-fold rankings
    ranked = [i for i, e in enumerate(examples) if e.ranked]
    values, labels = [], []
    for i in ranked:
        v, right = confidence_signals(examples[i], fold_params[i])
        values.append(v)
        labels.append(right)
    answerable = [examples[i].answerable for i in ranked]
    calibrator = fit_calibrator(values, labels, answerable)
    oof = [0.0] * len(ranked)
    oof_ans = [0.0] * len(ranked)
    sub = [examples[i] for i in ranked]
    for test in folds(sub, k, seed=1):
        test_set = set(test.tolist())
        train = [j for j in range(len(ranked)) if j not in test_set]
        cal = fit_calibrator([values[j] for j in train], [labels[j] for j in train],
                             [answerable[j] for j in train])
        for j in test:
            oof[j] = cal.probability(values[j])
            oof_ans[j] = cal.probability(values[j], answerable=True)
    line = decision_line(oof_ans, answerable)
    calibrator = replace(calibrator, decision_line=line)
    pairs = list(zip(oof_ans, answerable, strict=True))
    report["confidence"] = {
        "decision_line": round(line, 4),
        "reliability_out_of_fold": reliability(oof, labels),
        "out_of_fold": {
            "answerable_refused": sum(1 for p, a in pairs if a and p < line),
            "answerable": sum(answerable),
            "unanswerable_answered": sum(1 for p, a in pairs if not a and p >= line),
            "unanswerable": sum(1 for a in answerable if not a),
            **separation(oof_ans, answerable),
        },
        "answerable_refused_out_of_fold": [(examples[i].set_name, examples[i].qid, round(oof_ans[j], 3))
                                           for j, i in enumerate(ranked)
                                           if examples[i].answerable and oof_ans[j] < line],
        "unanswerable_answered_out_of_fold": [(examples[i].set_name, examples[i].qid, round(oof_ans[j], 3))
                                              for j, i in enumerate(ranked)
                                              if not examples[i].answerable and oof_ans[j] >= line],
    }
    if ablations:
        base = report["cross_validated"]["all"]["r1"]
        abl: dict[str, float] = {}
        for group, names in FEATURE_GROUPS.items():
            if set(names) <= set(dropped):
                continue

            r1 = cross_validated_figures(examples, k, l2, pool, tuple(dropped) + names).r1
            abl[group] = round(r1 - base, 4)
        report["ablation_cv_r1_change"] = abl
    weights = dict(zip(params.features, (round(w, 4) for w in params.weights), strict=True))
    report["weights"] = weights
    return FitResult(params, calibrator, report)


def cross_validated_figures(examples: list[Example], k: int, l2: float, pool: int,
                            drop: tuple[str, ...]) -> RankFigures:
    """R@1 / R@5 / MRR of the answerable questions' out-of-fold rankings, `drop` kept at weight 0."""
    def fit(ex: list[Example]) -> RankParams:
        return fit_ranker(ex, l2=l2, drop=drop, pool=pool)
    ranks, _ = cross_validated_ranks(examples, k, fit)
    return RankFigures.of([r for e, r in zip(examples, ranks, strict=True) if e.answerable])


def eliminate(examples: list[Example], k: int = 5, l2: float = 1.0, pool: int = 40,
              dropped: Sequence[str] = (), log: Callable[[str], None] | None = None
              ) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """Backward elimination by feature group (module docstring, step 6): the features to drop, and
    the rounds (the group removed and the cross-validated R@1 and MRR before and after)."""
    drop = tuple(dropped)

    def cv(without: tuple[str, ...]) -> tuple[float, float]:
        f = cross_validated_figures(examples, k, l2, pool, without)
        return round(f.r1, 6), round(f.mrr, 6)

    rounds: list[dict[str, Any]] = []
    base = cv(drop)
    while True:
        trials: list[tuple[tuple[float, float], int, str]] = []
        for group, names in FEATURE_GROUPS.items():
            if set(names) <= set(drop):
                continue
            trials.append((cv(drop + names), len(set(names) - set(drop)), group))
        if not trials:
            break
        after, _, group = max(trials)
        if after < base:  # R@1 falls, or it holds and MRR falls
            break
        drop = drop + tuple(n for n in FEATURE_GROUPS[group] if n not in drop)
        rounds.append({"removed": group, "cv_r1_before": base[0], "cv_r1_after": after[0],
                       "cv_mrr_before": base[1], "cv_mrr_after": after[1]})
        if log:
            log(f"removed {group}: cross-validated R@1 {base[0]:.3f} -> {after[0]:.3f}, "
                f"MRR {base[1]:.3f} -> {after[1]:.3f}")
        base = after
    return drop, rounds


def write_params(result: FitResult, ranker_path: Path, confidence_path: Path) -> None:
    ranker_path.write_text(json.dumps({"ranker": result.params.to_dict(), "info": result.report},
                                      ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    confidence_path.write_text(json.dumps(result.calibrator.to_dict(), indent=1) + "\n", encoding="utf-8")


def service_for(version: Any, embedder: Embedder) -> QAService:
    """A QAService that measures every feature (the shipped ranker's weights do not matter here)."""
    return QAService(lambda: version, embedder, Config(), all_features=True)
