"""The language a document is written in, among the six official UN languages.

The script decides first (Han → zh, Cyrillic → ru, Arabic → ar); Latin text is English, French or
Spanish by its commonest function words, which differ completely between the three. The file-name
suffix (`.fr.pdf`) is only a tie-breaker: a version's own text is the better witness.
"""

from __future__ import annotations

import re

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to in is that for with on by this are was which be as from have".split()),
    "fr": frozenset("le la les des et du une est dans pour que qui sur par au aux avec ces été".split()),
    "es": frozenset("el los las del y en que por una con para se su al es como sobre fue".split()),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _script_counts(text: str) -> dict[str, int]:
    counts = {"han": 0, "cyrillic": 0, "arabic": 0, "latin": 0}
    for ch in text:
        o = ord(ch)
        if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
            counts["han"] += 1
        elif 0x0400 <= o <= 0x04FF:
            counts["cyrillic"] += 1
        elif 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
            counts["arabic"] += 1
        elif ch.isascii() and ch.isalpha() or 0x00C0 <= o <= 0x024F:
            counts["latin"] += 1
    return counts


def detect_language(text: str, hint: str | None = None) -> str:
    """ISO 639-1 code of the text's language; `hint` (from the file name) breaks ties."""
    counts = _script_counts(text)
    latin = counts["latin"]
    if counts["han"] and counts["han"] * 2 >= latin:
        return "zh"
    if counts["cyrillic"] > latin:
        return "ru"
    if counts["arabic"] > latin:
        return "ar"
    words = [w.lower() for w in _WORD.findall(text)]
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] >= 5 and ranked[0] >= 2 * ranked[1]:
        return best
    if hint and hint not in ("zh", "ru", "ar"):
        return hint
    return best if ranked[0] else "en"
