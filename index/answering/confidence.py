"""Confidence of an answer, and whether to give one: two logistic regressions over what the ranking
says about its own first hit.

- `confidence`: the fitted probability that the first cited passage answers the question;
- `answerable`: the fitted probability that the indexed documents answer it at all; the answer is
  "not found" below `decision_line` (fitted with it; `[answer] min_confidence` overrides it).
They are two questions: an answerable question whose first hit is wrong should still be answered,
with its closest matches and a low confidence, and an off-topic question refused however its ranking
looks.
Their inputs: the ranker's probability of the first hit and its margin over the second, its raw dense
cosine (off-topic questions land far from every passage), how much of the question's vocabulary it
holds (whole and in its best sentence), whether any language version of it is in the question's
language, the share of the question's vocabulary the corpus never uses ("cryptocurrency"), and whether
the first hit states none of the kinds of figure the question asks for (a sum for "how much", a date
for "when": a near miss on a topic the papers cover). Both are fitted by `boardqa fit`
(index/measure/fit.py) on out-of-fold rankings of every labelled question set, unanswerable questions
included, and read from index/answering/confidence.json.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.answering.sentences import states_none_asked
from index.retrieval.features import FEATURES
from index.retrieval.search import Hit, SearchIndex

CONFIDENCE_PATH = Path(__file__).with_name("confidence.json")

SIGNALS: tuple[str, ...] = (
    "top_prob",
    "log_margin",
    "top_cosine",
    "same_lang",
    "coverage",
    "sent_coverage",
    "bm25",
    "unseen",
    "has_unseen",
    "zh_question",
    "states_none_asked",
)


def states_none(question: str, hits: list[Hit], si: SearchIndex) -> bool:
    """Whether no language version of the first hit states any kind of figure the question asks for."""
    if not hits:
        return False
    return states_none_asked(question, [si.passage(r)[1].text for r in hits[0].rows or (hits[0].row,)])


def in_question_language(question_language: str, hits: list[Hit], si: SearchIndex) -> bool:
    """Whether some language version of the first hit is in the question's language. The ranker's best
    version may be another: for a Chinese question that shares no Chinese word with a paper indexed in
    both languages it is the English one, and that does not make the hit one of the cross-language
    kind (a Chinese question on an English-only paper) that the fitted confidence trusts."""
    if not hits:
        return False
    return any(si.passage(r)[0].language == question_language for r in hits[0].rows or (hits[0].row,))


def signals(question: str, hits: list[Hit], si: SearchIndex, unseen: float,
            language: str) -> dict[str, float]:
    """What the calibrator reads from a question's ranking (hits best first; empty -> all zeros)."""
    if not hits:
        return dict.fromkeys(SIGNALS, 0.0)
    top = hits[0]
    feats = dict(zip(FEATURES, top.features, strict=False))
    margin = top.logit - hits[1].logit if len(hits) > 1 else 5.0
    return {
        "top_prob": top.score,
        "log_margin": math.log1p(max(0.0, margin)),
        "top_cosine": top.dense,
        "same_lang": float(in_question_language(language, hits, si)),
        "coverage": feats.get("coverage", 0.0),
        "sent_coverage": feats.get("sent_coverage", 0.0),
        "bm25": feats.get("bm25", 0.0),
        "unseen": unseen if language == "en" else 0.0,
        "has_unseen": float(language == "en" and unseen > 0.0),
        "zh_question": float(language == "zh"),
        "states_none_asked": float(states_none(question, hits, si)),
    }


@dataclass(frozen=True)
class Calibrator:
    signals: tuple[str, ...] = SIGNALS
    mean: tuple[float, ...] = field(default_factory=lambda: (0.0,) * len(SIGNALS))
    scale: tuple[float, ...] = field(default_factory=lambda: (1.0,) * len(SIGNALS))
    weights: tuple[float, ...] = field(default_factory=lambda: (0.0,) * len(SIGNALS))
    bias: float = 0.0
    answerable_weights: tuple[float, ...] = field(default_factory=lambda: (0.0,) * len(SIGNALS))
    answerable_bias: float = 0.0
    decision_line: float = 0.5
    info: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, path: Path = CONFIDENCE_PATH) -> Calibrator:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(signals=tuple(raw["signals"]), mean=tuple(raw["mean"]), scale=tuple(raw["scale"]),
                   weights=tuple(raw["weights"]), bias=float(raw["bias"]),
                   answerable_weights=tuple(raw.get("answerable_weights", raw["weights"])),
                   answerable_bias=float(raw.get("answerable_bias", raw["bias"])),
                   decision_line=float(raw["decision_line"]), info=raw.get("info", {}))

    @classmethod
    def shipped(cls) -> Calibrator:
        return cls.load() if CONFIDENCE_PATH.is_file() else cls()

    def to_dict(self) -> dict[str, Any]:
        return {"signals": list(self.signals), "mean": [round(v, 6) for v in self.mean],
                "scale": [round(v, 6) for v in self.scale], "weights": [round(v, 6) for v in self.weights],
                "bias": round(self.bias, 6),
                "answerable_weights": [round(v, 6) for v in self.answerable_weights],
                "answerable_bias": round(self.answerable_bias, 6),
                "decision_line": round(self.decision_line, 4)}

    def probability(self, values: dict[str, float], answerable: bool = False) -> float:
        """P(first hit right), or with `answerable` P(the documents answer the question)."""
        weights = self.answerable_weights if answerable else self.weights
        z = self.answerable_bias if answerable else self.bias
        z += sum(w * (values.get(s, 0.0) - m) / sc
                 for s, m, sc, w in zip(self.signals, self.mean, self.scale, weights, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def confidence(self, values: dict[str, float]) -> float:
        return self.probability(values)

    def answerable(self, values: dict[str, float]) -> float:
        return self.probability(values, answerable=True)
