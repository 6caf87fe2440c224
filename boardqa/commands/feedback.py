"""`boardqa feedback`: counts of "Helpful / Not helpful" clicks from the bot's feedback database."""

from __future__ import annotations

import json

import click

from boardqa.cli import get_config


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--recent", type=click.IntRange(0, 1000), default=10, show_default=True,
              help="How many recent 'not helpful' clicks to list.")
@click.pass_context
def feedback(ctx: click.Context, as_json: bool, recent: int) -> None:
    """Totals, per-answer counts and recent 'not helpful' questions."""
    cfg = get_config(ctx)
    from bot.feedback import FeedbackError, FeedbackStore

    path = cfg.slack.feedback_db
    if not path.is_file():
        raise click.ClickException(f"no feedback database at {path} yet (the bot creates it when it answers)")
    try:
        summary = FeedbackStore(path).summary(recent=recent)
    except FeedbackError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(f"answers posted: {summary.answers}")
    click.echo(f"helpful: {summary.helpful}   not helpful: {summary.not_helpful}")
    if summary.per_answer:
        click.echo("\nper answer (most 'not helpful' first):")
        for t in summary.per_answer:
            question = t.question or "(question not recorded)"
            click.echo(f"  {t.answer_id}  +{t.helpful} -{t.not_helpful}  {question}")
    if summary.recent_not_helpful:
        click.echo("\nrecent 'not helpful':")
        for c in summary.recent_not_helpful:
            click.echo(f"  {c.created}  {c.user} in {c.channel}: {c.question or '(question not recorded)'}")
