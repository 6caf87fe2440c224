"""`boardqa sources`: the documents of the current index version."""

from __future__ import annotations

import json

import click
from rich import box
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


def _title(i: SourceInfo) -> str:
    """The title, and what the document amends or is amended by (a corrigendum and its paper)."""
    note = amendment_note(i.amends, i.amended_by)
    return f"{i.title} ({note})" if note else i.title


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--wide", is_flag=True, help="Every column (kind, passages, family), unwrapped.")
@click.pass_context
def sources(ctx: click.Context, as_json: bool, wide: bool) -> None:
    """List the indexed documents."""
    with store_errors():
        infos = source_infos(cli_store(ctx).documents())
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in infos], ensure_ascii=False, indent=2))
        return
    if wide:
        table = Table()
        for name in ("source", "kind", "symbol", "title", "lang", "paras", "passages", "pages", "family"):
            table.add_column(name, no_wrap=True)
        for i in infos:
            table.add_row(i.source, i.kind, i.symbol or "", _title(i), i.language, str(i.paragraphs),
                          str(i.passages), str(i.pages), i.family)
        table_console(wide=True).print(table)
        return
    # fits 100 columns: file names fold, titles wrap at word boundaries (CJK by display width)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    longest = max((len(i.source) for i in infos), default=6)
    table.add_column("source", overflow="fold", min_width=min(longest, 34), max_width=34)
    table.add_column("symbol", overflow="fold", max_width=22)
    table.add_column("title", overflow="fold", ratio=1, min_width=20)
    table.add_column("lang", no_wrap=True)
    table.add_column("paras", justify="right", no_wrap=True)
    table.add_column("pages", justify="right", no_wrap=True)
    for i in infos:
        paras = str(i.paragraphs) if i.kind == "board-document" else "–"
        table.add_row(i.source, i.symbol or "", _title(i), i.language, paras, str(i.pages))
    table_console().print(table)
