"""Open the question-answering service the bot and the console share, failing early and clearly.

The bot answers from a LiveIndex, so a version published by `boardqa ingest` (or a re-ingest from
Slack) is picked up without a restart. What the first question would otherwise pay for (the version's
search arrays, the zh->en bridge's dictionaries) is loaded here, at start-up of `serve` and `chat`.
"""

from __future__ import annotations

from boardqa.config import Config
from index.answering.qa import QAService
from index.embed import EmbedderError, make_embedder
from index.live import LiveIndex
from index.store import IndexStore
from index.store_errors import StoreError


class ServiceError(Exception):
    """The index or the model cannot be opened; the message says what to run or change."""


def open_qa(cfg: Config) -> QAService:
    try:
        embedder = make_embedder(cfg.index.embedder, cfg.index.model_path, cfg.index.companions)
    except EmbedderError as exc:
        raise ServiceError(f"embedding model: {exc}") from exc
    store = IndexStore(cfg.index.path, cfg.index.keep_versions)
    live = LiveIndex(store, embedder.model_id, cfg.index.reload_seconds)
    try:
        live.current()  # load now: a missing or unusable index is a start-up error, not a chat error
    except StoreError as exc:
        hint = "" if store.exists() else " (run `boardqa ingest PATH` first)"
        raise ServiceError(f"index at {cfg.index.path}: {exc}{hint}") from exc
    qa = QAService(live.current, embedder, cfg)
    qa.warm()  # paid now, not by the first question
    return qa
