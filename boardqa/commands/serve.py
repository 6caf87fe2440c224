"""`boardqa serve`: the Slack bot, in Socket Mode (default) or HTTP mode."""

from __future__ import annotations

import os

import click

from boardqa.cli import get_config


@click.command()
@click.option("--mode", type=click.Choice(["socket", "http"]), default="socket", show_default=True,
              help="socket: outbound websocket (SLACK_APP_TOKEN); http: Slack POSTs to /slack/events.")
@click.option("--port", type=click.IntRange(1, 65535), default=3000, show_default=True, envvar="PORT",
              help="HTTP mode: port to listen on.")
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP mode: address to listen on.")
@click.pass_context
def serve(ctx: click.Context, mode: str, port: int, host: str) -> None:
    """Run the Slack bot (tokens from SLACK_BOT_TOKEN, SLACK_APP_TOKEN / SLACK_SIGNING_SECRET)."""
    cfg = get_config(ctx)
    from bot.run import StartupError, run  # lazy: the Slack SDK only for this command

    try:
        run(cfg, mode, host, port, os.environ)
    except StartupError as exc:
        raise click.ClickException(str(exc)) from exc
