"""What the index-store commands share: the store from the configuration, and one-line errors."""

from __future__ import annotations

import os
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

TABLE_WIDTH = 100  # columns of piped output (or $COLUMNS); a terminal's own width otherwise
WIDE = 250


def table_console(wide: bool = False) -> Console:
    """A console for tables: the terminal's width, or 100 columns ($COLUMNS) when piped; `wide` for
    tables whose cells should not wrap."""
    console = Console()
    if wide:
        return Console(width=max(console.width, WIDE) if not console.is_terminal else console.width)
    if console.is_terminal:
        return console
    columns = os.environ.get("COLUMNS", "")
    return Console(width=int(columns) if columns.isdigit() and int(columns) > 20 else TABLE_WIDTH)


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
