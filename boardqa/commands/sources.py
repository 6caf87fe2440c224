"""`boardqa sources`: the documents of the current index version."""

from __future__ import annotations

import json

import click
from rich.table import Table

from boardqa.commands._storecli import cli_store, store_errors, table_console
from bot.describe import amendment_note
from index.answering.qa import source_info
from index.answering.results import SourceInfo
from ingest.meta import amendments
from ingest.models import Document


def source_infos(documents: list[Document]) -> list[SourceInfo]:
    amended = amendments(documents)
    return [source_info(d, amended.get(d.symbol or "")) for d in documents]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """List the indexed documents."""
    with store_errors():
        infos = source_infos(cli_store(ctx).documents())
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in infos], ensure_ascii=False, indent=2))
        return
    table = Table()
    for name in ("source", "kind", "symbol", "title", "lang", "paras", "passages", "pages", "family"):
        table.add_column(name, no_wrap=name in ("source", "symbol"))
    for i in infos:
        note = amendment_note(i.amends, i.amended_by)
        title = f"{i.title} ({note})" if note else i.title
        table.add_row(i.source, i.kind, i.symbol or "", title, i.language, str(i.paragraphs),
                      str(i.passages), str(i.pages), i.family)
    table_console().print(table)
