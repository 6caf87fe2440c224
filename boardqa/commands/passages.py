"""`boardqa passages DOC`: every passage of one document, in order.

A symbol, stem or title names every language version of a paper; `passages` shows one of them: the one
`--lang` asks for, else the one in the user's language (the locale, $LC_ALL / $LC_MESSAGES / $LANG), else
English, else the first; a one-line note on stderr names the other versions and how to pick them.
"""

from __future__ import annotations

import json
import os

import click
from rich import box
from rich.table import Table

from boardqa.commands._storecli import cli_store, store_errors, table_console
from index.retrieval.docref import resolve_documents
from ingest.models import Document


def user_language(env: dict[str, str] | None = None) -> str:
    """The language of the user's locale ("zh_CN.UTF-8" → "zh"); "" when unset or "C"/"POSIX"."""
    env = dict(os.environ) if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            code = value.split(".")[0].split("_")[0].lower()
            return "" if code in ("c", "posix") else code
    return ""


def pick_version(versions: list[Document], lang: str | None, env: dict[str, str] | None = None) -> Document:
    """One language version: `lang`, else the user's language, else English, else the first."""
    by_lang = {d.language: d for d in versions}
    if lang:
        if lang not in by_lang:
            have = ", ".join(sorted(by_lang))
            raise click.ClickException(f"no {lang} version of {versions[0].source}; indexed: {have}")
        return by_lang[lang]
    for want in (user_language(env), "en"):
        if want in by_lang:
            return by_lang[want]
    return versions[0]


@click.command()
@click.argument("doc")
@click.option("--lang", default=None, help="Which language version, when DOC names several (zh, en, …).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--wide", is_flag=True, help="Every column (heading, printed pages), as wide as it needs.")
@click.pass_context
def passages(ctx: click.Context, doc: str, lang: str | None, as_json: bool, wide: bool) -> None:
    """List the passages of DOC (a file name, symbol or title)."""
    with store_errors():
        documents = cli_store(ctx).documents()
        versions = [documents[i] for i in resolve_documents(documents, doc)]
    document = pick_version(versions, lang)
    others = [d for d in versions if d is not document]
    if others and not lang:
        what = "another language version" if len(others) == 1 else "other language versions"
        picks = ", ".join(f"--lang {d.language}" for d in others)
        click.echo(f"{doc}: showing {document.source}; {what}: {picks}", err=True)
    if as_json:
        rows = [{"locator": p.locator, "kind": p.kind, "paragraph": p.paragraph, "heading": p.heading,
                 "pages": p.pages, "printed_pages": p.printed_pages, "text": p.text}
                for p in document.passages]
        click.echo(json.dumps({"source": document.source, "passages": rows}, ensure_ascii=False, indent=2))
        return
    if wide:
        table = Table("locator", "para", "heading", "pages", "printed", "text", title=document.source)
        for p in document.passages:
            table.add_row(p.locator, p.paragraph or "", p.heading, ",".join(map(str, p.pages)),
                          ",".join(p.printed_pages), p.text)
        table_console(wide=True).print(table)
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=document.source)
    table.add_column("locator", overflow="fold", max_width=14)
    table.add_column("pages", no_wrap=True)
    table.add_column("text", overflow="fold", ratio=1)
    for p in document.passages:
        # a report passage is found by its heading path: shown above its text (board papers: the locator)
        text = f"{p.heading}\n{p.text}" if p.heading and document.kind != "board-document" else p.text
        table.add_row(p.locator, ",".join(map(str, p.pages)), text)
    table_console().print(table)
