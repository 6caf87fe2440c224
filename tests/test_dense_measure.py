"""The dense-only measurement: cross-validated weighting, per-language summaries, and cross-lingual
sentence retrieval on real UN Parallel Corpus lines."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SHARED

from index.embed import UseEmbedder
from index.measure.dense import WEIGHTS, QuestionRanks, cross_validated, parallel_retrieval, summarise, zscore

UNPC = SHARED / "corpus" / "real" / "unpc"


def test_zscore_standardises_each_row() -> None:
    z = zscore(np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]]))
    assert np.allclose(z[0].mean(), 0) and np.allclose(z[0].std(), 1) and np.allclose(z[1], 0)


def test_cross_validation_ranks_each_fold_with_a_weight_chosen_on_the_others() -> None:
    # w = 1.0 (the primary alone) finds every question first; every other weight misses them all.
    best = len(WEIGHTS) - 1
    results = [QuestionRanks(id=str(i), lang="en" if i % 2 else "zh", ranks={"e5": 1, "use": None},
                             weighted=[1 if j == best else None for j in range(len(WEIGHTS))])
               for i in range(10)]
    held, chosen = cross_validated(results)
    assert held == [1] * 10 and chosen == [1.0] * 5
    table = summarise(results)["scores"]
    assert table["all"]["n"] == 10 and table["en"]["n"] == table["zh"]["n"] == 5
    assert table["all"]["e5"] == {"r1": 1.0, "r5": 1.0} and table["zh"]["use"] == {"r1": 0.0, "r5": 0.0}
    assert table["all"]["weighted (cv)"]["r1"] == 1.0


def test_parallel_retrieval_on_unpc_lines() -> None:
    if not UNPC.is_dir():
        pytest.skip("../shared/corpus/real/unpc is not beside the repo")
    zh = (UNPC / "unpc-testset.zh.txt").read_text(encoding="utf-8").splitlines()[:30]
    en = (UNPC / "unpc-testset.en.txt").read_text(encoding="utf-8").splitlines()[:30]
    out = parallel_retrieval({"use": UseEmbedder()}, zh, en)
    assert out["pairs"] == 30 and set(out["r1"]) == {"use"}
    # Against a shuffled pairing the same lines find their translation far less often.
    shuffled = parallel_retrieval({"use": UseEmbedder()}, zh, en[1:] + en[:1])
    assert out["r1"]["use"]["zh_en"] > shuffled["r1"]["use"]["zh_en"] + 0.5
