"""One searchable index version: documents, row map, dense vectors and both indexes, built in memory.

The store persists and reloads these; the search layer only ever reads them. Vectors are reused by the
hash of the text the embedder sees, so unchanged passages are never embedded twice. Beside the primary
model's vectors (and its faiss index) a version carries one `DenseField` per companion model, row-aligned
with the primary's; a version built without companions (or by an older release) has `extra == {}`, and
search then has no second dense signal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from index.embed import Embedder, QueryVectors, companions_of
from index.pausepoints import pause_point
from index.retrieval.lexical import LexicalIndex
from index.retrieval.textrep import embed_text, lexical_text
from ingest.models import Document

# progress(stage, done, total): stage is "embedding"; called after each batch (and once at 0).
Progress = Callable[[str, int, int], None]

EMBED_BATCH = 32


@dataclass
class DenseField:
    """A companion model's passage vectors: row i is the version's row i."""

    model_id: str
    vectors: np.ndarray  # rows x dim, L2-normalised float32
    embedded: int = 0  # how the vectors were obtained in this build (0 when loaded from disk)
    reused: int = 0

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1]) if self.vectors.ndim == 2 else 0


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
    extra: dict[str, DenseField] = field(default_factory=dict)  # companion name -> its vectors

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1]) if self.vectors.ndim == 2 else 0

    def row_hashes(self) -> dict[str, np.ndarray]:
        """content hash -> vector, the reuse table for the next build with the same model."""
        return {h: self.vectors[i] for i, h in enumerate(self.hashes)}

    def extra_row_hashes(self) -> dict[str, tuple[str, dict[str, np.ndarray]]]:
        """companion name -> (model id, content hash -> vector): the companions' reuse tables."""
        return {name: (f.model_id, {h: f.vectors[i] for i, h in enumerate(self.hashes)})
                for name, f in self.extra.items()}

    def extra_scores(self, query: QueryVectors) -> dict[str, np.ndarray]:
        """companion name -> cosine of every row with the question, for each companion this version
        carries and the question was embedded with by the same model; absent otherwise."""
        out: dict[str, np.ndarray] = {}
        for name, f in self.extra.items():
            vec = query.extra.get(name)
            if vec is not None and query.model_ids.get(name) == f.model_id and len(vec) == f.dim:
                out[name] = f.vectors @ np.asarray(vec, dtype=np.float32)
        return out


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dense_index(vectors: np.ndarray, dim: int) -> faiss.Index:
    index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def _embed_rows(texts: list[str], hashes: list[str], embedder: Embedder, reuse: dict[str, np.ndarray],
                progress: Progress | None, stage: str) -> tuple[np.ndarray, int, int]:
    """Vectors for every row, embedding only texts missing from `reuse` (each distinct text once);
    returns (vectors, embedded, reused)."""
    dim = int(embedder.dim)
    vectors = np.zeros((len(texts), dim), dtype=np.float32)
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
        progress(stage, 0, len(keys))
    for start in range(0, len(keys), EMBED_BATCH):
        batch = keys[start : start + EMBED_BATCH]
        vecs = embedder.embed_passages([texts[unique[h][0]] for h in batch])
        for h, vec in zip(batch, vecs, strict=True):
            for i in unique[h]:
                vectors[i] = vec
        if progress:
            progress(stage, min(start + len(batch), len(keys)), len(keys))
        pause_point("embedding")
    return vectors, len(keys), len(texts) - len(todo)


def build_version(
    documents: list[Document],
    embedder: Embedder,
    reuse: dict[str, np.ndarray] | None = None,
    progress: Progress | None = None,
    version: str = "in-memory",
    path: Path | None = None,
    extra_reuse: dict[str, tuple[str, dict[str, np.ndarray]]] | None = None,
) -> IndexVersion:
    """Every passage of every document becomes one row; only texts missing from `reuse` are embedded.

    Companions of `embedder` (see `index.embed.companions_of`) embed the same texts into `extra`,
    reusing `extra_reuse[name]` = (model id, hash -> vector) when its model id is theirs. Progress
    stages: "embedding" for the primary, "embedding <name>" for each companion.
    """
    rows: list[tuple[int, int]] = []
    dense_texts: list[str] = []
    lex_texts: list[str] = []
    for di, doc in enumerate(documents):
        for pi, passage in enumerate(doc.passages):
            rows.append((di, pi))
            dense_texts.append(embed_text(doc, passage))
            lex_texts.append(lexical_text(doc, passage))
    hashes = [text_hash(t) for t in dense_texts]
    vectors, embedded, reused = _embed_rows(dense_texts, hashes, embedder, reuse or {}, progress, "embedding")
    extra: dict[str, DenseField] = {}
    for name, companion in companions_of(embedder).items():
        model_id, table = (extra_reuse or {}).get(name, ("", {}))
        vecs, n_new, n_old = _embed_rows(dense_texts, hashes, companion,
                                         table if model_id == companion.model_id else {},
                                         progress, f"embedding {name}")
        extra[name] = DenseField(model_id=companion.model_id, vectors=vecs, embedded=n_new, reused=n_old)
    return IndexVersion(
        version=version,
        path=path or Path(),
        model_id=embedder.model_id,
        documents=documents,
        rows=rows,
        vectors=vectors,
        dense=dense_index(vectors, int(embedder.dim)),
        lexical=LexicalIndex.build(lex_texts),
        embedded=embedded,
        reused=reused,
        hashes=hashes,
        extra=extra,
    )
