"""What the question commands share: one QAService per process (index and model loaded once)."""

from __future__ import annotations

import click

from boardqa.cli import get_config
from boardqa.commands._storecli import cli_embedder, cli_store, store_errors
from index.answering.qa import QAService
from index.retrieval.ranker import RankParams


def open_service(ctx: click.Context, params: RankParams | None = None) -> QAService:
    """Load the current version once and answer every question of this process from it."""
    cfg = get_config(ctx)
    embedder = cli_embedder(ctx)
    with store_errors():
        store = cli_store(ctx)
        if not store.exists():
            raise click.ClickException(f"no index at {cfg.index.path}: run `boardqa ingest PATH` first")
        version = store.load_current(embedder.model_id)
    return QAService(lambda: version, embedder, cfg, params=params)
