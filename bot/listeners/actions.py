"""Buttons on answers: feedback, "Share in channel", "Show full paragraph", "Show in <language>".

Clicks are acknowledged at once; the work (storing feedback, posting text) follows, into the message's
thread, or ephemerally (via response_url) when the message was ephemeral or is only a confirmation.
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk.errors import SlackApiError

from bot import describe, render
from bot.context import BotContext
from bot.lookup import citation_for
from bot.replies import Reply, apologise

_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    return dict(actions[0])


def _channel(body: dict[str, Any]) -> str:
    return str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id", ""))


def _reply(client: Any, body: dict[str, Any], respond: Respond) -> Reply:
    """Into the message's thread; for an ephemeral message (no thread to post in) via response_url."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    if container.get("is_ephemeral") or not message:
        return Reply(client=client, channel=_channel(body), user=_user(body), respond=respond)
    thread = message.get("thread_ts") or message.get("ts") or container.get("message_ts")
    return Reply(client=client, channel=_channel(body), user=_user(body), thread_ts=thread)


def _value(body: dict[str, Any]) -> dict[str, str]:
    try:
        value = json.loads(_action(body).get("value", "{}"))
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def register(app: App, ctx: BotContext) -> None:
    def record_feedback(body: dict[str, Any], client: Any, respond: Respond) -> None:
        action = _action(body)
        helpful = action.get("action_id") == render.ACTION_HELPFUL
        reply = Reply(client=client, channel=_channel(body), user=_user(body), respond=respond)
        try:
            ctx.feedback.record_click(str(action.get("value", "")), reply.user, reply.channel, helpful,
                                      fallback_answer=str((body.get("message") or {}).get("text", "")))
        except Exception:
            apologise(reply, ctx.log, "recording your feedback")
            return
        reply.send(render.notice("Thanks, noted as helpful." if helpful else "Thanks, noted as not helpful."))

    def share(body: dict[str, Any], client: Any, respond: Respond) -> None:
        reply = Reply(client=client, channel=_channel(body), user=_user(body), respond=respond)
        try:
            answer_id = str(_action(body).get("value", ""))
            answer = ctx.feedback.answer(answer_id)
            if answer is None:
                reply.send(render.notice("That answer is no longer available; please ask again."))
                return
            msg = render.answer_message(answer, answer_id)
            if _USER_ID.match(reply.user):
                msg.blocks.insert(0, render.context(f"Shared by <@{reply.user}>"))
            try:
                client.chat_postMessage(channel=reply.channel, **msg.kwargs())
            except SlackApiError as exc:
                if exc.response.get("error") not in ("not_in_channel", "channel_not_found"):
                    raise
                respond(response_type="in_channel", replace_original=False, **msg.kwargs())
            respond(delete_original=True)
        except Exception:
            apologise(reply, ctx.log, "sharing the answer")

    def show_full(body: dict[str, Any], client: Any, respond: Respond) -> None:
        reply = _reply(client, body, respond)
        try:
            value = _value(body)
            c = citation_for(ctx.qa, value.get("s", ""), value.get("l", ""))
            if c is None:
                reply.send(render.notice("That paragraph is no longer in the index."))
                return
            for msg in render.full_text_messages(c):
                reply.send(msg)
        except Exception:
            apologise(reply, ctx.log, "showing the full paragraph")

    def show_parallel(body: dict[str, Any], client: Any, respond: Respond) -> None:
        reply = _reply(client, body, respond)
        try:
            value = _value(body)
            lang = value.get("g", "")
            c = ctx.qa.parallel(value.get("s", ""), value.get("l", ""), lang)
            if c is None:
                name = describe.language_name(lang)
                reply.send(render.notice(f"No {name} version of this passage is indexed."))
                return
            reply.send(render.citation_message(c, intro=f"{describe.language_name(lang)} version"))
        except Exception:
            apologise(reply, ctx.log, "finding the other language version")

    def ack_only(ack: Ack) -> None:
        ack()

    app.action(render.ACTION_HELPFUL)(ack=ack_only, lazy=[record_feedback])
    app.action(render.ACTION_NOT_HELPFUL)(ack=ack_only, lazy=[record_feedback])
    app.action(render.ACTION_SHARE)(ack=ack_only, lazy=[share])
    app.action(render.action_pattern(render.ACTION_FULL))(ack=ack_only, lazy=[show_full])
    app.action(render.action_pattern(render.ACTION_PARALLEL))(ack=ack_only, lazy=[show_parallel])
