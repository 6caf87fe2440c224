"""`boardqa cite REF`: one paragraph by reference; the candidates when the reference is ambiguous."""

from __future__ import annotations

import json

import click

from boardqa.commands._qacli import open_service
from bot.console import cite_text

EXIT_NOT_FOUND = 1
EXIT_AMBIGUOUS = 2


@click.command()
@click.argument("ref", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def cite(ctx: click.Context, ref: tuple[str, ...], as_json: bool) -> None:
    """Show the paragraph REF names: 'para 12', '第5段', '14(c)', 'HSP/EB.2021/TEST/2 para 20'.

    Exits 1 when nothing matches and 2 when several documents hold the paragraph (they are listed)."""
    result = open_service(ctx).cite(" ".join(ref))
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(cite_text(result))
    if result.citation is None:
        ctx.exit(EXIT_AMBIGUOUS if result.candidates else EXIT_NOT_FOUND)
