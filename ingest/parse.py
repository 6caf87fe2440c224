"""`parse_file`: one file in, one Document of citable passages out, or a typed refusal.

Dispatch by extension; every reader yields a `SourceText`, and the same structure recogniser turns
it into passages, so a PDF, its `.txt` twin, a `.md` and a `.docx` give the same paragraphs.
"""

from __future__ import annotations

from pathlib import Path

from boardqa.config import IngestConfig

from .clean import Vocabulary, join_lines
from .corrigendum import correction_passages
from .errors import EmptyFileError, FileTooLargeError, IngestError, NoStructureError, UnsupportedFormatError
from .masthead import FrontLine, read_masthead
from .meta import (
    detect_language,
    document_from_file,
    find_date,
    find_symbol,
    language_hint,
    title_from_lines,
)
from .models import Document
from .split_words import rejoin
from .structure import SourceText, build_passages

SUPPORTED = (".pdf", ".txt", ".md", ".docx")


def parse_file(path: Path, cfg: IngestConfig) -> Document:
    """Read a board document (or a designed report PDF) into a Document; raise an IngestError if refused."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise UnsupportedFormatError(
            path, f"unsupported file type '{ext or '(none)'}': upload a PDF, TXT, MD or DOCX file"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(path, f"cannot read the file: {exc.strerror or exc}") from exc
    if size > cfg.max_file_bytes:
        raise FileTooLargeError(
            path, f"file is too large ({size / 1048576:.1f} MB; the limit is {cfg.max_file_mb:g} MB)"
        )
    if size == 0:
        raise EmptyFileError(path, "the file is empty (0 bytes)")
    try:
        return _parse(path, ext, cfg)
    except IngestError:
        raise
    except MemoryError as exc:
        raise IngestError(path, "ran out of memory while reading the file") from exc
    except RecursionError as exc:
        raise IngestError(path, "the file is malformed (too deeply nested to read)") from exc


def _parse(path: Path, ext: str, cfg: IngestConfig) -> Document:
    pages = 0
    if ext == ".pdf":
        from .pdf import read_pdf

        extracted = read_pdf(path, cfg)
        if isinstance(extracted, Document):
            return extracted
        source, pages = extracted
    elif ext == ".docx":
        from .docx import read_docx

        source = read_docx(path)
    elif ext == ".md":
        from .textfile import read_md

        source = read_md(path)
    else:
        from .report_text import is_report_markup, parse_report_text
        from .textfile import read_text, read_txt

        if is_report_markup(read_text(path)):  # a designed report's text twin: `#` headings, [BOX]
            return parse_report_text(path)
        source = read_txt(path)
    return assemble(path, source, ext.lstrip("."), pages)


def assemble(path: Path, source: SourceText, fmt: str, pages: int) -> Document:
    """Passages plus the document facts read from the masthead."""
    if fmt == "pdf":
        _rejoin_split_words(source)
    vocab = Vocabulary(line.text for line in source.lines)
    def join(a: str, b: str) -> str:
        return join_lines(a, b, vocab)

    passages = build_passages(source, join)
    if not any(p.kind in ("paragraph", "item") for p in passages):
        corrections = correction_passages(source, join)  # a corrigendum lists corrections, not paragraphs
        if not corrections:
            raise NoStructureError(path, "no numbered paragraphs found: "
                                         "this does not look like a board document")
        passages = corrections
    for p in passages:
        p.printed_pages = [source.page_labels[n] for n in p.pages if n in source.page_labels]
    front = next((p for p in passages if p.kind == "front"), None)
    front_lines = front.text.split("\n") if front else []
    # PDF and Word readers see type sizes; a text file's masthead is read from its words alone
    printed = source.masthead or read_masthead([FrontLine(line) for line in front_lines])
    symbol = printed.symbol or find_symbol(front_lines, source.header_lines)
    date = printed.date or find_date(front_lines) or find_date(source.header_lines[:1])
    hint = language_hint(path.name)
    sample = "\n".join(p.text for p in passages[:20])
    language = detect_language(sample, hint)
    title = printed.title or source.title_hint or title_from_lines(front_lines) or path.stem
    return document_from_file(path, kind="board-document", fmt=fmt, title=title, symbol=symbol,
                              language=language, pages=pages, passages=passages, date=date)


def _rejoin_split_words(source: SourceText) -> None:
    """Words the PDF's spacing split, joined in the body lines and the notes alike (`split_words`)."""
    marks = list(source.footnotes)
    texts = rejoin([ln.text for ln in source.lines] + [source.footnotes[m] for m in marks])
    n = len(source.lines)
    for ln, text in zip(source.lines, texts[:n], strict=True):
        ln.text = text
    for m, text in zip(marks, texts[n:], strict=True):
        source.footnotes[m] = text
