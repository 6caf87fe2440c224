"""Helpers of the index-store tests: corpus paths, configurations, a real `boardqa` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS

from boardqa.config import Config, IndexConfig, IngestConfig
from ingest.models import Document

# Two small documents in two languages make the base index; SEED_EN is what tests add to it.
BASE_FILES = ("en/funding-and-resource-mobilization.en.txt", "zh/covid19-response-update.zh.pdf")
SEED_EN = "en/annual-report-2020-summary.en.txt"


def corpus_file(rel: str) -> Path:
    path = CORPUS / rel
    if not path.is_file():
        pytest.skip(f"{rel} is not in ../shared/corpus")
    return path


def make_config(root: Path, keep_versions: int = 5) -> Config:
    return Config(index=IndexConfig(path=root / "index", keep_versions=keep_versions),
                  ingest=IngestConfig(inbox=root / "inbox", timeout_seconds=60))


def write_config_toml(root: Path, keep_versions: int = 5) -> Path:
    path = root / "config.toml"
    path.write_text(f'[index]\npath = "index"\nkeep_versions = {keep_versions}\n'
                    f'[ingest]\ninbox = "inbox"\ntimeout_seconds = 60\n', encoding="utf-8")
    return path


def run_cli(config: Path, *args: str, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """A real `boardqa` process (the installed entry point's module), as a user would run it."""
    return subprocess.run([sys.executable, "-m", "boardqa.cli", "--config", str(config), *args],
                          capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})})


def revised(doc: Document, locator: str, new_text: str) -> Document:
    """A copy of `doc` with one passage's text changed, as a new revision of the file would give."""
    passages = [replace(p, text=new_text) if p.locator == locator else replace(p) for p in doc.passages]
    return replace(doc, passages=passages, sha256="revised-" + doc.sha256)


def as_old_release(index: Path, version: str) -> None:
    """Rewrite a version as a release before companion models wrote it: no file, no manifest entry."""
    folder = index / "versions" / version
    (folder / "vectors-use.npy").unlink()
    man = json.loads((folder / "manifest.json").read_text())
    del man["extra"]
    del man["files"]["vectors-use.npy"]
    (folder / "manifest.json").write_text(json.dumps(man))


def log_lines(index: Path) -> list[dict]:
    path = index / "ingest-log.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.is_file() \
        else []
