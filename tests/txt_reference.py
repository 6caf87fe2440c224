"""Reference paragraphs read straight from a corpus `.txt` twin, for comparing parser output."""

from __future__ import annotations

import re
from pathlib import Path

_PARA = re.compile(r"^(\d+)\. (.+)$")
_SUB = re.compile(r"^ {4}\(([a-z])\) (.+)$")
_MARKS = re.compile(r"[*¹²³⁴⁵⁶⁷⁸⁹]")


def normalise(text: str) -> str:
    """Whitespace-insensitive form, footnote marks dropped."""
    return re.sub(r"\s+", " ", _MARKS.sub("", text)).strip()


def reference_paragraphs(txt: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(paragraph number -> text with its sub-items, "14(c)" -> sub-item text)."""
    paras: dict[str, str] = {}
    subs: dict[str, str] = {}
    current = ""
    for line in txt.read_text(encoding="utf-8").split("\n"):
        if re.match(r"^_{5,}$", line):
            break
        m = _PARA.match(line)
        if m:
            current = m.group(1)
            paras[current] = m.group(2)
            continue
        m = _SUB.match(line)
        if m and current:
            subs[f"{current}({m.group(1)})"] = m.group(2)
            paras[current] += f"\n({m.group(1)}) {m.group(2)}"
    return paras, subs
