"""Words a PDF's spacing split in two ("infrastructu re", "béné ficié"), joined again.

pypdf puts a space wherever the gap between two drawn pieces of text looks like one; a justified line
or a kerned font can open such a gap inside a word. No gap size tells these apart from real spaces,
but the document itself does: a split is joined only where the whole word is printed elsewhere in the
same document and neither part ever stands as a word of its own there ("the re" stays: "the" is a
word). A tail in capitals is a name's next word ("Access Now"), never a split.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]+")
# addresses glue words together ("creativecommons.org"): they attest no word
_ADDRESS = re.compile(r"\S*(?:https?://|www\.)\S*|\S+@\S+|\S+\.(?:org|com|int|net)\b\S*", re.IGNORECASE)
# two words one space apart, neither joined to more by a hyphen, apostrophe or digit
_PAIR = re.compile(r"(?<![\w\-'’])([^\W\d_]+) ([^\W\d_]+)(?![\w\-'’])")


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(_ADDRESS.sub(" ", text))]


def rejoin(lines: list[str]) -> list[str]:
    """The lines with each split word joined, where the document attests it (module docstring)."""
    counts = Counter(w for line in lines for w in _words(line))
    heads: Counter[str] = Counter()
    tails: Counter[str] = Counter()
    candidates: list[list[tuple[int, str, str]]] = []  # per line, the pairs whose whole word is printed
    for line in lines:
        found = [(at, a, b) for at, a, b in _pairs(line) if b[:1].islower() and counts[(a + b).lower()]]
        for _, a, b in found:
            heads[a.lower()] += 1
            tails[b.lower()] += 1
        candidates.append(found)

    def split(a: str, b: str) -> bool:  # neither part is ever a word of its own here
        return counts[a.lower()] == heads[a.lower()] and counts[b.lower()] == tails[b.lower()]

    out = []
    for line, found in zip(lines, candidates, strict=True):
        for at, _, _ in reversed([c for c in found if split(c[1], c[2])]):
            line = line[:at] + line[at + 1:]
        out.append(line)
    return out


_PAIRS = re.compile(r"(?=" + _PAIR.pattern + ")")


def _pairs(line: str) -> list[tuple[int, str, str]]:
    """(where the space is, word, next word) for every two neighbouring words one space apart,
    overlapping: "a b c" gives a b and b c."""
    return [(m.start() + len(m.group(1)), m.group(1), m.group(2)) for m in _PAIRS.finditer(line)]
