"""What the search layer hands to the CLI and the bot: answers, citations, sources.

These are the JSON shapes of `boardqa ask --json`, `boardqa cite --json` and `boardqa sources --json`;
the bot renders the same objects, so Slack and the console never disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    source: str  # file name
    kind: str  # "board-document" | "report"
    symbol: str | None
    title: str
    language: str
    paragraph: str | None  # "12", "14(c)", a report locator such as "p17.3"; None for front matter
    heading: str  # heading path ("Part 4 › Financial performance"); "" when none
    pages: list[int]  # 1-based PDF page indexes
    printed_pages: list[str]
    score: float
    text: str
    locator: str = ""  # passage locator, unique within the source
    family: str = ""
    footnotes: list[dict[str, str]] = field(default_factory=list)
    # Other language versions holding the same paragraph: language -> source file name.
    parallels: dict[str, str] = field(default_factory=dict)
    amends: str | None = None  # the symbol this corrigendum or addendum amends
    amended_by: list[str] = field(default_factory=list)  # symbols of the indexed papers amending this one
    # The part whose numbering `paragraph` belongs to when it is not the main text ("annex I",
    # "decision 2025/1"): the paragraph is the number as printed, the part says where.
    part: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    question: str
    answer: str  # the sentence or two that answer; a plain "not found" sentence when found is False
    found: bool
    confidence: float  # 0..1
    citations: list[Citation]  # ranked; when not found these are the closest matches

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "confidence": round(self.confidence, 4),
            "citations": [c.to_dict() for c in self.citations],
        }


@dataclass
class CiteResult:
    """A reference lookup: exactly one citation, or the candidates when the reference is ambiguous."""

    reference: str
    citation: Citation | None
    candidates: list[Citation] = field(default_factory=list)
    error: str | None = None  # why nothing was found ("no paragraph 99 in …")

    def to_dict(self) -> dict[str, Any]:
        if self.citation is not None:
            c = self.citation
            return {
                "reference": self.reference,
                "source": c.source,
                "symbol": c.symbol,
                "title": c.title,
                "language": c.language,
                "paragraph": c.paragraph,
                "part": c.part,
                "heading": c.heading,
                "pages": c.pages,
                "printed_pages": c.printed_pages,
                "text": c.text,
                "footnotes": c.footnotes,
                "parallels": c.parallels,
            }
        return {
            "reference": self.reference,
            "error": self.error,
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass
class SourceInfo:
    source: str
    kind: str
    symbol: str | None
    title: str
    language: str
    paragraphs: int
    passages: int
    pages: int
    family: str
    amends: str | None = None
    amended_by: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
