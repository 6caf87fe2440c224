"""Rebuild a citation from what a button carries (source file and passage locator).

Buttons can only carry a short string, so they name the passage; the text comes from the index as it is
now, through QAService's public methods.
"""

from __future__ import annotations

from index.answering.qa import DocumentNotFoundError, QAService
from index.answering.results import Citation


def citation_for(qa: QAService, source: str, locator: str) -> Citation | None:
    info = next((s for s in qa.sources() if s.source == source), None)
    if info is None:
        return None
    try:
        passage = next((p for p in qa.passages(source) if p.locator == locator), None)
    except DocumentNotFoundError:
        return None
    if passage is None:
        return None
    return Citation(
        source=info.source, kind=info.kind, symbol=info.symbol, title=info.title, language=info.language,
        paragraph=passage.paragraph, heading=passage.heading, pages=list(passage.pages),
        printed_pages=list(passage.printed_pages), score=0.0, text=passage.text, locator=passage.locator,
        family=info.family, footnotes=[{"mark": f.mark, "text": f.text} for f in passage.footnotes],
    )
