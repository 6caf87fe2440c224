"""The answer text: the sentence or two of the top passages that hold what the question asks, or a plain
"not found" in the question's language.

A passage is cleaned (footnote marks, paragraph numbers of merged paragraphs, no-break spaces), split
into whole sentences, and each sentence is scored by two things a reader would look for:
- the question's content words it holds (idf-weighted, matched on index tokens; a Chinese question's
  words and numbers also carried into English by index.retrieval.bridge), and
- whether it holds the kind of fact asked: a sum of money for "how much", a percentage for "what share",
  a number for "how many" (not one that names: "decision 2022/13", grade "P-5", "a third-party
  review"), an ordinal for "what rank" / "第几", a date or a span ("five-year terms") for "when", a
  name for "who" / "which country" / "where", what is recommended or requested for "what did they
  recommend".
The best sentence is kept; a second one of the same passage is added when it brings what the first
lacks (the other part of a two-part question, more of its words), and a sentence that opens with "It" /
"This" / "此" is shown after the one it continues. Text is shortened only between sentences or
sub-items, never inside a word, and the cut is marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from index.retrieval.bridge import translate_query
from index.retrieval.lexical import LexicalIndex, is_cjk, terms, tokenize
from index.retrieval.search import query_language

NOT_FOUND = "The indexed documents do not answer this."
_NOT_FOUND = {
    "en": NOT_FOUND,
    "zh": "已索引的文件没有回答这个问题。",
    "fr": "Les documents indexés ne répondent pas à cette question.",
    "ru": "Проиндексированные документы не отвечают на этот вопрос.",
    "es": "Los documentos indexados no responden a esta pregunta.",
}
_NOT_FOUND_LABEL = {"en": "Not found.", "zh": "未找到。", "fr": "Introuvable.", "ru": "Не найдено.",
                    "es": "No encontrado."}
CUT = "[…]"  # where a shortened text leaves off: always between sentences or sub-items

# -- cleaning and splitting -------------------------------------------------------------------------

_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
# A footnote mark left in running text: "Strategic Plan,5 the Office", "(ECOSOC).3 Expected".
_MARK_AFTER_COMMA = re.compile(r"(?<=[A-Za-z)\]’”\"][,;:])\d{1,3}(?=\s)")
_MARK_AFTER_STOP = re.compile(r"(?<=[A-Za-z)\]’”\"]\.)\d{1,3}(?=\s+[\"“(]?[A-Z])")
# The number of a paragraph that the parser ran into its predecessor: "… 2025. 44 With that …".
_PARA_PREFIX = re.compile(r"^\d{1,3}(?:\.\d{1,2})?\.?\s+(?=[\"“(]?[A-Z])")
_EN_SENT = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9(])")
_ZH_SENT = re.compile(r"(?<=[。！？；])")
_ABBREV = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|No|Nos|no|nos|para|paras|Para|Paras|Mr|Mrs|Ms|Dr|St|Art|Vol|Rev|Corr|Add|approx|"
    r"cf|vs|chap|Fig|fig|p|pp|Inc|Ltd|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N)"
    r"|\b[A-Z])\.$"
)


def clean(text: str) -> str:
    """Text as a reader should see it: no footnote marks in running text, plain spaces."""
    text = text.translate(_SPACES)
    text = _MARK_AFTER_COMMA.sub("", text)
    return _MARK_AFTER_STOP.sub("", text)


_WRAPPED = re.compile(r"[a-z,]$")  # a line that stops mid-sentence …
_GOES_ON = re.compile(r"^[a-z$€£0-9]")  # … and the line that carries it on


def lines(text: str) -> list[str]:
    """The cleaned lines of a passage (sub-items "(a) …" stay apart), with lines that the layout broke
    inside a sentence joined again."""
    out: list[str] = []
    for raw in clean(text).split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        if out and (line[0].islower() or (_WRAPPED.search(out[-1]) and _GOES_ON.match(line))):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def split_sentences(text: str) -> list[str]:
    """Whole sentences of a passage: Chinese on 。！？；, English on . ! ? before a capital or digit (not on
    ";", which joins the items of one list), never after an abbreviation ("e.g.", "No.", "U.S.") or
    inside a number ("7.4", "$14.03 million"). Each line (a sub-item "(a) …") is at least one sentence."""
    out: list[str] = []
    for line in lines(text):
        parts: list[str] = []
        for chunk in _ZH_SENT.split(line):
            for piece in _EN_SENT.split(chunk):
                if parts and _ABBREV.search(parts[-1]):
                    parts[-1] = f"{parts[-1]} {piece}"
                else:
                    parts.append(piece)
        out.extend(_PARA_PREFIX.sub("", p.strip()) for p in parts if p.strip())
    return [s for s in out if s]


def join(sentences: Iterable[str]) -> str:
    """Sentences back into text: Chinese ones run on, others take a space."""
    text = ""
    for s in sentences:
        run_on = bool(text) and (is_cjk(text[-1]) or text[-1] in "。！？；：")
        text = s if not text else (text + s if run_on else f"{text} {s}")
    return text


def shorten(text: str, max_chars: int) -> str:
    """`text` if it fits, else as many whole sentences (or sub-item lines) from its start as fit, with the
    cut marked; a first sentence longer than the limit is kept whole rather than cut inside."""
    text = clean(text).strip()
    if len(text) <= max_chars:
        return text
    kept: list[str] = []
    size = 0
    for line in lines(text):
        sents = split_sentences(line)
        for si, s in enumerate(sents):
            extra = len(s) + 1
            if kept and size + extra > max_chars:
                rest_of_line = si > 0
                tail = f" {CUT}" if rest_of_line else f"\n{CUT}"
                return "\n".join(kept) + tail
            if si == 0:
                kept.append(s)
            else:
                kept[-1] = join([kept[-1], s])
            size += extra
    return "\n".join(kept)


# -- what the question asks for ---------------------------------------------------------------------

_ASKS: dict[str, re.Pattern[str]] = {
    "money": re.compile(
        r"\bhow much\b(?!\s+(?:time|longer|more\s+time|of\b))"
        r"|\bwhat\s+(?:was|is|were|are|will\s+be)?\s*(?:the\s+)?(?:amount|sum|cost|budget|price|value|size)\b"
        r"|多少钱|金额|(?:资金|预算|费用|经费|美元|欧元|节省|节约|规模|收入|捐款|供资|拨款|资源).{0,12}(?:多少|多大|几)"
        r"|(?:多少|多大).{0,6}(?:资金|预算|费用|经费|美元|欧元|钱)"
    ),
    "percent": re.compile(
        r"\bwhat\s+(?:share|percentage|proportion|portion|fraction|rate|ratio)\b|%|\bper\s?cent\b|"
        r"\bpercent(?:age)?\b|\bshare\b|\bproportion\b|\brate\b"
        r"|比例|占比|百分之|百分比|比率|比重|份额|率"
    ),
    "count": re.compile(
        r"\bhow many\b|\bnumber of\b|\bhow (?:big|large|long|far|close|good|well)\b"
        r"|\bcompared\s+(?:with|to)\b|\bvs\.?\s|\bversus\b|\bcap\b|\blimit\b|\btarget\b|\bto what\b"
        r"|多少|几个|几名|几项|几家|几位|多大|多长|多久"
    ),
    "rank": re.compile(r"\bwhat\s+rank|\branked?\b|\branking\b|第几|排名|排第"),
    "date": re.compile(
        r"\bwhen\b|\bwhat\s+(?:year|date|month|time)\b|\bby when\b|\bdeadline\b|\btimeline\b|\bhow long\b"
        r"|什么时候|何时|哪一年|哪年|何年|几月|日期|期限|多久|多长时间|时间"
    ),
    "name": re.compile(
        r"\bwho\b|\bwhom\b|\bwhose\b|\bwhich\s+(?:office|body|bodies|organi[sz]ations?|entity|entities|"
        r"agency|agencies|unit|committee|group|division|department|partners?|fund|programme)\b"
        r"|谁|哪个机构|哪些机构|哪个部门|哪个办公室|什么机构|哪个组织|哪些组织|哪一机构"
    ),
    "advice": re.compile(
        r"\brecommend(?:s|ed|ation|ations)?\b|\badvi[sc]e[sd]?\b|\bsuggest(?:s|ed|ion|ions)?\b"
        r"|\bcall(?:s|ed)? (?:for|on|upon)\b|\burge[sd]?\b|\bwhat did .{0,40}\bwant\b|建议|要求|呼吁|敦促"
    ),
    "place": re.compile(
        r"\bwhere\b|\bwhich\s+(?:country|countries|city|cities|region|regions|location|nation|place)\b"
        r"|\bin what (?:country|city|region)\b"
        r"|哪里|哪儿|何处|什么地方|哪个国家|哪国|哪些国家|哪个城市|哪个地区|哪一个国家"
    ),
}
_MONEY = re.compile(
    r"(?:[$€£¥]|\b(?:USD|US\$|EUR|CHF|GBP|JPY)\s?)\s?\d|\d(?:[\d,.]*\d)?\s*(?:thousand|million|billion|"
    r"trillion)?\s*(?:dollars|euros|francs)\b|\d\s*(?:万|亿)?\s*(?:美元|欧元|瑞士法郎)"
)
_PERCENT = re.compile(
    r"\d\s*(?:per\s?cent|percent|%)|百分之|\b(?:one|two)[- ](?:third|half|quarter)s?\b|\bhalf\b|\bthird\b|"
    r"\bquarter\b|\bfold\b|\bdoubled\b|\btripled\b|成"
)
_ORDINAL = (r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
            r"(?:thir|four|fif|six|seven|eigh|nine)teenth|(?:twen|thir|for|fif|six|seven|eigh|nine)tieth")
_MONTHS = (r"January|February|March|April|May|June|July|August|September|October|November|December")
_DAY = re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+\d{{1,2}}\b")
_NUMBER_WORD = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                r"twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|dozen|dozens|million|billion")
_COUNT = re.compile(
    rf"\b\d{{1,3}}(?:,\d{{3}})+\b|\b(?!(?:19|20)\d\d\b)\d+(?:\.\d+)?\b|\b(?:{_NUMBER_WORD})\b"
    r"|[一二三四五六七八九十百千万亿两]+\s*(?:个|名|项|家|位|次|倍)|\d+\s*(?:个|名|项|家|位|次|倍)"
)
# A rank or an ordinal: what "what rank" / "第几" asks, and not a count ("a third-party review").
_RANK = re.compile(
    rf"\b\d+(?:st|nd|rd|th)\b|\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?(?:{_ORDINAL})\b"
    r"|\branked\b|\branks\b|\btop\s+\d+|第[一二三四五六七八九十百\d]+"
)
# A number that names rather than counts: a symbol or decision ("2022/13", "79/214"), a grade ("P-5",
# "D-1"), an article, paragraph, section or item ("Art. 60.2", "paragraph 12").
_NAMING_NUMBER = re.compile(
    r"\b\d{1,4}/\d{1,4}\b|\b[A-Z]{1,2}-\d{1,2}\b"
    r"|\b(?:[Aa]rt|[Aa]rticles?|[Pp]aras?|[Pp]aragraphs?|[Ss]ections?|[Cc]hapters?|[Ii]tems?|[Dd]ecisions?|"
    r"[Rr]esolutions?|[Aa]nnex|[Tt]ables?|[Ff]igures?|[Bb]ox)\.?\s+\d+(?:[./]\d+)*(?:\s*\([a-z]\))?"
)
_ADVICE = re.compile(
    r"\brecommend(?:s|ed)? (?:that|the|to|a|an)\b|\bshould\b|\bcall(?:s|ed)? (?:for|on|upon)\b|\burge[sd]?\b|"
    r"\brequest(?:s|ed)?\b|\bencourage[sd]?\b|\binvite[sd]?\b|\bsuggest(?:s|ed)? (?:that|the)\b"
    r"|建议|要求|呼吁|敦促"
)
_DATE = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    rf"December)\b|\bquarter\b|\b(?:\d+|{_NUMBER_WORD})[\s-]+(?:years?|months?|weeks?|days?|hours?)\b"
    r"|\d{4}\s*年|\d{1,2}\s*月"
)
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][A-Za-z’'-]+")


def asked_kinds(question: str) -> list[str]:
    """The kinds of fact the question asks for, in a fixed order ("money", "percent", "count", "rank", "date",
    "name", "advice", "place"); a question may ask several ("how much … and what share …")."""
    q = question if any(is_cjk(ch) for ch in question) else question.lower()
    kinds = [k for k, pat in _ASKS.items() if pat.search(q)]
    if "money" in kinds and "count" in kinds and re.search(r"how much|钱|金额|资金|预算|费用|经费", q) \
            and not re.search(r"how many|多少个|几个|多少名|几名|第几", q):
        kinds.remove("count")  # "how much money": a sum, not a count
    return kinds


def question_parts(question: str) -> int:
    """How many things the question asks at once: two questions in one ("…？…多少？", "…, and what …")."""
    zh = len(re.findall(r"[？?]", question))
    joined = len(re.findall(r"(?:\band|,|\s[+&])\s+(?:(?:to|in|by|for|of|at|from|since)\s+)?"
                            r"(?:what|how|which|who|when|where)\b|\bcompared\s+(?:with|to)\b|"
                            r"\bvs\.?\b|\bbefore\b|\bversus\b|(?:和|与)[^，。？?]{0,20}相比|和|与|相比|还差|差多少",
                            question.lower()))
    return max(1, zh, 1 + joined)


def _holds(kind: str, sentence: str, question_words: set[str]) -> bool:
    if kind == "money":
        return bool(_MONEY.search(sentence))
    if kind == "percent":
        return bool(_PERCENT.search(sentence))
    if kind == "count":  # a day of the month is part of a date, not a count
        return bool(_COUNT.search(_NAMING_NUMBER.sub(" ", _DAY.sub(" ", sentence))))
    if kind == "rank":
        return bool(_RANK.search(sentence))
    if kind == "advice":
        return bool(_ADVICE.search(sentence))
    if kind == "date":
        return bool(_DATE.search(sentence))
    # a name or place the question does not already hold
    return any(not set(tokenize(m.group(0))) <= question_words for m in _CAPITAL.finditer(sentence))


FACT_KINDS = ("money", "percent", "count", "rank", "date")  # what a passage states or not, as a reader checks


def states_none_asked(question: str, texts: Iterable[str]) -> bool:
    """True when the question asks for a figure or date (how much, what share, how many, when) and no
    sentence of `texts` holds one of the kinds asked: the passage is about the topic but cannot be the
    answer, the usual shape of a near-miss question ("the budget of a programme the papers never cost")."""
    kinds = [k for k in asked_kinds(question) if k in FACT_KINDS]
    if not kinds:
        return False
    words = set(tokenize(question))
    sentences = [s for t in texts for s in split_sentences(t)]
    return not any(_holds(k, s, words) for k in kinds for s in sentences)


# -- choosing the sentences -------------------------------------------------------------------------

KIND_WEIGHT = 0.5  # holding the asked kind of fact counts as much as half the question's vocabulary
MIN_GAIN = 0.15  # what a second sentence must add (share of the question's vocabulary, or a kind asked)
MAX_CHARS = 600
_CONTINUES = re.compile(
    r"^(?:It|Its|This|These|That|Those|They|Their|Such|The latter|The former|He|She|In addition|"
    r"Moreover|Furthermore|However|Also|Further|Of these|Of this|Of that|Of those|In turn)\b"
    r"|^(?:此|这|该|其|此外|但|然而|另外|同时)"
)


@dataclass(frozen=True)
class AnswerSource:
    """A passage offered to the answer: its text and language, and the same passage in the question's
    language when that version is indexed (shown after it). For a question in another language than
    English, the passage is the English version when one is indexed: the original wording, where a
    reader checks the figures, with the question's language beside it."""

    text: str
    language: str
    version: str | None = None


@dataclass(frozen=True)
class Question:
    """What the selection reads from a question: its weighted terms, the kinds of fact asked, its parts."""

    terms: dict[str, float]
    kinds: tuple[str, ...]
    parts: int
    language: str

    @classmethod
    def read(cls, question: str, lexical: LexicalIndex, language: str) -> Question:
        """The question's content terms weighted by their idf in the corpus (misspelt words corrected
        first); a Chinese question also carries its words and numbers into English tokens
        (index.retrieval.bridge), each at its bridge weight times its idf."""
        weights: dict[str, float] = {}
        text = lexical.correct(question) if language != "zh" else question
        asking = _asking_words()
        for t in terms(text):
            if t not in asking:
                weights[t] = lexical.idf(t)
        if language == "zh":
            for t, w in translate_query(question):
                if t in terms(t):  # English function words carry nothing
                    weights[t] = weights.get(t, 0.0) + w * lexical.idf(t)
        for t in [t for t in weights if re.fullmatch(r"\d[\d.]*-\d[\d.]*", t)]:
            for part in (t, *t.split("-")):  # "2026-2029" is one term, though it is three tokens
                if part in weights:
                    weights[part] /= 3
        kept = {t: w for t, w in weights.items() if w > 0}
        return cls(kept, tuple(asked_kinds(question)), question_parts(question), language)


@lru_cache(maxsize=1)
def _asking_words() -> frozenset[str]:
    """Words that ask rather than say what about ("how many", "what does … say"): they match nothing."""
    return frozenset(tokenize(
        "how many much what which who whom whose when where why whether did does do say says said tell "
        "according roughly approximately exactly really actually please"))


def _stems(text: str) -> set[str]:
    return set(tokenize(text))


class _Scorer:
    def __init__(self, q: Question, terms: dict[str, float]) -> None:
        self.q = q
        self.terms = terms
        self.total = sum(terms.values()) or 1.0
        self.words = set(terms)

    def covered(self, sentence: str) -> set[str]:
        return self.words & _stems(sentence)

    def kinds(self, sentence: str) -> set[str]:
        return {k for k in self.q.kinds if _holds(k, sentence, self.words)}

    def value(self, covered: set[str], kinds: set[str]) -> float:
        share = sum(self.terms[t] for t in covered) / self.total
        return share + (KIND_WEIGHT * len(kinds) / len(self.q.kinds) if self.q.kinds else 0.0)


def _same_language_terms(q: Question, language: str) -> dict[str, float]:
    """The question's terms that can occur in a passage of `language` (CJK terms only in Chinese text)."""
    zh = language == "zh"
    return {t: w for t, w in q.terms.items() if zh or not is_cjk(t)} or dict(q.terms)


def _refers_back(sentence: str, before: str) -> bool:
    """Whether `sentence` needs `before` to be understood: it opens with "It" / "This" / "此", or names
    with "the group" what `before` named in full ("… Investigation Group …")."""
    if _CONTINUES.search(sentence):
        return True
    for m in re.finditer(r"\b[Tt]he ([a-z]{4,})\b", sentence):
        name = re.compile(rf"\b[A-Z][\w-]+ (?:[\w-]+ ){{0,4}}{m.group(1).capitalize()}\b")
        if name.search(before) and not name.search(sentence):
            return True
    return False


def choose(q: Question, sentences: list[str], scorer: _Scorer | None = None) -> tuple[float, list[int]]:
    """The best sentence of one passage and its value, then (in order of use) the sentences that add
    what it lacks and the ones they continue from."""
    sc = scorer or _Scorer(q, q.terms)
    if not sentences:
        return 0.0, []
    covered = [sc.covered(s) for s in sentences]
    kinds = [sc.kinds(s) for s in sentences]
    values = [sc.value(c, k) for c, k in zip(covered, kinds, strict=True)]
    best = max(range(len(sentences)), key=lambda i: (values[i], -i))
    picked = [best]
    have_c, have_k, value = set(covered[best]), set(kinds[best]), values[best]
    need = MIN_GAIN / q.parts
    for _ in range(min(q.parts, 2)):
        rest = [j for j in range(len(sentences)) if j not in picked]
        if not rest:
            break
        gains = {j: sc.value(have_c | covered[j], have_k | kinds[j]) - value for j in rest}
        nxt = max(rest, key=lambda j: (gains[j], -abs(j - best)))
        if gains[nxt] < need:
            break
        picked.append(nxt)
        have_c |= covered[nxt]
        have_k |= kinds[nxt]
        value += gains[nxt]
    if len(picked) == 1 and len(tokenize(sentences[best])) < 8 and best + 1 < len(sentences):
        picked.append(best + 1)  # a heading-like fragment says little on its own
    for i in list(picked):
        if i > 0 and i - 1 not in picked and _refers_back(sentences[i], sentences[i - 1]):
            picked.insert(picked.index(i) + 1, i - 1)
    return values[best], picked


def _fit(sentences: list[str], picked: list[int], max_chars: int) -> str:
    """The picked sentences (in order of use) that fit in `max_chars`, the first always, shown in text
    order with the gaps between them marked."""
    keep = picked[:1]
    size = len(sentences[picked[0]])
    for i in picked[1:]:
        if size + 1 + len(sentences[i]) <= max_chars:
            keep.append(i)
            size += 1 + len(sentences[i])
    keep.sort()
    out: list[str] = []
    for n, i in enumerate(keep):
        if n and i != keep[n - 1] + 1:
            out.append(CUT)
        out.append(sentences[i])
    return join(out)


_COUNT_SKIP = frozenset({"of", "the", "more", "other", "个", "名", "项", "家", "位", "次", "座", "所"})
_CJK_NUMBER = re.compile(r"[一二三四五六七八九十百千万两]+个?")
_NUMBER_TOKENS = frozenset(tokenize(_NUMBER_WORD.replace("|", " "), "english"))


def counted_thing(question: str) -> tuple[str, ...]:
    """What a "how many" question counts, as index tokens: the first two words after "how many" that
    are neither function nor asking words ("how many communities did …" -> communiti; "how many UN
    country teams" -> un, countri, either of which a count may print: "116 United Nations Country
    Teams"; "多少个社区" -> 社区). Empty when it asks no count of a named thing. Words are stemmed as
    English, the language of the papers a count is checked in, however short the question."""
    toks = tokenize(question, "english")
    for i, t in enumerate(toks):
        if (t == "mani" and i and toks[i - 1] == "how") or t in ("多少", "几"):
            rest = [u for u in toks[i + 1:i + 4] if u not in _COUNT_SKIP and u not in _asking_words()]
            return () if rest and rest[0][0].isdigit() else tuple(rest[:2])
    return ()


def _counts(thing: tuple[str, ...], text: str) -> bool:
    """Whether a number in `text` counts `thing` (one of its words within three words after it)."""
    toks = tokenize(text, "english")
    return any((t[0].isdigit() or t in _NUMBER_TOKENS or _CJK_NUMBER.fullmatch(t))
               and any(w in toks[i + 1:i + 4] for w in thing) for i, t in enumerate(toks))


def holds_asked(question: str, texts: list[str]) -> bool:
    """Whether the texts state the kind of fact the question asks for (`states_none_asked`), and for a
    "how many" question a number of the very thing it counts ("24 communities", not "two committees")."""
    if states_none_asked(question, texts):
        return False
    thing = counted_thing(question)
    return not thing or any(_counts(thing, t) for t in texts)


def resting_on(question: str, sources: list[AnswerSource]) -> AnswerSource:
    """The passage an answer rests on, among the top ones (best first): the first, whose probability the
    confidence states, unless it does not state the fact asked for (`holds_asked`: no sum for "how
    much", no count of the communities for "how many communities") and a later one does; then the
    first that does."""
    for src in sources:
        if holds_asked(question, [src.text, src.version or ""]):
            return src
    return sources[0]


def select(q: Question, source: AnswerSource, max_chars: int = MAX_CHARS) -> str:
    """The answer text from the passage it rests on (`resting_on`): its chosen sentences, then the same
    sentences of its version in the question's language when one is indexed. Versions aligned sentence
    by sentence are read in the question's language (its own words match best) and shown alike; others
    are chosen each on its own."""
    sents = split_sentences(source.text)
    vs = split_sentences(source.version) if source.version else []
    if vs and len(vs) == len(sents):
        _, picked = choose(q, vs, _Scorer(q, _same_language_terms(q, q.language)))
    else:
        _, picked = choose(q, sents, _Scorer(q, _same_language_terms(q, source.language)))
    if not picked:
        return ""
    text = _fit(sents, picked, max_chars)
    if source.version and source.language != q.language:
        if len(vs) != len(sents):
            _, picked = choose(q, vs, _Scorer(q, _same_language_terms(q, q.language)))
        vtext = _fit(vs, picked, max_chars) if picked else ""
        if vtext:
            text = f"{text}\n{vtext}"
    return text


REFERENCE_MAX_CHARS = 700


def reference_text(q: Question, source: AnswerSource, focused: bool,
                   max_chars: int = REFERENCE_MAX_CHARS) -> str:
    """A paragraph asked for by number: the whole paragraph (shortened between sentences or sub-items
    when long), or, when the question asks something about it ("what does paragraph 50 say about
    cuts") and the paragraph is long, the sentences that answer; then its version in the question's
    language when one is indexed."""
    if focused and len(clean(source.text)) > max_chars:
        return select(q, source)
    text = shorten(source.text, max_chars)
    if source.version and source.language != q.language:
        text = f"{text}\n{shorten(source.version, max_chars)}"
    return text


def not_found_text(language: str) -> str:
    """One plain sentence in the question's language (English for a language without one)."""
    return _NOT_FOUND.get(language, NOT_FOUND)


def no_paragraph_text(paragraph: str, language: str, part: str = "") -> str:
    """A paragraph asked for by number that no indexed document has, said in the question's language;
    `part` is the annex or decision it belongs to ("annex I", "decision 2025/4")."""
    if language == "zh":
        kind, _, name = part.partition(" ")
        where = {"annex": f"附件{name}", "decision": f"第{name}号决定"}.get(kind, part)
        return f"已索引的文件中没有{where}第{paragraph}段。"
    return f"No paragraph {paragraph}{' of ' + part if part else ''} was found in the indexed documents."


# The confidence is a fitted probability that the first citation answers (index.answering.confidence):
# below one half an answer is more likely wrong than right, and the reader is told so.
UNSURE_BELOW = 0.5
_UNSURE = {
    "en": "Not sure (about {p} % likely to be right): the passages below may not answer this.",
    "zh": "不确定（答对的可能性约 {p}%）：以下段落可能没有回答这个问题。",
}


def unsure_line(question: str, confidence: float) -> str | None:
    """The warning shown above an answer that is more likely wrong than right, in the question's
    language; None for an answer more likely right. It is how a near miss the confidence cannot refuse
    (a figure the papers never give, on a topic they cover) still reaches the reader as a doubt."""
    if confidence >= UNSURE_BELOW:
        return None
    return _UNSURE[query_language(question)].format(p=max(1, round(100 * confidence)))


def not_found_label(text: str) -> str:
    """The "Not found." that opens a not-found answer, in the language the answer text is in."""
    if any(is_cjk(ch) for ch in text):
        return _NOT_FOUND_LABEL["zh"]
    lang = next((k for k, v in _NOT_FOUND.items() if v == text), "en")
    return _NOT_FOUND_LABEL[lang]


def not_found_line(text: str) -> str:
    """A not-found answer as shown: "Not found. The indexed …" / "未找到。已索引的 …"."""
    label = not_found_label(text)
    return f"{label}{text}" if is_cjk(label[0]) else f"{label} {text}"
