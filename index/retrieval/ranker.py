"""The fitted ranker: a linear score over the candidate features (index.retrieval.features), read from
index/retrieval/params.json, which `boardqa fit` writes.

The model is a conditional logit (softmax over one question's candidates, fitted by maximum likelihood
with an L2 penalty): the probability that a candidate is the passage that answers, given that one of
them does. Language versions of one passage are one answer, so a passage's probability is the sum over
its versions. Features are standardised with the means and scales of the fitting data, which are kept
with the weights.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from index.retrieval.features import FEATURES

PARAMS_PATH = Path(__file__).with_name("params.json")


@dataclass(frozen=True)
class RankParams:
    features: tuple[str, ...] = FEATURES
    mean: tuple[float, ...] = field(default_factory=lambda: (0.0,) * len(FEATURES))
    scale: tuple[float, ...] = field(default_factory=lambda: (1.0,) * len(FEATURES))
    weights: tuple[float, ...] = field(default_factory=lambda: (0.0,) * len(FEATURES))
    pool: int = 40  # best rows kept per signal (dense, BM25, bridged BM25) as candidates
    info: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not (len(self.features) == len(self.mean) == len(self.scale) == len(self.weights)):
            raise ValueError("ranker parameters: features, mean, scale and weights differ in length")

    @classmethod
    def load(cls, path: Path = PARAMS_PATH) -> RankParams:
        raw = json.loads(path.read_text(encoding="utf-8"))
        r = raw["ranker"]
        return cls(features=tuple(r["features"]), mean=tuple(r["mean"]), scale=tuple(r["scale"]),
                   weights=tuple(r["weights"]), pool=int(r.get("pool", 40)), info=raw.get("info", {}))

    @classmethod
    def shipped(cls) -> RankParams:
        """The parameters in the repository (dense cosine alone when the file is missing)."""
        if PARAMS_PATH.is_file():
            return cls.load(PARAMS_PATH)
        return cls.dense_only()

    @classmethod
    def dense_only(cls) -> RankParams:
        return cls(weights=tuple(1.0 if f == "dense_gap" else 0.0 for f in FEATURES))

    @classmethod
    def lexical_only(cls) -> RankParams:
        return cls(weights=tuple(1.0 if f in ("bm25", "bm25_bridge") else 0.0 for f in FEATURES))

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.features), "mean": [round(v, 6) for v in self.mean],
                "scale": [round(v, 6) for v in self.scale], "weights": [round(v, 6) for v in self.weights],
                "pool": self.pool}

    def without(self, names: set[str]) -> RankParams:
        kept = (0.0 if f in names else w for f, w in zip(self.features, self.weights, strict=True))
        return replace(self, weights=tuple(kept))

    def uses(self, *names: str) -> bool:
        """Whether any of these features has a weight (a feature without one need not be measured)."""
        weight = dict(zip(self.features, self.weights, strict=True))
        return any(weight.get(n, 0.0) != 0.0 for n in names)

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Score of each candidate row (x: rows x FEATURES, in FEATURES order)."""
        idx = [FEATURES.index(f) for f in self.features]
        z = (x[:, idx] - np.asarray(self.mean, dtype=np.float32)) / np.asarray(self.scale, dtype=np.float32)
        return (z @ np.asarray(self.weights, dtype=np.float32)).astype(np.float32)


def softmax(logits: np.ndarray) -> np.ndarray:
    if not len(logits):
        return logits
    e = np.exp(logits - logits.max())
    return (e / e.sum()).astype(np.float32)
