"""Names a question gives that its first hit does not: the tell of a breakdown the papers do not make.

A near miss often asks for a figure the papers give, narrowed to a place or a person they do not give
it for: "of the $26.72 million spent on evaluations, how much in the Africa region?", "涉及也门国家办事处
的有几起？". The passage that gives the total is as close and as well covered as a right answer, so the
ranking cannot tell; what tells is that the passage never names Africa, or Yemen.

What counts as a name is read from CC-CEDICT, not from a list of our own: its proper-noun entries
(capitalised pinyin) are places, people, countries and regions, each with its English name as the first
sense ("Nairobi, capital of Kenya"). A Chinese question's name is a jieba word that is only a proper
noun in the dictionary (也门); an English question's name is a run of capitalised words that one of
those entries names (Kenya, New York, Burkina Faso). Months and weekdays are dates, not names (the
time frame is read elsewhere). A name counts as given when the first hit's text in any language, its
heading or its document's title holds it, in Chinese or in English, inflected or not (Africa, African).
A missing name weighs by how rare it is in the index (`rarity`): one most passages print ("United
Nations" in UN papers) narrows nothing.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from index.retrieval.bridge import cedict_entries, cedict_words
from index.retrieval.lexical import segmenter, tokenize

_NOT_A_NAME = re.compile(r"^(surname|abbr\.|variant|old variant|see |also written|Japanese|used in)", re.I)
_NAME = re.compile(r"([A-Z][a-zA-Z'\-]+)( [A-Z][a-zA-Z'\-]+){0,2}")
_CAPITALISED_RUN = re.compile(r"[A-Z][a-zA-Z'\-]+(?: [A-Z][a-zA-Z'\-]+)*")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WIDEST = 3  # words in an English name ("Trinidad and Tobago" is matched as Trinidad, Tobago)


def _english_names(senses: tuple[str, ...]) -> list[str]:
    """The names a proper-noun entry's senses start with ("Nairobi, capital of Kenya" -> Nairobi;
    "United States", "USA" -> both; "Zizhong county in Neijiang, Sichuan" -> none: what follows a
    sense's first comma places the name, it is not the name)."""
    out = []
    for sense in senses:
        if not _NOT_A_NAME.match(sense):
            head = re.split(r"[,;/]", re.sub(r"\([^)]*\)", "", sense))[0].strip()
            if len(head) > 2 and _NAME.fullmatch(head):
                out.append(head)
    return out


_CALENDAR = {n.lower() for n in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name) if n}


@lru_cache(maxsize=1)
def english_names() -> frozenset[str]:
    """Every English name a CC-CEDICT proper-noun entry gives, lower-cased."""
    out: set[str] = set()
    for word in cedict_words():
        for entry in cedict_entries(word):
            if entry.proper and entry.senses:
                out.update(n.lower() for n in _english_names(entry.senses))
    return frozenset(out - _CALENDAR)


@lru_cache(maxsize=4096)
def chinese_name(word: str) -> tuple[str, ...]:
    """The English names of a Chinese word that the dictionary knows only as a proper noun (也门 ->
    Yemen); none for a common word (资源, though one entry is "Ziyuan county") or an unknown one."""
    entries = cedict_entries(word)
    if len(word) < 2 or not entries or not all(e.proper for e in entries):
        return ()
    names = tuple(n for e in entries for n in _english_names(e.senses))
    return () if any(n.lower() in _CALENDAR for n in names) else names


def question_names(question: str) -> list[tuple[str, ...]]:
    """The names a question gives, each as the forms a text may print it in (Chinese and English)."""
    text = unicodedata.normalize("NFKC", question)
    found: list[tuple[str, ...]] = []
    for run in _CJK_RUN.findall(text):
        for word in segmenter().cut(run, HMM=False):
            names = chinese_name(word)
            if names:
                found.append((word, *names))
    known = english_names()
    for run in _CAPITALISED_RUN.findall(text):
        words = run.split()
        i = 0
        while i < len(words):
            for n in range(min(_WIDEST, len(words) - i), 0, -1):
                name = " ".join(words[i:i + n])
                if name.lower() in known:
                    found.append((name,))
                    i += n
                    break
            else:
                i += 1
    return found


_SUFFIX = "(?:n|an|ian|ese|ish|i|s|'s|a|ia|y)?"  # Kenyan, Italian, Chinese, Yemeni, Arabs; Italian -> Italy
_DEMONYM = re.compile(r"(ian|an|ese|ic)$")


def _pattern(form: str) -> str:
    """A name as English inflects it: Africa, African; Italy, Italian; Arabian, Arab States; never another
    word that starts alike (Geneva is not "general")."""
    words = form.lower().split()
    last = words[-1]
    roots = {last}
    if last[-1] in "aeiouy" and len(last) > 4:
        roots.add(last[:-1])  # Italy -> Ital(ian), China -> Chin(ese)
    m = _DEMONYM.search(last)
    if m and m.start() >= 4:
        roots.add(last[:m.start()])  # Arabian -> Arab
    head = "".join(re.escape(w) + r"\s+" for w in words[:-1])
    alternatives = "|".join(re.escape(r) for r in sorted(roots, key=len, reverse=True))
    return rf"(?<![a-z]){head}(?:{alternatives}){_SUFFIX}(?![a-z])"


def _holds(text: str, forms: tuple[str, ...]) -> bool:
    """Whether lower-cased `text` prints one of the forms of a name."""
    return any(re.search(_pattern(f), text) for f in forms)


def missing_names(question: str, hit_texts: list[str]) -> list[tuple[str, ...]]:
    """The names of the question (each with its forms) that none of the first hit's texts (its language
    versions, heading and document title) holds."""
    hit = unicodedata.normalize("NFKC", " ".join(hit_texts)).lower()
    return [forms for forms in question_names(question) if not _holds(hit, forms)]


def rarity(forms: tuple[str, ...], doc_freq: Callable[[str], int], rows: int) -> float:
    """How much a name narrows a question in this index, from 1 (no row prints it) to 0 (every row does):
    "United Nations" narrows little where most papers are the UN's, Kenya much. A form is as common as
    its rarest word; a name as its commonest form (the one the papers print)."""
    if rows <= 0:
        return 1.0
    df = 0
    for form in forms:
        words = tokenize(form)
        if words:
            df = max(df, min(doc_freq(w) for w in words))
    return 1.0 - math.log1p(df) / math.log1p(rows)
