"""One searchable index version: documents, row map, dense vectors and both indexes, built in memory.

The store persists and reloads these; the search layer only ever reads them. Vectors are reused by the
hash of the text the embedder sees, so unchanged passages are never embedded twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from index.embed import Embedder
from index.pausepoints import pause_point
from index.retrieval.lexical import LexicalIndex
from index.retrieval.textrep import embed_text, lexical_text
from ingest.models import Document

# progress(stage, done, total): stage is "embedding"; called after each batch (and once at 0).
Progress = Callable[[str, int, int], None]

EMBED_BATCH = 32


@dataclass
class IndexVersion:
    version: str
    path: Path
    model_id: str
    documents: list[Document]
    rows: list[tuple[int, int]]  # row -> (document index, passage index)
    vectors: np.ndarray  # rows x dim, L2-normalised float32
    dense: faiss.Index  # inner product over `vectors`
    lexical: LexicalIndex  # same rows as `vectors`
    # How the vectors were obtained when this version was built (0 for a version loaded from disk).
    embedded: int = 0
    reused: int = 0
    created: str = ""  # ISO time of publication; "" for an unpublished in-memory build
    hashes: list[str] = field(default_factory=list)  # per row: sha256 of its embed_text

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1]) if self.vectors.ndim == 2 else 0

    def row_hashes(self) -> dict[str, np.ndarray]:
        """content hash -> vector, the reuse table for the next build with the same model."""
        return {h: self.vectors[i] for i, h in enumerate(self.hashes)}


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dense_index(vectors: np.ndarray, dim: int) -> faiss.Index:
    index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def build_version(
    documents: list[Document],
    embedder: Embedder,
    reuse: dict[str, np.ndarray] | None = None,
    progress: Progress | None = None,
    version: str = "in-memory",
    path: Path | None = None,
) -> IndexVersion:
    """Every passage of every document becomes one row; only texts missing from `reuse` are embedded."""
    reuse = reuse or {}
    rows: list[tuple[int, int]] = []
    dense_texts: list[str] = []
    lex_texts: list[str] = []
    for di, doc in enumerate(documents):
        for pi, passage in enumerate(doc.passages):
            rows.append((di, pi))
            dense_texts.append(embed_text(doc, passage))
            lex_texts.append(lexical_text(doc, passage))
    hashes = [text_hash(t) for t in dense_texts]
    dim = int(embedder.dim)
    vectors = np.zeros((len(rows), dim), dtype=np.float32)
    todo: list[int] = []
    for i, h in enumerate(hashes):
        vec = reuse.get(h)
        if vec is not None and vec.shape == (dim,):
            vectors[i] = vec
        else:
            todo.append(i)
    # Identical texts inside one build are embedded once.
    unique: dict[str, list[int]] = {}
    for i in todo:
        unique.setdefault(hashes[i], []).append(i)
    keys = list(unique)
    if progress:
        progress("embedding", 0, len(keys))
    for start in range(0, len(keys), EMBED_BATCH):
        batch = keys[start : start + EMBED_BATCH]
        vecs = embedder.embed_passages([dense_texts[unique[h][0]] for h in batch])
        for h, vec in zip(batch, vecs, strict=True):
            for i in unique[h]:
                vectors[i] = vec
        if progress:
            progress("embedding", min(start + len(batch), len(keys)), len(keys))
        pause_point("embedding")
    return IndexVersion(
        version=version,
        path=path or Path(),
        model_id=embedder.model_id,
        documents=documents,
        rows=rows,
        vectors=vectors,
        dense=dense_index(vectors, dim),
        lexical=LexicalIndex.build(lex_texts),
        embedded=len(keys),
        reused=len(rows) - len(todo),
        hashes=hashes,
    )
