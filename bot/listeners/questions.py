"""Mentions in channels and direct messages: acknowledged at once, answered in a thread.

A mention arrives twice when the app also gets the channel's `message` events, so the message itself
(channel + ts) is claimed before answering. Bots, including this one, and edited or system messages
(any subtype) are ignored.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.context import BotContext
from bot.listeners.answering import answer_question
from bot.replies import Reply
from bot.slacktext import question_text


def _ack(ack: Ack) -> None:
    ack()


def handle_message_event(ctx: BotContext, client: Any, event: dict[str, Any],
                         bot_user_id: str | None) -> None:
    if event.get("bot_id") or event.get("subtype") or not event.get("user"):
        return
    if bot_user_id and event.get("user") == bot_user_id:
        return
    channel, ts = str(event.get("channel", "")), str(event.get("ts", ""))
    if not ctx.dedupe.claim(f"message:{channel}:{ts}"):
        return
    reply = Reply(client=client, channel=channel, user=str(event["user"]),
                  thread_ts=str(event.get("thread_ts") or ts))
    answer_question(ctx, reply, question_text(str(event.get("text", "")), bot_user_id), react_to=ts)


def register(app: App, ctx: BotContext) -> None:
    def answer_mention(event: dict[str, Any], client: Any, context: BoltContext) -> None:
        handle_message_event(ctx, client, event, context.bot_user_id)

    def answer_direct_message(event: dict[str, Any], client: Any, context: BoltContext) -> None:
        if event.get("channel_type") != "im":
            return  # channel messages: only mentions are questions
        handle_message_event(ctx, client, event, context.bot_user_id)

    app.event("app_mention")(ack=_ack, lazy=[answer_mention])
    # Only plain messages: other modules (e.g. re-ingest) may register their own subtypes (file_share).
    app.event({"type": "message", "subtype": None})(ack=_ack, lazy=[answer_direct_message])
