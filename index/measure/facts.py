"""Answer-fact rate: the share of answerable questions whose answer text holds every `expect` string
(figures, names; case-insensitive) of the question file. Measured two ways, so that a miss can be put on
the right stage:
- end to end: the answer `QAService.ask` gives (retrieval and sentence choice together);
- right passage given: the sentence choice alone, on the gold passage (the evaluation's hit rule), read
  the way `ask` reads its top passage.

    python -m index.measure.facts --config real.toml QUESTIONS.jsonl [...]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.answering.results import Answer
from index.answering.sentences import AnswerSource, Question, clean, reference_text, select
from index.measure.evaluate import is_hit, load_questions
from index.retrieval.lexical import terms
from index.retrieval.reference import parse_reference
from index.retrieval.search import SearchIndex, query_language


def holds(text: str, expect: list[str]) -> bool:
    low = clean(text).lower()
    return all(clean(e).lower() in low for e in expect)


@dataclass(frozen=True)
class FactResult:
    id: str
    lang: str
    expect: tuple[str, ...]
    answer: str
    held: bool


def rate(results: list[FactResult]) -> float:
    return sum(r.held for r in results) / len(results) if results else 0.0


def with_facts(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [q for q in questions if q.get("doc") and q.get("expect")]


def end_to_end(ask: Callable[[str], Answer], questions: list[dict[str, Any]]) -> list[FactResult]:
    out = []
    for q in with_facts(questions):
        a = ask(q["q"])
        out.append(FactResult(q["id"], q.get("lang", ""), tuple(q["expect"]), a.answer,
                              a.found and holds(a.answer, q["expect"])))
    return out


def given_passage(si: SearchIndex, questions: list[dict[str, Any]]) -> list[FactResult]:
    """Sentence choice alone: the answer text `ask` would build were the gold passage its top hit (a
    passage holding the expected facts first when the gold spans several, e.g. a report page)."""
    from index.answering.qa import make_citation

    out = []
    for q in with_facts(questions):
        gold = [r for r in range(len(si.rows)) if is_hit(make_citation(*si.passage(r)), q)]
        if not gold:
            out.append(FactResult(q["id"], q.get("lang", ""), tuple(q["expect"]), "(no gold passage)", False))
            continue
        gold.sort(key=lambda r: (not holds(si.passage(r)[1].text, q["expect"]), r))
        row = gold[0]
        qlang = query_language(q["q"])
        versions = {d.language: p for d, p in map(si.passage, si.group_rows[int(si.row_group[row])])}
        doc, passage = si.passage(row)
        lang = "en" if qlang != "en" and "en" in versions else doc.language
        version = versions[qlang].text if lang != qlang and qlang in versions else None
        source = AnswerSource(versions.get(lang, passage).text, lang, version)
        question = Question.read(q["q"], si.lexical, qlang)
        ref = parse_reference(q["q"])
        if ref is not None:
            named = set(terms(f"{doc.symbol} {doc.title} {doc.source}"))
            focused = any(t not in named for t in terms(ref.rest)) if ref.rest else False
            text = reference_text(question, source, focused)
        else:
            text = select(question, source)
        out.append(FactResult(q["id"], q.get("lang", ""), tuple(q["expect"]), text, holds(text, q["expect"])))
    return out


def _report(name: str, results: list[FactResult], verbose: bool) -> None:
    by_lang: dict[str, list[FactResult]] = {}
    for r in results:
        by_lang.setdefault(r.lang, []).append(r)
    langs = "  ".join(f"{k} {rate(v):.2f} ({len(v)})" for k, v in sorted(by_lang.items()))
    print(f"{name}: {rate(results):.2f} of {len(results)}   {langs}")
    if verbose:
        for r in results:
            if not r.held:
                print(f"  miss {r.id} {list(r.expect)}: {r.answer[:300]!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("questions", nargs="+", type=Path)
    ap.add_argument("--config", default=None)
    ap.add_argument("--given-only", action="store_true", help="skip the end-to-end run (no embedding)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)

    from boardqa.config import load_config
    from index.answering.qa import QAService
    from index.embed import make_embedder
    from index.store import IndexStore

    cfg = load_config(args.config)
    embedder = make_embedder(cfg.index.embedder, cfg.index.model_path, cfg.index.companions)
    version = IndexStore(Path(cfg.index.path)).load_current(embedder.model_id)
    qa = QAService(lambda: version, embedder, cfg)
    for path in args.questions:
        questions = load_questions(path)
        print(f"== {path.name}")
        _report("right passage given", given_passage(qa.index(), questions), args.verbose)
        if not args.given_only:
            _report("end to end", end_to_end(qa.ask, questions), args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
