"""PDF board documents: refuse broken files early, then text per page without headers, footers, footnotes.

Checks run cheapest first (magic bytes, trailer, encryption, page count) so a hostile file is refused
before any page is decoded. What remains of each page is its body lines, tagged with the page index,
with footnote references turned into inline markers and the footnote texts collected.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

from boardqa.config import IngestConfig

from .clean import superscript_to_ascii, tidy
from .corrigendum import is_amendment
from .errors import (
    EncryptedPdfError,
    IngestError,
    NoStructureError,
    NotAPdfError,
    NoTextLayerError,
    TooManyPagesError,
    TruncatedPdfError,
)
from .figures import LineMarks, is_bold_font, page_text
from .furniture import folio_of, is_furniture, strip_furniture
from .marks import superscript as superscript_of
from .masthead import FrontLine, Masthead, masthead_lines, read_masthead
from .models import Document
from .structure import Line, SourceText, fn_ref, has_board_structure
from .xforms import PlacedText

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s+|第\s*)?(\d{1,4}|[ivxlc]{1,6})(?:\s*页)?(?:\s*(?:of|/)\s*\d+)?(?:\s*[-–—])?\s*$",
    re.I,
)
_FN_START = re.compile(r"^\s*(?:(\*{1,3}|[†‡§])\s*|([¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})\.?\s*|(\d{1,3})\s+)(\S.*)$")
_SUPERSCRIPT_DIGITS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_SUPER = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+(?:\s*,\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+)*")  # one mark, or a few: "⁶,⁷"
_MAX_FOOTNOTE_LINES = 5
_REF_PRE_STRONG = re.compile(r"[^\W\d_]|[)\]”’\"%]", re.UNICODE)
_REF_PUNCT = ".,;:。，；："


def read_pdf(path: Path, cfg: IngestConfig) -> Document | tuple[SourceText, int]:
    """A board document's SourceText and page count, or a finished report Document."""
    reader = open_pdf(path, cfg)
    front: list[FrontLine] = []
    marks: list[LineMarks] = []
    texts = extract_pages(path, reader, front, marks)
    source = clean_pages(texts, marks)
    source.masthead = read_masthead(front)
    try:
        source.title_hint = _metadata_title(reader, source) or title_by_font(reader)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - the title is optional; a broken info dict must not refuse the file
        source.title_hint = None
    if not has_board_structure(source) and not is_amendment(source):
        return with_printed_facts(_parse_report(path, reader, cfg), source.masthead)
    return source, len(reader.pages)


def with_printed_facts(doc: Document, printed: Masthead | None) -> Document:
    """A paper read as a report (no numbered paragraphs: an agenda, a corrigendum) keeps its masthead."""
    if printed is None or not printed.symbol:
        return doc
    doc.symbol = printed.symbol
    doc.family = printed.symbol
    doc.amends = printed.amends
    doc.date = printed.date or doc.date
    doc.title = printed.title or doc.title
    return doc


def open_pdf(path: Path, cfg: IngestConfig) -> Any:
    """An opened, decrypted, size-checked `pypdf.PdfReader`, or a typed refusal."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

    with path.open("rb") as fh:
        head = fh.read(1024)
        size = fh.seek(0, 2)
        fh.seek(max(0, size - 8192))
        tail = fh.read()
    if not head:
        raise _empty(path)
    if b"%PDF-" not in head:
        raise NotAPdfError(path, "not a PDF file (no %PDF- header): check the file type")
    if b"%%EOF" not in tail:
        raise TruncatedPdfError(
            path, "the PDF is truncated (no end-of-file marker): upload the complete file"
        )
    try:
        reader = PdfReader(str(path), strict=False)
    except DependencyError as exc:  # pypdf tries the empty password while opening an AES file
        raise _encrypted(path) from exc
    except MemoryError:
        raise
    except PdfStreamError as exc:
        raise TruncatedPdfError(path, f"the PDF is truncated or damaged ({_short(exc)})") from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure on a hostile file is a refusal, not a crash
        raise IngestError(path, f"the PDF is damaged and cannot be read ({_short(exc)})") from exc
    try:
        if reader.is_encrypted:
            try:
                ok = bool(reader.decrypt(""))
            except (DependencyError, FileNotDecryptedError, PdfReadError, NotImplementedError, ValueError):
                ok = False
            if not ok:
                raise _encrypted(path)
        n_pages = len(reader.pages)
    except (IngestError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001
        raise IngestError(path, f"the PDF is damaged and its pages cannot be read ({_short(exc)})") from exc
    if n_pages > cfg.max_pages:
        raise TooManyPagesError(path, f"the PDF has {n_pages} pages; the limit is {cfg.max_pages}")
    if n_pages == 0:
        raise NoTextLayerError(path, "the PDF has no pages")
    return reader


def _encrypted(path: Path) -> IngestError:
    return EncryptedPdfError(path, "the PDF is encrypted (password-protected): upload an unprotected copy")


def _empty(path: Path) -> IngestError:
    from .errors import EmptyFileError

    return EmptyFileError(path, "the file is empty (0 bytes)")


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]


def extract_pages(path: Path, reader: Any, front: list[FrontLine] | None = None,
                  marks: list[LineMarks] | None = None) -> list[str]:
    """pypdf's text of each page; a page that fails is an error, never silently empty.

    When `front` is given it receives page 1's lines with their type size, for the masthead reader;
    `marks` receives, page by page, its bold lines, its lines in smaller type and its tables' rows.
    """
    from pypdf.errors import FileNotDecryptedError

    texts: list[str] = []
    for i, page in enumerate(reader.pages):
        try:
            page_marks = LineMarks()
            text = (_page_one_text(page, front, page_marks) if i == 0 and front is not None
                    else page_text(page, marks=page_marks))
            if marks is not None:
                marks.append(page_marks)
            texts.append((text or "").replace("\r\n", "\n").replace("\r", "\n"))
        except FileNotDecryptedError as exc:
            raise _encrypted(path) from exc
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - a page pypdf cannot decode refuses the file, never a crash
            raise IngestError(path, f"page {i + 1} of the PDF cannot be read ({_short(exc)})") from exc
    if sum(len(t.strip()) for t in texts) < 20:
        raise NoTextLayerError(path, "no text layer: scanned PDF? OCR it first")
    return texts


def _page_one_text(page: Any, front: list[FrontLine], marks: LineMarks | None = None) -> str:
    """Page 1's text, and its lines with type size and weight (superscript marks left out)."""
    chars: list[tuple[str, float, bool]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        scaled = round(size * abs(tm[3] or 1) * abs(cm[3] or 1), 1)
        bold = is_bold_font(font)
        chars.extend((ch, scaled, bold) for ch in text if not ch.isspace())

    text = page_text(page, also=visit, marks=marks)
    pos = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            continue
        kept: list[tuple[str, float | None, bool]] = []
        for ch in raw:
            if ch.isspace():
                kept.append((ch, None, False))
                continue
            ahead = pos
            while ahead < len(chars) and chars[ahead][0] != ch and ahead - pos < 40:
                ahead += 1  # pypdf may drop or reorder a fragment; resynchronise on the next match
            if ahead < len(chars) and chars[ahead][0] == ch:
                kept.append(chars[ahead])
                pos = ahead + 1
            else:
                kept.append((ch, None, False))
        sized = [(sz, b) for _, sz, b in kept if sz is not None]
        weights: Counter[float] = Counter(sz for sz, _ in sized)
        size = weights.most_common(1)[0][0] if weights else 0.0
        line = "".join(_drop_superscript_digits(kept))
        bold = sum(b for _, b in sized) * 2 > len(sized)
        front.append(FrontLine(line, size, bold))
    return text


def _drop_superscript_digits(chars: list[tuple[str, float | None, bool]]) -> list[str]:
    """Leave out footnote numbers set in superscript: digits in type well below the character before."""
    out: list[str] = []
    prev: float | None = None
    for ch, sz, _ in chars:
        if ch in _SUPERSCRIPT_DIGITS:
            continue  # a footnote mark page_text already found by its type
        if ch.isdigit() and sz is not None and prev is not None and sz < prev * 0.75:
            continue  # prev stays the size of the text the mark is attached to
        out.append(ch)
        if sz is not None and not ch.isspace():
            prev = sz
    return out


def _exact(line: str) -> str:
    return re.sub(r"\s+", " ", line.strip()).lower()


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip())).lower()


def clean_pages(texts: list[str], marks: list[LineMarks] | None = None) -> SourceText:
    """Body lines of every page, with running headers, page numbers and footnotes taken out; `marks`:
    each page's bold lines and table rows (`extract_pages`), marked on the lines."""
    pages = [_without_furniture(t.split("\n")) for t in texts]
    if pages:
        pages[0] = _masthead_first(pages[0])
    n = len(pages)
    edge = 3
    need = max(2, math.ceil(n * 0.5))
    top = Counter(k for p in pages for k in {_key(ln) for ln in p[:edge]})
    bottom = Counter(k for p in pages for k in {_key(ln) for ln in p[-edge:]})
    # Facing pages carry different running heads ("Part IV …" on even pages, "Section 15 …" on odd ones):
    # the same words on three quarters of the pages of one side are a running head too.
    sides = [pages[start::2] for start in (0, 1)]
    side_top = [Counter(k for p in side for k in {_exact(ln) for ln in p[:edge]}) for side in sides]
    # A running head may run past `edge` lines (a resolution's short title over four lines, the symbol
    # beside its last line, then the page number): below the top lines it goes on while its lines
    # repeat word for word on the pages (or one side's pages), or a page number closes it.
    head_depth = 8
    deep_top = Counter(k for p in pages for k in {_exact(ln) for ln in p[:head_depth]})
    side_deep = [Counter(k for p in side for k in {_exact(ln) for ln in p[:head_depth]}) for side in sides]

    def head_goes_on(line: str, idx: int) -> bool:
        side = (idx - 1) % 2
        if _is_body_start(line):
            return False
        return (bool(_PAGE_NUMBER.match(line)) or deep_top[_exact(line)] >= need
                or side_deep[side][_exact(line)] >= side_need[side])
    side_bottom = [Counter(k for p in side for k in {_exact(ln) for ln in p[-edge:]}) for side in sides]
    side_need = [max(3, math.ceil(len(side) * 0.75)) if len(side) >= 4 else n + 1 for side in sides]

    def repeated(counter: Counter[str], side_counter: list[Counter[str]], line: str, idx: int) -> bool:
        side = (idx - 1) % 2
        return counter[_key(line)] >= need or side_counter[side][_exact(line)] >= side_need[side]

    header_lines: list[str] = []
    labels: dict[int, str] = {}
    bodies: list[list[str]] = []
    for idx, lines in enumerate(pages, start=1):
        lines = list(lines)
        # running header: lines at the top repeated on most pages
        cut = 0
        for j, ln in enumerate(lines[:edge]):
            if n >= 2 and repeated(top, side_top, ln, idx) and not _is_body_start(ln):
                cut = j + 1
        while n >= 2 and cut >= edge and cut < min(len(lines), head_depth) and head_goes_on(lines[cut], idx):
            cut += 1
        for ln in lines[:cut]:
            if not _PAGE_NUMBER.match(ln):
                header_lines.append(ln.strip())
        head_numbers = [ln for ln in lines[:cut] if _PAGE_NUMBER.match(ln)]
        lines = lines[cut:]
        # footer: repeated lines and the page number at the bottom
        while lines:
            last = lines[-1]
            if _PAGE_NUMBER.match(last) and idx not in labels:
                labels[idx] = _PAGE_NUMBER.match(last).group(1)  # type: ignore[union-attr]
                lines.pop()
            elif (n >= 2 and repeated(bottom, side_bottom, last, idx) and len(lines) > 1
                  and not _is_body_start(last)):
                lines.pop()
            else:
                break
        if idx not in labels and lines and _PAGE_NUMBER.match(lines[0]):
            labels[idx] = _PAGE_NUMBER.match(lines.pop(0)).group(1)  # type: ignore[union-attr]
        elif idx not in labels and head_numbers:
            labels[idx] = _PAGE_NUMBER.match(head_numbers[0]).group(1)  # type: ignore[union-attr]
        bodies.append(lines)
    footnotes: dict[str, str] = {}
    next_number = 1
    for i, lines in enumerate(bodies):
        small = marks[i].small if marks and i < len(marks) else None
        body, notes = _split_footnotes(lines, next_number, small)
        for mark, text in notes:
            footnotes[mark] = text
            if mark.isdigit():
                next_number = int(mark) + 1
            prev = bodies[i - 1] if i else []
            if not _mark_reference(body, mark) and not _mark_reference(prev, mark):
                if body:
                    body[-1] = body[-1] + fn_ref(mark)
        bodies[i] = body
    out: list[Line] = []
    for i, body in enumerate(bodies, start=1):
        page_marks = marks[i - 1] if marks and i <= len(marks) else LineMarks()
        for ln in body:
            text = _SUPER.sub(_superscript_refs, ln.rstrip("\n"))
            out.append(Line(text, page=i, hard=False, bold=ln.strip() in page_marks.bold,
                            row=ln.strip() in page_marks.rows))
    return SourceText(lines=out, footnotes=footnotes, header_lines=_dedupe(header_lines), page_labels=labels)


def _superscript_refs(m: re.Match[str]) -> str:
    return "".join(fn_ref(superscript_to_ascii(mark.strip())) for mark in m.group(0).split(","))


def _without_furniture(lines: list[str]) -> list[str]:
    """Non-blank lines, job numbers and barcodes left out (a footer's page number is kept on its own)."""
    out: list[str] = []
    for ln in lines:
        if is_furniture(ln):
            folio = folio_of(ln)
            if folio:
                out.append(folio)
            continue
        ln = strip_furniture(ln)
        if ln.strip():
            out.append(ln)
    return out


def _dedupe(items: list[str]) -> list[str]:
    seen: list[str] = []
    for it in items:
        if it not in seen:
            seen.append(it)
    return seen


def _masthead_first(lines: list[str]) -> list[str]:
    """Page 1 with its masthead block on top: some PDFs draw it last, after the text and the page's
    footnotes ("… 2006 года. * Настоящий документ … Организация Объединенных Наций A/HRC/…")."""
    span = masthead_lines(lines)
    first_body = next((i for i, ln in enumerate(lines) if _is_body_start(ln)), None)
    if span and first_body is None and min(span) > 0 and max(span) == len(lines) - 1:
        first_body = 0  # a first page with no numbered paragraph, its masthead drawn at the end
    if not span or first_body is None or min(span) < first_body:
        return lines
    return [lines[i] for i in sorted(span)] + [ln for i, ln in enumerate(lines) if i not in span]


def _is_body_start(line: str) -> bool:
    return bool(re.match(r"^\s*(\d{1,3}\.\s|\([a-z]\)\s)", line))


def _rank(mark: str) -> float:
    if mark.isdigit():
        return float(int(mark))
    return {"*": 0.0, "**": 0.1, "***": 0.2, "†": 0.3, "‡": 0.4, "§": 0.5}.get(mark, 0.6)


def _split_footnotes(lines: list[str], next_number: int,
                     small: set[str] | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """Find the footnote block at the foot of a page: marks in order, each cited in the text above.

    A block is looked for a few lines up; when every line so far is set in a note's smaller type
    (`small`), on up to a mark printed raised: a long note (a table's notes a/ to e/) is still one."""
    starts: list[tuple[int, str, str]] = []  # (line index, mark, first text line), bottom-up
    pending = 0
    note_type = small is not None  # every line since the last start accepted is in the smaller type
    for i in range(len(lines) - 1, 0, -1):
        m = _FN_START.match(lines[i])
        accepted = False
        beyond = pending > _MAX_FOOTNOTE_LINES  # past the usual reach: only a raised mark will do
        if m and (not beyond or m.group(2)):
            mark = m.group(1) or superscript_to_ascii(m.group(2) or "") or m.group(3)
            text = m.group(4)
            below = starts[-1][1] if starts else None
            if mark.isdigit():
                num = int(mark)
                ok = next_number <= num < next_number + 20
                if below is not None:
                    ok = ok and below.isdigit() and int(below) == num + 1
            else:
                ok = below is None or _rank(mark) < _rank(below)
            if ok and _find_reference(lines[:i], mark) is not None:
                starts.append((i, mark, text))
                pending = 0
                note_type = small is not None
                accepted = True
        if not accepted:
            pending += 1
            note_type = note_type and lines[i].strip() in (small or set())
            if pending > _MAX_FOOTNOTE_LINES and not note_type:
                break
    if not starts:
        return lines, []
    starts.reverse()
    top = starts[0][0]
    notes: list[tuple[str, str]] = []
    bounds = [s[0] for s in starts] + [len(lines)]
    for k, (i, mark, text) in enumerate(starts):
        parts = [text.strip()] + [ln.strip() for ln in lines[i + 1 : bounds[k + 1]]]
        joined = ""
        for part in parts:
            joined = _join_note(joined, part)
        notes.append((mark, joined))
    return lines[:top], notes


def _join_note(a: str, b: str) -> str:
    from .clean import join_lines

    return join_lines(a, b) if a else b


def _find_reference(lines: list[str], mark: str) -> tuple[int, int, int] | None:
    """(line, start, end) of the reference to `mark` in the text, best candidate first."""
    best: tuple[int, int, int, int] | None = None  # (score, line, start, end)
    raised = superscript_of(mark) if mark.isdigit() else ""
    for li, line in enumerate(lines):
        if raised:  # the mark as its type printed it (ingest.marks): no better evidence
            m = re.search(rf"(?<![{_SUPERSCRIPT_DIGITS}]){raised}(?![{_SUPERSCRIPT_DIGITS}])", line)
            if m:
                return li, m.start(), m.end()
        if mark.isdigit():
            for m in re.finditer(rf"(?<=[^\s\d/\-])({mark})(?!\d)", line):
                score = _digit_ref_score(
                    line, m.start(1), m.end(1), lines[li + 1] if li + 1 < len(lines) else ""
                )
                if score and (best is None or score > best[0]):
                    best = (score, li, m.start(1), m.end(1))
            # a superscript mark that pypdf set off with a space, closing a sentence at the line's end
            # ("… (see table 1). 1"): weaker than a mark stuck to its word
            loose = re.search(rf"[.;:,)\]”’]\s+({mark})\s*$", line)
            if loose and (best is None or best[0] < 1):
                best = (1, li, loose.start(1), loose.end(1))
        else:
            for m in re.finditer(rf"(?<=[^\s*])({re.escape(mark)})(?![*])", line):
                score = 3
                if best is None or score > best[0]:
                    best = (score, li, m.start(1), m.end(1))
                break
        if best is not None and best[0] >= 3:
            break
    return None if best is None else best[1:]


def _digit_ref_score(line: str, start: int, end: int, next_line: str) -> int:
    """How much a digit looks like a footnote reference stuck to the text (0 = not at all)."""
    token_start = line.rfind(" ", 0, start) + 1
    token = line[token_start : line.find(" ", end) if " " in line[end:] else len(line)]
    if "://" in token or token.startswith("www.") or "/" in token:
        return 0
    if not line[:token_start].strip() and re.fullmatch(r"(?:\d{1,2}|[A-Z])\.\d{1,3}", token):
        return 0  # a decimal paragraph number ("15.3") opening its line is never a footnote reference
    pre = line[start - 1]
    after = line[end:]
    follows_space = after == "" or after[0].isspace()
    follows_punct = bool(after) and after[0] in ",;:.)]”’。，；："
    if not (follows_space or follows_punct):
        return 0
    rest = after.lstrip() or next_line.lstrip()
    sentence_next = not rest or rest[0].isupper() or "\u4e00" <= rest[0] <= "\u9fff"
    if pre in _REF_PUNCT:
        before = line[start - 2] if start >= 2 else " "
        if before.isdigit():
            return 2 if follows_space and sentence_next else 0
        if _REF_PRE_STRONG.match(before) or "\u4e00" <= before <= "\u9fff":
            return 3 if follows_space else 1
        return 0
    if _REF_PRE_STRONG.match(pre) or "\u4e00" <= pre <= "\u9fff":
        if pre.isalpha() and pre.isascii() and token[: start - token_start].isupper():
            return 0  # part of a code such as "A1" or "SDG11"
        return 3 if follows_space else 1
    return 0


def _mark_reference(lines: list[str], mark: str) -> bool:
    found = _find_reference(lines, mark)
    if found is None:
        return False
    li, start, end = found
    lines[li] = lines[li][:start] + fn_ref(mark) + lines[li][end:]
    return True


def _parse_report(path: Path, reader: Any, cfg: IngestConfig) -> Document:
    try:
        from .report import parse_report
    except ImportError as exc:
        raise NoStructureError(
            path, "no numbered paragraphs found, and designed reports cannot be read yet"
        ) from exc
    doc: Document = parse_report(path, reader, cfg)
    return doc


def _metadata_title(reader: Any, source: SourceText) -> str | None:
    """The PDF's /Title when the first page really shows it (many PDFs carry a stale or empty one)."""
    meta = reader.metadata
    title = str(meta.get("/Title") or "").strip() if meta else ""
    if len(title) < 8:
        return None
    squash = re.compile(r"[\s\-\u00ad]+")
    front = squash.sub("", "".join(ln.text for ln in source.lines[:60])).lower()
    return title if squash.sub("", title).lower() in front else None


def title_by_font(reader: Any) -> str | None:
    """The run of largest type on page 1 above paragraph 1 (a masthead symbol does not count)."""
    from .meta import SYMBOL, joined_title

    frags: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        text = text.strip()
        if text:
            frags.append((round(size * abs(tm[3] or 1) * abs(cm[3] or 1), 1), text))

    PlacedText(reader.pages[0]).extract(visitor_text=visit)
    end = next((i for i, (_, t) in enumerate(frags) if re.match(r"^1\.(\s|$)", t)), len(frags))
    front = [(sz, t) for sz, t in frags[:end] if not SYMBOL.fullmatch(t) and len(t) > 1]
    body = sorted(sz for sz, _ in frags[end:]) or sorted(sz for sz, _ in front)
    if not front or not body:
        return None
    top = max(sz for sz, _ in front)
    if top < body[len(body) // 2] + 1:
        return None
    first = next(i for i, (sz, _) in enumerate(front) if sz == top)
    run: list[str] = []
    for sz, t in front[first:]:
        if sz != top:
            break
        run.append(t)
    return tidy(joined_title(run)) or None
