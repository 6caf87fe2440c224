"""The text of a passage as the dense and lexical indexes see it.

Citations quote `Passage.text` alone; the indexes also see the title and heading so that a question
naming a document or section finds its passages. Changing these functions changes content hashes
of index rows, so every passage is re-embedded once.
"""

from __future__ import annotations

from ingest.models import Document, Passage


def embed_text(doc: Document, passage: Passage) -> str:
    heading = f"{passage.heading}: " if passage.heading else ""
    return f"{doc.title}. {heading}{passage.text}"


def lexical_text(doc: Document, passage: Passage) -> str:
    return f"{doc.title} {passage.heading} {passage.text}"
