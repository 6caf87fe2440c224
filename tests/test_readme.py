"""The README's example commands and scripts/demo.sh, run exactly as written, in a folder like a fresh
clone after the quick start: each must succeed, and where its comment names a paragraph ("# paragraph 4:
USD 4.2 million", "# 第3段: 24 个社区") the first citation must be that paragraph and the text after
the colon must be in the output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from demo_helpers import DEMO, boardqa_lines, run_boardqa

pytest_plugins = ["demo_fixtures"]

README = Path(__file__).resolve().parent.parent / "README.md"
NEEDS_SLACK = ("serve",)  # the bot: tests/test_slack_*.py run it against a local Slack stand-in
_EXPECT = re.compile(r"^(?:paragraph|para) (?P<en>[\w()]+)\s*:\s*(?P<text>.+)$"
                     r"|^第(?P<zh>[\w()]+)段\s*:\s*(?P<zhtext>.+)$")
_CITED = re.compile(r"· (?:para (?P<en>[\w()]+)|第(?P<zh>[\w()]+)段) ·")


def readme_commands() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return [line for block in blocks for line in boardqa_lines(block)]


def documented() -> list[tuple[str, str]]:
    lines = readme_commands() + boardqa_lines(DEMO.read_text(encoding="utf-8"))
    return [(c, note) for c, note in lines if c.split()[1] not in NEEDS_SLACK]


def first_cited(command: str, stdout: str) -> str | None:
    if "--json" in command.split():
        data = json.loads(stdout)
        top = data["citations"][0] if "citations" in data else data["citation"]
        return str(top["paragraph"])
    m = _CITED.search(stdout)
    return (m.group("en") or m.group("zh")) if m else None


def test_the_readme_documents_commands_with_their_expected_paragraphs() -> None:
    commands = readme_commands()
    assert any(c.split()[1] == "serve" for c, _ in commands)  # the only kind skipped below
    expected = [note for _, note in documented() if _EXPECT.match(note)]
    assert len(expected) >= 5, expected


@pytest.mark.parametrize("command,note", documented(), ids=[c for c, _ in documented()])
def test_documented_command_answers_as_documented(demo_dir: Path, command: str, note: str) -> None:
    stdin = "/sources\n/cite 第3段\n" if command.split()[1] == "chat" else ""
    done = run_boardqa(command, demo_dir, stdin=stdin)
    assert done.returncode == 0, done.stdout + done.stderr
    m = _EXPECT.match(note)
    if m is None:
        return
    paragraph = m.group("en") or m.group("zh")
    assert first_cited(command, done.stdout) == paragraph, done.stdout
    assert (m.group("text") or m.group("zhtext")).strip() in done.stdout, done.stdout
