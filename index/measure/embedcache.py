"""An on-disk cache of passage vectors for the bench, keyed on the model id and the text's hash.

A cold build of the 10,000 bench passages embeds for many minutes on a shared machine; the index store
reuses vectors only from a version that was published, so a build stopped half way kept nothing. Every
vector the bench embeds is appended here chunk by chunk, so an interrupted build resumes where it
stopped and a rerun (or a rerun with --dir elsewhere) embeds nothing. The product never uses this.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.embed import DenseModels, Embedder, companions_of
from index.version import text_hash

FLUSH_EVERY = 256  # vectors held in memory before a chunk is written


def _slug(model_id: str) -> str:
    tail = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id)[:60]
    return f"{tail}-{hashlib.sha256(model_id.encode('utf-8')).hexdigest()[:8]}"


class CheckpointEmbedder:
    """Embeds passages through `inner` only when their vector is not cached; queries pass straight
    through. `hits` counts passages served from the cache, `embedded` those the model embedded."""

    def __init__(self, inner: Embedder, folder: Path) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self.folder = folder / _slug(inner.model_id)
        self.hits = 0
        self.embedded = 0
        self._table: dict[str, np.ndarray] = {}
        self._pending: list[tuple[str, np.ndarray]] = []
        for chunk in sorted(self.folder.glob("chunk-*.npz")):
            try:
                with np.load(chunk, allow_pickle=False) as data:
                    hashes, vectors = data["hashes"], data["vectors"]
            except (OSError, ValueError, KeyError):
                continue  # a chunk cut short by a kill is dropped; its passages are embedded again
            if vectors.ndim == 2 and vectors.shape == (len(hashes), self.dim):
                self._table.update(zip((str(h) for h in hashes), vectors.astype(np.float32), strict=True))

    def __len__(self) -> int:
        return len(self._table)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        hashes = [text_hash(t) for t in texts]
        missing = [i for i, h in enumerate(hashes) if h not in self._table]
        if missing:
            vecs = np.asarray(self.inner.embed_passages([texts[i] for i in missing]), dtype=np.float32)
            for i, vec in zip(missing, vecs, strict=True):
                self._table[hashes[i]] = vec
                self._pending.append((hashes[i], vec))
            if len(self._pending) >= FLUSH_EVERY:
                self.flush()
        self.embedded += len(missing)
        self.hits += len(texts) - len(missing)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._table[h] for h in hashes])

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)

    def flush(self) -> None:
        """Write the vectors embedded since the last flush as one chunk (written whole, then renamed)."""
        if not self._pending:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        number = len(list(self.folder.glob("chunk-*.npz")))
        final = self.folder / f"chunk-{number:05d}.npz"
        tmp = self.folder / f".chunk-{number:05d}.tmp.npz"
        np.savez(tmp, hashes=np.array([h for h, _ in self._pending]),
                 vectors=np.stack([v for _, v in self._pending]))
        tmp.replace(final)
        self._pending = []


def with_checkpoints(embedder: Embedder, folder: Path) -> tuple[Embedder, list[CheckpointEmbedder]]:
    """`embedder` with the primary model and every companion behind a cache in `folder`, and the caches."""
    primary = embedder.primary if isinstance(embedder, DenseModels) else embedder
    cached = CheckpointEmbedder(primary, folder)
    companions = {name: CheckpointEmbedder(e, folder) for name, e in companions_of(embedder).items()}
    wrapped: Embedder = DenseModels(cached, companions) if companions else cached
    return wrapped, [cached, *companions.values()]
