"""Where a reply goes (a thread, or an ephemeral response), and the apology when answering fails.

A handler that fails must never go silent: the user gets a short apology with an error id, and the log
gets the traceback under the same id so an admin can find it.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from bot import render
from bot.render import SlackMessage


@dataclass
class Reply:
    client: Any  # slack_sdk.WebClient
    channel: str
    user: str
    thread_ts: str | None = None
    respond: Any = None  # Bolt's Respond: replies via response_url (slash commands, ephemeral messages)

    def send(self, msg: SlackMessage, *, replace: bool = False) -> None:
        if self.respond is not None:
            self.respond(response_type="ephemeral", replace_original=replace, **msg.kwargs())
        else:
            self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts, **msg.kwargs())

    def ephemeral(self, msg: SlackMessage) -> None:
        """Only the asking user sees it (for notes such as "not in this channel")."""
        if self.respond is not None:
            self.respond(response_type="ephemeral", replace_original=False, **msg.kwargs())
        else:
            self.client.chat_postEphemeral(channel=self.channel, user=self.user, thread_ts=self.thread_ts,
                                           **msg.kwargs())


def apologise(reply: Reply, log: logging.Logger, what: str) -> str:
    """Log the current exception under a new error id and tell the user; returns the id."""
    error_id = uuid.uuid4().hex[:8]
    log.exception("error %s while %s (user %s, channel %s)", error_id, what, reply.user, reply.channel)
    msg = render.notice(
        f"Sorry, something went wrong while {what}. Please try again in a moment; if it keeps happening, "
        f"tell an admin the error id {error_id}."
    )
    try:
        reply.send(msg)
    except Exception:
        log.exception("error %s: the apology could not be posted either", error_id)
    return error_id
