"""Plain-text and Markdown board documents: blocks separated by blank lines, footnotes after a rule.

A `.txt` holds one paragraph per block ("12. text"), sub-items as "(a) text", footnotes after a line
of underscores ("* text", "¹ text"). Markdown is the same after its markup is stripped: "#" headings,
emphasis, hard line breaks, and `[^id]` footnotes.
"""

from __future__ import annotations

import re
from pathlib import Path

from .clean import superscript_to_ascii
from .errors import EmptyFileError, IngestError
from .meta import title_from_groups
from .structure import Line, SourceText, fn_ref

_RULE = re.compile(r"^\s*(_{5,}|-{5,}|\*{5,})\s*$")
_FOOTNOTE = re.compile(r"^\s*(\*{1,3}|†|‡|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,3}(?=\s))\s*(\S.*)$")
_SUPER_REF = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_STAR_REF = re.compile(r"(?<=[^\s*])(\*{1,3})(?=\s|$|[,.;:)\]，。；：、）\u3400-\u9fff])")
_BODY_START = re.compile(r"^\s*(\d{1,3}\.\s|[IVXL]+\.\s|[一二三四五六七八九十]+\s*[.、．])")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_FN_DEF = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
_MD_FN_REF = re.compile(r"\[\^([^\]]+)\]")
_MD_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_MD_ITALIC = re.compile(r"(?<![\w*])(\*)(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise EmptyFileError(path, "the file is empty")
    for enc in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise IngestError(path, "not UTF-8 text: save the file as UTF-8 and upload it again")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _footnote_marks(defs: list[tuple[str, str]]) -> dict[str, str]:
    return {superscript_to_ascii(mark): text for mark, text in defs}


def _split_footnotes(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Body lines, and the (mark, text) footnotes after the last rule line."""
    for i in range(len(lines) - 1, -1, -1):
        if _RULE.match(lines[i]):
            defs: list[tuple[str, str]] = []
            tail = [ln for ln in lines[i + 1 :] if ln.strip()]
            if not tail or not _FOOTNOTE.match(tail[0]):
                break
            for ln in tail:
                m = _FOOTNOTE.match(ln)
                if m:
                    defs.append((m.group(1), m.group(2).strip()))
                else:
                    mark, text = defs[-1]
                    defs[-1] = (mark, f"{text} {ln.strip()}")
            return lines[:i], defs
    return lines, []


def _mark_refs(text: str, marks: set[str]) -> str:
    text = _SUPER_REF.sub(lambda m: fn_ref(superscript_to_ascii(m.group(0))), text)
    if any(m.startswith("*") for m in marks):
        text = _STAR_REF.sub(lambda m: fn_ref(m.group(1)) if m.group(1) in marks else m.group(1), text)
    return text


def blocks_to_source(blocks: list[list[str]], footnotes: dict[str, str], title: str | None) -> SourceText:
    marks = set(footnotes)
    lines: list[Line] = []
    front_groups: list[list[str]] = []
    in_body = False
    for block in blocks:
        if not in_body and _BODY_START.match(block[0]):
            in_body = True
        if not in_body:
            front_groups.append([_mark_refs(x, marks) for x in block])
        for k, raw in enumerate(block):
            lines.append(Line(_mark_refs(raw.strip(), marks), page=0, hard=(k == 0 or not in_body)))
    if title is None:
        from .structure import take_footnote_refs

        title = title_from_groups([[take_footnote_refs(x)[0] for x in g] for g in front_groups])
    return SourceText(lines=lines, footnotes=footnotes, title_hint=title or None)


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = []
    cur: list[str] = []
    for ln in lines:
        if ln.strip():
            cur.append(ln.rstrip())
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def read_txt(path: Path) -> SourceText:
    lines = read_text(path).split("\n")
    body, defs = _split_footnotes(lines)
    return blocks_to_source(_blocks(body), _footnote_marks(defs), None)


def read_md(path: Path) -> SourceText:
    lines = read_text(path).split("\n")
    defs: list[tuple[str, str]] = []
    body: list[str] = []
    for ln in lines:
        m = _MD_FN_DEF.match(ln.strip())
        if m:
            defs.append((m.group(1), m.group(2).strip()))
        else:
            body.append(ln)
    ids = _md_marks([i for i, _ in defs])
    footnotes = {ids[i]: _md_inline(t) for i, t in defs}
    title: str | None = None
    clean: list[str] = []
    for ln in body:
        if _MD_HEADING.match(ln):
            text = _MD_HEADING.sub("", ln).strip()
            if title is None and ln.startswith("# "):
                title = _md_inline(_MD_FN_REF.sub("", text))
            clean.append("")
            clean.append(text)
            clean.append("")
        elif _RULE.match(ln):
            clean.append("")
        else:
            clean.append(ln.rstrip())
    out: list[str] = []
    for ln in clean:
        ln = _MD_FN_REF.sub(lambda m: fn_ref(ids.get(m.group(1), m.group(1))), ln)
        out.append(_md_inline(ln))
    src = blocks_to_source(_blocks(out), footnotes, title)
    return src


def _md_marks(ids: list[str]) -> dict[str, str]:
    """Markdown footnote ids to marks: numbers stay numbers; a named first note is the asterisk note."""
    marks: dict[str, str] = {}
    used: set[str] = set()
    n = 0
    for k, i in enumerate(ids):
        if i.isdigit():
            marks[i] = str(int(i))
        elif (
            k == 0
            and not any(x.isdigit() and int(x) == 1 for x in ids)
            and i.lower() in {"agenda", "star", "*"}
        ):
            marks[i] = "*"
        else:
            n += 1
            while str(n) in used or str(n) in ids:
                n += 1
            marks[i] = str(n)
        used.add(marks[i])
    return marks


def _md_inline(text: str) -> str:
    text = _MD_LINK.sub(
        lambda m: m.group(2) if m.group(1) == m.group(2) else f"{m.group(1)} ({m.group(2)})", text
    )
    text = _MD_BOLD.sub(r"\2", text)
    text = _MD_ITALIC.sub(r"\2", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    return text.rstrip()
