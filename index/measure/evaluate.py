"""Retrieval and answer quality on a question set: R@1, R@5 and MRR overall, per language and per
question type, the misses, and whether unanswerable questions come out "not found".

Question sets are JSON lines (see ../shared/eval/README.md): `q`, `doc` (file stem, null when the corpus
does not answer), `paras` (+ optional `alt`), or for report questions `pages` and `snippet`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from index.answering.results import Answer, Citation
from index.answering.sentences import UNSURE_BELOW

SNIPPET_MIN = 90.0  # rapidfuzz partial_ratio from which a snippet counts as contained


class QuestionSetError(ValueError):
    """A question file that cannot be read; the message names the file and line."""


def load_questions(path: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QuestionSetError(f"{path}: cannot read: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionSetError(f"{path}:{n}: not JSON: {exc.msg}") from exc
        if not isinstance(q, dict) or not isinstance(q.get("q"), str) or "doc" not in q:
            raise QuestionSetError(f"{path}:{n}: needs at least 'q' and 'doc'")
        q.setdefault("id", f"line{n}")
        out.append(q)
    return out


def _stem(source: str) -> str:
    return source.split(".", 1)[0]


def is_hit(c: Citation, q: dict[str, Any]) -> bool:
    """The evaluation rule: right document (file stem), and a gold paragraph (or its number before
    "("); for report questions a gold page or the snippet in the text."""
    golds = [(q.get("doc"), q.get("paras"))] + [(a.get("doc"), a.get("paras")) for a in q.get("alt") or []]
    for doc, paras in golds:
        if doc is None or _stem(c.source) != doc:
            continue
        if "pages" in q or "snippet" in q:
            if set(c.pages) & set(q.get("pages") or []):
                return True
            snippet = q.get("snippet")
            if snippet and fuzz.partial_ratio(snippet, c.text) >= SNIPPET_MIN:
                return True
        elif c.paragraph and paras:
            if c.paragraph in paras or c.paragraph.split("(")[0] in paras:
                return True
    return False


@dataclass
class QuestionResult:
    id: str
    lang: str
    type: str
    question: str
    doc: str | None
    rank: int | None  # 1-based rank of the first hit; None when no citation hits
    found: bool
    confidence: float
    cited: list[str]  # "source ¶paragraph" of the citations, in order
    has_fact: bool | None = None  # the answer holds every `expect` string (None: the question has none)

    @property
    def answerable(self) -> bool:
        return self.doc is not None


@dataclass
class Scores:
    n: int = 0
    r1: float = 0.0
    r5: float = 0.0
    mrr: float = 0.0

    @classmethod
    def of(cls, results: Iterable[QuestionResult]) -> Scores:
        rs = [r for r in results if r.answerable]
        if not rs:
            return cls()
        n = len(rs)
        return cls(
            n=n,
            r1=sum(1 for r in rs if r.rank == 1) / n,
            r5=sum(1 for r in rs if r.rank is not None and r.rank <= 5) / n,
            mrr=sum(1.0 / r.rank for r in rs if r.rank) / n,
        )


@dataclass
class EvalReport:
    results: list[QuestionResult] = field(default_factory=list)

    @property
    def overall(self) -> Scores:
        return Scores.of(self.results)

    def by(self, attr: str) -> dict[str, Scores]:
        keys = sorted({getattr(r, attr) for r in self.results if r.answerable})
        return {k: Scores.of(r for r in self.results if getattr(r, attr) == k) for k in keys}

    @property
    def misses(self) -> list[QuestionResult]:
        return [r for r in self.results if r.answerable and r.rank != 1]

    @property
    def unanswerable(self) -> list[QuestionResult]:
        return [r for r in self.results if not r.answerable]

    @property
    def unanswerable_ok(self) -> bool:
        return all(not r.found for r in self.unanswerable)

    @property
    def fact_rate(self) -> float:
        """Share of answerable questions with `expect` strings whose answer holds all of them."""
        rs = [r for r in self.results if r.answerable and r.has_fact is not None]
        return sum(1 for r in rs if r.has_fact) / len(rs) if rs else float("nan")

    @property
    def fact_questions(self) -> int:
        return sum(1 for r in self.results if r.answerable and r.has_fact is not None)

    def reliability(self, bins: int = 5) -> list[dict[str, Any]]:
        """Confidence against how often the first citation was right (unanswerable: never), in
        equal-width bins: a calibrated confidence has `observed` close to `predicted` in every bin."""
        out: list[dict[str, Any]] = []
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            sel = [r for r in self.results
                   if lo <= r.confidence < hi or (b == bins - 1 and r.confidence >= 1.0)]
            if sel:
                out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(sel),
                            "predicted": round(sum(r.confidence for r in sel) / len(sel), 3),
                            "observed": round(sum(1 for r in sel if r.rank == 1) / len(sel), 3)})
        return out

    def flagged(self) -> dict[str, int]:
        """Answers shown with the "not sure" warning (index.answering.sentences.unsure_line): of the
        unanswerable questions answered, and of the answerable ones answered, right first or not."""
        def unsure(r: QuestionResult) -> bool:
            return r.found and r.confidence < UNSURE_BELOW
        wrong = [r for r in self.unanswerable if r.found]
        answered = [r for r in self.results if r.answerable and r.found]
        return {"unanswerable_answered": len(wrong), "unanswerable_flagged": sum(map(unsure, wrong)),
                "answerable_answered": len(answered), "answerable_flagged": sum(map(unsure, answered)),
                "answerable_flagged_right": sum(1 for r in answered if unsure(r) and r.rank == 1)}

    @property
    def answered_rate(self) -> float:
        rs = [r for r in self.results if r.answerable]
        return sum(1 for r in rs if r.found) / len(rs) if rs else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": asdict(self.overall),
            "by_language": {k: asdict(v) for k, v in self.by("lang").items()},
            "by_type": {k: asdict(v) for k, v in self.by("type").items()},
            "answered_rate": round(self.answered_rate, 4),
            "answer_fact_rate": {"n": self.fact_questions,
                                 "rate": round(self.fact_rate, 4) if self.fact_questions else None},
            "reliability": self.reliability(),
            "unanswerable": {
                "n": len(self.unanswerable),
                "not_found": sum(1 for r in self.unanswerable if not r.found),
                "ok": self.unanswerable_ok,
            },
            "flagged_not_sure": self.flagged(),
            "misses": [asdict(r) for r in self.misses],
            "wrongly_found": [asdict(r) for r in self.unanswerable if r.found],
            "results": [asdict(r) for r in self.results],
        }


def holds_fact(q: dict[str, Any], answer: Answer) -> bool | None:
    """Whether a found answer's text contains every `expect` string, case-insensitively."""
    expect = [str(e) for e in q.get("expect") or []]
    if not expect or q.get("doc") is None:
        return None
    text = answer.answer.casefold()
    return answer.found and all(e.casefold() in text for e in expect)


def score_answer(q: dict[str, Any], answer: Answer) -> QuestionResult:
    rank = next((i + 1 for i, c in enumerate(answer.citations) if is_hit(c, q)), None)
    return QuestionResult(
        id=str(q.get("id")), lang=str(q.get("lang", "?")), type=str(q.get("type", "?")), question=q["q"],
        doc=q.get("doc"), rank=rank, found=answer.found, confidence=round(answer.confidence, 4),
        cited=[f"{c.source} ¶{c.paragraph}" + (f" ({c.part})" if c.part else "") for c in answer.citations],
        has_fact=holds_fact(q, answer),
    )


def evaluate(ask: Callable[[str], Answer], questions: list[dict[str, Any]],
             progress: Callable[[int, int], None] | None = None) -> EvalReport:
    """Ask every question once (`ask` returns at least 5 citations) and score the answers."""
    report = EvalReport()
    for i, q in enumerate(questions):
        report.results.append(score_answer(q, ask(q["q"])))
        if progress:
            progress(i + 1, len(questions))
    return report
