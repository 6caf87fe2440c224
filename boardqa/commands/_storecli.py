"""What the index-store commands share: the store from the configuration, and one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from rich.console import Console

from boardqa.cli import get_config
from index.embed import Embedder, EmbedderError, make_embedder
from index.retrieval.docref import DocumentRefError
from index.store import IndexStore
from index.store_errors import CorruptVersionError, StoreError
from ingest.pipeline import open_store


def table_console() -> Console:
    """A console for tables: piped output gets a wide line instead of rich's 80 columns."""
    console = Console()
    return console if console.is_terminal else Console(width=200)


def cli_store(ctx: click.Context) -> IndexStore:
    return open_store(get_config(ctx))


def cli_embedder(ctx: click.Context) -> Embedder:
    cfg = get_config(ctx)
    try:
        return make_embedder(cfg.index.embedder, cfg.index.model_path, cfg.index.companions)
    except EmbedderError as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def store_errors(rollback_hint: bool = True) -> Iterator[None]:
    """No index, a busy lock, a corrupt version, an unknown document: one line, no traceback."""
    try:
        yield
    except CorruptVersionError as exc:
        hint = "; `boardqa rollback` serves the previous version" if rollback_hint else ""
        raise click.ClickException(f"{exc}{hint}") from exc
    except (StoreError, DocumentRefError) as exc:
        raise click.ClickException(str(exc)) from exc
