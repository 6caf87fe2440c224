"""End to end in Socket Mode: `boardqa serve` connects to a local websocket server playing Slack.

The Web API stand-in answers `apps.connections.open` with the local `ws://` URL; the websocket server
says `hello` and sends envelopes; the bot must ack each by `envelope_id` and post answers via the Web API.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CORPUS
from slack_standin import (
    APP_TOKEN,
    BOT_USER,
    BotProcess,
    SlackStandIn,
    SocketModeServer,
    block_actions,
    bot_env,
    bot_index,
    button,
    event_payload,
    message_event,
    posted_message,
    slash_form,
    write_config,
)


@dataclass
class SocketBot:
    slack: SlackStandIn
    ws: SocketModeServer
    proc: BotProcess
    folder: Path


@pytest.fixture(scope="module")
def socket_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketBot]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the repo")
    index = bot_index(tmp_path_factory.getbasetemp(), CORPUS)
    folder = tmp_path_factory.mktemp("socket-bot")
    config = write_config(folder, index, rate_limit_per_minute=1000)
    with SlackStandIn() as slack, SocketModeServer() as ws:
        slack.socket_url = ws.url
        proc = BotProcess(["--mode", "socket"], config, bot_env(slack.api_url), folder / "serve.out")
        try:
            deadline = time.monotonic() + 120
            while not ws.connections:
                assert proc.proc.poll() is None, proc.output()
                assert time.monotonic() < deadline, proc.output()
                time.sleep(0.1)
            yield SocketBot(slack, ws, proc, folder)
        finally:
            proc.stop()


def test_connects_with_the_app_token(socket_bot: SocketBot) -> None:
    opened = socket_bot.slack.find("apps.connections.open")
    assert opened and opened[0].token == APP_TOKEN


def test_mention_is_acked_and_answered_once_despite_redelivery(socket_bot: SocketBot) -> None:
    slack, ws = socket_bot.slack, socket_bot.ws
    ts = f"{time.time():.6f}"
    payload = event_payload(message_event(f"<@{BOT_USER}> How many of the 12 outcome areas were underfunded?",
                                          channel="C0SOCK001", ts=ts))
    first = ws.send("events_api", payload)
    assert ws.wait_ack(first)["envelope_id"] == first
    again = ws.send("events_api", payload, retry_attempt=1)  # Slack redelivers: new envelope, same event_id
    assert ws.wait_ack(again)["envelope_id"] == again
    call = slack.wait_for("chat.postMessage", channel="C0SOCK001", thread_ts=ts)[0]
    assert "para 12" in json.dumps(call.params["blocks"], ensure_ascii=False)
    time.sleep(2)
    assert len(slack.find("chat.postMessage", channel="C0SOCK001")) == 1


def test_slash_command_and_button_envelopes(socket_bot: SocketBot) -> None:
    slack, ws = socket_bot.slack, socket_bot.ws
    form = slash_form("/ask", "What disrupted the implementation of activities in 2020?",
                      response_url=slack.response_url("sock-ask"), channel="C0SOCK002")
    envelope = ws.send("slash_commands", form)
    ack = ws.wait_ack(envelope)
    assert "Looking" in json.dumps(ack.get("payload", {}), ensure_ascii=False)
    answer = slack.wait_for("response_url", path="/respond/sock-ask")[0]
    assert answer.params["response_type"] == "ephemeral"
    helpful = button(answer.params["blocks"], "Helpful")
    click = block_actions(helpful["action_id"], helpful["value"], channel="C0SOCK002", user="U0SOCKFAN",
                          response_url=slack.response_url("sock-click"))
    ws.wait_ack(ws.send("interactive", click))
    assert "Thanks" in slack.wait_for("response_url", path="/respond/sock-click")[0].params["text"]
    with sqlite3.connect(socket_bot.folder / "feedback.sqlite") as db:
        rows = db.execute("SELECT user, helpful, question FROM feedback WHERE answer_id = ?",
                          (helpful["value"],)).fetchall()
    assert rows == [("U0SOCKFAN", 1, "What disrupted the implementation of activities in 2020?")]


def test_thread_button_posts_into_the_thread(socket_bot: SocketBot) -> None:
    slack, ws = socket_bot.slack, socket_bot.ws
    ts = f"{time.time():.6f}"
    payload = event_payload(message_event("What recommendations does the 2020 annual report make?",
                                          channel="D0SOCK003", ts=ts, kind="message"))
    ws.wait_ack(ws.send("events_api", payload))
    message = posted_message(slack.wait_for("chat.postMessage", channel="D0SOCK003", thread_ts=ts)[0])
    value = json.dumps({"s": "annual-report-2020-summary.en.pdf", "l": "15", "g": "zh"})
    click = block_actions("show_parallel:1:zh", value, response_url=slack.response_url("sock-zh"),
                          channel="D0SOCK003", message=message)
    ws.wait_ack(ws.send("interactive", click))
    calls = slack.wait_for("chat.postMessage", count=2, channel="D0SOCK003", thread_ts=ts)
    assert "中文 version" in json.dumps(calls[1].params["blocks"], ensure_ascii=False)
