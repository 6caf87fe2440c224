"""What every listener needs, built once per process and passed in (no module-level state)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from boardqa.config import Config
from bot.dedupe import Deduper
from bot.feedback import FeedbackStore
from bot.ratelimit import RateLimiter
from index.answering.qa import QAService


@dataclass
class BotContext:
    cfg: Config
    qa: QAService
    feedback: FeedbackStore
    dedupe: Deduper
    limiter: RateLimiter
    log: logging.Logger
    _channel_names: dict[str, str] = field(default_factory=dict)
    _names_lock: threading.Lock = field(default_factory=threading.Lock)

    def is_admin(self, user: str) -> bool:
        return user in self.cfg.slack.admins

    def channel_allowed(self, channel: str, client: Any = None) -> bool:
        """Direct messages always; channels when the allowlist is empty or names them (by id or name)."""
        allowed = self.cfg.slack.allowed_channels
        if not allowed or channel.startswith("D") or channel in allowed:
            return True
        names = {a.lstrip("#").lower() for a in allowed}
        name = self._channel_name(channel, client)
        return name is not None and name.lower() in names

    def _channel_name(self, channel: str, client: Any) -> str | None:
        with self._names_lock:
            if channel in self._channel_names:
                return self._channel_names[channel]
        if client is None:
            return None
        try:
            info = client.conversations_info(channel=channel)
            name = str(info["channel"].get("name", "")) or None
        except Exception as exc:  # a lookup failure must not crash the request; it just denies
            self.log.warning("conversations.info for %s failed: %s", channel, exc)
            return None
        if name is not None:
            with self._names_lock:
                self._channel_names[channel] = name
        return name
