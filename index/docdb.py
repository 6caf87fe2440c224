"""Documents and passages of one version in SQLite, in row order, with each row's embedding-text hash."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ingest.models import Document, Passage

SCHEMA = """
CREATE TABLE documents (idx INTEGER PRIMARY KEY, source TEXT NOT NULL, meta TEXT NOT NULL);
CREATE TABLE passages (
    row INTEGER PRIMARY KEY, doc INTEGER NOT NULL, pos INTEGER NOT NULL,
    locator TEXT NOT NULL, embed_hash TEXT NOT NULL, data TEXT NOT NULL
);
"""


def write_documents(path: Path, documents: list[Document], hashes: list[str]) -> None:
    con = sqlite3.connect(path)
    try:
        con.executescript(SCHEMA)
        row = 0
        for di, doc in enumerate(documents):
            meta = doc.to_dict()
            meta.pop("passages")
            con.execute("INSERT INTO documents VALUES (?, ?, ?)",
                        (di, doc.source, json.dumps(meta, ensure_ascii=False)))
            for pi, passage in enumerate(doc.passages):
                con.execute("INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?)",
                            (row, di, pi, passage.locator, hashes[row],
                             json.dumps(passage.to_dict(), ensure_ascii=False)))
                row += 1
        con.commit()
    finally:
        con.close()


def _connect_ro(path: Path) -> sqlite3.Connection:
    # immutable: a published version never changes, and no journal file is created beside it.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def read_documents(path: Path) -> tuple[list[Document], list[str]]:
    """The documents in order and the embedding-text hash of every row."""
    con = _connect_ro(path)
    try:
        docs = []
        for _idx, _source, meta in con.execute("SELECT idx, source, meta FROM documents ORDER BY idx"):
            d = json.loads(meta)
            d["passages"] = []
            docs.append(Document.from_dict(d))
        hashes = []
        for doc_idx, embed_hash, data in con.execute(
            "SELECT doc, embed_hash, data FROM passages ORDER BY row"
        ):
            docs[doc_idx].passages.append(Passage.from_dict(json.loads(data)))
            hashes.append(embed_hash)
        return docs, hashes
    finally:
        con.close()
