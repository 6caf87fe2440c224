"""The console stand-in for Slack: questions, `/cite REF`, `/sources`, `/quit`, read line by line.

It reads any text stream, so it works from a pipe as well as a terminal; the prompt is shown only on a
terminal, and a failing question prints an error line and carries on with the next one.
"""

from __future__ import annotations

from typing import TextIO

from bot import console
from index.answering.qa import QAService

HELP = "Type a question, or /cite REF, /sources, /help, /quit."


def handle_line(qa: QAService, line: str) -> str | None:
    """The text to print for one input line; None means quit."""
    line = line.strip()
    if not line:
        return ""
    command, _, rest = line.partition(" ")
    command = command.lower()
    if command in ("/quit", "/exit", "/q"):
        return None
    if command == "/help":
        return HELP
    if command == "/sources":
        return console.sources_text(qa.sources())
    if command == "/cite":
        return console.cite_text(qa.cite(rest.strip())) if rest.strip() else "Usage: /cite REF"
    if command == "/ask":
        line = rest.strip()
        if not line:
            return "Usage: /ask QUESTION"
    elif command.startswith("/"):
        return f"Unknown command {command}. {HELP}"
    return console.answer_text(qa.ask(line))


def run_chat(qa: QAService, stdin: TextIO, stdout: TextIO, interactive: bool) -> int:
    """Returns the number of lines that failed (for the exit code)."""
    failures = 0
    if interactive:
        print(f"BoardQA console. {HELP}", file=stdout)
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        try:
            out = handle_line(qa, line)
        except Exception as exc:  # one bad question must not end the session
            failures += 1
            out = f"Error: {type(exc).__name__}: {exc}"
        if out is None:
            break
        if out:
            print(out + "\n", file=stdout, flush=True)
    return failures
