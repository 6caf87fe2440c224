"""Per-user question limit over a sliding minute, so one user cannot monopolise the answering threads."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class RateLimiter:
    def __init__(self, per_minute: int, window_seconds: float = 60.0) -> None:
        self.per_minute = per_minute
        self.window = window_seconds
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, user: str) -> bool:
        """Count a question from `user`; False when they already asked `per_minute` in the window."""
        if self.per_minute <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            hits = self._hits[user]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return False
            hits.append(now)
            return True

    def retry_after(self, user: str) -> int:
        """Seconds until `user` may ask again (0 when they may now)."""
        with self._lock:
            hits = self._hits.get(user)
            if not hits or len(hits) < self.per_minute:
                return 0
            return max(1, int(hits[0] + self.window - time.monotonic()) + 1)
