"""QAService: the one façade the CLI and the Slack bot call for answers, citations and sources.

It takes a callable that returns the current index version (so a live index can swap versions under
it) and keeps whatever it derives from a version (search arrays, reference tables) until the version
changes. Nothing here knows about Slack or the console.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from boardqa.config import Config
from index.embed import Embedder
from index.results import Answer, Citation, CiteResult, SourceInfo
from ingest.models import Document, Passage

if TYPE_CHECKING:  # the store is another engineer's module; only its shape matters here
    from index.store import IndexVersion


class DocumentNotFoundError(LookupError):
    """A document reference that matches no indexed document (or several, equally well)."""

    def __init__(self, ref: str, candidates: list[str] | None = None) -> None:
        self.ref = ref
        self.candidates = candidates or []
        if self.candidates:
            msg = f"{ref!r} matches several documents: {', '.join(self.candidates)}"
        else:
            msg = f"no indexed document matches {ref!r}"
        super().__init__(msg)


def make_citation(doc: Document, passage: Passage, score: float = 0.0) -> Citation:
    return Citation(
        source=doc.source,
        kind=doc.kind,
        symbol=doc.symbol,
        title=doc.title,
        language=doc.language,
        paragraph=passage.paragraph,
        heading=passage.heading,
        pages=list(passage.pages),
        printed_pages=list(passage.printed_pages),
        score=float(score),
        text=passage.text,
        locator=passage.locator,
        family=doc.family,
        footnotes=[{"mark": f.mark, "text": f.text} for f in passage.footnotes],
    )


class QAService:
    def __init__(self, get_version: Callable[[], IndexVersion], embedder: Embedder, cfg: Config) -> None:
        self._get_version = get_version
        self._embedder = embedder
        self._cfg = cfg

    def ask(self, question: str, top_k: int | None = None, lang: str | None = None,
            doc: str | None = None) -> Answer:
        """Answer a question from the current version: extractive answer, confidence, ranked citations."""
        raise NotImplementedError

    def cite(self, ref: str) -> CiteResult:
        """One paragraph by reference, or the candidates when the reference is ambiguous."""
        raise NotImplementedError

    def sources(self) -> list[SourceInfo]:
        version = self._get_version()
        return [
            SourceInfo(source=d.source, kind=d.kind, symbol=d.symbol, title=d.title, language=d.language,
                       paragraphs=d.paragraph_count, passages=len(d.passages), pages=d.pages, family=d.family)
            for d in version.documents
        ]

    def passages(self, doc_ref: str) -> list[Passage]:
        """Every passage of one document, in order; raises DocumentNotFoundError for an unknown ref."""
        version = self._get_version()
        for d in version.documents:
            if doc_ref in (d.source, d.stem, d.symbol):
                return list(d.passages)
        raise DocumentNotFoundError(doc_ref)

    def parallel(self, source: str, locator: str, language: str) -> Citation | None:
        """The same passage in another language version of the same document family, if indexed."""
        version = self._get_version()
        family = next((d.family for d in version.documents if d.source == source), None)
        if family is None:
            return None
        for d in version.documents:
            if d.family == family and d.language == language:
                p = d.passage(locator)
                if p is not None:
                    return make_citation(d, p)
        return None
