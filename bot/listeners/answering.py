"""Answer one question into a Reply: allowlist, rate limit, the "eyes" reaction, the answer, the apology.

Mentions, direct messages and `/ask` differ only in where the answer goes; this is the part they share.
"""

from __future__ import annotations

from bot import render
from bot.context import BotContext
from bot.replies import Reply, apologise

HELP = (
    "Ask me about the board documents, e.g. _How many outcome areas were underfunded?_ "
    "Also: `/ask QUESTION`, `/cite para 12 of HSP/EB.2021/12`, `/sources`."
)


def admitted(ctx: BotContext, reply: Reply) -> bool:
    """Allowlist and rate limit; a refused question gets a polite note, never silence."""
    if not ctx.channel_allowed(reply.channel, reply.client):
        ctx.log.info("question from %s in %s refused: channel not allowed", reply.user, reply.channel)
        reply.ephemeral(render.notice(
            "I only answer questions in the channels my admins chose. Send me a direct message instead."))
        return False
    if not ctx.limiter.allow(reply.user):
        wait = ctx.limiter.retry_after(reply.user)
        reply.ephemeral(render.notice(
            f"You have asked {ctx.cfg.slack.rate_limit_per_minute} questions in the last minute. "
            f"Please wait about {wait} seconds and ask again."))
        return False
    return True


def answer_question(ctx: BotContext, reply: Reply, question: str, *, shareable: bool = False,
                    react_to: str | None = None) -> None:
    """Post the answer (or help, or an apology); `react_to` is the message ts to mark with "eyes"."""
    if not question:
        reply.send(render.notice(HELP), replace=reply.respond is not None)
        return
    if not admitted(ctx, reply):
        return
    if react_to:
        _react(ctx, reply, "reactions_add", react_to)
    try:
        answer = ctx.qa.ask(question)
        answer_id = ctx.feedback.record_answer(answer, reply.user, reply.channel)
        reply.send(render.answer_message(answer, answer_id, shareable=shareable), replace=True)
        ctx.log.info("answered %s for %s in %s (found=%s, %d citations)", answer_id, reply.user,
                     reply.channel, answer.found, len(answer.citations))
    except Exception:
        apologise(reply, ctx.log, "answering your question")
    finally:
        if react_to:
            _react(ctx, reply, "reactions_remove", react_to)


def _react(ctx: BotContext, reply: Reply, method: str, ts: str) -> None:
    try:
        getattr(reply.client, method)(channel=reply.channel, timestamp=ts, name="eyes")
    except Exception as exc:  # a missing reaction scope must not stop the answer
        ctx.log.debug("%s failed: %s", method, exc)
