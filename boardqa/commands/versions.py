"""`boardqa versions`, `boardqa rollback [VERSION]`, `boardqa remove DOC`: manage index versions."""

from __future__ import annotations

import json

import click
from rich.table import Table

from boardqa.cli import get_config
from boardqa.commands._storecli import cli_embedder, cli_store, store_errors, table_console
from index.store_errors import NoIndexError
from ingest.pipeline import run_remove, run_rollback

WAIT = click.option("--wait", type=float, default=0.0, show_default=True,
                    help="Seconds to wait for another writer holding the index lock.")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def versions(ctx: click.Context, as_json: bool) -> None:
    """List the published index versions (the current one is marked)."""
    store = cli_store(ctx)
    infos = store.versions()
    with store_errors():
        if not infos:
            raise NoIndexError(store.root)
    if as_json:
        click.echo(json.dumps([v.to_dict() for v in infos], indent=2))
        return
    table = Table("", "version", "created", "documents", "passages", "model")
    for v in infos:
        table.add_row("*" if v.current else "", v.version, v.created, str(v.documents), str(v.passages),
                      v.model_id)
    table_console().print(table)


@click.command()
@click.argument("version", required=False)
@WAIT
@click.pass_context
def rollback(ctx: click.Context, version: str | None, wait: float) -> None:
    """Serve VERSION again (default: the version served before the current one)."""
    with store_errors(rollback_hint=False):
        before, now = run_rollback(get_config(ctx), version, wait=wait)
    click.echo(f"now serving {now}" + (f" (was {before})" if before != now else " (unchanged)"))


@click.command()
@click.argument("doc")
@WAIT
@click.pass_context
def remove(ctx: click.Context, doc: str, wait: float) -> None:
    """Publish a new version without DOC (a file name, symbol or title)."""
    embedder = cli_embedder(ctx)
    with store_errors():
        removed, version = run_remove(doc, get_config(ctx), embedder, wait=wait)
    click.echo(f"removed {removed.source}; now serving {version}")
