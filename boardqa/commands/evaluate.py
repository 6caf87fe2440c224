"""`boardqa eval QUESTIONS.jsonl...`: R@1, R@5 and MRR, per language and type, misses, unanswerables,
the answer-fact rate and a reliability table of the confidence."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table

from boardqa.commands._qacli import open_service
from index.answering.sentences import UNSURE_BELOW
from index.measure.evaluate import EvalReport, QuestionSetError, Scores, load_questions
from index.measure.evaluate import evaluate as run_evaluation
from index.retrieval.ranker import RankParams

FUSIONS: dict[str, RankParams | None] = {
    "hybrid": None,  # the fitted ranker (index/retrieval/params.json)
    "dense": RankParams.dense_only(),
    "lexical": RankParams.lexical_only(),
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
    if report.fact_questions:
        console.print(f"answers holding the asked-for fact (`expect`): {report.fact_rate:.0%} "
                      f"of {report.fact_questions}")
    flagged = report.flagged()
    console.print(f"answers shown as 'not sure' (confidence below {UNSURE_BELOW:.0%}): "
                  f"{flagged['unanswerable_flagged']} of {flagged['unanswerable_answered']} answered "
                  f"unanswerable questions, {flagged['answerable_flagged']} of "
                  f"{flagged['answerable_answered']} answered answerable ones "
                  f"({flagged['answerable_flagged_right']} of these right first)")
    rel = Table(title="reliability: confidence vs first citation right")
    for name in ("confidence", "n", "mean confidence", "right"):
        rel.add_column(name, justify="right")
    for row in report.reliability():
        rel.add_row(row["bin"], str(row["n"]), f"{row['predicted']:.2f}", f"{row['observed']:.2f}")
    console.print(rel)
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
@click.argument("questions", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Print the full report as JSON (several files: one report per file under \"sets\"). "
                   "`confidence` is the fitted probability (0-1) that the first citation answers.")
@click.option("--top-k", type=click.IntRange(5, 50), default=5, help="Citations per question (>= 5).")
@click.option("--fusion", type=click.Choice(sorted(FUSIONS)), default="hybrid",
              help="Measure dense-only or lexical-only retrieval instead of the fitted ranker.")
@click.pass_context
def evaluate(ctx: click.Context, questions: tuple[Path, ...], as_json: bool, top_k: int, fusion: str) -> None:
    """Score retrieval, not-found answers, answer facts and confidence on question sets (JSON lines
    with gold labels), all asked against the configured index."""
    try:
        sets = {path.name: load_questions(path) for path in questions}
    except QuestionSetError as exc:
        raise click.ClickException(str(exc)) from exc
    qa = open_service(ctx, params=FUSIONS[fusion])
    console = Console(stderr=as_json)
    reports: dict[str, EvalReport] = {}
    with Progress(console=console, transient=True) as progress:
        for name, qs in sets.items():
            task = progress.add_task(f"asking {name}", total=len(qs))

            def advance(done: int, _total: int, t: TaskID = task) -> None:
                progress.update(t, completed=done)

            reports[name] = run_evaluation(lambda q: qa.ask(q, top_k=top_k), qs, progress=advance)
    if as_json:
        if len(reports) == 1:
            click.echo(json.dumps(next(iter(reports.values())).to_dict(), ensure_ascii=False, indent=2))
        else:
            out = {"sets": {k: v.to_dict() for k, v in reports.items()}}
            click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for name, report in reports.items():
        if len(reports) > 1:
            console.rule(name)
        _print(report, console)
