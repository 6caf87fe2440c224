"""Drop what Slack delivers twice: retried events (same `event_id`) and the `message` twin of a mention.

Slack retries an event it thinks went unanswered and redelivers Socket Mode envelopes after a reconnect;
answering both would post the answer twice. A claim is "first one wins": an in-process TTL cache, and
optionally a SQLite table so that several HTTP replicas on one host agree as well.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = "CREATE TABLE IF NOT EXISTS seen_events (key TEXT PRIMARY KEY, expires REAL NOT NULL)"


class Deduper:
    def __init__(self, ttl_seconds: float = 3600.0, db_path: Path | None = None) -> None:
        self.ttl = ttl_seconds
        self.db_path = db_path
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._next_purge = 0.0
        if db_path is not None:
            db_path.parent.mkdir(parents=True, exist_ok=True)
            with self._db() as db:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute(SCHEMA)

    def _db(self) -> sqlite3.Connection:
        assert self.db_path is not None
        return sqlite3.connect(self.db_path, timeout=15, isolation_level=None)

    def claim(self, key: str) -> bool:
        """True the first time `key` is seen within the TTL (here or, with a database, on this host)."""
        now = time.monotonic()
        with self._lock:
            if now >= self._next_purge:
                self._seen = {k: t for k, t in self._seen.items() if t > now}
                self._next_purge = now + 60
            expires = self._seen.get(key)
            if expires is not None and expires > now:
                return False
            self._seen[key] = now + self.ttl
        return self._claim_shared(key) if self.db_path is not None else True

    def _claim_shared(self, key: str) -> bool:
        wall = time.time()
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM seen_events WHERE key = ? AND expires <= ?", (key, wall))
            cur = db.execute("INSERT OR IGNORE INTO seen_events VALUES (?, ?)", (key, wall + self.ttl))
            claimed = cur.rowcount == 1
            if claimed and int(wall) % 50 == 0:
                db.execute("DELETE FROM seen_events WHERE expires <= ?", (wall,))
            db.execute("COMMIT")
            return claimed
        finally:
            db.close()
