"""A synthetic corpus of board papers for `boardqa bench`: deterministic by seed, English and Chinese.

The benchmark needs 10,000+ passages that look like board papers to the indexes (numbered paragraphs
of 40-120 words with figures, places, years and board vocabulary, lettered sub-items, front matter,
parallel Chinese versions with the same paragraph numbers) without shipping real text. Paragraphs are
assembled from sentence patterns written for this project; every figure and place is invented.
Documents come out one after another from one random stream, so a smaller corpus with the same seed
is a prefix of a larger one and the store's embedding reuse carries over between bench sizes.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from ingest.models import Document, Passage

# (English, Chinese) pairs. Places are invented.
CITIES = [
    ("Port Aldwin", "奥德温港"), ("Kestrel Bay", "凯斯特尔湾"), ("Marrowgate", "马罗盖特"),
    ("Tallis Springs", "塔利斯泉"), ("New Orvale", "新奥韦尔"), ("Sundara", "孙达拉"),
    ("Lowmere", "洛米尔"), ("Ashcombe", "阿什科姆"), ("Riverbend", "河湾"), ("Eastbrook", "东溪"),
    ("Calder Point", "考尔德角"), ("Veyra", "维拉"), ("Mount Ilsa", "伊尔萨山"), ("Brackwater", "布拉克沃特"),
    ("Sellory", "塞洛里"), ("Dunmoor", "邓穆尔"), ("Halvik", "哈尔维克"), ("Oriel Heights", "奥里尔高地"),
    ("Pellan", "佩兰"), ("Westhaven", "西港"), ("Coralline", "科拉林"), ("Thornfield", "索恩菲尔德"),
    ("Greyfold", "格雷福尔德"), ("Lanthorne", "兰索恩"),
]
TOPICS = [
    ("community water and sanitation", "社区供水和环境卫生"),
    ("affordable housing", "经济适用住房"),
    ("informal settlement upgrading", "非正规住区改造"),
    ("urban mobility", "城市交通"),
    ("solid waste management", "固体废物管理"),
    ("climate resilience", "气候复原力"),
    ("land tenure security", "土地保有权保障"),
    ("municipal finance", "城市财政"),
    ("public space", "公共空间"),
    ("urban data and monitoring", "城市数据和监测"),
    ("disaster recovery", "灾后恢复"),
    ("energy-efficient buildings", "节能建筑"),
]
PARTNERS = [
    ("regional development banks", "区域开发银行"), ("bilateral donors", "双边捐助方"),
    ("national housing agencies", "国家住房机构"), ("local universities", "当地大学"),
    ("community organizations", "社区组织"), ("private utilities", "私营公用事业公司"),
]
KINDS = [
    ("Progress report on the {topic} programme", "{topic}方案进展报告"),
    ("Evaluation of the {topic} initiative", "{topic}倡议评价"),
    ("Financial situation of the {topic} portfolio", "{topic}项目组合的财务状况"),
    ("Proposed work programme on {topic} for {year}", "{year} 年{topic}拟议工作方案"),
]
SECTIONS = [
    ("Introduction", "导言"), ("Background", "背景"), ("Scope and cost", "范围和费用"),
    ("Results", "成果"), ("Funding", "供资"), ("Risks and lessons learned", "风险和经验教训"),
    ("Recommendations", "建议"),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
ZH_NUMERALS = "一二三四五六七八"

# Sentence patterns by section, each used at most once per document. Slots: city, topic, year, year2,
# usd, usd2, count, count2, pct, months, partner, decision.
SENTENCES: dict[str, list[tuple[str, str]]] = {
    "Introduction": [
        ("In its decision {decision}, the Executive Board requested the secretariat to report on the "
         "{topic} programme at its first session of {year2}.",
         "执行局在第 {decision} 号决定中，请秘书处在 {year2} 年第一次会议上报告{topic}方案的情况。"),
        ("The present note covers the period from January {year} to December {year2} and responds to "
         "that request.",
         "本说明涵盖 {year} 年 1 月至 {year2} 年 12 月期间，是对这一要求的回应。"),
        ("It draws on monitoring reports from {count} partner municipalities and on an independent review "
         "completed in {year2}.",
         "本说明依据 {count} 个合作城市政府的监测报告以及 {year2} 年完成的独立审查编写。"),
        ("All figures are for the whole period unless otherwise stated, and amounts are in United States "
         "dollars.",
         "除另有说明外，所有数字均涵盖整个期间，金额以美元计。"),
    ],
    "Background": [
        ("Secondary cities such as {city} grew by about {pct} per cent between {year} and {year2}, faster "
         "than the capacity of their services.",
         "{year} 年至 {year2} 年期间，{city}等二级城市的人口增长了约 {pct}%，超过了其服务能力的增长。"),
        ("Many residents of {city} still depend on services that are informal, costly or unsafe.",
         "{city}的许多居民仍依赖非正规、昂贵或不安全的服务。"),
        ("The programme was designed with {partner} to test approaches that municipalities can afford to "
         "sustain.",
         "该方案是与{partner}共同设计的，旨在检验城市政府有能力持续维持的做法。"),
        ("National policy adopted in {year} gave municipalities new responsibilities for {topic} but few "
         "resources to carry them out.",
         "{year} 年通过的国家政策赋予城市政府{topic}方面的新职责，但用于履行这些职责的资源很少。"),
        ("A baseline survey of {count2} residents showed large gaps between neighbourhoods in the same city.",
         "对 {count2} 名居民进行的基线调查显示，同一城市内各街区之间存在很大差距。"),
        ("Women and young people were under-represented in the bodies that plan local services.",
         "妇女和青年在规划地方服务的机构中任职人数不足。"),
    ],
    "Scope and cost": [
        ("The {topic} programme covered {count} communities in {city} and neighbouring towns, with about "
         "{count2} residents.",
         "{topic}方案覆盖{city}及周边城镇的 {count} 个社区，居民约 {count2} 人。"),
        ("Its total cost was {usd}, against an approved budget of {usd2}.",
         "其总费用为 {usd}，核定预算为 {usd2}。"),
        ("Implementation took {months} months, longer than planned because procurement was delayed.",
         "由于采购延误，实施工作历时 {months} 个月，比计划的时间长。"),
        ("About {pct} per cent of the budget was spent on works, the rest on training, monitoring and "
         "programme support.",
         "约 {pct}% 的预算用于工程，其余用于培训、监测和方案支助。"),
        ("The partner municipalities contributed land, staff time and connections to city networks, which "
         "are not included in the cost.",
         "各合作城市政府提供了土地、工作人员时间和与城市管网的连接，这些未计入费用。"),
    ],
    "Results": [
        ("By December {year2}, {count2} residents of {city} had gained access to improved services.",
         "截至 {year2} 年 12 月，{city}已有 {count2} 名居民获得了改善的服务。"),
        ("Household surveys found that satisfaction with the service rose by {pct} per cent.",
         "住户调查发现，对服务的满意度提高了 {pct}%。"),
        ("{count} of the committees set up under the programme covered their running costs from user fees.",
         "在该方案下设立的委员会中，有 {count} 个委员会以用户费支付了运行费用。"),
        ("The independent review rated the programme as relevant and effective, and found its cost per "
         "resident lower than that of conventional approaches.",
         "独立审查认为该方案具有相关性和实效，并认为其人均费用低于常规做法。"),
        ("Two municipalities have adopted the approach in their own plans for {year2} and beyond.",
         "已有两个城市政府将这一做法纳入其 {year2} 年及以后的规划。"),
    ],
    "Funding": [
        ("Extending the approach to further cities over the period {year}–{year2} would cost an estimated "
         "{usd}.",
         "在 {year}-{year2} 年期间将这一做法推广到更多城市，费用估计为 {usd}。"),
        ("Pledges received so far amount to {usd2}, leaving a funding gap that the secretariat is discussing "
         "with {partner}.",
         "迄今收到的认捐额为 {usd2}，秘书处正在与{partner}讨论如何弥补资金缺口。"),
        ("Earmarked contributions made up {pct} per cent of the income of the programme in {year2}.",
         "{year2} 年，专用捐款占该方案收入的 {pct}%。"),
        ("Non-earmarked resources remain scarce, which limits the ability of the secretariat to start work "
         "before funds are confirmed.",
         "非专用资源依然稀缺，限制了秘书处在资金落实之前启动工作的能力。"),
        ("The secretariat expects decisions on about half of the requested amount by the end of {year2}.",
         "秘书处预计到 {year2} 年底将就所申请数额的约一半作出决定。"),
    ],
    "Risks and lessons learned": [
        ("The main risk is that municipalities in {city} cannot budget for supervision once external "
         "funding ends.",
         "主要风险在于，外部资金结束后，{city}的城市政府无法为监督工作编列预算。"),
        ("Flat fees proved too high for the poorest households, and a reduced fee is being tested in "
         "{count} communities.",
         "统一收费对最贫困的住户而言过高，目前正在 {count} 个社区试行减免收费。"),
        ("Early agreements with {partner} shortened the start-up phase by about {months} months.",
         "与{partner}尽早达成协议，使启动阶段缩短了约 {months} 个月。"),
        ("Data collected by residents themselves proved reliable when it was checked against a sample of "
         "site visits.",
         "经与实地走访抽样核对，居民自行收集的数据证明是可靠的。"),
        ("Maintenance must be planned and funded from the outset rather than after the works are handed "
         "over.",
         "维护工作必须从一开始就进行规划并落实资金，而不是在工程移交之后。"),
    ],
}
SUBITEM_LEADS = {
    "Results": ("The main results of the programme in {city} include the following:",
                "该方案在{city}取得的主要成果包括："),
    "Recommendations": ("The Executive Board may wish:", "执行局不妨："),
}
SUBITEMS = {
    "Results": [
        ("{count2} residents gained access to safely managed services within walking distance;",
         "{count2} 名居民在步行距离内获得了安全管理的服务；"),
        ("{count} shared facilities were built or rehabilitated;", "新建或修复了 {count} 个共用设施；"),
        ("the time spent by households on daily tasks fell by {pct} per cent;",
         "住户用于日常事务的时间减少了 {pct}%；"),
        ("{count} local technicians were trained in operation and maintenance;",
         "{count} 名当地技术人员接受了运行和维护培训；"),
        ("user committees in {city} reported monthly on the quality of the service;",
         "{city}的用户委员会每月报告服务质量；"),
    ],
    "Recommendations": [
        ("To take note of the present report;", "注意到本报告；"),
        ("To approve the extension of the {topic} programme for {year}–{year2}, subject to funding;",
         "核准在 {year}-{year2} 年期间推广{topic}方案，但须视资金情况而定；"),
        ("To request the secretariat to report on progress at its first session of {year2};",
         "请秘书处在 {year2} 年第一次会议上报告进展情况；"),
        ("To encourage Member States and {partner} to help close the funding gap of {usd};",
         "鼓励会员国和{partner}帮助弥补{usd}的资金缺口；"),
    ],
}
CHARS_PER_PAGE = {"en": 2600, "zh": 1000}


@dataclass
class SyntheticQuery:
    question: str
    language: str
    family: str  # the document family that holds the answer
    locator: str


@dataclass
class SyntheticCorpus:
    documents: list[Document]
    queries: list[SyntheticQuery] = field(default_factory=list)

    @property
    def passage_count(self) -> int:
        return sum(len(d.passages) for d in self.documents)


def _fmt_count(n: int, lang: str) -> str:
    return f"{n:,}" if lang == "en" else f"{n:,}".replace(",", " ")


def _fmt_usd(millions: float, lang: str) -> str:
    if lang == "en":
        return f"USD {millions:.1f} million"
    return f"{_fmt_count(int(round(millions * 100)), lang)} 万美元"


class _Facts:
    """One document family's invented facts, rendered in either language."""

    def __init__(self, rng: random.Random, number: int) -> None:
        self.city = rng.randrange(len(CITIES))
        self.topic = rng.randrange(len(TOPICS))
        self.partner = rng.randrange(len(PARTNERS))
        self.year = rng.randint(2019, 2026)
        self.number = number
        self.kind = rng.randrange(len(KINDS))

        self.year2 = self.year + rng.randint(1, 3)
        self.usd = round(rng.uniform(0.4, 40.0), 1)
        self.usd2 = round(self.usd * rng.uniform(0.4, 1.2), 1)
        self.decision = f"{self.year}/{rng.randint(1, 12)}"

    def slots(self, rng: random.Random, lang: str) -> dict[str, str]:
        """The family's fixed facts, plus counts and percentages drawn for one paragraph."""
        i = 1 if lang == "zh" else 0
        return {
            "city": CITIES[self.city][i], "topic": TOPICS[self.topic][i],
            "partner": PARTNERS[self.partner][i],
            "year": str(self.year), "year2": str(self.year2), "decision": self.decision,
            "usd": _fmt_usd(self.usd, lang), "usd2": _fmt_usd(self.usd2, lang),
            "count": str(rng.randint(3, 60)), "count2": _fmt_count(rng.randint(1_000, 250_000), lang),
            "pct": str(rng.randint(4, 65)), "months": str(rng.randint(3, 30)),
        }


def _paragraph_plan(rng: random.Random) -> list[tuple[str, str]]:
    """(section, role) per numbered paragraph; role "subitems" marks a paragraph with lettered items."""
    plan: list[tuple[str, str]] = []
    for section in [s for s, _ in SECTIONS]:
        if section == "Recommendations":
            plan.append((section, "subitems"))
            continue
        count = rng.randint(1, 3) if section != "Introduction" else 2
        plan.extend((section, "text") for _ in range(count))
        if section == "Results" and rng.random() < 0.7:
            plan.append((section, "subitems"))
    return plan


def _render(pattern: str, slots: dict[str, str]) -> str:
    return pattern.format(**slots)


def _document(facts: _Facts, lang: str, plan: list[tuple[str, str]], seed: int) -> Document:
    """Render one language version; the per-paragraph random stream depends only on the family, so the
    two language versions state the same figures in the same paragraphs."""
    i = 1 if lang == "zh" else 0
    sep = "" if lang == "zh" else " "
    symbol = f"SYN/{facts.year}/{facts.number}"
    title = _render(KINDS[facts.kind][i], {"topic": TOPICS[facts.topic][i], "year": str(facts.year + 1)})
    front_rng = random.Random(f"{seed}-{facts.number}-front")
    slots = facts.slots(front_rng, lang)
    if lang == "zh":
        front = (f"{symbol} Distr.: General 执行局 {slots['year']} 年第一次会议 "
                 f"临时议程*项目 {facts.number % 9 + 2} {title}")
    else:
        front = (f"{symbol} Distr.: General Executive Board, first session of {slots['year']} "
                 f"Item {facts.number % 9 + 2} of the provisional agenda* {title} Note by the secretariat")
    passages = [Passage(locator="front", kind="front", text=front, paragraph=None)]
    section_names = {s: pair[i] for s, pair in zip([s for s, _ in SECTIONS], SECTIONS, strict=True)}
    order: list[str] = []
    unused: dict[str, list[int]] = {}

    def deck(section: str) -> list[int]:
        cards = list(range(len(SENTENCES[section])))
        random.Random(f"{seed}-{facts.number}-{section}").shuffle(cards)
        return cards

    for number, (section, role) in enumerate(plan, start=1):
        if section not in order:
            order.append(section)
        k = len(order) - 1
        heading = f"{ROMAN[k]}. {section_names[section]}" if lang == "en" else \
            f"{ZH_NUMERALS[k]}. {section_names[section]}"
        prng = random.Random(f"{seed}-{facts.number}-{number}")
        slots = facts.slots(prng, lang)
        if role == "subitems":
            lead = _render(SUBITEM_LEADS[section][i], slots)
            pool = SUBITEMS[section]
            picks = sorted(prng.sample(range(len(pool)), prng.randint(3, min(5, len(pool)))))
            items = [_render(pool[j][i], slots) for j in picks]
            letters = "abcdefgh"
            para_text = lead + sep + sep.join(f"({letters[n]}) {t}" for n, t in enumerate(items))
            passages.append(Passage(locator=str(number), kind="paragraph", text=para_text,
                                    paragraph=str(number), heading=heading))
            for n, t in enumerate(items):
                loc = f"{number}({letters[n]})"
                passages.append(Passage(locator=loc, kind="subitem", text=f"({letters[n]}) {t}",
                                        paragraph=loc, parent=str(number), heading=heading))
        else:
            left = unused.setdefault(section, deck(section))
            take = [left.pop() for _ in range(min(len(left), 2 + (prng.random() < 0.4)))] or [0]
            text = sep.join(_render(SENTENCES[section][j][i], slots) for j in sorted(take))
            passages.append(Passage(locator=str(number), kind="paragraph", text=text, paragraph=str(number),
                                    heading=heading))
    _assign_pages(passages, lang)
    body = "\n".join(p.text for p in passages)
    family = f"synthetic-{facts.number:05d}"
    return Document(
        source=f"{family}.{lang}.pdf", kind="board-document", language=lang, title=title, symbol=symbol,
        family=family, format="pdf", pages=max(p.pages[-1] for p in passages),
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(), passages=passages,
        date=f"{facts.year}-0{facts.number % 9 + 1}-15", path="",
    )


def _assign_pages(passages: list[Passage], lang: str) -> None:
    """Pages as a typeset paper would have them: sub-items sit inside their paragraph's span."""
    per_page = CHARS_PER_PAGE[lang]
    offset = 0
    spans: dict[str, list[int]] = {}
    for p in passages:
        if p.kind == "subitem" and p.parent in spans:
            start = spans[p.parent][0]
            p.pages = [start] if len(spans[p.parent]) == 1 else list(spans[p.parent])
            continue
        first = offset // per_page + 1
        offset += len(p.text) + 40
        last = offset // per_page + 1
        p.pages = list(range(first, last + 1))
        p.printed_pages = [str(n) for n in p.pages]
        spans[p.locator] = p.pages
    for p in passages:
        if not p.printed_pages:
            p.printed_pages = [str(n) for n in p.pages]


def _queries_for(doc: Document, facts: _Facts, rng: random.Random) -> list[SyntheticQuery]:
    lang = doc.language
    i = 1 if lang == "zh" else 0
    city, topic = CITIES[facts.city][i], TOPICS[facts.topic][i]
    cost = next((p for p in doc.passages if p.heading.endswith(("Scope and cost", "范围和费用"))), None)
    results = next((p for p in doc.passages if p.heading.endswith(("Results", "成果"))), None)
    out: list[SyntheticQuery] = []
    if lang == "en":
        if cost is not None:
            out.append(SyntheticQuery(f"What did the {topic} programme in {city} cost?", lang, doc.family,
                                      cost.locator))
        if results is not None:
            out.append(SyntheticQuery(f"What results did the {topic} programme achieve in {city}?", lang,
                                      doc.family, results.locator))
        para = rng.choice([p for p in doc.passages if p.kind == "paragraph"])
        out.append(SyntheticQuery(f"para {para.locator} of {doc.symbol}", lang, doc.family, para.locator))
    else:
        if cost is not None:
            out.append(SyntheticQuery(f"{city}的{topic}方案费用是多少？", lang, doc.family, cost.locator))
        if results is not None:
            out.append(SyntheticQuery(f"{topic}方案在{city}取得了哪些成果？", lang, doc.family,
                                      results.locator))
    return out


def make_corpus(passages: int = 10_000, seed: int = 0, zh_share: float = 0.3) -> SyntheticCorpus:
    """At least `passages` passages: documents are added whole, in a fixed order, until the count is met."""
    rng = random.Random(seed)
    corpus = SyntheticCorpus(documents=[])
    number = 0
    while corpus.passage_count < passages:
        number += 1
        facts = _Facts(rng, number)
        plan = _paragraph_plan(rng)
        languages = ["en", "zh"] if rng.random() < zh_share else ["en"]
        for lang in languages:
            doc = _document(facts, lang, plan, seed)
            corpus.documents.append(doc)
            corpus.queries.extend(_queries_for(doc, facts, rng))
    return corpus


def pick_queries(corpus: SyntheticCorpus, count: int, seed: int = 0) -> list[SyntheticQuery]:
    """A fixed sample of the corpus's questions (repeated in order when it has fewer than `count`)."""
    if not corpus.queries:
        return []
    pool = list(corpus.queries)
    random.Random(seed).shuffle(pool)
    return [pool[i % len(pool)] for i in range(count)]
