"""`boardqa chat`: the console stand-in for Slack (reads stdin; works from a pipe)."""

from __future__ import annotations

import sys

import click

from boardqa.cli import get_config


@click.command()
@click.pass_context
def chat(ctx: click.Context) -> None:
    """Ask questions in the console: type a question, /cite REF, /sources, /quit."""
    cfg = get_config(ctx)
    from bot.chat import run_chat
    from bot.service import ServiceError, open_qa

    try:
        qa = open_qa(cfg)
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    failures = run_chat(qa, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    if failures:
        ctx.exit(1)
