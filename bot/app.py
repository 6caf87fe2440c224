"""Build the Bolt app from configuration: Web API client, middleware, and the listener modules.

Listener modules register themselves in order (`LISTENER_MODULES`); Bolt runs the first listener that
matches a request, so specific ones come first and `bot.listeners.fallback` last. An optional module
that is not installed (such as `bot.reingest`) is skipped.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.context import BotContext
from bot.tokens import SlackSettings

LISTENER_MODULES: tuple[str, ...] = (
    "bot.listeners.questions",
    "bot.listeners.commands",
    "bot.listeners.actions",
    "bot.reingest",  # optional: admin re-ingest from Slack
    "bot.listeners.fallback",
)
OPTIONAL_MODULES = frozenset({"bot.reingest"})
ANSWER_THREADS = 8


def web_client(settings: SlackSettings) -> WebClient:
    if settings.api_url:
        return WebClient(token=settings.bot_token, base_url=settings.api_url)
    return WebClient(token=settings.bot_token)


def drop_duplicates(ctx: BotContext) -> Callable[..., Any]:
    """Global middleware: an event whose `event_id` was already handled is acknowledged and dropped."""

    def middleware(body: dict[str, Any], next: Callable[[], None], request: Any) -> BoltResponse | None:
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not ctx.dedupe.claim(f"event:{event_id}"):
            retry = (request.headers.get("x-slack-retry-num") or [None])[0] if request is not None else None
            retry = retry or body.get("retry_attempt")
            ctx.log.info("dropped duplicate event %s (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="")
        next()
        return None

    return middleware


def register_listeners(app: App, ctx: BotContext, modules: tuple[str, ...] = LISTENER_MODULES) -> list[str]:
    loaded = []
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if name in OPTIONAL_MODULES and exc.name == name:
                continue
            raise
        module.register(app, ctx)
        loaded.append(name)
    return loaded


class _DropTokenWarning(logging.Filter):
    """Bolt warns that `token` is unused whenever SLACK_BOT_TOKEN is set and a client is given: noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def make_app(settings: SlackSettings, log: logging.Logger) -> App:
    """The bare Bolt app; it calls `auth.test` now, so a revoked token fails at start-up, not later."""
    bolt_log = log.getChild("bolt")
    bolt_log.addFilter(_DropTokenWarning())
    return App(
        signing_secret=settings.signing_secret or "",
        client=web_client(settings),
        token_verification_enabled=True,
        request_verification_enabled=settings.mode == "http",
        process_before_response=False,
        listener_executor=ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix="boardqa-answer"),
        logger=bolt_log,
    )


def build_app(ctx: BotContext, app: App) -> App:
    """Middleware, error handler and every listener module, on an app from `make_app`."""
    app.use(drop_duplicates(ctx))

    @app.error
    def on_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
        ctx.log.error("unhandled error in a listener: %r", error, exc_info=error)

    loaded = register_listeners(app, ctx)
    ctx.log.info("listeners: %s", ", ".join(loaded))
    return app
