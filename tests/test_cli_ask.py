"""`boardqa ask`, `cite` and `eval` end to end: a real published index on disk, the real commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CITATION_KEYS, CORPUS, REPO

from boardqa.cli import cli

SMALL = [
    "en/annual-report-2020-summary.en.pdf",
    "zh/annual-report-2020-summary.zh.pdf",
    "en/covid19-response-update.en.pdf",
]


@pytest.fixture(scope="module")
def cli_config(tmp_path_factory: pytest.TempPathFactory, qa_embedder) -> Path:  # type: ignore[no-untyped-def]
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repo")
    from boardqa.config import IngestConfig
    from index.store import IndexStore
    from ingest.parse import parse_file

    root = tmp_path_factory.mktemp("cli-ask")
    docs = [parse_file(CORPUS / rel, IngestConfig()) for rel in SMALL]
    IndexStore(root / "index").publish(docs, qa_embedder)
    (root / "config.toml").write_text('[index]\npath = "index"\n', encoding="utf-8")
    return root / "config.toml"


def run(cfg: Path, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--config", str(cfg), *args], input=stdin, catch_exceptions=False)


def test_ask_json_shape(cli_config: Path) -> None:
    r = run(cli_config, "ask", "How many of the 12 outcome areas were underfunded?", "--json", "--top-k", "3")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert set(d) == {"question", "answer", "found", "confidence", "citations"}
    assert d["found"] is True and 0.0 < d["confidence"] <= 1
    assert "6 of the 12" in d["answer"]
    assert len(d["citations"]) == 3
    assert all(CITATION_KEYS <= set(c) for c in d["citations"])
    top = d["citations"][0]
    assert (top["source"], top["paragraph"], top["language"]) == (
        "annual-report-2020-summary.en.pdf",
        "12",
        "en",
    )
    assert top["pages"] and isinstance(top["pages"][0], int)


def test_ask_plain_output_and_filters(cli_config: Path) -> None:
    r = run(cli_config, "ask", "为什么可预测的长期资金是战略优先事项？", "--lang", "zh")
    assert r.exit_code == 0, r.output
    assert "Sources:" in r.output and "第12段" in r.output  # a Chinese passage is cited in Chinese
    r = run(
        cli_config,
        "ask",
        "What were the quick impact projects?",
        "--doc",
        "covid19-response-update",
        "--json",
    )
    assert {c["source"] for c in json.loads(r.output)["citations"]} == {"covid19-response-update.en.pdf"}
    r = run(cli_config, "ask", "anything", "--doc", "no such paper")
    assert r.exit_code != 0 and "no indexed document" in r.output


def test_ask_jsonl_from_stdin_in_order_with_errors_in_place(cli_config: Path) -> None:
    lines = [
        "para 12",
        json.dumps({"id": "w", "q": "今天天气怎么样？"}, ensure_ascii=False),
        "{broken",
        "",
        json.dumps({"q": "How many cities prepared recovery plans?"}),
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "boardqa.cli", "--config", str(cli_config), "ask", "--jsonl", "-"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == 4  # the blank line is skipped, every other line answered in order
    assert out[0]["question"] == "para 12" and out[0]["citations"][0]["paragraph"] == "12"
    assert out[1]["id"] == "w" and out[1]["found"] is False
    assert "error" in out[2] and "line 3" in out[2]["error"]
    assert out[3]["found"] is True and "17" in out[3]["answer"]
    assert proc.returncode == 1  # one line could not be read


def test_cite_found_ambiguous_and_not_found(cli_config: Path) -> None:
    r = run(cli_config, "cite", "para 14(c)", "of", "the", "2020", "annual", "report", "summary", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert {"source", "symbol", "language", "paragraph", "pages", "text", "footnotes"} <= set(d)
    assert (d["source"], d["paragraph"]) == ("annual-report-2020-summary.en.pdf", "14(c)")
    r = run(cli_config, "cite", "第5段", "--json")
    assert r.exit_code == 2
    assert len(json.loads(r.output)["candidates"]) == 2
    r = run(cli_config, "cite", "para", "99")
    assert r.exit_code == 1 and "Not found" in r.output


def test_eval_reports_recall_misses_and_unanswerables(cli_config: Path, tmp_path: Path) -> None:
    qs = tmp_path / "q.jsonl"
    qs.write_text(
        "\n".join(
            json.dumps(q, ensure_ascii=False)
            for q in [
                {
                    "id": "a",
                    "lang": "en",
                    "type": "funding",
                    "q": "How many of the 12 outcome areas were underfunded?",
                    "doc": "annual-report-2020-summary",
                    "paras": ["12"],
                },
                {
                    "id": "b",
                    "lang": "zh",
                    "type": "paragraph",
                    "q": "第12段",
                    "doc": "annual-report-2020-summary",
                    "paras": ["12"],
                },
                {
                    "id": "c",
                    "lang": "en",
                    "type": "fact",
                    "q": "How many cities prepared recovery plans?",
                    "doc": "draft-work-programme-budget-2022",
                    "paras": ["1"],
                },
                {
                    "id": "d",
                    "lang": "en",
                    "type": "unanswerable",
                    "q": "What is the capital of France?",
                    "doc": None,
                    "paras": [],
                },
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    r = run(cli_config, "eval", str(qs), "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["overall"]["n"] == 3
    assert d["overall"]["r1"] == pytest.approx(2 / 3)
    assert set(d["by_language"]) == {"en", "zh"} and set(d["by_type"]) == {"funding", "paragraph", "fact"}
    assert [m["id"] for m in d["misses"]] == ["c"]
    assert d["unanswerable"] == {"n": 1, "not_found": 1, "ok": True}
    plain = run(cli_config, "eval", str(qs))
    assert "R@1" in plain.output and "misses" in plain.output and "c [en/fact]" in plain.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    r = run(cli_config, "eval", str(bad))
    assert r.exit_code != 0 and "bad.jsonl:1" in r.output
