"""`boardqa ask`: answer one question, or a stream of them (`--jsonl -`), with cited passages."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

import click

from boardqa.cli import UsageLine
from boardqa.commands._qacli import open_service
from bot.console import answer_text
from index.answering.qa import DocumentNotFoundError, QAService


def _question_of(line: str) -> tuple[str, Any]:
    """A JSONL input line: plain text, or a JSON object with a `q` field (its `id` is echoed)."""
    text = line.strip()
    if text.startswith("{"):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON: {exc.msg}") from exc
        q = obj.get("q") if isinstance(obj, dict) else None
        if not isinstance(q, str) or not q.strip():
            raise ValueError("a JSON line needs a non-empty string field 'q'")
        return q, obj.get("id")
    return text, None


def _stream(qa: QAService, src: TextIO, out: TextIO, **opts: Any) -> int:
    """One JSON object per non-empty input line, in order; a bad line gets an error object."""
    failed = 0
    for n, line in enumerate(src, 1):
        if not line.strip():
            continue
        ident = None
        try:
            question, ident = _question_of(line)
            record = qa.ask(question, **opts).to_dict()
        except (ValueError, DocumentNotFoundError) as exc:
            failed += 1
            record = {"question": line.strip(), "error": f"line {n}: {exc}"}
        if ident is not None:
            record = {"id": ident, **record}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if failed else 0


@click.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True,
              help="Print the answer as JSON: `confidence` (0-1) is the fitted probability that the first "
                   "citation answers; each citation's `score` (0-1) the ranker's probability that it is the "
                   "passage that answers.")
@click.option("--jsonl", "jsonl", type=click.File("r", encoding="utf-8"), default=None,
              help="Read questions one per line (text, or JSON with a 'q' field) from a file or '-'; "
                   "write one JSON answer per line.")
@click.option("--top-k", type=click.IntRange(1, 50), default=None, help="Citations to return.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Cite only this language.")
@click.option("--doc", "doc", default=None, help="Cite only this document (file, symbol or title).")
@click.option("--year", type=int, default=None, help="Cite only documents dated this year.")
@click.pass_context
def ask(ctx: click.Context, question: str | None, as_json: bool, jsonl: TextIO | None, top_k: int | None,
        lang: str | None, doc: str | None, year: int | None) -> None:
    """Answer QUESTION from the indexed documents, with cited passages."""
    if question is not None and jsonl is not None:
        raise UsageLine("give either a QUESTION or --jsonl FILE, not both")
    if jsonl is None and not (question or "").strip():
        raise UsageLine('ask needs a question: boardqa ask "How much did the pilot cost?" '
                     "(or --jsonl FILE, '-' for stdin, for one question per line)")
    qa = open_service(ctx)
    opts: dict[str, Any] = {"top_k": top_k, "lang": lang, "doc": doc, "year": year}
    if jsonl is not None:
        ctx.exit(_stream(qa, jsonl, sys.stdout, **opts))
    assert question is not None
    try:
        answer = qa.ask(question, **opts)
    except (ValueError, DocumentNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(answer_text(answer))
