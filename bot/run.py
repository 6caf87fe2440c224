"""Start the bot: check settings, open the index, build the app, serve. Every start-up failure becomes a
StartupError with one clear message (the command turns it into a non-zero exit, not a traceback)."""

from __future__ import annotations

from collections.abc import Mapping

from boardqa.config import Config
from bot.app import build_app, make_app
from bot.context import BotContext
from bot.dedupe import Deduper
from bot.feedback import FeedbackError, FeedbackStore
from bot.logs import setup_logging
from bot.ratelimit import RateLimiter
from bot.server import serve_http, serve_socket
from bot.service import ServiceError, open_qa
from bot.tokens import SlackSettings, TokenError, read_settings


class StartupError(Exception):
    """The bot cannot start; the message says why and what to do."""


def prepare(cfg: Config, mode: str, env: Mapping[str, str]) -> tuple[BotContext, SlackSettings]:
    try:
        settings = read_settings(mode, env)
    except TokenError as exc:
        raise StartupError(str(exc)) from exc
    log = setup_logging(cfg.slack.log_file)
    try:
        feedback = FeedbackStore(cfg.slack.feedback_db)
        qa = open_qa(cfg)
    except (FeedbackError, ServiceError) as exc:
        raise StartupError(str(exc)) from exc
    # HTTP replicas on one host share the retry table through the feedback database.
    shared = cfg.slack.feedback_db if mode == "http" else None
    ctx = BotContext(cfg=cfg, qa=qa, feedback=feedback, dedupe=Deduper(db_path=shared),
                     limiter=RateLimiter(cfg.slack.rate_limit_per_minute), log=log)
    return ctx, settings


def run(cfg: Config, mode: str, host: str, port: int, env: Mapping[str, str]) -> None:
    ctx, settings = prepare(cfg, mode, env)
    where = settings.api_url or "https://slack.com/api/"
    try:
        bare = make_app(settings, ctx.log)
    except Exception as exc:  # auth.test refused the token, or Slack could not be reached
        raise StartupError(f"Slack did not accept SLACK_BOT_TOKEN at {where}: {exc}") from exc
    app = build_app(ctx, bare)
    try:
        if mode == "http":
            serve_http(app, host, port, ctx.log)
        else:
            assert settings.app_token is not None
            serve_socket(app, settings.app_token, ctx.log)
    except OSError as exc:
        raise StartupError(f"cannot listen on {host}:{port}: {exc}") from exc
    except KeyboardInterrupt:
        ctx.log.info("stopped")
