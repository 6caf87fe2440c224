"""The ingest, sources, passages, versions, rollback and remove commands, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from store_helpers import BASE_FILES, SEED_EN, corpus_file, log_lines, run_cli, write_config_toml

from boardqa.cli import cli
from index.store import IndexStore

pytest_plugins = ["store_fixtures"]

NO_INDEX = "no index yet: run `boardqa ingest PATH` first"


def invoke(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


@pytest.mark.parametrize("args", [["sources"], ["passages", "anything"], ["versions"], ["rollback"],
                                  ["remove", "anything"], ["sources", "--json"]])
def test_commands_before_any_ingest_say_what_to_do(tmp_path: Path, args: list[str]) -> None:
    result = invoke(write_config_toml(tmp_path), *args)
    assert result.exit_code == 1
    assert NO_INDEX in result.output and "Traceback" not in result.output
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_ingest_reports_refused_files_and_a_summary(index_workdir: Path) -> None:
    seed_pdf = corpus_file(SEED_EN.replace(".txt", ".pdf"))
    truncated = corpus_file("bad/truncated.pdf")
    proc = run_cli(index_workdir / "config.toml", "ingest", str(seed_pdf), str(truncated))
    assert proc.returncode == 1, proc.stderr
    refused = [line for line in proc.stderr.splitlines() if line.startswith("refused ")]
    assert len(refused) == 1 and refused[0].startswith("refused truncated.pdf: ")
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith("1 documents (1 added, 0 replaced, 0 unchanged), 15 paragraphs, 4 pages, ")
    assert summary.endswith("now serving version v0002")
    assert "Traceback" not in proc.stderr
    # Good files only: exit code 0, and nothing new to publish.
    again = run_cli(index_workdir / "config.toml", "ingest", str(seed_pdf))
    assert again.returncode == 0, again.stderr
    assert "0 embedded" in again.stdout and "still serving v0002" in again.stdout


def test_sources_lists_every_document(index_workdir: Path) -> None:
    result = invoke(index_workdir / "config.toml", "sources", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["source"] for r in rows] == [Path(rel).name for rel in BASE_FILES]
    assert set(rows[0]) == {"source", "kind", "symbol", "title", "language", "paragraphs", "passages",
                            "pages", "family", "amends", "amended_by"}
    zh = rows[1]
    assert zh["symbol"] == "HSP/EB.2021/TEST/4" and zh["language"] == "zh" and zh["paragraphs"] == 16
    assert zh["pages"] == 3 and zh["passages"] >= 16
    table = invoke(index_workdir / "config.toml", "sources")
    assert table.exit_code == 0 and "HSP/EB.2021/TEST/1" in table.stdout


def test_passages_resolves_names_symbols_and_titles(index_workdir: Path) -> None:
    config = index_workdir / "config.toml"

    def passages(ref: str) -> dict:
        result = invoke(config, "passages", ref, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    by_name = passages("funding-and-resource-mobilization.en.txt")
    assert by_name["source"] == "funding-and-resource-mobilization.en.txt"
    assert passages("HSP/EB.2021/TEST/1")["source"] == by_name["source"]
    assert passages("resource mobilisation strategy")["source"] == by_name["source"]
    assert passages("funding-and-resource-mobilization")["source"] == by_name["source"]
    locators = [p["locator"] for p in by_name["passages"]]
    assert locators[0] == "front" and "4" in locators and "22(a)" in locators
    assert locators.index("14") < locators.index("14(a)") < locators.index("15")
    zh = passages("covid19-response-update.zh.pdf")
    para = next(p for p in zh["passages"] if p["locator"] == "5")
    assert para["pages"] and para["paragraph"] == "5" and set(para) >= {"heading", "printed_pages", "text"}
    unknown = invoke(config, "passages", "minutes of the tea committee")
    assert unknown.exit_code == 1 and "no indexed document matches" in unknown.output


def test_ambiguous_document_lists_candidates(index_workdir: Path) -> None:
    config = index_workdir / "config.toml"
    en = corpus_file("en/covid19-response-update.en.txt")
    assert invoke(config, "ingest", str(en)).exit_code == 0
    result = invoke(config, "passages", "HSP/EB.2021/TEST/4")
    assert result.exit_code == 1
    assert "matches several documents" in result.output
    assert "covid19-response-update.en.txt" in result.output
    assert "covid19-response-update.zh.pdf" in result.output


def test_remove_versions_and_rollback(index_workdir: Path) -> None:
    config = index_workdir / "config.toml"
    removed = invoke(config, "remove", "funding-and-resource-mobilization.en.txt")
    assert removed.exit_code == 0, removed.output
    assert removed.stdout.strip() == "removed funding-and-resource-mobilization.en.txt; now serving v0002"
    listed = json.loads(invoke(config, "versions", "--json").stdout)
    assert [(v["version"], v["documents"], v["current"]) for v in listed] == [("v0001", 2, False),
                                                                             ("v0002", 1, True)]
    back = invoke(config, "rollback")
    assert back.exit_code == 0 and back.stdout.strip() == "now serving v0001 (was v0002)"
    assert len(json.loads(invoke(config, "sources", "--json").stdout)) == 2
    forward = invoke(config, "rollback", "v0002")
    assert forward.exit_code == 0 and "now serving v0002" in forward.stdout
    missing = invoke(config, "rollback", "v0099")
    assert missing.exit_code == 1 and "no version 'v0099'" in missing.output
    table = invoke(config, "versions")
    assert table.exit_code == 0 and "v0002" in table.stdout
    events = [e["event"] for e in log_lines(index_workdir / "index")]
    assert events == ["remove", "rollback", "rollback"]


def test_corrupt_current_version_is_reported_with_a_way_out(index_workdir: Path) -> None:
    config = index_workdir / "config.toml"
    docs = index_workdir / "index" / "versions" / "v0001" / "documents.sqlite"
    docs.write_bytes(docs.read_bytes()[:-100])
    result = invoke(config, "sources")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "version v0001: documents.sqlite fails its checksum" in result.output
    assert "`boardqa rollback`" in result.output


def test_busy_index_names_the_holder(index_workdir: Path) -> None:
    config = index_workdir / "config.toml"
    holder = IndexStore(index_workdir / "index")
    with holder.writing("ingest", user="alice"):
        result = invoke(config, "ingest", str(corpus_file(SEED_EN)))
        assert result.exit_code == 1
        assert "being changed by pid" in result.output and "user alice" in result.output
        assert "--wait" in result.output
        assert invoke(config, "rollback").exit_code == 1
    assert IndexStore(index_workdir / "index").current_id() == "v0001"


def test_two_ingests_at_once_never_interleave(index_workdir: Path) -> None:
    config = index_workdir / "config.toml"
    files = [corpus_file(SEED_EN), corpus_file("en/results-framework-indicators.en.txt")]
    procs = [subprocess.Popen([sys.executable, "-m", "boardqa.cli", "--config", str(config), "ingest",
                               "--wait", "240", str(f)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for f in files]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    events = [e for e in log_lines(index_workdir / "index") if e["event"] in ("ingest-start", "ingest")]
    assert [e["event"] for e in events] == ["ingest-start", "ingest", "ingest-start", "ingest"]
    assert events[0]["pid"] == events[1]["pid"] != events[2]["pid"] == events[3]["pid"]
    assert [events[1]["version"], events[3]["version"]] == ["v0002", "v0003"]
    # The second merged with what the first published: both documents are served.
    sources = {d.source for d in IndexStore(index_workdir / "index").documents()}
    assert {f.name for f in files} <= sources
