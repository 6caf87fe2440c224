"""`boardqa bench`: run the speed and memory benchmark, write its JSON, print its Markdown table."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.core import ParameterSource
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from boardqa.cli import get_config
from boardqa.config import Config
from ingest.liblog import route_library_logs


def _progress_bar(console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console)


def _real_bench(ctx: click.Context, cfg: Config, real: Path, root: Path, out: Path) -> None:
    from index.embed import make_embedder
    from index.measure.realbench import real_markdown, run_real_bench
    embedder = make_embedder(cfg.index.embedder, cfg.index.model_path, cfg.index.companions)
    with _progress_bar(Console(stderr=True)) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        result = run_real_bench(real, root, cfg, embedder, progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(real_markdown(result))
    click.echo(f"\nwritten: {out}", err=True)

# The shared test data beside a checkout; the product never needs it, the bench uses it when present.
UNPC_BESIDE_REPO = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "real" / "unpc"


@click.command()
@click.option("--passages", default=10_000, show_default=True, help="Synthetic passages to index.")
@click.option("--queries", default=200, show_default=True, help="Questions to time.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("bench-results/bench.json"), show_default=True, help="Where to write the JSON.")
@click.option("--dir", "root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Bench index folder (default: 'bench' beside the configured index, e.g. var/bench).")
@click.option("--fresh", is_flag=True, help="Empty the bench index first, so every passage is embedded.")
@click.option("--seed", default=0, show_default=True, help="Seed of the synthetic corpus and questions.")
@click.option("--parse-rounds", default=10, show_default=True, help="Times the example PDFs are parsed.")
@click.option("--corpus", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Also ingest and re-ingest the PDFs of this shared corpus folder.")
@click.option("--unpc", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the UNPC test set (unpc-testset.zh.txt / .en.txt) for cross-lingual sentence "
                   "retrieval; default ../shared/corpus/real/unpc beside the repository, when present.")
@click.option("--unpc-lines", default=4000, show_default=True, help="UNPC line pairs to use; 0 skips it.")
@click.option("--real", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Instead, measure the real UN corpus (its manifest's files): parsing, raw embedding and "
                   "whole ingest; written to bench-results/real-corpus.json unless --out is given.")
@click.pass_context
def bench(ctx: click.Context, passages: int, queries: int, out: Path, root: Path | None, fresh: bool,
          seed: int, parse_rounds: int, corpus: Path | None, unpc: Path | None, unpc_lines: int,
          real: Path | None) -> None:
    """Speed and memory on a synthetic corpus: query latency, ingest throughput, build, RSS."""
    from index.measure.bench import BenchSettings, markdown_table, run_bench

    cfg = get_config(ctx)
    route_library_logs(cfg.ingest.log_file)  # the parsing measured here must not flood the terminal
    if real is not None:
        _real_bench(ctx, cfg, real, root or cfg.index.path.parent / "bench",
                    out if ctx.get_parameter_source("out") != ParameterSource.DEFAULT
                    else Path("bench-results/real-corpus.json"))
        return
    if passages < 1 or queries < 1:
        raise click.BadParameter("--passages and --queries must be at least 1")
    unpc = unpc or UNPC_BESIDE_REPO
    settings = BenchSettings(root=root or cfg.index.path.parent / "bench", passages=passages, queries=queries,
                             seed=seed, fresh=fresh, parse_rounds=parse_rounds, corpus=corpus,
                             unpc=unpc if unpc_lines > 0 and unpc.is_dir() else None, unpc_lines=unpc_lines)
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bar:
        tasks: dict[str, TaskID] = {}

        def finish_open() -> None:
            for task in bar.tasks:
                if not task.finished:
                    bar.update(task.id, total=task.total or 1, completed=task.total or 1)

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                finish_open()  # a new stage means the earlier ones are over
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        result = run_bench(settings, cfg, progress)
        finish_open()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(markdown_table(result))
    click.echo(f"\nwritten: {out}", err=True)
