"""`boardqa chat` from a pipe: the console stand-in for Slack, on a small real index."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS
from slack_standin import REPO, boardqa_command, bot_env, bot_index, write_config

from index.store import IndexStore


@pytest.fixture(scope="module")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repo")
    return bot_index(tmp_path_factory.getbasetemp(), CORPUS)


def chat(config: Path, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(boardqa_command() + ["--config", str(config), "chat"], input=stdin, cwd=REPO,
                          env=bot_env(None), capture_output=True, text=True, timeout=300)


def test_chat_from_a_pipe(tmp_path: Path, index_root: Path) -> None:
    docs = IndexStore(index_root).documents()
    covid5 = next(d for d in docs if d.source == "covid19-response-update.en.pdf").passage("5")
    assert covid5 is not None
    lines = [
        "How many of the 12 outcome areas were underfunded?",
        "/cite HSP/EB.2021/TEST/4 para 5",
        "/sources",
        "What is the capital of France?",
        "/bogus",
        "",
        "/quit",
        "What disrupted the implementation of activities in 2020?",
    ]
    out = chat(write_config(tmp_path, index_root), "\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert not text.startswith("BoardQA console") and "> " not in text.split("\n")[0]  # no prompt on a pipe
    assert "6 of the 12 outcome areas" in text and "para 12 · PDF page" in text
    assert " ".join(covid5.text.split()[:8]) in " ".join(text.split())
    assert "HSP/EB.2021/TEST/4 · para 5" in text
    assert f"{len(docs)} indexed documents:" in text
    assert all(d.source in text for d in docs)
    assert "Not found." in text and "Closest matches" in text
    assert "Unknown command /bogus" in text
    assert "What disrupted" not in text and text.count("Sources:") == 1  # nothing after /quit


def test_chat_without_an_index_fails_clearly(tmp_path: Path) -> None:
    out = chat(write_config(tmp_path, tmp_path / "no-index"), "hello\n")
    assert out.returncode != 0
    assert "boardqa ingest" in out.stderr and "Traceback" not in out.stderr


def test_opening_the_service_loads_the_bridge_and_the_search_arrays(tmp_path: Path, index_root: Path) -> None:
    """`serve` and `chat` open the service with open_qa: the first Chinese question must not pay for
    the zh->en bridge's dictionaries, nor any question for the version's search arrays."""
    from boardqa.config import load_config
    from bot.service import open_qa
    from index.retrieval import bridge
    from index.retrieval.lexical import segmenter

    loaders = (segmenter, bridge._cedict_lines, bridge.un_terms)
    for load in loaders:
        load.cache_clear()
    qa = open_qa(load_config(write_config(tmp_path, index_root), env={}))
    assert all(load.cache_info().currsize == 1 for load in loaders)
    assert qa._cached is not None and qa._cached[1] is qa.index()
