"""`boardqa passages DOC`: every passage of one document, in order."""

from __future__ import annotations

import json

import click
from rich.table import Table

from boardqa.commands._storecli import cli_store, store_errors, table_console
from index.retrieval.docref import resolve_document


@click.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def passages(ctx: click.Context, doc: str, as_json: bool) -> None:
    """List the passages of DOC (a file name, symbol or title)."""
    with store_errors():
        document = resolve_document(cli_store(ctx).documents(), doc)
    if as_json:
        rows = [{"locator": p.locator, "kind": p.kind, "paragraph": p.paragraph, "heading": p.heading,
                 "pages": p.pages, "printed_pages": p.printed_pages, "text": p.text}
                for p in document.passages]
        click.echo(json.dumps({"source": document.source, "passages": rows}, ensure_ascii=False, indent=2))
        return
    table = Table("locator", "para", "heading", "pages", "printed", "text", title=document.source)
    for p in document.passages:
        table.add_row(p.locator, p.paragraph or "", p.heading, ",".join(map(str, p.pages)),
                      ",".join(p.printed_pages), p.text)
    table_console().print(table)
