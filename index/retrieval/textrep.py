"""The text of a passage as the dense and lexical indexes see it.

Citations quote `Passage.text` alone. The dense side sees the heading path with the passage (a
section heading says what a short passage is about) but not the document title: measured on the dev
set, a title in every passage vector pulls all passages of a document toward any question that shares
a word with its title ("冠状病毒病…" on every paragraph of the COVID-19 update), and R@1 fell from 0.89
to 0.86. The lexical side keeps the title, where BM25's idf already discounts a word every passage of
a document repeats, so a question naming a document still finds it. Changing these functions changes
the content hashes of index rows, so every passage is re-embedded once.
"""

from __future__ import annotations

from ingest.models import Document, Passage


def embed_text(doc: Document, passage: Passage) -> str:
    return f"{passage.heading}: {passage.text}" if passage.heading else passage.text


def lexical_text(doc: Document, passage: Passage) -> str:
    return f"{doc.title} {passage.heading} {passage.text}"
