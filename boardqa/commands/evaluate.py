"""`boardqa eval QUESTIONS.jsonl`: R@1, R@5 and MRR, per language and type, misses, unanswerables."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from boardqa.commands._qacli import open_service
from index.measure.evaluate import EvalReport, QuestionSetError, Scores, load_questions
from index.measure.evaluate import evaluate as run_evaluation
from index.retrieval.search import FusionWeights

FUSIONS = {
    "hybrid": FusionWeights(),
    "dense": FusionWeights.dense_only(),
    "lexical": FusionWeights.lexical_only(),
}


def _table(title: str, rows: dict[str, Scores]) -> Table:
    table = Table(title=title)
    for name in ("", "n", "R@1", "R@5", "MRR"):
        table.add_column(name, justify="left" if not name else "right")
    for key, s in rows.items():
        table.add_row(key, str(s.n), f"{s.r1:.3f}", f"{s.r5:.3f}", f"{s.mrr:.3f}")
    return table


def _print(report: EvalReport, console: Console) -> None:
    console.print(_table("overall", {"all": report.overall}))
    console.print(_table("by language", report.by("lang")))
    console.print(_table("by question type", report.by("type")))
    console.print(f"answerable questions answered (found): {report.answered_rate:.0%}")
    if report.misses:
        console.print("[bold]misses[/bold] (rank of the first right citation, '-' if none in the list):")
        for r in report.misses:
            console.print(f"  {r.id} [{r.lang}/{r.type}] rank {r.rank or '-'}: {r.question}", markup=False)
            console.print(f"      cited: {'; '.join(r.cited[:3])}", markup=False)
    un = report.unanswerable
    if un:
        ok = sum(1 for r in un if not r.found)
        console.print(f"unanswerable questions reported not found: {ok}/{len(un)}")
        for r in un:
            if r.found:
                console.print(f"  WRONGLY ANSWERED {r.id}: {r.question} (confidence {r.confidence})",
                              markup=False)


@click.command(name="eval")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--top-k", type=click.IntRange(5, 50), default=5, help="Citations per question (>= 5).")
@click.option("--fusion", type=click.Choice(sorted(FUSIONS)), default="hybrid",
              help="Measure dense-only or lexical-only retrieval instead of the hybrid.")
@click.pass_context
def evaluate(ctx: click.Context, questions: Path, as_json: bool, top_k: int, fusion: str) -> None:
    """Score retrieval and not-found answers on a question set (JSON lines with gold labels)."""
    try:
        qs = load_questions(questions)
    except QuestionSetError as exc:
        raise click.ClickException(str(exc)) from exc
    qa = open_service(ctx, weights=FUSIONS[fusion])
    console = Console(stderr=as_json)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("asking", total=len(qs))
        report = run_evaluation(lambda q: qa.ask(q, top_k=top_k), qs,
                          progress=lambda done, _total: progress.update(task, completed=done))
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print(report, console)

