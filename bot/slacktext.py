"""Turn a Slack message's text into the plain question the index sees.

Slack encodes mentions, channel links and URLs as `<...>` and escapes `&`, `<`, `>`; the question should
be what the user read on screen, without the bot's own mention.
"""

from __future__ import annotations

import re

_ANGLE = re.compile(r"<([^<>]*)>")


def _entity(inner: str, bot_user_id: str | None) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        if bot_user_id and target[1:] == bot_user_id:
            return ""
        return f"@{label or target[1:]}"
    if target.startswith("#"):
        return f"#{label or target[1:]}"
    if target.startswith("!"):
        if label:
            return label
        word = target[1:].split("^", 1)[0]
        return f"@{word}"
    return label or target


def question_text(text: str, bot_user_id: str | None = None) -> str:
    plain = _ANGLE.sub(lambda m: _entity(m.group(1), bot_user_id), text or "")
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(plain.split())
