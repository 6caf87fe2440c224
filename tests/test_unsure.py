"""The "not sure" warning: an answer whose calibrated confidence says it is more likely wrong than right
is shown with a doubt in the question's language, and `boardqa eval` counts the answers so shown."""

from __future__ import annotations

from index.answering.sentences import UNSURE_BELOW, unsure_line
from index.measure.evaluate import EvalReport, QuestionResult


def test_the_warning_follows_the_confidence_and_the_question_language() -> None:
    assert unsure_line("What is the budget?", 0.9) is None
    line = unsure_line("What is the budget?", 0.23)
    assert line is not None and line.startswith("Not sure") and "23 %" in line
    zh = unsure_line("预算是多少？", 0.23)
    assert zh is not None and zh.startswith("不确定") and "23%" in zh
    assert unsure_line("What is the budget?", 0.001) is not None and "1 %" in str(unsure_line("x", 0.001))
    assert 0.0 < UNSURE_BELOW < 1.0


def _result(qid: str, doc: str | None, rank: int | None, found: bool, confidence: float) -> QuestionResult:
    return QuestionResult(id=qid, lang="en", type="fact", question="How much?", doc=doc, rank=rank,
                          found=found, confidence=confidence, cited=[])


def test_eval_counts_the_answers_shown_as_not_sure() -> None:
    report = EvalReport([
        _result("a1", "d", 1, True, 0.95),  # confident and right
        _result("a2", "d", 1, True, 0.2),  # flagged, right first
        _result("a3", "d", 3, True, 0.1),  # flagged, wrong first
        _result("a4", "d", None, False, 0.1),  # refused: never flagged
        _result("u1", None, None, True, 0.15),  # a near miss answered, flagged
        _result("u2", None, None, True, 0.9),  # a near miss answered confidently
        _result("u3", None, None, False, 0.05),  # refused
    ])
    assert report.flagged() == {"unanswerable_answered": 2, "unanswerable_flagged": 1,
                                "answerable_answered": 3, "answerable_flagged": 2,
                                "answerable_flagged_right": 1}
    assert report.to_dict()["flagged_not_sure"] == report.flagged()
