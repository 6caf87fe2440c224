"""QAService: the one façade the CLI and the Slack bot call for answers, citations and sources.

It takes a callable that returns the current index version (so a live index can swap versions under
it) and keeps what it derives from a version (search arrays, document centroids) until the version
changes. Nothing here knows about Slack or the console.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from boardqa.config import Config
from index.answering.confidence import Calibrator, signals
from index.answering.results import Answer, Citation, CiteResult, SourceInfo
from index.answering.sentences import (
    AnswerSource,
    Question,
    no_paragraph_text,
    not_found_text,
    reference_text,
    resting_on,
    select,
)
from index.embed import Embedder, QueryVectors, embed_question
from index.retrieval import bridge
from index.retrieval.docref import DocumentRefError, resolve_documents
from index.retrieval.features import Candidates
from index.retrieval.lexical import terms
from index.retrieval.ranker import RankParams
from index.retrieval.reference import Resolution, parse_reference, resolve_reference
from index.retrieval.search import Hit, SearchIndex, query_language
from ingest.meta import amendments
from ingest.models import Document, Passage

if TYPE_CHECKING:  # the store's dataclass; only its shape matters here
    from index.version import IndexVersion

_TABLE = re.compile(r"(?:\btable\s*|表\s*)(\d{1,2})\b", re.I)
COMPANION = "use"  # the companion dense model the ranker reads (index.embed, config [index] companions)
REFERENCE_CONFIDENCE = 0.95  # an exact paragraph lookup that needed no guessing
GUESSED_REFERENCE_CONFIDENCE = 0.7  # the paragraph exists in several documents and one was preferred
ANSWER_PASSAGES = 3  # the top hits an answer may rest on (index.answering.sentences.resting_on)


@dataclass(frozen=True)
class RankingInputs:
    index: SearchIndex
    candidates: Candidates
    language: str
    mask: np.ndarray


# The bot and the CLI catch this name; it is the one error of document resolution (index.retrieval.docref).
DocumentNotFoundError = DocumentRefError


def source_info(d: Document, amended_by: list[str] | None = None) -> SourceInfo:
    """What `boardqa sources` and /sources show of one indexed document."""
    return SourceInfo(source=d.source, kind=d.kind, symbol=d.symbol, title=d.title, language=d.language,
                      paragraphs=d.paragraph_count, passages=len(d.passages), pages=d.pages, family=d.family,
                      amends=d.amends, amended_by=list(amended_by or []))


def printed_number(passage: Passage) -> str | None:
    """The paragraph number as the paper prints it: "12" for paragraph 12 of annex I (the passage's
    display form "12 (annex I)" names the part too, which a citation carries apart)."""
    label, suffix = passage.paragraph, f" ({passage.part})"
    if label and passage.part and label.endswith(suffix):
        return label[: -len(suffix)]
    return label


def make_citation(doc: Document, passage: Passage, score: float = 0.0,
                  parallels: dict[str, str] | None = None, amended_by: list[str] | None = None) -> Citation:
    return Citation(
        source=doc.source,
        kind=doc.kind,
        symbol=doc.symbol,
        title=doc.title,
        language=doc.language,
        paragraph=printed_number(passage),
        part=passage.part,
        heading=passage.heading,
        pages=list(passage.pages),
        printed_pages=list(passage.printed_pages),
        score=round(float(score), 4),
        text=passage.text,
        locator=passage.locator,
        family=doc.family,
        footnotes=[{"mark": f.mark, "text": f.text} for f in passage.footnotes],
        parallels=dict(parallels or {}),
        amends=doc.amends,
        amended_by=list(amended_by or []),
    )


class QAService:
    def __init__(self, get_version: Callable[[], IndexVersion], embedder: Embedder, cfg: Config,
                 params: RankParams | None = None, calibrator: Calibrator | None = None,
                 all_features: bool = False) -> None:
        self._get_version = get_version
        self._embedder = embedder
        self._cfg = cfg
        self._params = params or RankParams.shipped()
        self._calibrator = calibrator or Calibrator.shipped()
        self._all_features = all_features  # measure every feature, weighted or not (for fitting)
        self._lock = threading.Lock()
        self._cached: tuple[object, SearchIndex] | None = None

    # -- the version and what is derived from it ------------------------------------------------

    def index(self) -> SearchIndex:
        """Search arrays of the current version, built once per version (a swap rebuilds them)."""
        version = self._get_version()
        with self._lock:
            if self._cached is None or self._cached[0] is not version:
                si = SearchIndex(version, self._params)
                si.all_features = self._all_features
                self._cached = (version, si)
            return self._cached[1]

    def warm(self) -> None:
        """Pay now what the first question would: the version's search arrays and the zh->en bridge's
        dictionaries (jieba, CC-CEDICT, UN terms; a few seconds), which every Chinese question needs."""
        self.index()
        bridge.warm()

    # -- public API -----------------------------------------------------------------------------

    def ask(self, question: str, top_k: int | None = None, lang: str | None = None,
            doc: str | None = None, year: int | None = None) -> Answer:
        """Answer from the current version: extractive answer, confidence, ranked citations.
        `lang` and `doc` (and `year`) filter what may be cited; raises DocumentNotFoundError for an
        unknown `doc` and ValueError for an empty question."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        k = top_k or self._cfg.search.top_k
        si = self.index()
        docs = self._resolve_docs(doc, si) if doc else None
        mask = si.allowed(docs=docs, language=lang, years={year} if year else None)
        qlang = query_language(question)
        qv = self._embed(si, question)
        qvec = qv.primary
        ref = parse_reference(question)
        ref_error = None
        if ref is not None:
            res = resolve_reference(ref, si, qvec, qlang, mask)
            if res.rows:
                return self._reference_answer(question, res, si, qvec, qlang, mask, k)
            if not res.cited_elsewhere:
                ref_error = no_paragraph_text(ref.label, qlang, ref.own_part)
        cands = si.candidates(question, qvec, mask, qlang, named_table=self._named_table(question, si),
                              companion=self._companion(si, qv))
        hits = si.rank(cands, k, si.language_code(qlang), mask & si.citable)
        return self._answer(question, hits, si, qlang, cands.unseen, ref_error=ref_error)

    def ranking_inputs(self, question: str) -> RankingInputs | None:
        """What the ranker sees for a question asked with no filters, or None when a paragraph
        reference answers it without ranking (for fitting the ranker and the confidence)."""
        question = question.strip()
        si = self.index()
        mask = si.allowed()
        qlang = query_language(question)
        qv = self._embed(si, question)
        qvec = qv.primary
        ref = parse_reference(question)
        if ref is not None and resolve_reference(ref, si, qvec, qlang, mask).rows:
            return None
        cands = si.candidates(question, qvec, mask, qlang, named_table=self._named_table(question, si),
                              companion=self._companion(si, qv))
        return RankingInputs(si, cands, qlang, mask)

    def cite(self, ref: str) -> CiteResult:
        """One paragraph by reference, or the candidates when the reference is ambiguous."""
        text = ref.strip()
        parsed = parse_reference(text)
        if parsed is None:
            return CiteResult(reference=ref, citation=None,
                              error=f"not a paragraph reference: {text!r} (try 'para 12', '第5段', '14(c)')")
        si = self.index()
        qlang = query_language(text)
        qvec = self._embedder.embed_query(text) if parsed.rest else None
        res = resolve_reference(parsed, si, qvec, qlang)
        if not res.rows:
            return CiteResult(reference=ref, citation=None, error=res.error or "not found")
        cites = [self._citation(si, r, 1.0) for r in res.rows]
        if res.ambiguous:
            return CiteResult(reference=ref, citation=None, candidates=cites,
                              error=f"paragraph {parsed.paragraph} is in {len(cites)} documents; "
                                    "name one (symbol, file name or title) to choose")
        return CiteResult(reference=ref, citation=cites[0])

    def sources(self) -> list[SourceInfo]:
        version = self._get_version()
        amended = amendments(version.documents)
        return [source_info(d, amended.get(d.symbol or "")) for d in version.documents]

    def passages(self, doc_ref: str) -> list[Passage]:
        """Every passage of one document, in order; DocumentNotFoundError for an unknown reference.
        A reference that names a family of language versions must name one file."""
        si = self.index()
        docs = self._resolve_docs(doc_ref, si)
        if len(docs) > 1:
            raise DocumentNotFoundError(doc_ref, [si.documents[i].source for i in sorted(docs)])
        return list(si.documents[next(iter(docs))].passages)

    def parallel(self, source: str, locator: str, language: str) -> Citation | None:
        """The same passage in another language version of the same document family, if indexed."""
        si = self.index()
        family = next((d.family for d in si.documents if d.source == source), None)
        if family is None:
            return None
        for di, d in enumerate(si.documents):
            if d.family == family and d.language == language:
                row = si.row_of(di, locator)
                if row is not None:
                    return self._citation(si, row, 0.0)
        return None

    # -- helpers --------------------------------------------------------------------------------

    def _citation(self, si: SearchIndex, row: int, score: float, rows: tuple[int, ...] = ()) -> Citation:
        doc, passage = si.passage(row)
        group = rows or tuple(si.group_rows[int(si.row_group[row])])
        parallels: dict[str, str] = {}
        for r in group:
            other, _ = si.passage(r)
            if r != row and other.language != doc.language:
                parallels.setdefault(other.language, other.source)
        amended = amendments(si.documents).get(doc.symbol or "") if doc.symbol else None
        return make_citation(doc, passage, score, parallels, amended)

    def _resolve_docs(self, ref: str, si: SearchIndex) -> set[int]:
        """Document indexes a user's reference names (index.retrieval.docref: every language version of a
        paper named by stem, symbol or title; one file named by its file name)."""
        return set(resolve_documents(si.documents, ref))

    def _embed(self, si: SearchIndex, question: str) -> QueryVectors:
        """The question's vectors; the companion model's only when the ranker reads them."""
        if si.measures("use_gap"):
            return embed_question(self._embedder, question)
        return QueryVectors(primary=self._embedder.embed_query(question))

    @staticmethod
    def _companion(si: SearchIndex, qv: QueryVectors) -> np.ndarray | None:
        """The companion dense model's cosine of every row (USE), when the version carries it."""
        extra = getattr(si.version, "extra_scores", None)
        scores = extra(qv) if extra is not None else {}
        return scores.get(COMPANION) if scores else None

    def _named_table(self, question: str, si: SearchIndex) -> np.ndarray | None:
        """Rows of the table a question names ("table 2" / "表 2"), a feature of the ranker."""
        m = _TABLE.search(question)
        rows = si.tables.get(m.group(1), []) if m else []
        if not rows:
            return None
        named = np.zeros(len(si.rows), dtype=bool)
        named[rows] = True
        return named

    def _reference_answer(self, question: str, res: Resolution, si: SearchIndex, qvec: np.ndarray,
                          qlang: str, mask: np.ndarray, k: int) -> Answer:
        first = res.rows[0]
        cites = [self._citation(si, r, 1.0) for r in res.rows[:k]]
        doc, passage = si.passage(first)
        source = self._answer_source(si, first, tuple(si.group_rows[int(si.row_group[first])]), qlang)
        named = {t for t in terms(f"{doc.symbol} {doc.title} {doc.source}")}
        focused = any(t not in named for t in terms(res.ref.rest)) if res.ref.rest else False
        text = reference_text(Question.read(question, si.lexical, qlang), source, focused)
        if res.ref.rest and not res.named and len(cites) < k:
            seen = {int(si.row_group[r]) for r in res.rows}
            for hit in si.search(question, qvec, k + len(seen), mask, qlang):
                if int(si.row_group[hit.row]) not in seen and len(cites) < k:
                    cites.append(self._citation(si, hit.row, hit.score, hit.rows))
        conf = GUESSED_REFERENCE_CONFIDENCE if res.ambiguous else REFERENCE_CONFIDENCE
        return Answer(question=question, answer=text, found=True, confidence=conf, citations=cites)

    def _answer(self, question: str, hits: list[Hit], si: SearchIndex, qlang: str, unseen: float,
                ref_error: str | None) -> Answer:
        cites = [self._citation(si, h.row, h.score, h.rows) for h in hits]
        if not hits:
            return Answer(question, not_found_text(qlang), False, 0.0, cites)
        values = signals(question, hits, si, unseen, qlang)
        conf = self._calibrator.confidence(values)
        found = self._calibrator.answerable(values) >= self.decision_line and ref_error is None
        if not found:
            text = ref_error or not_found_text(qlang)
            return Answer(question, text, False, conf, cites)
        sources = [self._answer_source(si, h.row, h.rows, qlang) for h in hits[:ANSWER_PASSAGES]]
        text = select(Question.read(question, si.lexical, qlang), resting_on(question, sources))
        return Answer(question, text, True, conf, cites)

    def _answer_source(self, si: SearchIndex, row: int, rows: tuple[int, ...], qlang: str) -> AnswerSource:
        """A passage for the answer text: the English version for a question in another language when
        one is indexed (index.answering.sentences.AnswerSource), with the question's language beside it."""
        versions = {d.language: p for d, p in map(si.passage, rows or (row,))}
        doc, passage = si.passage(row)
        lang = "en" if qlang != "en" and "en" in versions else doc.language
        shown = versions.get(lang, passage)
        version = versions[qlang].text if lang != qlang and qlang in versions else None
        return AnswerSource(shown.text, lang, version)

    @property
    def decision_line(self) -> float:
        """P(answerable) from which an answer is given: the configured line, else the fitted one."""
        configured = self._cfg.answer.min_confidence
        return self._calibrator.decision_line if configured is None else configured
