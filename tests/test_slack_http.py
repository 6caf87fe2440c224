"""End to end in HTTP mode: `boardqa serve --mode http` as a subprocess, Slack played by the stand-in.

Requests are signed exactly as Slack signs them; assertions are on what the bot sent to the stand-in's
Web API and response URLs, and on the feedback database the bot wrote.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, EVAL
from slack_standin import (
    APP_TOKEN,
    BOT_TOKEN,
    BOT_USER,
    SIGNING_SECRET,
    BotProcess,
    Call,
    SlackStandIn,
    block_actions,
    boardqa_command,
    bot_env,
    bot_index,
    button,
    event_payload,
    free_port,
    limit_problems,
    message_event,
    post,
    posted_message,
    signed_headers,
    slash_form,
    write_config,
)

from index.store import IndexStore

FORM = "application/x-www-form-urlencoded"
_names = itertools.count(1)
_ts = itertools.count(1)


def new_ts() -> str:
    return f"{int(time.time())}.{next(_ts):06d}"


@dataclass
class HttpBot:
    port: int
    proc: BotProcess
    folder: Path
    slack: SlackStandIn

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def send_event(self, event: dict[str, Any], event_id: str | None = None,
                   extra_headers: dict[str, str] | None = None, secret: str = SIGNING_SECRET,
                   timestamp: int | None = None) -> tuple[int, str]:
        payload = event_payload(event, event_id)
        body = json.dumps(payload).encode()
        headers = {**signed_headers(body, "application/json", secret, timestamp), **(extra_headers or {})}
        status, _ = post(self.url, body, headers)
        return status, str(payload["event_id"])

    def mention(self, text: str, channel: str, user: str = "U0000USER", **kw: Any) -> tuple[int, str]:
        ts = kw.pop("ts", None) or new_ts()
        status, _ = self.send_event(message_event(f"<@{BOT_USER}> {text}", channel=channel, user=user, ts=ts,
                                                  **kw))
        assert status == 200
        return status, ts

    def slash(self, command: str, text: str, channel: str = "C0000GEN", user: str = "U0000USER"
              ) -> tuple[int, bytes, str]:
        name = f"cmd{next(_names)}"
        form = slash_form(command, text, response_url=self.slack.response_url(name), channel=channel,
                          user=user)
        body = urllib.parse.urlencode(form).encode()
        status, reply = post(self.url, body, signed_headers(body, FORM))
        return status, reply, f"/respond/{name}"

    def click(self, action_id: str, value: str, channel: str, message: dict[str, Any] | None = None,
              user: str = "U0000USER") -> tuple[int, str]:
        name = f"act{next(_names)}"
        payload = block_actions(action_id, value, response_url=self.slack.response_url(name), channel=channel,
                                user=user, message=message)
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        status, _ = post(self.url, body, signed_headers(body, FORM))
        return status, f"/respond/{name}"

    def answer_in_thread(self, channel: str, ts: str, timeout: float = 60) -> Call:
        calls = self.slack.wait_for("chat.postMessage", channel=channel, thread_ts=ts, timeout=timeout)
        return calls[0]

    def cited(self, call: Call) -> list[dict[str, Any]]:
        """The citations the bot recorded for the answer in this message (via its Helpful button)."""
        answer_id = button(call.params["blocks"], "Helpful")["value"]
        with sqlite3.connect(self.folder / "feedback.sqlite") as db:
            row = db.execute("SELECT citations FROM answers WHERE id = ?", (answer_id,)).fetchone()
        assert row is not None
        return list(json.loads(row[0]))


@pytest.fixture(scope="module")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repo")
    return bot_index(tmp_path_factory.getbasetemp(), CORPUS)


@pytest.fixture(scope="module")
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn(channels={"C0NAMED01": "board-qa", "C0OTHER01": "random"}) as standin:
        yield standin


def start_bot(slack: SlackStandIn, index_root: Path, folder: Path, api_url: str, **settings: Any) -> HttpBot:
    config = write_config(folder, index_root, **settings)
    port = free_port()
    proc = BotProcess(["--mode", "http", "--port", str(port), "--host", "127.0.0.1"], config,
                      bot_env(api_url), folder / "serve.out")
    try:
        proc.wait_http(port)
    except AssertionError:
        proc.stop()
        raise
    return HttpBot(port, proc, folder, slack)


@pytest.fixture(scope="module")
def bot(slack: SlackStandIn, index_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpBot]:
    running = start_bot(slack, index_root, tmp_path_factory.mktemp("http-bot"), slack.api_url,
                        rate_limit_per_minute=1000)
    yield running
    running.proc.stop()


@pytest.fixture(scope="module")
def strict_bot(slack: SlackStandIn, index_root: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[HttpBot]:
    """Rate limit 2 a minute, two allowed channels (one by id, one by name); API URL without its "/"."""
    running = start_bot(slack, index_root, tmp_path_factory.mktemp("strict-bot"), slack.api_url.rstrip("/"),
                        rate_limit_per_minute=2, allowed_channels=["C0ALLOW01", "#board-qa"])
    yield running
    running.proc.stop()


def dev_questions() -> list[dict[str, Any]]:
    lines = (EVAL / "dev_questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def is_hit(citation: dict[str, Any], gold: dict[str, Any]) -> bool:
    para = (citation.get("paragraph") or "").split("(")[0]
    gold_paras = {p.split("(")[0] for p in gold["paras"]}
    return citation["source"].split(".", 1)[0] == gold["doc"] and para in gold_paras


# ---- questions ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("qid", ["d01", "d05", "d15", "d28", "d30"])
def test_mention_is_answered_in_thread_with_the_right_paragraph(bot: HttpBot, qid: str) -> None:
    gold = next(q for q in dev_questions() if q["id"] == qid)
    channel = f"C0Q{qid.upper()}"
    _, ts = bot.mention(gold["q"], channel)
    call = bot.answer_in_thread(channel, ts)
    assert limit_problems(call.params.get("text"), call.params.get("blocks")) == []
    cited = bot.cited(call)
    hits = [c for c in cited[:3] if is_hit(c, gold)]
    assert hits, f"{gold['q']!r}: expected {gold['doc']} ¶{gold['paras']}, got {cited[:3]}"
    para = hits[0]["paragraph"]
    chinese = hits[0]["source"].endswith(".zh.pdf")  # the corpus names its language versions so
    label = f"第{para}段" if chinese else f"para {para}"  # a Chinese passage is labelled in Chinese
    assert label in json.dumps(call.params["blocks"], ensure_ascii=False)
    eyes = bot.slack.find("reactions.add", channel=channel, timestamp=ts)
    assert eyes and eyes[0].params["name"] == "eyes"
    assert call.token == BOT_TOKEN


def test_direct_message_is_answered_in_thread(bot: HttpBot) -> None:
    ts = new_ts()
    event = message_event("How many cities prepared recovery plans with UN-Habitat support?",
                          channel="D0DM0001", kind="message", ts=ts)
    assert bot.send_event(event)[0] == 200
    call = bot.answer_in_thread("D0DM0001", ts)
    assert any(c["source"].startswith("covid19-response-update") for c in bot.cited(call)[:3])


def test_follow_up_mention_in_thread_is_answered_in_that_thread(bot: HttpBot) -> None:
    _, ts = bot.mention("What disrupted the implementation of activities in 2020?", "C0FOLLOW1")
    bot.answer_in_thread("C0FOLLOW1", ts)
    follow = new_ts()
    bot.mention("And which outcome also contributes to climate change mitigation?", "C0FOLLOW1",
                ts=follow, thread_ts=ts)
    calls = bot.slack.wait_for("chat.postMessage", count=2, channel="C0FOLLOW1", thread_ts=ts)
    assert len(calls) == 2


def test_unanswerable_question_says_not_found(bot: HttpBot) -> None:
    _, ts = bot.mention("What is the capital of France?", "C0NOTFND1")
    call = bot.answer_in_thread("C0NOTFND1", ts)
    blocks = call.params["blocks"]
    assert blocks[0]["text"]["text"].startswith(":mag:")
    assert call.params["text"].startswith("Not found.")
    body = json.dumps(blocks, ensure_ascii=False)
    assert "Closest matches" not in body or "may not answer" in body


def test_mentions_and_document_text_are_escaped(bot: HttpBot) -> None:
    # A real @channel in the question arrives as <!channel>; a typed "<!here>" arrives escaped.
    _, ts = bot.mention("<!channel> &lt;!here&gt; &lt;@U0VICTIM&gt; how many outcome areas were underfunded?",
                        "C0ESCAPE1")
    call = bot.answer_in_thread("C0ESCAPE1", ts)
    body = call.text_and_blocks()
    for raw in ("<!channel>", "<!here>", "<@U0VICTIM>"):
        assert raw not in body
    assert "&lt;!here&gt;" in body and "&lt;@U0VICTIM&gt;" in body


def test_long_question_and_answer_stay_within_limits(bot: HttpBot) -> None:
    question = "What does the report say about funding, outcome areas, partnerships and the pandemic? " * 40
    _, ts = bot.mention(question, "C0LONGQ01")
    call = bot.answer_in_thread("C0LONGQ01", ts)
    assert limit_problems(call.params["text"], call.params["blocks"]) == []


# ---- Slack's delivery rules ------------------------------------------------------------------------

def test_bad_or_stale_signature_is_refused(bot: HttpBot) -> None:
    before = len(bot.slack.find("chat.postMessage", channel="C0SIGNED1"))
    event = message_event(f"<@{BOT_USER}> para 12", channel="C0SIGNED1")
    assert bot.send_event(event, secret="not-the-secret")[0] == 401
    assert bot.send_event(dict(event, ts=new_ts()), timestamp=int(time.time()) - 600)[0] == 401
    body = json.dumps(event_payload(dict(event, ts=new_ts()))).encode()
    assert post(bot.url, body, {"Content-Type": "application/json"})[0] == 401
    time.sleep(2)
    assert len(bot.slack.find("chat.postMessage", channel="C0SIGNED1")) == before == 0


def test_retried_event_is_answered_once(bot: HttpBot) -> None:
    ts = new_ts()
    event = message_event(f"<@{BOT_USER}> What recommendations does the 2020 annual report make?",
                          channel="C0RETRY01", ts=ts)
    status, event_id = bot.send_event(event)
    assert status == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert bot.send_event(event, event_id=event_id, extra_headers=retry)[0] == 200
    bot.answer_in_thread("C0RETRY01", ts)
    time.sleep(2)
    assert len(bot.slack.find("chat.postMessage", channel="C0RETRY01")) == 1


def test_mention_and_its_message_twin_get_one_answer(bot: HttpBot) -> None:
    ts = new_ts()
    text = f"<@{BOT_USER}> When was the full 2020 annual report released?"
    assert bot.send_event(message_event(text, channel="C0TWIN001", ts=ts))[0] == 200
    assert bot.send_event(message_event(text, channel="C0TWIN001", ts=ts, kind="message"))[0] == 200
    bot.answer_in_thread("C0TWIN001", ts)
    time.sleep(2)
    assert len(bot.slack.find("chat.postMessage", channel="C0TWIN001")) == 1


def test_bot_and_edited_messages_are_ignored(bot: HttpBot) -> None:
    for extra in ({"bot_id": "B0OTHER01"}, {"subtype": "message_changed"}, {"user": BOT_USER}):
        event = message_event("How many outcome areas were underfunded?", channel="D0QUIET01", kind="message")
        event.update(extra)
        assert bot.send_event(event)[0] == 200
    time.sleep(2)
    assert bot.slack.find("chat.postMessage", channel="D0QUIET01") == []


def test_twenty_questions_at_once_are_acknowledged_fast_and_all_answered(bot: HttpBot) -> None:
    indexed = ("annual-report-2020-summary", "covid19-response-update")
    questions = [q for q in dev_questions() if q["doc"] in indexed]
    stamps = [new_ts() for _ in range(20)]

    def send(i: int) -> tuple[int, float]:
        start = time.monotonic()
        status, _ = bot.send_event(message_event(f"<@{BOT_USER}> {questions[i % len(questions)]['q']}",
                                                 channel="C0BURST01", user=f"U0BURST{i:02d}", ts=stamps[i]))
        return status, time.monotonic() - start

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(send, range(20)))
    assert [s for s, _ in results] == [200] * 20
    slowest = max(t for _, t in results)
    assert slowest < 3.0, f"slowest acknowledgement took {slowest:.2f}s"
    calls = bot.slack.wait_for("chat.postMessage", count=20, channel="C0BURST01", timeout=240)
    assert {c.params["thread_ts"] for c in calls} == set(stamps)
    assert not any("Sorry" in c.params["text"] for c in calls)


def test_handler_failure_gives_an_apology_with_an_error_id(bot: HttpBot) -> None:
    bot.slack.fail_once["chat.postMessage"] = "fatal_error"
    _, ts = bot.mention("What is the strategic plan's theory of change based on?", "C0FAIL001")
    calls = bot.slack.wait_for("chat.postMessage", count=2, channel="C0FAIL001", thread_ts=ts)
    apology = calls[-1].params["text"]
    assert apology.startswith("Sorry, something went wrong") and "error id" in apology
    error_id = apology.rsplit("error id ", 1)[1].rstrip(".")
    log = (bot.folder / "bot.log").read_text(encoding="utf-8")
    assert f"error {error_id}" in log and "fatal_error" in log


# ---- slash commands and buttons --------------------------------------------------------------------

def test_ask_is_ephemeral_and_can_be_shared(bot: HttpBot) -> None:
    status, reply, path = bot.slash("/ask", "How much had the quick impact projects cost in total?",
                                    channel="C0SHARE01")
    assert status == 200 and "Looking" in reply.decode()
    answer = bot.slack.wait_for("response_url", path=path)[0]
    assert answer.params["response_type"] == "ephemeral" and answer.params["replace_original"] is True
    assert limit_problems(answer.params["text"], answer.params["blocks"]) == []
    share = button(answer.params["blocks"], "Share in channel")
    status, share_path = bot.click(share["action_id"], share["value"], "C0SHARE01")
    assert status == 200
    posted = bot.slack.wait_for("chat.postMessage", channel="C0SHARE01")[0]
    assert posted.params["blocks"][0]["elements"][0]["text"] == "Shared by <@U0000USER>"
    assert posted.params["text"] == answer.params["text"]
    assert bot.slack.wait_for("response_url", path=share_path)[0].params.get("delete_original") is True


def test_cite_and_sources(bot: HttpBot, index_root: Path) -> None:
    docs = IndexStore(index_root).documents()
    covid = next(d for d in docs if d.source == "covid19-response-update.en.pdf")
    status, _, path = bot.slash("/cite", "HSP/EB.2021/TEST/4 para 5")
    assert status == 200
    cite = bot.slack.wait_for("response_url", path=path)[0]
    body = json.dumps(cite.params["blocks"], ensure_ascii=False)
    assert "para 5" in body
    assert covid.passage("5").text.split()[3] in body  # type: ignore[union-attr]
    status, _, path = bot.slash("/sources", "")
    listing = bot.slack.wait_for("response_url", path=path)[0]
    assert listing.params["text"].startswith(f"{len(docs)} indexed documents")
    for d in docs:
        assert d.source in json.dumps(listing.params["blocks"], ensure_ascii=False)
    _, reply, path = bot.slash("/ask", "")
    assert "Usage" in reply.decode()


def test_feedback_clicks_are_stored_and_counted(bot: HttpBot) -> None:
    _, ts = bot.mention("What is the SDG Cities flagship initiative meant to accelerate?", "C0FEEDBK1")
    call = bot.answer_in_thread("C0FEEDBK1", ts)
    message = posted_message(call)
    helpful, not_helpful = button(message["blocks"], "Helpful"), button(message["blocks"], "Not helpful")
    for b, user in ((helpful, "U0FAN0001"), (not_helpful, "U0CRITIC1")):
        status, path = bot.click(b["action_id"], b["value"], "C0FEEDBK1", message, user=user)
        assert status == 200
        assert bot.slack.wait_for("response_url", path=path)[0].params["text"].startswith("Thanks, noted")
    with sqlite3.connect(bot.folder / "feedback.sqlite") as db:
        rows = db.execute("SELECT user, channel, helpful, question, answer, citations, created FROM feedback "
                          "WHERE answer_id = ? ORDER BY user", (helpful["value"],)).fetchall()
    assert [r[:3] for r in rows] == [("U0CRITIC1", "C0FEEDBK1", 0), ("U0FAN0001", "C0FEEDBK1", 1)]
    assert rows[0][3] == "What is the SDG Cities flagship initiative meant to accelerate?"
    assert rows[0][4] and json.loads(rows[0][5]) and rows[0][6]
    out = subprocess.run(boardqa_command() + ["--config", str(bot.folder / "config.toml"), "feedback"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "not helpful: " in out.stdout and "SDG Cities flagship" in out.stdout


def test_show_full_paragraph_and_other_language(bot: HttpBot, index_root: Path) -> None:
    docs = {d.source: d for d in IndexStore(index_root).documents()}
    en, zh = docs["annual-report-2020-summary.en.pdf"], docs["annual-report-2020-summary.zh.pdf"]
    longest = max(en.passages, key=lambda p: len(p.text))
    _, ts = bot.mention("How many of the 12 outcome areas were underfunded?", "C0BUTTON1")
    message = posted_message(bot.answer_in_thread("C0BUTTON1", ts))
    full_value = json.dumps({"s": en.source, "l": longest.locator})
    assert bot.click("show_full:1", full_value, "C0BUTTON1", message)[0] == 200
    parts = bot.slack.wait_for("chat.postMessage", count=2, channel="C0BUTTON1", thread_ts=ts)[1:]
    text = " ".join(b["text"]["text"] for c in parts for b in c.params["blocks"]
                    if b["type"] == "section" and b["text"]["text"].startswith(">"))
    assert " ".join(longest.text.split()[:12]) in text.replace("> ", "").replace("\n>", "")
    zh_value = json.dumps({"s": en.source, "l": "12", "g": "zh"})
    assert bot.click("show_parallel:1:zh", zh_value, "C0BUTTON1", message)[0] == 200
    other = bot.slack.wait_for("chat.postMessage", channel="C0BUTTON1", thread_ts=ts,
                               where=lambda c: "中文 version" in c.params["text"] or
                               "中文 version" in json.dumps(c.params["blocks"], ensure_ascii=False))[0]
    assert zh.passage("12").text[:20] in json.dumps(other.params["blocks"], ensure_ascii=False)  # type: ignore[union-attr]


def test_every_message_sent_was_within_limits(bot: HttpBot) -> None:
    sent = bot.slack.find("chat.postMessage") + bot.slack.find("chat.postEphemeral") + [
        c for c in bot.slack.find("response_url") if not c.params.get("delete_original")]
    assert len(sent) > 20
    for c in sent:
        assert limit_problems(c.params.get("text"), c.params.get("blocks")) == [], c.params


# ---- allowlist and rate limit -----------------------------------------------------------------------

def test_allowlist_and_rate_limit(strict_bot: HttpBot) -> None:
    slack = strict_bot.slack
    _, ts = strict_bot.mention("How many outcome areas were underfunded?", "C0OTHER01", user="U0STRICT1")
    note = slack.wait_for("chat.postEphemeral", channel="C0OTHER01")[0]
    assert note.params["user"] == "U0STRICT1" and "only answer" in note.params["text"]
    time.sleep(1)
    assert slack.find("chat.postMessage", channel="C0OTHER01") == []
    _, ts = strict_bot.mention("How many outcome areas were underfunded?", "C0NAMED01", user="U0STRICT1")
    strict_bot.answer_in_thread("C0NAMED01", ts)  # allowed by name (#board-qa)
    for _ in range(2):
        _, ts = strict_bot.mention("What disrupted activities in 2020?", "C0ALLOW01", user="U0STRICT2")
    slack.wait_for("chat.postMessage", count=2, channel="C0ALLOW01")
    strict_bot.mention("And in 2021?", "C0ALLOW01", user="U0STRICT2")
    limited = slack.wait_for("chat.postEphemeral", channel="C0ALLOW01")[0]
    assert "Please wait" in limited.params["text"] and limited.params["user"] == "U0STRICT2"
    _, ts = strict_bot.mention("What disrupted activities in 2020?", "D0STRICT1", user="U0STRICT3")
    strict_bot.answer_in_thread("D0STRICT1", ts)  # direct messages are always allowed


# ---- start-up errors --------------------------------------------------------------------------------

def run_serve(args: list[str], env: dict[str, str], config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(boardqa_command() + ["--config", str(config), "serve", *args], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("mode, change, message", [
    ("socket", {"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN is not set"),
    ("socket", {"SLACK_BOT_TOKEN": "xoxp-1234-5678"}, "SLACK_BOT_TOKEN should start with 'xoxb-'"),
    ("socket", {"SLACK_APP_TOKEN": BOT_TOKEN}, "SLACK_APP_TOKEN should start with 'xapp-'"),
    ("socket", {"SLACK_APP_TOKEN": ""}, "SLACK_APP_TOKEN is not set"),
    ("http", {"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET is not set"),
    ("http", {"SLACK_API_URL": "ftp://example.org/api"}, "SLACK_API_URL must be an http(s) URL"),
])
def test_bad_settings_fail_clearly(tmp_path: Path, index_root: Path, mode: str, change: dict[str, str],
                                   message: str) -> None:
    env = bot_env("http://127.0.0.1:9/api/")
    env.update(change)
    out = run_serve(["--mode", mode, "--port", str(free_port())], env, write_config(tmp_path, index_root))
    assert out.returncode != 0
    assert message in out.stderr and "Traceback" not in out.stderr


def test_token_refused_by_slack_fails_clearly(tmp_path: Path, index_root: Path) -> None:
    with SlackStandIn(valid_tokens=(APP_TOKEN,)) as refusing:
        out = run_serve(["--mode", "http", "--port", str(free_port())], bot_env(refusing.api_url),
                        write_config(tmp_path, index_root))
    assert out.returncode != 0
    assert "Slack did not accept SLACK_BOT_TOKEN" in out.stderr and "invalid_auth" in out.stderr
    assert "Traceback" not in out.stderr


# ---- the app manifest --------------------------------------------------------------------------------

def test_manifest_declares_what_the_bot_handles() -> None:
    import yaml
    manifest = yaml.safe_load((Path(__file__).resolve().parent.parent / "slack-app-manifest.yml").read_text())
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/ask", "/cite", "/sources", "/reingest"}
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history", "reactions:write"} <= scopes
