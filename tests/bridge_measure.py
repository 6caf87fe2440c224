"""Lexical-only retrieval on the real corpus and the UNPC test set: the old tokeniser (character
bigrams, no stems) against the new one, and the zh->en bridge. A measurement, not a test:

    PYTHONPATH=. python tests/bridge_measure.py [--docs /tmp/real_docs.pkl]

Every PDF under ../shared/corpus/real/{board,reports,parallel} is parsed once (cached in a pickle when
--docs is given); each question of ../shared/eval/real_dev_questions.jsonl ranks all passages by BM25,
and a row is a hit by the rule of ../shared/eval/README.md (index.measure.evaluate.is_hit). UNPC: the
4,000 English test lines are the collection and each Chinese line's query should rank its own line first.
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
from rapidfuzz import fuzz, process

from boardqa.config import IngestConfig
from index.answering.results import Citation
from index.measure.evaluate import is_hit, load_questions
from index.retrieval.bridge import translate_query
from index.retrieval.lexical import LexicalIndex
from index.retrieval.textrep import lexical_text
from ingest.models import Document
from ingest.parse import parse_file

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "corpus" / "real"

# The tokeniser before this one (lower-cased words, CJK unigrams + bigrams), kept here as the baseline.
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_OLD_TOKEN = re.compile(rf"[{_CJK}]+|[0-9]+(?:[.,][0-9]+)*|[^\W_]+", re.UNICODE)
_OLD_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


def old_tokenize(text: str) -> list[str]:
    out: list[str] = []
    for tok in _OLD_TOKEN.findall(unicodedata.normalize("NFKC", text).translate(_OLD_DASHES).lower()):
        if re.fullmatch(rf"[{_CJK}]+", tok):
            out.extend(tok)
            out.extend(tok[i:i + 2] for i in range(len(tok) - 1))
        else:
            out.append(tok)
    return out


def real_documents(cache: Path | None) -> list[Document]:
    if cache and cache.is_file():
        docs: list[Document] = pickle.loads(cache.read_bytes())
        return docs
    cfg = IngestConfig()
    paths = [p for sub in ("board", "reports", "parallel") for p in sorted((REAL / sub).glob("*.pdf"))]
    docs = [parse_file(p, cfg) for p in paths]
    if cache:
        cache.write_bytes(pickle.dumps(docs))
    return docs


def _citation(doc: Document, i: int) -> Citation:
    p = doc.passages[i]
    return Citation(source=doc.source, kind=doc.kind, symbol=doc.symbol, title=doc.title,
                    language=doc.language, paragraph=p.paragraph, heading=p.heading, pages=p.pages,
                    printed_pages=p.printed_pages, score=0.0, text=p.text, locator=p.locator)


class OldIndex:
    def __init__(self, texts: list[str]) -> None:
        self.bm25 = bm25s.BM25()
        self.bm25.index([old_tokenize(t) or ["\u2400"] for t in texts], show_progress=False)

    def correct(self, q: str) -> str:
        """The old spelling correction: a long unknown word becomes the closest indexed word."""
        vocab = self.bm25.vocab_dict
        words = [w for w in vocab if len(w) >= 4 and w.isalpha()]
        out = []
        for tok in _OLD_TOKEN.findall(q.lower()):
            if len(tok) >= 6 and tok.isalpha() and tok not in vocab:
                pool = [w for w in words if w[0] == tok[0] and abs(len(w) - len(tok)) <= 2]
                best = process.extractOne(tok, pool, scorer=fuzz.ratio, score_cutoff=85.0)
                tok = best[0] if best else tok
            out.append(tok)
        return " ".join(out)

    def scores(self, q: str) -> np.ndarray:
        toks = [t for t in old_tokenize(q) if t in self.bm25.vocab_dict]
        return np.asarray(self.bm25.get_scores(toks)) if toks else np.zeros(self.bm25.scores["num_docs"])


def ranks(score: Callable[[str], np.ndarray], questions: list[dict[str, Any]],
          cites: list[Citation]) -> list[int | None]:
    out: list[int | None] = []
    for q in questions:
        s = score(q["q"])
        order = np.argsort(-s, kind="stable")[:50]
        rank = next((k + 1 for k, r in enumerate(order) if s[r] > 0 and is_hit(cites[r], q)), None)
        out.append(rank)
    return out


def recall(rs: list[int | None], k: int) -> float:
    return sum(1 for r in rs if r is not None and r <= k) / max(len(rs), 1)


def unpc(limit: int | None = None) -> tuple[float, float]:
    zh = (REAL / "unpc" / "unpc-testset.zh.txt").read_text(encoding="utf-8").splitlines()[:limit]
    en = (REAL / "unpc" / "unpc-testset.en.txt").read_text(encoding="utf-8").splitlines()[:limit]
    index = LexicalIndex.build(en)
    hit1 = hit5 = 0
    for i, line in enumerate(zh):
        s = index.scores_weighted(translate_query(line))
        if s[i] <= 0:
            continue
        better = int((s > s[i]).sum())
        hit1 += better == 0
        hit5 += better < 5
    return hit1 / len(zh), hit5 / len(zh)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=Path, default=None)
    ap.add_argument("--no-unpc", action="store_true")
    ap.add_argument("--questions", type=Path, action="append",
                    help="question files (default: ../shared/eval/real_dev_questions.jsonl)")
    args = ap.parse_args()
    docs = real_documents(args.docs)
    rows = [(d, i) for d in docs for i in range(len(d.passages))]
    texts = [lexical_text(d, d.passages[i]) for d, i in rows]
    cites = [_citation(d, i) for d, i in rows]
    files = args.questions or [SHARED / "eval" / "real_dev_questions.jsonl"]
    questions = [q for f in files for q in load_questions(f) if q.get("doc")]
    zh = [q for q in questions if q["lang"] == "zh"]
    en = [q for q in questions if q["lang"] != "zh"]
    old, new = OldIndex(texts), LexicalIndex.build(texts)
    print(f"{len(docs)} documents, {len(rows)} passages; "
          f"{len(en)} English, {len(zh)} Chinese answerable questions")
    lines = [
        ("en  old tokeniser", ranks(old.scores, en, cites)),
        ("en  old + spelling", ranks(lambda q: old.scores(old.correct(q)), en, cites)),
        ("en  new tokeniser", ranks(new.scores, en, cites)),
        ("en  new + spelling", ranks(lambda q: new.scores(new.correct(q)), en, cites)),
        ("zh  old tokeniser", ranks(old.scores, zh, cites)),
        ("zh  new tokeniser", ranks(new.scores, zh, cites)),
        ("zh  new + bridge", ranks(lambda q: new.scores_weighted(translate_query(q)), zh, cites)),
    ]
    for name, rs in lines:
        print(f"{name:20s} R@1 {recall(rs, 1):.3f}  R@5 {recall(rs, 5):.3f}  ranks {rs}")
    if not args.no_unpc:
        r1, r5 = unpc()
        print(f"UNPC test zh->en (BM25 over the bridge, 4,000 lines)  R@1 {r1:.3f}  R@5 {r5:.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
