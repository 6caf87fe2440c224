"""Learn the UN-terminology lexicon of `index.retrieval.bridge` from line-aligned zh/en sentences.

    python -m index.retrieval.bridge_build [ZH_FILE EN_FILE] [-o index/retrieval/data/un_terms.tsv]

Defaults to the UN Parallel Corpus development set (`../shared/corpus/real/unpc/unpc-devset.{zh,en}.txt`);
the test set is for measuring only and must never be passed here. Only the derived term table is
written, never a sentence.

Procedure:
1. Chinese side: each line's CJK runs cut by jieba (dictionary only, no HMM: the same cut as
   `bridge.translate_query`), function words dropped; units are the words and runs of 2-3 adjacent
   words (UN names such as 妇女署 or 人口基金 are several dictionary words).
   English side: `lexical.tokenize` stems of the line minus function words and numbers (numbers are
   read by the bridge itself).
2. Sets per line; counts over lines: c(x), c(y), c(x, y) (a sparse product of the two line-by-term
   incidence matrices).
3. Association is the Dice coefficient 2 c(x,y) / (c(x) + c(y)); a pair needs c(x,y) >= MIN_PAIRS.
4. For each unit x: its best English term must reach MIN_DICE; terms within HALF of the best are kept
   (at most PER_TERM), with weight dice / best dice, and only where x is also within HALF of the
   best unit of that English term (the association holds in both directions). A run of words is kept
   only when it associates more strongly than every word in it alone (else the words translate it).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy import sparse

from index.retrieval.bridge import UN_TERMS, _words, translate_query
from index.retrieval.lexical import CJK_RUN, ENGLISH_STOP, ZH_STOP, LexicalIndex, normalise, stem, tokenize

MIN_PAIRS = 3
MIN_DICE = 0.3
HALF = 0.5
PER_TERM = 3
MAX_RUN = 3

_DEFAULT = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real" / "unpc"
_EN_STOP = {stem(w) for w in ENGLISH_STOP} | ENGLISH_STOP


def zh_units(line: str) -> set[str]:
    """Words (two characters or more) and runs of 2-3 adjacent words of each CJK run, joined by spaces."""
    units: set[str] = set()
    for run in CJK_RUN.findall(normalise(line)):
        words = _words(run)
        for i in range(len(words)):
            for n in range(1, MAX_RUN + 1):
                span = words[i:i + n]
                if len(span) < n or any(w in ZH_STOP for w in span):
                    break
                if n > 1 or len(span[0]) > 1:
                    units.add(" ".join(span))
    return units


def en_terms(line: str) -> set[str]:
    return {t for t in tokenize(line, "english") if t.isalpha() and t not in _EN_STOP and len(t) > 1}


def _incidence(rows: list[set[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    vocab: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for row in rows:
        indices.extend(vocab.setdefault(t, len(vocab)) for t in sorted(row))
        indptr.append(len(indices))
    mat = sparse.csr_matrix((np.ones(len(indices), dtype=np.float32), indices, indptr),
                            shape=(len(rows), len(vocab)))
    names = [""] * len(vocab)
    for t, i in vocab.items():
        names[i] = t
    return mat, names


def learn(zh_lines: list[str], en_lines: list[str]) -> dict[str, list[tuple[str, float]]]:
    """Chinese unit -> [(English stem, weight)] by the procedure in the module docstring."""
    if len(zh_lines) != len(en_lines):
        raise ValueError(f"not line-aligned: {len(zh_lines)} Chinese lines, {len(en_lines)} English")
    x, xs = _incidence([zh_units(line) for line in zh_lines])
    y, ys = _incidence([en_terms(line) for line in en_lines])
    cx = np.asarray(x.sum(axis=0)).ravel()
    cy = np.asarray(y.sum(axis=0)).ravel()
    both = (x.T @ y).tocoo()
    keep = both.data >= MIN_PAIRS
    rows, cols = both.row[keep], both.col[keep]
    scores = 2.0 * both.data[keep] / (cx[rows] + cy[cols])
    best_y = np.zeros(len(ys))
    np.maximum.at(best_y, cols, scores)
    dice: dict[int, list[tuple[float, int]]] = {}
    for i, j, d in zip(rows, cols, scores, strict=True):
        if d >= HALF * best_y[j]:  # the English term must not belong clearly better to another unit
            dice.setdefault(int(i), []).append((float(d), int(j)))
    best_of: dict[str, float] = {}
    table: dict[str, list[tuple[str, float]]] = {}
    for i, cands in dice.items():
        cands.sort(reverse=True)
        top = cands[0][0]
        if top < MIN_DICE:
            continue
        best_of[xs[i]] = top
        table[xs[i]] = [(ys[j], round(float(d / top), 3)) for d, j in cands[:PER_TERM] if d >= HALF * top]
    for unit in [u for u in table if " " in u]:
        if any(best_of.get(w, 0.0) >= best_of[unit] for w in unit.split()):
            del table[unit]
    return table


def write(table: dict[str, list[tuple[str, float]]], path: Path, source: str) -> None:
    lines = [f"# UN terminology for index.retrieval.bridge, learnt from {source} by "
             "`python -m index.retrieval.bridge_build`; Chinese unit (jieba words), English token, weight"]
    for zh in sorted(table):
        lines += [f"{zh}\t{en}\t{w}" for en, w in table[zh]]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def check(zh: list[str], en: list[str], folds: int = 4, learnt: bool = True) -> float:
    """Design check without the test set: learn from all but one fold of the development lines, then
    rank that fold's English lines by BM25 of each Chinese line's translation (R@1, mean over folds).
    `learnt` False: the dictionary and numbers alone, no UN terms."""
    hits = 0
    for f in range(folds):
        held = set(range(f, len(zh), folds))
        rows = sorted(held)
        table = learn([z for i, z in enumerate(zh) if i not in held],
                      [e for i, e in enumerate(en) if i not in held]) if learnt else {}
        index = LexicalIndex.build([en[i] for i in rows])
        for k, i in enumerate(rows):
            s = index.scores_weighted(translate_query(zh[i], table))
            hits += bool(s[k] > 0 and (s > s[k]).sum() == 0)
    return hits / len(zh)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("zh", nargs="?", type=Path, default=_DEFAULT / "unpc-devset.zh.txt")
    ap.add_argument("en", nargs="?", type=Path, default=_DEFAULT / "unpc-devset.en.txt")
    ap.add_argument("-o", "--out", type=Path, default=UN_TERMS)
    ap.add_argument("--check", action="store_true", help="report the cross-validated R@1; write nothing")
    args = ap.parse_args(argv)
    if "testset" in args.zh.name or "testset" in args.en.name:
        raise SystemExit("the UNPC test set is for measuring only: learn from the development set")
    zh = args.zh.read_text(encoding="utf-8").splitlines()
    en = args.en.read_text(encoding="utf-8").splitlines()
    if args.check:
        print(f"zh->en sentence R@1, 4-fold over the development lines: {check(zh, en):.3f} "
              f"(dictionary and numbers alone: {check(zh, en, learnt=False):.3f})")
        return
    table = learn(zh, en)
    write(table, args.out, f"{args.zh.name} + {args.en.name} ({len(zh)} line pairs)")
    print(f"{len(table)} Chinese terms, {sum(map(len, table.values()))} pairs -> {args.out}")


if __name__ == "__main__":
    main()
