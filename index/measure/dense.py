"""Each dense model measured alone, and the two together, before any fusion with other signals.

Two measurements:
- retrieval over an index version: per question the cosine of every row with the question, by the
  primary model (e5), by each companion (USE), and by their sum after standardising each model's
  cosines over all rows for that question (plain z-scores, no parameter). A weighted sum
  w·z_primary + (1 − w)·z_companion with w chosen on a grid by k-fold cross-validation over the questions
  shows whether an unequal weight would earn its place; its held-out figures are the ones to compare.
  Rows are ranked and scored with the evaluation rule of `index.measure.evaluate.is_hit`.
- cross-lingual sentence retrieval on line-aligned parallel text (the UN Parallel Corpus test set):
  each zh line retrieves among all en lines and the reverse; R@1 per model and for the z-score sum.
  Both sides are embedded as passages (the symmetric e5 prefix), each text once.

`python -m index.measure.dense` runs the first on a store or on files it parses, and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index.answering.qa import make_citation
from index.embed import DenseModels, Embedder, companions_of, embed_question
from index.measure.evaluate import is_hit, load_questions
from index.version import IndexVersion

PRIMARY = "e5"  # the primary model's name in reports (the configured default is multilingual-e5-small)
WEIGHTS = tuple(round(w, 2) for w in np.linspace(0.0, 1.0, 11))  # w of the primary in the fitted sum
DEPTH = 20  # rows looked at for the first hit; deeper ranks count as misses
FOLDS = 5

Progress = Callable[[str, int, int], None]


def zscore(x: np.ndarray) -> np.ndarray:
    """Standardise along the last axis: what makes cosines of two models addable without a weight."""
    x = np.asarray(x, dtype=np.float32)
    std = x.std(axis=-1, keepdims=True)
    return (x - x.mean(axis=-1, keepdims=True)) / np.where(std > 0, std, 1.0)


def _top(scores: np.ndarray, depth: int) -> np.ndarray:
    k = min(depth, len(scores))
    part = np.argpartition(-scores, k - 1)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


def first_hit(version: IndexVersion, scores: np.ndarray, q: dict[str, Any], depth: int = DEPTH) -> int | None:
    """1-based rank of the first row that is a hit for `q`, None when none is within `depth`."""
    for rank, row in enumerate(_top(scores, depth), 1):
        di, pi = version.rows[int(row)]
        doc = version.documents[di]
        if is_hit(make_citation(doc, doc.passages[pi]), q):
            return rank
    return None


@dataclass
class QuestionRanks:
    id: str
    lang: str
    ranks: dict[str, int | None]  # ranking name -> rank of the first hit
    weighted: list[int | None] = field(default_factory=list)  # rank per w in WEIGHTS


def rank_questions(version: IndexVersion, embedder: Embedder, questions: list[dict[str, Any]],
                   progress: Progress | None = None) -> list[QuestionRanks]:
    """Ranks of the first hit of every answerable question under each dense ranking."""
    answerable = [q for q in questions if q.get("doc")]
    names = list(companions_of(embedder))
    out: list[QuestionRanks] = []
    for i, q in enumerate(answerable):
        qv = embed_question(embedder, q["q"])
        scores = {PRIMARY: version.vectors @ qv.primary, **version.extra_scores(qv)}
        ranks = {name: first_hit(version, s, q) for name, s in scores.items()}
        weighted: list[int | None] = []
        if len(names) == 1 and names[0] in scores:
            zp, zc = zscore(scores[PRIMARY]), zscore(scores[names[0]])
            ranks[f"{PRIMARY}+{names[0]}"] = first_hit(version, zp + zc, q)
            weighted = [first_hit(version, w * zp + (1 - w) * zc, q) for w in WEIGHTS]
        out.append(QuestionRanks(id=str(q.get("id")), lang=str(q.get("lang", "?")), ranks=ranks,
                                 weighted=weighted))
        if progress:
            progress("questions", i + 1, len(answerable))
    return out


def _recall(ranks: Sequence[int | None], k: int) -> float:
    return round(sum(1 for r in ranks if r is not None and r <= k) / len(ranks), 4) if ranks else 0.0


def _mrr(ranks: Sequence[int | None]) -> float:
    return sum(1.0 / r for r in ranks if r) / len(ranks) if ranks else 0.0


def cross_validated(results: list[QuestionRanks],
                    folds: int = FOLDS) -> tuple[list[int | None], list[float]]:
    """Held-out ranks of the weighted sum: each fold is ranked with the w best (MRR) on the other folds;
    returns (rank per question in input order, the w chosen per fold)."""
    held: list[int | None] = [None] * len(results)
    chosen: list[float] = []
    if not results or not results[0].weighted:
        return held, chosen
    fold_of = [i % folds for i in range(len(results))]
    for f in range(folds):
        train = [r for r, g in zip(results, fold_of, strict=True) if g != f]
        # ties go to the weight nearest the plain sum
        best = max(range(len(WEIGHTS)),
                   key=lambda j: (_mrr([r.weighted[j] for r in train]), -abs(WEIGHTS[j] - 0.5)))
        chosen.append(WEIGHTS[best])
        for i, g in enumerate(fold_of):
            if g == f:
                held[i] = results[i].weighted[best]
    return held, chosen


def summarise(results: list[QuestionRanks]) -> dict[str, Any]:
    """R@1 / R@5 per ranking, overall and per question language, with the cross-validated weighted sum."""
    held, chosen = cross_validated(results)
    names = list(results[0].ranks) if results else []
    groups = {"all": list(range(len(results)))}
    for lang in sorted({r.lang for r in results}):
        groups[lang] = [i for i, r in enumerate(results) if r.lang == lang]
    table: dict[str, dict[str, Any]] = {}
    for group, idx in groups.items():
        row: dict[str, Any] = {"n": len(idx)}
        for name in names:
            ranks = [results[i].ranks.get(name) for i in idx]
            row[name] = {"r1": _recall(ranks, 1), "r5": _recall(ranks, 5)}
        if chosen:
            ranks = [held[i] for i in idx]
            row["weighted (cv)"] = {"r1": _recall(ranks, 1), "r5": _recall(ranks, 5)}
        table[group] = row
    return {"scores": table, "cv_weights": chosen, "weight_grid": list(WEIGHTS)}


# ---- cross-lingual sentence retrieval ------------------------------------------------------------------


def _embed_all(embedder: Embedder, texts: list[str], label: str, progress: Progress | None,
               batch: int = 32) -> np.ndarray:
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for start in range(0, len(texts), batch):
        out[start : start + batch] = embedder.embed_passages(texts[start : start + batch])
        if progress:
            progress(label, min(start + batch, len(texts)), len(texts))
    return out


def _r1(sources: list[np.ndarray], targets: list[np.ndarray], block: int = 512) -> float:
    """Share of rows i of the sources whose best target row is i, by the sum of the z-scored cosines of
    every model (one model: its cosine); the similarity matrix is computed a block of rows at a time."""
    n = len(sources[0])
    right = 0
    for start in range(0, n, block):
        stop = min(start + block, n)
        sims = np.sum([zscore(src[start:stop] @ tgt.T) for src, tgt in zip(sources, targets, strict=True)],
                      axis=0)
        right += int((sims.argmax(axis=1) == np.arange(start, stop)).sum())
    return round(right / n, 4) if n else 0.0


def parallel_retrieval(models: dict[str, Embedder], zh: list[str], en: list[str],
                       progress: Progress | None = None) -> dict[str, Any]:
    """zh→en and en→zh R@1 per model over line-aligned texts, and for the z-score sum of all models."""
    n = min(len(zh), len(en))
    zh, en = zh[:n], en[:n]
    vecs = {name: (_embed_all(e, zh, f"UNPC {name} zh", progress),
                   _embed_all(e, en, f"UNPC {name} en", progress)) for name, e in models.items()}
    out: dict[str, Any] = {"pairs": n, "models": {name: e.model_id for name, e in models.items()}, "r1": {}}
    for name, (z, e) in vecs.items():
        out["r1"][name] = {"zh_en": _r1([z], [e]), "en_zh": _r1([e], [z])}
    if len(vecs) > 1:
        zs, es = [z for z, _e in vecs.values()], [e for _z, e in vecs.values()]
        out["r1"]["+".join(vecs)] = {"zh_en": _r1(zs, es), "en_zh": _r1(es, zs)}
    return out


def unpc_retrieval(folder: Path, embedder: Embedder, lines: int = 4000,
                   progress: Progress | None = None) -> dict[str, Any] | None:
    """The UNPC test set (`unpc-testset.zh.txt` / `.en.txt`) when `folder` holds it; None otherwise."""
    zh_file, en_file = folder / "unpc-testset.zh.txt", folder / "unpc-testset.en.txt"
    if not (zh_file.is_file() and en_file.is_file()):
        return None
    zh = zh_file.read_text(encoding="utf-8").splitlines()[:lines]
    en = en_file.read_text(encoding="utf-8").splitlines()[:lines]
    primary = embedder.primary if isinstance(embedder, DenseModels) else embedder
    models: dict[str, Embedder] = {PRIMARY: primary, **companions_of(embedder)}
    return parallel_retrieval(models, zh, en, progress)


# ---- command line --------------------------------------------------------------------------------------


def _stderr_progress(stage: str, done: int, total: int) -> None:
    if done == total or done % 200 == 0:
        print(f"\r{stage}: {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    from boardqa.config import load_config
    from index.embed import make_embedder
    from index.store import IndexStore

    ap = argparse.ArgumentParser(prog="python -m index.measure.dense",
                                 description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--index", type=Path, help="an index store whose current version to measure")
    ap.add_argument("--files", type=Path, nargs="*", default=[], help="or: files to parse into a version")
    ap.add_argument("--questions", type=Path, nargs="*", default=[], help="question files (JSON lines)")
    ap.add_argument("--unpc", type=Path, help="folder holding unpc-testset.{zh,en}.txt")
    ap.add_argument("--unpc-lines", type=int, default=4000)
    ap.add_argument("--out", type=Path, help="write the JSON here as well")
    args = ap.parse_args(argv)
    cfg = load_config()
    embedder = make_embedder(cfg.index.embedder, cfg.index.model_path, cfg.index.companions)
    result: dict[str, Any] = {"embedder": embedder.model_id,
                              "companions": {n: e.model_id for n, e in companions_of(embedder).items()}}
    if args.questions:
        if args.index:
            version = IndexStore(args.index).load_current(embedder.model_id)
        else:
            from index.version import build_version
            from ingest.parse import parse_file

            version = build_version([parse_file(p, cfg.ingest) for p in args.files], embedder,
                                    progress=_stderr_progress)
        questions = [q for path in args.questions for q in load_questions(path)]
        result["questions"] = [p.name for p in args.questions]
        result["retrieval"] = summarise(rank_questions(version, embedder, questions, _stderr_progress))
    if args.unpc:
        result["unpc"] = unpc_retrieval(args.unpc, embedder, args.unpc_lines, _stderr_progress)
    text = json.dumps(result, indent=1, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
