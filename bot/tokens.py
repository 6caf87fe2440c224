"""Slack credentials from the environment, checked before anything connects.

A missing or pasted-wrong token otherwise surfaces as a traceback from deep inside the SDK; here every
problem is listed at once, in words an admin can act on, without ever echoing a secret.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

MODES = ("socket", "http")
_TOKEN_BODY = re.compile(r"^[A-Za-z0-9-]+$")


class TokenError(Exception):
    """One or more Slack settings are missing or malformed; the message lists each with what to do."""


@dataclass(frozen=True)
class SlackSettings:
    mode: str  # "socket" or "http"
    bot_token: str
    app_token: str | None = None
    signing_secret: str | None = None
    api_url: str | None = None  # Web API base URL ending in "/"; None = Slack's own


def _check_token(env: Mapping[str, str], name: str, prefix: str, where: str, problems: list[str]) -> str:
    value = env.get(name, "")
    if not value.strip():
        problems.append(f"{name} is not set: {where}")
        return ""
    if value != value.strip() or any(q in value for q in "\"' "):
        problems.append(f"{name} contains spaces or quotes; paste the token alone")
    elif not value.startswith(prefix):
        problems.append(f"{name} should start with {prefix!r} but starts with {value[:5]!r}: {where}")
    elif not _TOKEN_BODY.match(value) or len(value) < len(prefix) + 4:
        problems.append(f"{name} does not look like a Slack token ({prefix}…): {where}")
    return value.strip()


def normalise_api_url(url: str) -> str:
    """The WebClient base URL must end with "/" or method names are glued onto the last path part."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise TokenError(f"SLACK_API_URL must be an http(s) URL such as https://slack.com/api/, not {url!r}")
    return url if url.endswith("/") else url + "/"


def read_settings(mode: str, env: Mapping[str, str]) -> SlackSettings:
    if mode not in MODES:
        raise TokenError(f"unknown mode {mode!r}: use 'socket' or 'http'")
    problems: list[str] = []
    bot = _check_token(env, "SLACK_BOT_TOKEN", "xoxb-",
                       "copy the Bot User OAuth Token from the app's OAuth & Permissions page", problems)
    app_token = secret = None
    if mode == "socket":
        app_token = _check_token(env, "SLACK_APP_TOKEN", "xapp-",
                                 "create an app-level token with connections:write under Basic Information "
                                 "(or run with --mode http)", problems)
    else:
        secret = env.get("SLACK_SIGNING_SECRET", "").strip()
        if not secret:
            problems.append("SLACK_SIGNING_SECRET is not set (HTTP mode checks every request's signature): "
                            "copy the Signing Secret from the app's Basic Information page")
        elif secret.startswith(("xoxb-", "xapp-", "xoxp-")):
            problems.append("SLACK_SIGNING_SECRET holds a token, not the Signing Secret (Basic Information)")
    api_url = None
    if env.get("SLACK_API_URL", "").strip():
        try:
            api_url = normalise_api_url(env["SLACK_API_URL"].strip())
        except TokenError as exc:
            problems.append(str(exc))
    if problems:
        raise TokenError("Slack settings:\n  - " + "\n  - ".join(problems))
    return SlackSettings(mode=mode, bot_token=bot, app_token=app_token, signing_secret=secret,
                         api_url=api_url)
