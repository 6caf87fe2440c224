"""The feedback store (SQLite) and `boardqa feedback`; clicks through a real bot are in test_slack_http."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from boardqa.cli import cli
from bot.feedback import FeedbackStore
from index.answering.results import Answer, Citation


def answer(question: str, found: bool = True) -> Answer:
    c = Citation(source="covid19-response-update.en.pdf", kind="board-document", symbol="HSP/EB.2021/TEST/4",
                 title="Update on the COVID-19 response plan", language="en", paragraph="5", heading="",
                 pages=[2], printed_pages=["2"], score=0.8, text="Quick impact projects in 13 countries.",
                 locator="5", parallels={"zh": "covid19-response-update.zh.pdf"})
    return Answer(question, "USD 1.3 million in 13 countries." if found else "Not found.", found, 0.7, [c])


def test_answers_and_clicks_are_stored_and_counted(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "fb" / "feedback.sqlite")
    a1 = store.record_answer(answer("How much did the quick impact projects cost?"), "U1", "C1")
    a2 = store.record_answer(answer("How many satellites were launched?", found=False), "U2", "D2")
    assert a1 != a2
    restored = store.answer(a1)
    assert restored is not None
    assert restored.citations[0].parallels == {"zh": "covid19-response-update.zh.pdf"}
    assert restored.answer == "USD 1.3 million in 13 countries."
    store.record_click(a1, "U1", "C1", helpful=True)
    store.record_click(a1, "U3", "C1", helpful=False)
    store.record_click(a1, "U3", "C1", helpful=True)  # U3 changed their mind: counts once, as helpful
    store.record_click(a2, "U2", "D2", helpful=False)
    store.record_click("unknown-id", "U4", "C9", helpful=False, fallback_answer="text of the message")
    s = store.summary()
    assert (s.answers, s.helpful, s.not_helpful) == (2, 2, 2)
    tallies = {t.answer_id: (t.helpful, t.not_helpful, t.question) for t in s.per_answer}
    assert tallies[a1] == (2, 0, "How much did the quick impact projects cost?")
    assert tallies[a2] == (0, 1, "How many satellites were launched?")
    assert {c.question for c in s.recent_not_helpful} == {"How many satellites were launched?", ""}
    with sqlite3.connect(store.path) as db:
        row = db.execute("SELECT question, answer, citations, user, channel, created FROM feedback "
                         "WHERE answer_id = ? AND user = 'U1'", (a1,)).fetchone()
    assert row[0].startswith("How much") and row[1].startswith("USD 1.3")
    assert json.loads(row[2])[0]["paragraph"] == "5" and row[3:5] == ("U1", "C1") and row[5]


def test_feedback_command(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite"
    config = tmp_path / "config.toml"
    config.write_text(f'[slack]\nfeedback_db = "{db.as_posix()}"\n', encoding="utf-8")
    runner = CliRunner()
    missing = runner.invoke(cli, ["--config", str(config), "feedback"])
    assert missing.exit_code != 0 and "no feedback database" in missing.output
    store = FeedbackStore(db)
    a = store.record_answer(answer("What disrupted activities in 2020?"), "U1", "C1")
    store.record_click(a, "U1", "C1", helpful=False)
    out = runner.invoke(cli, ["--config", str(config), "feedback"])
    assert out.exit_code == 0, out.output
    assert "helpful: 0   not helpful: 1" in out.output
    assert "What disrupted activities in 2020?" in out.output and a in out.output
    as_json = json.loads(runner.invoke(cli, ["--config", str(config), "feedback", "--json"]).output)
    assert as_json["not_helpful"] == 1 and as_json["recent_not_helpful"][0]["user"] == "U1"
