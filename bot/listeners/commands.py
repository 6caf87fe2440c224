"""Slash commands `/ask`, `/cite` and `/sources`: acknowledged at once, answered ephemerally.

`/ask` answers only the asker, with a "Share in channel" button; the other two are look-ups.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot import render
from bot.context import BotContext
from bot.listeners.answering import admitted, answer_question
from bot.replies import Reply, apologise
from bot.slacktext import question_text


def _reply(client: Any, body: dict[str, Any], respond: Respond) -> Reply:
    return Reply(client=client, channel=str(body.get("channel_id", "")), user=str(body.get("user_id", "")),
                 respond=respond)


def register(app: App, ctx: BotContext) -> None:
    def ack_ask(ack: Ack, body: dict[str, Any]) -> None:
        ack(text="Looking…" if body.get("text", "").strip() else "Usage: `/ask QUESTION`")

    def do_ask(body: dict[str, Any], client: Any, respond: Respond) -> None:
        question = question_text(str(body.get("text", "")))
        if question:
            answer_question(ctx, _reply(client, body, respond), question, shareable=True)

    def ack_cite(ack: Ack, body: dict[str, Any]) -> None:
        if body.get("text", "").strip():
            ack()
        else:
            ack(text="Usage: `/cite REF`, e.g. `/cite para 12 of HSP/EB.2021/12`")

    def do_cite(body: dict[str, Any], client: Any, respond: Respond) -> None:
        ref = question_text(str(body.get("text", "")))
        reply = _reply(client, body, respond)
        if not ref or not admitted(ctx, reply):
            return
        try:
            reply.send(render.cite_message(ctx.qa.cite(ref)))
        except Exception:
            apologise(reply, ctx.log, "looking up that reference")

    def do_sources(body: dict[str, Any], client: Any, respond: Respond) -> None:
        reply = _reply(client, body, respond)
        try:
            reply.send(render.sources_message(ctx.qa.sources()))
        except Exception:
            apologise(reply, ctx.log, "listing the documents")

    def ack_only(ack: Ack) -> None:
        ack()

    app.command("/ask")(ack=ack_ask, lazy=[do_ask])
    app.command("/cite")(ack=ack_cite, lazy=[do_cite])
    app.command("/sources")(ack=ack_only, lazy=[do_sources])
