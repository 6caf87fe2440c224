"""The SQLite store behind "Helpful / Not helpful": every answer posted, every click, and their counts.

Answers are recorded when posted, so a click (which carries only the answer id) can be stored with its
question, answer and citations. One file may be shared by several bot processes on a host: each call
opens its own connection, WAL mode lets readers and one writer overlap, and writes wait on a busy lock.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from index.answering.results import Answer, Citation

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    found INTEGER NOT NULL,
    citations TEXT NOT NULL,      -- JSON list of Citation dicts
    payload TEXT NOT NULL,        -- JSON of Answer.to_dict(), to re-render (Share in channel)
    user TEXT NOT NULL,
    channel TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT NOT NULL,
    user TEXT NOT NULL,
    channel TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (answer_id, user)  -- a user's latest click on an answer counts once
);
"""


class FeedbackError(Exception):
    """The feedback database cannot be opened or written; the message names the file."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def answer_from_dict(d: dict) -> Answer:
    return Answer(
        question=d["question"],
        answer=d["answer"],
        found=bool(d["found"]),
        confidence=float(d.get("confidence", 0.0)),
        citations=[Citation(**c) for c in d.get("citations", [])],
    )


def _citation_refs(answer: Answer) -> str:
    return json.dumps(
        [{"source": c.source, "paragraph": c.paragraph, "part": c.part, "locator": c.locator,
          "pages": c.pages}
         for c in answer.citations],
        ensure_ascii=False,
    )


@dataclass
class AnswerTally:
    answer_id: str
    question: str
    helpful: int
    not_helpful: int


@dataclass
class Complaint:
    created: str
    user: str
    channel: str
    question: str
    answer: str


@dataclass
class FeedbackSummary:
    answers: int  # answers posted
    helpful: int
    not_helpful: int
    per_answer: list[AnswerTally] = field(default_factory=list)
    recent_not_helpful: list[Complaint] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "answers": self.answers,
            "helpful": self.helpful,
            "not_helpful": self.not_helpful,
            "per_answer": [t.__dict__ for t in self.per_answer],
            "recent_not_helpful": [c.__dict__ for c in self.recent_not_helpful],
        }


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackError(f"feedback database {path}: {exc}") from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=15)
        try:
            with db:
                yield db
        finally:
            db.close()

    def record_answer(self, answer: Answer, user: str, channel: str) -> str:
        """Store a posted answer; returns the id its buttons carry."""
        answer_id = uuid.uuid4().hex[:16]
        with self._connect() as db:
            db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (answer_id, answer.question, answer.answer, int(answer.found), _citation_refs(answer),
                 json.dumps(answer.to_dict(), ensure_ascii=False), user, channel, _now()),
            )
        return answer_id

    def answer(self, answer_id: str) -> Answer | None:
        with self._connect() as db:
            row = db.execute("SELECT payload FROM answers WHERE id = ?", (answer_id,)).fetchone()
        return answer_from_dict(json.loads(row[0])) if row else None

    def record_click(self, answer_id: str, user: str, channel: str, helpful: bool,
                     fallback_answer: str = "") -> None:
        """Store a click; a click on an answer this database never saw keeps the message's own text."""
        with self._connect() as db:
            row = db.execute(
                "SELECT question, answer, citations FROM answers WHERE id = ?", (answer_id,)
            ).fetchone()
            question, answer, citations = row if row else ("", fallback_answer, "[]")
            db.execute(
                "INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (answer_id, user, channel, int(helpful), question, answer, citations, _now()),
            )

    def summary(self, recent: int = 10, top: int = 20) -> FeedbackSummary:
        with self._connect() as db:
            answers = db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
            helpful, not_helpful = db.execute(
                "SELECT COALESCE(SUM(helpful), 0), COALESCE(SUM(1 - helpful), 0) FROM feedback"
            ).fetchone()
            per_answer = [
                AnswerTally(*r) for r in db.execute(
                    "SELECT answer_id, MAX(question), SUM(helpful), SUM(1 - helpful) FROM feedback "
                    "GROUP BY answer_id ORDER BY SUM(1 - helpful) DESC, COUNT(*) DESC, MAX(created) DESC "
                    "LIMIT ?", (top,))
            ]
            complaints = [
                Complaint(*r) for r in db.execute(
                    "SELECT created, user, channel, question, answer FROM feedback WHERE helpful = 0 "
                    "ORDER BY created DESC, rowid DESC LIMIT ?", (recent,))
            ]
        return FeedbackSummary(int(answers), int(helpful), int(not_helpful), per_answer, complaints)
