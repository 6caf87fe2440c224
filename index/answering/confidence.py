"""Confidence of an answer: P(the best passage answers the question), in 0..1.

It needs no extra model call and combines signals that fail in different ways: the dense cosine of the
best passage (off-topic questions land far from every passage), the idf-weighted share of the question's
distinctive vocabulary the best passage holds, and the share of that vocabulary the corpus never uses.
`min_confidence` (config [answer]) is the found/not-found line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Calibration:
    """Logistic model of P(the best passage answers) from its dense cosine and term coverage.

    e5 cosines run higher for Chinese questions (about +0.045 on the same corpus), so the dense
    centre is per question language; a passage found across languages scores lower still. Fitted by
    logistic regression on the dev questions, off-topic questions and the report probes (leave-one-out
    errors: 2 of 72), for multilingual-e5-small; another embedding model needs its own centres.
    """

    dense_weight: float = 70.0
    dense_centers: tuple[tuple[str, float], ...] = (("en", 0.815), ("zh", 0.86))
    cross_language_shift: float = 0.04  # a question and passage in two languages: centre this much lower
    coverage_weight: float = 2.7
    coverage_center: float = 0.64
    cross_language_coverage: float = 0.5  # assumed when the best passage is in another language
    # Unseen vocabulary beyond this share of an English question's weight lowers the score steeply.
    unseen_weight: float = 15.0
    unseen_center: float = 0.45
    unseen_languages: tuple[str, ...] = ("en",)

    def confidence(self, dense: float, cover: float | None, language: str = "en",
                   unseen: float = 0.0) -> float:
        center = dict(self.dense_centers).get(language, self.dense_centers[0][1])
        if cover is None:
            center -= self.cross_language_shift
            cover = self.cross_language_coverage
        z = self.dense_weight * (dense - center) + self.coverage_weight * (cover - self.coverage_center)
        if language in self.unseen_languages:
            z -= self.unseen_weight * max(0.0, unseen - self.unseen_center)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
