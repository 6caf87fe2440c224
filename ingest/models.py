"""The dataclasses that ingestion hands to the index: a Document and its Passages.

A passage is the unit that is searched and cited. On a board document it is a numbered paragraph
(its text includes its sub-items), a lettered sub-item (addressable on its own as "14(c)") or the
front matter; on a designed report it is a layout paragraph, box, table or list under a heading path.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DocumentKind = Literal["board-document", "report"]
PassageKind = Literal["paragraph", "subitem", "item", "front", "body", "box", "table", "list", "caption"]

HEADING_SEP = " › "


@dataclass(frozen=True)
class Footnote:
    mark: str  # "*", "1", "2" (superscripts normalised to ASCII digits)
    text: str


@dataclass
class Passage:
    locator: str  # unique within its document and stable: "12", "14(c)", "front", "p17.3"
    kind: PassageKind
    text: str
    # What a citation shows: "12" or "14(c)" on board documents, the locator on reports,
    # None for front matter (cited as such, never as a paragraph).
    paragraph: str | None
    parent: str | None = None  # "14" for "14(c)", "14(c)" for "14(c)(ii)"
    heading: str = ""  # heading path, parts joined by HEADING_SEP
    pages: list[int] = field(default_factory=list)  # 1-based PDF page indexes; [] for text sources
    printed_pages: list[str] = field(default_factory=list)  # page numbers printed on those pages
    footnotes: list[Footnote] = field(default_factory=list)
    # The part whose numbering the paragraph belongs to: "" for the main text, "annex I" where an
    # annex numbers its paragraphs from 1 again (its locators then read "annex I/12").
    part: str = ""

    @property
    def content_hash(self) -> str:
        """Identity of the text for embedding reuse: unchanged text is never embedded twice."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Passage:
        d = dict(d)
        d["footnotes"] = [Footnote(**f) for f in d.get("footnotes", [])]
        return cls(**d)


@dataclass
class Document:
    source: str  # file name, e.g. "annual-report-2020-summary.en.pdf"
    kind: DocumentKind
    language: str  # ISO 639-1: "en", "zh", "fr", ...
    title: str
    symbol: str | None  # "HSP/EB.2021/12"; None when the document does not state its own
    family: str  # shared by the language versions of one paper
    format: str  # "pdf", "txt", "md", "docx"
    pages: int  # PDF pages; 0 for text sources
    sha256: str  # of the source file's bytes
    passages: list[Passage] = field(default_factory=list)
    date: str | None = None  # ISO date when the document states one
    path: str = ""  # where it was read from (informational)
    amends: str | None = None  # the symbol a corrigendum or addendum amends ("DP/2025/14")

    @property
    def stem(self) -> str:
        """File name up to its first dot: the key the evaluation sets use."""
        return self.source.split(".", 1)[0]

    @property
    def paragraph_count(self) -> int:
        return sum(1 for p in self.passages if p.kind == "paragraph")

    def paragraphs(self, part: str = "") -> list[Passage]:
        """The numbered paragraphs of the main text, or of one annex that restarts the numbering."""
        return [p for p in self.passages if p.kind == "paragraph" and p.part == part]

    def passage(self, locator: str) -> Passage | None:
        for p in self.passages:
            if p.locator == locator:
                return p
        return None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        d = dict(d)
        d["passages"] = [Passage.from_dict(p) for p in d.get("passages", [])]
        return cls(**d)
