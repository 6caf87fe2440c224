"""The command line as a new user meets it: `--config` anywhere, one-line errors, output that fits a
100-column terminal (Chinese by display width), Chinese labels for Chinese passages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.cells import cell_len
from store_helpers import run_cli

from boardqa.cli import COMMANDS, cli
from bot import describe
from index.answering.results import Citation

pytest_plugins = ["demo_fixtures"]

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PDF = REPO / "examples" / "water-sanitation-pilot.en.pdf"
WIDTH = 100


def invoke(*args: str, stdin: str | None = None, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin,
                              env={"COLUMNS": str(WIDTH), "BOARDQA_CONFIG": None, **(env or {})})


def one_line_error(result: Result) -> str:
    lines = result.output.strip().splitlines()
    assert result.exit_code != 0 and len(lines) == 1, result.output
    assert lines[0].startswith("Error: ") and "Traceback" not in result.output
    return lines[0]


def args_for(command: str, tmp: Path) -> list[str]:
    """Arguments with which each command gets as far as reading the configuration."""
    questions = tmp / "q.jsonl"
    questions.write_text('{"id": "x", "q": "How much did the pilot cost?", "doc": "water-sanitation-pilot", '
                         '"paras": ["4"]}\n', encoding="utf-8")
    return {"ingest": [str(EXAMPLE_PDF)], "ask": ["How much did the pilot cost?"], "cite": ["para 3"],
            "passages": ["EXB/2026/DEMO/1"], "remove": ["EXB/2026/DEMO/1"], "eval": [str(questions)],
            "fit": ["--set", str(tmp), str(questions), "--dry-run"]}.get(command, [])


@pytest.fixture
def broken_config(tmp_path: Path) -> Path:
    """A configuration whose index path is a file: every command that reads it must say so in one line."""
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    cfg = tmp_path / "broken.toml"
    cfg.write_text('[index]\npath = "not-a-folder"\n', encoding="utf-8")
    return cfg


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_config_before_or_after_the_command_and_from_the_environment(command: str, tmp_path: Path,
                                                                      broken_config: Path) -> None:
    args = args_for(command, tmp_path)
    for result in (invoke("--config", str(broken_config), command, *args),
                   invoke(command, *args, "--config", str(broken_config)),
                   invoke(command, *args, env={"BOARDQA_CONFIG": str(broken_config)})):
        line = one_line_error(result)
        assert "not-a-folder is a file, not a folder" in line, (command, line)


def test_a_later_config_wins_and_a_good_one_works_in_both_places(demo_config: Path,
                                                                 broken_config: Path) -> None:
    before = invoke("--config", str(demo_config), "sources", "--json")
    after = invoke("sources", "--json", "--config", str(demo_config))
    assert before.exit_code == after.exit_code == 0 and before.stdout == after.stdout
    assert "EXB/2026/DEMO/1" in before.stdout
    overridden = invoke("--config", str(broken_config), "sources", "--json", "--config", str(demo_config))
    assert overridden.exit_code == 0 and overridden.stdout == before.stdout


def test_index_path_that_is_a_file_is_one_line_from_the_real_program(tmp_path: Path) -> None:
    afile = tmp_path / "index-file"
    afile.write_text("x", encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text("", encoding="utf-8")
    for args in (["sources"], ["ask", "What did the pilot cost?"], ["ingest", str(EXAMPLE_PDF)]):
        done = run_cli(cfg, *args, env={"BOARDQA_INDEX_PATH": str(afile)})
        lines = (done.stdout + done.stderr).strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1, done.stderr
        assert f"{afile} is a file, not a folder" in lines[0] and "BOARDQA_INDEX_PATH" in lines[0]


def test_unusable_config_files_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[index\n", encoding="utf-8")
    assert "not valid TOML" in one_line_error(invoke("--config", str(bad), "sources"))
    bad.write_bytes(b"\xff\xfe[index]")
    assert "not valid TOML" in one_line_error(invoke("sources", "--config", str(bad)))
    assert "is a folder" in one_line_error(invoke("sources", "--config", str(tmp_path)))
    assert "not found" in one_line_error(invoke("sources", "--config", str(tmp_path / "missing.toml")))


@pytest.mark.parametrize("content", [[], ["notes.csv", "scan.png"]], ids=["empty", "nothing-supported"])
def test_ingest_of_a_folder_with_nothing_to_read(tmp_path: Path, content: list[str]) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    for name in content:
        (folder / name).write_text("x", encoding="utf-8")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[index]\npath = "index"\n', encoding="utf-8")
    result = invoke("ingest", str(folder), "--config", str(cfg))
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert lines[0] == "refused papers: the folder holds no .pdf, .txt, .md, .docx file to ingest"
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_ask_without_a_question_or_with_two_kinds_of_input(demo_config: Path, tmp_path: Path) -> None:
    for args in ([], [""], ["  "]):
        line = one_line_error(invoke("--config", str(demo_config), "ask", *args))
        assert "ask needs a question" in line and "--jsonl" in line
    questions = tmp_path / "q.txt"
    questions.write_text("How much did the pilot cost?\n", encoding="utf-8")
    both = invoke("--config", str(demo_config), "ask", "a question", "--jsonl", str(questions))
    assert "not both" in one_line_error(both) and both.exit_code == 2


def test_usage_mistakes_are_one_line_with_where_to_look(demo_config: Path) -> None:
    cfg = str(demo_config)
    for args, words in ((["ask", "q", "--top-k", "0"], "--top-k"), (["cite"], "Missing argument"),
                        (["bogus"], "No such command"), (["sources", "--nope"], "No such option")):
        result = invoke("--config", cfg, *args)
        line = one_line_error(result)
        assert words in line and "--help` for usage" in line and result.exit_code == 2, line


def assert_fits(output: str, width: int = WIDTH) -> None:
    too_wide = [(cell_len(line), line) for line in output.splitlines() if cell_len(line) > width]
    assert not too_wide, too_wide


def test_sources_fits_100_columns_and_wraps_titles_at_words(demo_config: Path) -> None:
    result = invoke("--config", str(demo_config), "sources")
    assert result.exit_code == 0
    assert_fits(result.output)
    title = ("Final report on the pilot programme for community-managed water and sanitation in "
             "secondary cities")
    assert title not in result.output  # wrapped ...
    words = set(re.findall(r"[\w\-]+", result.output))
    assert all(w in words for w in title.split()), result.output  # ... but never inside a word
    wide = invoke("--config", str(demo_config), "sources", "--wide")
    assert wide.exit_code == 0 and title in wide.output and "board-document" in wide.output


def test_chinese_output_fits_100_columns_by_display_width(demo_config: Path) -> None:
    cfg = str(demo_config)
    outputs = {
        "passages": invoke("--config", cfg, "passages", "EXB/2026/DEMO/1", "--lang", "zh"),
        "cite": invoke("--config", cfg, "cite", "第1段"),
        "ask": invoke("--config", cfg, "ask", "执行局在哪次会议上核准了试点项目？"),
        "chat": invoke("--config", cfg, "chat", stdin="/sources\n/cite 第1段\n试点项目的总费用是多少？\n"),
    }
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.output)
        assert "执行局" in result.output or "试点" in result.output, name
        assert_fits(result.output)
    # the long Chinese paragraph 1 really is wrapped, not cut: every character is still there
    flat = re.sub(r"\s|│", "", outputs["cite"].output)
    assert "（第2024/7号决定）。试点项目的实施期为2024年1月1日至2025年12月31日。" in flat


def test_chinese_passages_get_chinese_labels(demo_config: Path) -> None:
    zh = invoke("--config", str(demo_config), "cite", "第5段")
    assert zh.exit_code == 0, zh.output
    assert re.search(r"EXB/2026/DEMO/1 · 第5段 · 第 [0-9–]+ 页 · 中文", zh.output), zh.output
    assert "para 5" not in zh.output and "PDF page" not in zh.output
    en = invoke("--config", str(demo_config), "cite", "para 5")
    assert re.search(r"EXB/2026/DEMO/1 · para 5 · PDF pages? [0-9–]+ · English", en.output), en.output


def test_labels_follow_the_passage_language() -> None:
    def citation(language: str, kind: str = "board-document", **kw: object) -> Citation:
        fields: dict = {"source": f"x.{language}.pdf", "kind": kind, "symbol": None, "title": "t",
                        "language": language, "paragraph": "14(c)", "heading": "", "pages": [3, 4],
                        "printed_pages": [], "score": 0.9, "text": "x", "locator": "14(c)", **kw}
        return Citation(**fields)

    assert describe.facts(citation("zh")) == ["第14(c)段", "第 3–4 页", "中文"]
    assert describe.facts(citation("en")) == ["para 14(c)", "PDF pages 3–4", "English"]
    report = citation("zh", kind="report", paragraph=None, heading="第四部分", printed_pages=["15"],
                      pages=[17])
    assert describe.facts(report) == ["第四部分 · 印刷页码 15", "第 17 页", "中文"]
