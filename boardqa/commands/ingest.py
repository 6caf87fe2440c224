"""`boardqa ingest PATH...`: parse files and folders and publish one new index version."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from boardqa.cli import get_config
from boardqa.commands._storecli import cli_embedder, store_errors
from ingest.liblog import route_library_logs
from ingest.pipeline import IngestReport, run_ingest


def _summary(report: IngestReport) -> str:
    head = (f"{report.documents} documents ({len(report.added)} added, {len(report.replaced)} replaced, "
            f"{len(report.unchanged)} unchanged), {report.paragraphs} paragraphs, {report.pages} pages, "
            f"{report.passages} passages ({report.embedded} embedded, {report.reused} reused), "
            f"{report.seconds:.1f} s")
    if report.rebuilt:
        head += "; every passage re-embedded for the configured model"
    if report.companion_embedded:
        head += "; " + ", ".join(f"{name}: {n} embedded" for name, n in report.companion_embedded.items())
    if report.companions_added:
        head += f" ({', '.join(report.companions_added)} vectors added to the index)"
    if report.published:
        return f"{head}; now serving version {report.version}"
    if report.version:
        return f"{head}; nothing published, still serving {report.version}"
    return f"{head}; nothing published"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--wait", type=float, default=0.0, show_default=True,
              help="Seconds to wait for another ingest holding the index lock.")
@click.option("--reparse", is_flag=True,
              help="Parse every file again, even one whose bytes are already indexed (after an upgrade).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], wait: float, reparse: bool) -> None:
    """Parse PDF, TXT, MD and DOCX files (folders recursively) and publish a new index version."""
    cfg = get_config(ctx)
    route_library_logs(cfg.ingest.log_file)
    embedder = cli_embedder(ctx)
    err = Console(stderr=True)
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        with store_errors():
            report = run_ingest(list(paths), cfg, embedder, progress=progress, wait=wait, reparse=reparse)
    for line in report.skipped:
        err.print(f"skipped {line}", markup=False, highlight=False, soft_wrap=True)
    for refused in report.refused:
        err.print(f"refused {refused.name}: {refused.message}", markup=False, highlight=False, soft_wrap=True)
    click.echo(_summary(report))
    if report.refused:
        ctx.exit(1)
