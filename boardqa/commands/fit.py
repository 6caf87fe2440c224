"""`boardqa fit --set STORE QUESTIONS ...`: fit the ranker and the confidence (index/measure/fit.py)
on labelled question sets over existing index stores, report in-sample and cross-validated figures,
and write the parameters search and answering load."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

from boardqa.cli import get_config
from boardqa.commands._storecli import cli_embedder, store_errors
from index.answering.confidence import CONFIDENCE_PATH
from index.measure.evaluate import QuestionSetError, load_questions
from index.retrieval.features import FEATURES
from index.retrieval.ranker import PARAMS_PATH
from index.store import IndexStore


@click.command()
@click.option("--set", "sets", type=(click.Path(file_okay=False, exists=True, path_type=Path),
                                     click.Path(dir_okay=False, exists=True, path_type=Path)),
              multiple=True, required=True, metavar="STORE QUESTIONS",
              help="An index store folder and a question file (JSON lines with gold labels); repeatable.")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds (grouped by question).")
@click.option("--l2", default=1.0, show_default=True, help="L2 penalty of the ranker.")
@click.option("--pool", default=40, show_default=True, help="Candidates kept per signal.")
@click.option("--cache", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Query-vector cache (default: fit-cache.npz beside the configured index).")
@click.option("--drop", "dropped", multiple=True, metavar="FEATURE",
              help="A feature (index.retrieval.features.FEATURES) kept at weight 0; repeatable.")
@click.option("--no-ablations", is_flag=True, help="Skip the per-feature-group ablations.")
@click.option("--eliminate", is_flag=True,
              help="Select features first: backward elimination by feature group on cross-validated R@1 "
                   "(index/measure/fit.py); the groups it removes are kept at weight 0.")
@click.option("--out", "ranker_out", type=click.Path(dir_okay=False, path_type=Path), default=PARAMS_PATH,
              show_default=True, help="Where to write the ranker parameters.")
@click.option("--confidence-out", type=click.Path(dir_okay=False, path_type=Path), default=CONFIDENCE_PATH,
              show_default=True, help="Where to write the confidence parameters.")
@click.option("--dry-run", is_flag=True, help="Report only; write no parameters.")
@click.pass_context
def fit(ctx: click.Context, sets: tuple[tuple[Path, Path], ...], folds: int, l2: float, pool: int,
        cache: Path | None, dropped: tuple[str, ...], no_ablations: bool, eliminate: bool, ranker_out: Path,
        confidence_out: Path,
        dry_run: bool) -> None:
    """Fit search's ranker and the answer confidence on labelled sets, with k-fold cross-validation."""
    from index.measure.fit import QueryCache, cached, extract_examples, fit_all, service_for, write_params
    from index.measure.fit import eliminate as eliminate_features

    cfg = get_config(ctx)
    console = Console(stderr=True)
    query_cache = QueryCache(cache or cfg.index.path.parent / "fit-cache.npz")
    embedder = cached(cli_embedder(ctx), query_cache)
    examples = []
    versions: dict[Path, object] = {}
    for store_dir, qfile in sets:
        try:
            questions = load_questions(qfile)
        except QuestionSetError as exc:
            raise click.ClickException(str(exc)) from exc
        with store_errors(rollback_hint=False):
            if store_dir not in versions:
                versions[store_dir] = IndexStore(store_dir).load_current(embedder.model_id)
        qa = service_for(versions[store_dir], embedder)
        name = qfile.name.split(".")[0]
        console.print(f"{name}: {len(questions)} questions on {store_dir}")
        examples.extend(extract_examples(name, qa, questions))
    query_cache.save()
    unknown = set(dropped) - set(FEATURES)
    if unknown:
        raise click.BadParameter(f"unknown feature(s): {', '.join(sorted(unknown))}", param_hint="--drop")
    rounds: list[dict[str, object]] = []
    if eliminate:
        dropped, rounds = eliminate_features(examples, k=folds, l2=l2, pool=pool, dropped=dropped,
                                             log=console.print)
    result = fit_all(examples, k=folds, l2=l2, pool=pool, ablations=not no_ablations, dropped=dropped)
    if eliminate:
        result.report["elimination"] = rounds
    click.echo(json.dumps(result.report, ensure_ascii=False, indent=1))
    if not dry_run:
        write_params(result, ranker_out, confidence_out)
        console.print(f"wrote {ranker_out} and {confidence_out}")
