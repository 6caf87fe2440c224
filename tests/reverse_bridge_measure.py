"""English questions about papers indexed only in Chinese, through the whole product: R@1 / R@5 with
the en -> zh bridge (index.retrieval.reverse_bridge) and without it. A measurement, not a test:

    PYTHONPATH=. python tests/reverse_bridge_measure.py ../shared/eval/dev_questions.jsonl \
        tests/data/heldout_questions.jsonl

The synthetic corpus is indexed with the Chinese version only of every paper that has one (its English
version left out) and the other English papers; the questions are the English ones about those papers,
scored by the evaluation rule (index.measure.evaluate.is_hit), which matches either language version.
"""

from __future__ import annotations

import sys
from pathlib import Path

from boardqa.config import Config, IngestConfig
from index.answering.qa import QAService
from index.embed import make_embedder
from index.measure.evaluate import is_hit, load_questions
from index.version import build_version
from ingest.parse import parse_file

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def main(paths: list[str]) -> None:
    zh = sorted((CORPUS / "zh").glob("*.pdf"))
    families = {p.name.split(".")[0] for p in zh}
    en = [p for p in sorted((CORPUS / "en").glob("*.pdf")) if p.name.split(".")[0] not in families]
    cfg = Config()
    embedder = make_embedder(cfg.index.embedder, cfg.index.model_path, cfg.index.companions)
    version = build_version([parse_file(p, IngestConfig()) for p in en + zh], embedder)
    qa = QAService(lambda: version, embedder, cfg)
    si = qa.index()
    zh_only = si.zh_only.copy()
    for path in paths:
        questions = [q for q in load_questions(Path(path))
                     if q.get("lang") == "en" and q.get("doc") in families]
        for mode in ("with the bridge", "without"):
            si.zh_only[:] = zh_only if mode == "with the bridge" else False
            r1 = r5 = 0
            for q in questions:
                hits = [is_hit(c, q) for c in qa.ask(q["q"]).citations[:5]]
                r1 += bool(hits and hits[0])
                r5 += any(hits)
            n = max(1, len(questions))
            print(f"{Path(path).name} ({len(questions)}), {mode}: R@1 {r1 / n:.2f}  R@5 {r5 / n:.2f}")
        si.zh_only[:] = zh_only


if __name__ == "__main__":
    main(sys.argv[1:])
