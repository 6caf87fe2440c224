"""`boardqa bench --real`: how fast the real UN corpus is read, embedded and ingested, against its parts.

Three measurements on the same files and the same passages, so they can be compared:
- parsing: `parse_file` on every file, one after another in this process (pages/s on one core);
- raw embedding: the configured embedder alone on the texts the index embeds (passages/s), each of its
  models (e5 and the companions) timed apart;
- whole ingest: `run_ingest` into an empty index, as `boardqa ingest` runs it (parallel, isolated
  parsing, embedding, verification, publish).
The target is a whole ingest within 1.25 × (parsing + raw embedding): the pipeline may add its process
isolation, lock and publishing but must win most of that back by parsing files in parallel.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from boardqa.config import Config
from index.embed import DenseModels, Embedder, companions_of
from index.retrieval.textrep import embed_text
from ingest.models import Document

Progress = Callable[[str, int, int], None]
TARGET_RATIO = 1.25
_BATCH = 32


def real_files(real: Path) -> list[Path]:
    """The documents the real corpus's manifest lists (its README and parallel-corpus sets are not)."""
    manifest = json.loads((real / "manifest.json").read_text(encoding="utf-8"))
    return [real / entry["path"] for entry in manifest["documents"]]


def measure_parse(files: list[Path], cfg: Config,
                  progress: Progress) -> tuple[dict[str, Any], list[Document]]:
    from ingest.parse import parse_file

    docs: list[Document] = []
    start = time.perf_counter()
    for i, path in enumerate(files):
        docs.append(parse_file(path, cfg.ingest))
        progress("real corpus: parsing (one core)", i + 1, len(files))
    seconds = time.perf_counter() - start
    pages = sum(d.pages for d in docs)
    return {"files": len(files), "pages": pages, "seconds": round(seconds, 2),
            "pages_per_second": round(pages / seconds, 1) if seconds else 0.0}, docs


def measure_raw_embedding(docs: list[Document], embedder: Embedder, progress: Progress) -> dict[str, Any]:
    """Every model the index embeds with (the primary, then each companion) on the same texts; the
    total is what a build pays, `models` what each one costs of it."""
    texts = [embed_text(d, p) for d in docs for p in d.passages]
    primary = embedder.primary if isinstance(embedder, DenseModels) else embedder
    models: dict[str, Any] = {}
    for name, model in {"primary": primary, **companions_of(embedder)}.items():
        start = time.perf_counter()
        for i in range(0, len(texts), _BATCH):
            model.embed_passages(texts[i : i + _BATCH])
            progress(f"real corpus: raw embedding ({name})", min(i + _BATCH, len(texts)), len(texts))
        secs = time.perf_counter() - start
        models[name] = {"model_id": model.model_id, "seconds": round(secs, 2),
                        "passages_per_second": round(len(texts) / secs, 1) if secs else 0.0}
    seconds = sum(m["seconds"] for m in models.values())
    return {"passages": len(texts), "seconds": round(seconds, 2),
            "passages_per_second": round(len(texts) / seconds, 1) if seconds else 0.0, "models": models}


def measure_ingest(files: list[Path], root: Path, cfg: Config, embedder: Embedder,
                   progress: Progress) -> dict[str, Any]:
    from ingest.pipeline import parse_workers, run_ingest

    folder = root / "real-corpus"
    shutil.rmtree(folder, ignore_errors=True)  # measured from an empty index: everything is embedded
    run_cfg = replace(cfg, index=replace(cfg.index, path=folder, keep_versions=1))
    marks: dict[str, float] = {}

    def step(stage: str, done: int, total: int) -> None:
        marks.setdefault(stage, time.perf_counter())
        progress(f"real corpus: ingest {stage}", done, total)

    start = time.perf_counter()
    report = run_ingest(files, run_cfg, embedder, progress=step, user="bench")
    seconds = time.perf_counter() - start
    parse_seconds = marks.get("embedding", start + seconds) - start
    return {"seconds": round(seconds, 2), "parse_seconds": round(parse_seconds, 2),
            "workers": parse_workers(run_cfg, len(files)), "documents": report.documents,
            "passages": report.passages, "embedded": report.embedded,
            "refused": [f"{r.name}: {r.message}" for r in report.refused]}


def run_real_bench(real: Path, root: Path, cfg: Config, embedder: Embedder,
                   progress: Progress) -> dict[str, Any]:
    load_start = os.getloadavg()[0]
    files = real_files(real)
    parsing, docs = measure_parse(files, cfg, progress)
    embedding = measure_raw_embedding(docs, embedder, progress)
    ingest = measure_ingest(files, root, cfg, embedder, progress)
    parts = parsing["seconds"] + embedding["seconds"]
    ratio = round(ingest["seconds"] / parts, 3) if parts else 0.0
    return {"machine": {"cpus": os.cpu_count(), "load_average": [round(load_start, 2),
                                                                 round(os.getloadavg()[0], 2)]},
            "embedder": embedder.model_id, "parsing": parsing, "raw_embedding": embedding, "ingest": ingest,
            "ingest_over_parts": ratio, "target": TARGET_RATIO, "met": ratio <= TARGET_RATIO}


def real_markdown(result: dict[str, Any]) -> str:
    p, e, i = result["parsing"], result["raw_embedding"], result["ingest"]
    rows = [
        ("Real corpus", f"{p['files']} files, {p['pages']} pages, {e['passages']:,} passages", "", ""),
        ("Parsing, one core (`parse_file` in turn)",
         f"{p['pages_per_second']:.1f} pages/s ({p['seconds']:.1f} s)", "", ""),
        ("Raw embedding, same passages",
         f"{e['passages_per_second']:.1f} passages/s ({e['seconds']:.1f} s)", "", ""),
        *[(f"Raw embedding, {name} ({m['model_id']})",
           f"{m['passages_per_second']:.1f} passages/s ({m['seconds']:.1f} s)", "", "")
          for name, m in e.get("models", {}).items()],
        ("Whole ingest into an empty index", f"{i['seconds']:.1f} s (parsing {i['parse_seconds']:.1f} s on "
                                             f"{i['workers']} workers)", "", ""),
        ("Whole ingest over parsing + raw embedding", f"{result['ingest_over_parts']:.2f} ×",
         f"≤ {result['target']:.2f} ×", "yes" if result["met"] else "**no**"),
    ]
    lines = ["| measurement | value | target | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    load = result["machine"]["load_average"]
    lines += ["", f"{result['machine']['cpus']} CPU cores (load average {load[0]:.1f} at start, "
                  f"{load[1]:.1f} at end), {result['embedder']}."]
    return "\n".join(lines)
