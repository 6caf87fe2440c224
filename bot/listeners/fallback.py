"""Registered last: acknowledge what no other module handled, so Slack does not retry it.

`/reingest` is in the app manifest; without the re-ingest module it answers that it is not enabled here.
Other message events (edits, deletions, channel chatter) are acknowledged and ignored.
"""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot.context import BotContext


def register(app: App, ctx: BotContext) -> None:
    @app.command("/reingest")
    def reingest_unavailable(ack: Ack, respond: Respond) -> None:
        ack()
        respond(response_type="ephemeral", text="Re-ingest from Slack is not enabled in this deployment; "
                "an admin can run `boardqa ingest PATH` on the server.")

    @app.event("message")
    def ignore_other_messages() -> None:
        return None
