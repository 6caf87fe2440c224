"""Admin re-ingest from Slack: `/reingest` re-scans the inbox; a file shared with the bot in a DM is ingested.

Only `[slack] admins` may do either; anyone else gets a polite refusal. Listeners answer Slack at once
and hand the work to a worker thread, which reports progress by editing one status message.

Where files go:
- a shared file is downloaded into `<inbox>/.incoming/<random>/` (hidden: no scan sees it half-written),
  ingested from there, and moved into the inbox only once the index accepted it, so a good file in the
  inbox is never replaced by a bad or partial one;
- a refused file, shared in a DM or found by `/reingest`, is moved to `<inbox>/refused/` (replacing an
  older refused copy of the same name); the live index is left as it was. `/reingest` skips `refused/`.

One re-ingest at a time: in this process a guard knows who is running one; across processes (a
`boardqa ingest` on the command line, another replica) the store's writer lock does, and its holder is
named in the reply. Every request, granted or not, is written to the store's ingest log.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from boardqa.config import Config
from bot.context import BotContext
from bot.download import (
    SUPPORTED_SUFFIXES,
    DownloadError,
    SlackFile,
    check_declared_size,
    download,
    fetch_file_info,
)
from bot.render import escape
from index.embed import Embedder, make_embedder
from index.lock import pid_alive
from index.store import IndexStore
from index.store_errors import LockBusyError, StoreError
from ingest.errors import IngestError, UnsupportedFormatError
from ingest.pipeline import IngestReport, RefusedFile

log = logging.getLogger(__name__)

INCOMING = ".incoming"
REFUSED = "refused"
STALE_INCOMING_SECONDS = 3600.0  # staging folders older than this are a killed bot's leftovers
UPDATE_INTERVAL = 1.0  # seconds between two progress edits within one stage (Slack rate limits)
SEEN_FILE_TTL = 600.0  # a file id handled this recently is not handled again (message + file_shared)

NOT_ADMIN = ("Sorry, only BoardQA admins can re-ingest documents. "
             "Please ask one of them, or send the file to them.")
INBOX = "the inbox"


def cached_embedder(cfg: Config) -> Callable[[], Embedder]:
    """The ingest's own embedder, made on first use: it never shares a model object with answering."""
    made: list[Embedder] = []
    lock = threading.Lock()

    def get() -> Embedder:
        with lock:
            if not made:
                made.append(make_embedder(cfg.index.embedder, cfg.index.model_path, cfg.index.companions))
            return made[0]

    return get


def slack_user(user_id: str) -> str:
    """How a Slack user is recorded as holder of the writer lock and in the ingest log."""
    return f"slack:{user_id}"


def describe_who(holder: dict[str, Any]) -> str:
    """The holder of the writer lock in words: a Slack admin is mentioned, anyone else named."""
    user = str(holder.get("user") or "")
    who = f"<@{user[6:]}>" if user.startswith("slack:") else escape(user or "another process")
    parts = [who]
    if holder.get("command"):
        parts.append(f"({escape(str(holder['command']))})")
    if holder.get("since"):
        parts.append(f"since {escape(str(holder['since']))}")
    return " ".join(parts)


def busy_message(holder: dict[str, Any]) -> str:
    return (f"An ingest is already running, started by {describe_who(holder)}. "
            "Please try again when it is done.")


def lock_holder(store: IndexStore) -> dict[str, Any] | None:
    """Who holds the store's writer lock, read without taking it (a holder writes itself in, then clears)."""
    holder = store.lock_holder()
    pid = holder.get("pid")
    return holder if isinstance(pid, int) and pid_alive(pid) else None


# ---- the progress message ----------------------------------------------------------------------------


class StatusMessage:
    """One message, posted once and then edited: the progress and outcome of a re-ingest."""

    def __init__(self, client: Any, channel: str, thread_ts: str | None, title: str,
                 fallback_channel: str | None = None) -> None:
        self._client = client
        self._channel = channel
        self._thread_ts = thread_ts
        self._fallback = fallback_channel
        self._title = title
        self._ts: str | None = None
        self._stage = ""
        self._last = 0.0

    def show(self, stage: str, line: str) -> None:
        """Post or edit; edits within one stage are spaced out, a new stage is always shown."""
        now = time.monotonic()
        if self._ts is not None and stage == self._stage and now - self._last < UPDATE_INTERVAL:
            return
        self._stage, self._last = stage, now
        self._send(f"{self._title}\n{line}")

    def finish(self, text: str) -> None:
        self._send(f"{self._title}\n{text}")

    def progress(self, stage: str, done: int, total: int, detail: str = "") -> None:
        """The pipeline's progress callback, in words: parsing…, embedding n/N…, publishing…."""
        if stage == "parsing":
            self.show(stage, f"parsing… {escape(detail)}".rstrip() if done < total else "parsing…")
        elif stage == "embedding":
            if done >= total:
                self.show("publishing", "publishing…")
            else:
                self.show(stage, f"embedding {done}/{total}…")

    def _send(self, text: str) -> None:
        from slack_sdk.errors import SlackApiError

        try:
            if self._ts is None:
                try:
                    resp = self._client.chat_postMessage(channel=self._channel, thread_ts=self._thread_ts,
                                                         text=text)
                except SlackApiError:
                    if not self._fallback or self._fallback == self._channel:
                        raise
                    # /reingest typed in a channel the bot is not in: report in the admin's DM instead.
                    self._channel, self._thread_ts = self._fallback, None
                    resp = self._client.chat_postMessage(channel=self._channel, text=text)
                self._ts = str(resp["ts"])
                self._channel = str(resp.get("channel") or self._channel)
            else:
                self._client.chat_update(channel=self._channel, ts=self._ts, text=text)
        except SlackApiError as exc:  # progress is best effort; the outcome is in the ingest log
            log.warning("re-ingest progress message not sent: %s", exc)


# ---- the work ----------------------------------------------------------------------------------------


@dataclass
class Job:
    user: str
    what: str
    since: float = field(default_factory=time.time)


@dataclass
class Outcome:
    """What happened to the files of one request before and after the pipeline."""

    report: IngestReport | None = None
    refused: list[RefusedFile] = field(default_factory=list)  # refused before parsing (download, format)


class Reingester:
    """Runs the Slack-requested re-ingests of this process, one at a time, each in a worker thread."""

    def __init__(self, cfg: Config, embedder: Callable[[], Embedder]) -> None:
        self.cfg = cfg
        self._embedder = embedder
        self._guard = threading.Lock()
        self._job: Job | None = None
        self._seen: dict[str, float] = {}

    @property
    def inbox(self) -> Path:
        return self.cfg.ingest.inbox

    def store(self) -> IndexStore:
        return IndexStore(self.cfg.index.path, self.cfg.index.keep_versions)

    # -- bookkeeping --

    def first_time(self, file_id: str) -> bool:
        """True once per file id: Slack announces one DM upload both as a message and as file_shared."""
        now = time.monotonic()
        with self._guard:
            self._seen = {k: t for k, t in self._seen.items() if now - t < SEEN_FILE_TTL}
            if file_id in self._seen:
                return False
            self._seen[file_id] = now
            return True

    def claim(self, user: str, what: str) -> str | None:
        """Reserve the single re-ingest slot; returns why not (who is running one), or None."""
        with self._guard:
            if self._job is not None:
                since = time.strftime("%H:%M:%S", time.localtime(self._job.since))
                return busy_message({"user": slack_user(self._job.user), "since": since,
                                     "command": f"re-ingest of {self._job.what}"})
            holder = lock_holder(self.store())
            if holder is not None:
                return busy_message(holder)
            self._job = Job(user, what)
            return None

    def release(self) -> None:
        with self._guard:
            self._job = None

    def audit(self, user: str, what: str, result: str, **extra: Any) -> None:
        """One line in the store's ingest log (who, what, when, result) for every Slack request."""
        try:
            self.store().log_event({"event": "slack-reingest", "by": slack_user(user), "what": what,
                                    "result": result, **extra})
        except OSError as exc:
            log.error("could not write the ingest log: %s", exc)

    def start(self, target: Callable[..., None], *args: Any) -> threading.Thread:
        """Run a claimed job off the request path; the claim is released however it ends."""

        def run() -> None:
            try:
                target(*args)
            finally:
                self.release()

        thread = threading.Thread(target=run, name="boardqa-reingest", daemon=True)
        thread.start()
        return thread

    # -- files --

    def inbox_files(self) -> list[Path]:
        """What `/reingest` ingests: supported files in the inbox, except hidden ones and refused/."""
        if not self.inbox.is_dir():
            return []
        out = []
        for p in sorted(self.inbox.rglob("*")):
            rel = p.relative_to(self.inbox).parts
            if rel[0] == REFUSED or any(part.startswith(".") for part in rel):
                continue
            if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES:
                out.append(p)
        return out

    def move_refused(self, path: Path) -> Path:
        dest_dir = self.inbox / REFUSED
        dest_dir.mkdir(parents=True, exist_ok=True)
        dest = dest_dir / path.name
        os.replace(path, dest)
        return dest

    def clean_incoming(self) -> None:
        """Remove staging folders that a bot killed mid-download left behind."""
        root = self.inbox / INCOMING
        if not root.is_dir():
            return
        for p in root.iterdir():
            try:
                if time.time() - p.stat().st_mtime > STALE_INCOMING_SECONDS:
                    shutil.rmtree(p, ignore_errors=True)
            except OSError:
                continue

    # -- the two kinds of request --

    def run_inbox(self, user: str, status: StatusMessage) -> None:
        """Re-scan the inbox and ingest what it holds (the caller claimed the slot)."""
        started = time.monotonic()
        try:
            files = self.inbox_files()
            if not files:
                status.finish(f"Nothing to ingest: the inbox holds no {', '.join(SUPPORTED_SUFFIXES)} file.")
                self.audit(user, INBOX, "empty")
                return
            status.show("parsing", f"parsing {len(files)} file(s)…")
            report = self._ingest(files, user, status)
            for item in report.refused:
                src = Path(item.path)
                if src.exists() and self.inbox in src.parents:
                    self.move_refused(src)
            status.finish(summary(Outcome(report), time.monotonic() - started))
            self.audit(user, INBOX, _result(report), **_report_fields(report))
        except Exception as exc:
            self._failed(user, INBOX, status, exc)

    def run_files(self, user: str, client: Any, file_ids: list[str], status: StatusMessage) -> None:
        """Download shared files, ingest them from a staging folder, keep in the inbox what was accepted."""
        started = time.monotonic()
        staging = self.inbox / INCOMING / uuid.uuid4().hex[:12]
        outcome = Outcome()
        what = ", ".join(file_ids)
        try:
            self.clean_incoming()
            downloaded: list[Path] = []
            for i, file_id in enumerate(file_ids):
                path = self._fetch(client, file_id, staging / str(i), status, outcome)
                if path is not None:
                    downloaded.append(path)
            what = ", ".join([p.name for p in downloaded] + [r.name for r in outcome.refused]) or what
            if downloaded:
                status.show("parsing", "parsing…")
                outcome.report = self._ingest(downloaded, user, status)
                refused = {Path(r.path) for r in outcome.report.refused}
                self.inbox.mkdir(parents=True, exist_ok=True)
                for path in downloaded:
                    if path in refused:
                        self.move_refused(path)
                    else:
                        os.replace(path, self.inbox / path.name)
            status.finish(summary(outcome, time.monotonic() - started))
            self.audit(user, what, _result(outcome.report, outcome.refused), file_ids=file_ids,
                       refused=[f"{r.name}: {r.message}" for r in _all_refused(outcome)],
                       **(_report_fields(outcome.report) if outcome.report else {}))
        except Exception as exc:
            self._failed(user, what, status, exc)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _fetch(self, client: Any, file_id: str, dest: Path, status: StatusMessage,
               outcome: Outcome) -> Path | None:
        """files.info and a bounded download; a refusal is recorded in `outcome`, not raised."""
        name = file_id
        try:
            f: SlackFile = fetch_file_info(client, file_id)
            name = f.name
            if f.suffix not in SUPPORTED_SUFFIXES:
                kinds = ", ".join(SUPPORTED_SUFFIXES)
                suffix = f.suffix or "(none)"
                raise UnsupportedFormatError(f.name, f"unsupported file type {suffix}: use {kinds}")
            check_declared_size(f, self.cfg.ingest.max_file_bytes)
            status.show("downloading", "downloading…")

            def shown(done: int, total: int) -> None:
                of = f" of {_size(total)}" if total else ""
                status.show("downloading", f"downloading… {_size(done)}{of}")

            return download(f, str(client.token), dest, self.cfg.ingest.max_file_bytes, progress=shown)
        except IngestError as exc:
            outcome.refused.append(RefusedFile(exc.path.name, exc.reason, exc.message))
        except DownloadError as exc:
            outcome.refused.append(RefusedFile(name, "download", str(exc)))
        return None

    def _ingest(self, paths: list[Path], user: str, status: StatusMessage) -> IngestReport:
        from ingest.pipeline import run_ingest

        return run_ingest(paths, self.cfg, self._embedder(), status.progress, user=slack_user(user))

    def _failed(self, user: str, what: str, status: StatusMessage, exc: Exception) -> None:
        if isinstance(exc, LockBusyError):
            status.finish(f":hourglass: An ingest is already running, started by {escape(exc.holder)}. "
                          "Please try again when it is done.")
            self.audit(user, what, "busy", error=str(exc))
            return
        error_id = uuid.uuid4().hex[:8]
        if isinstance(exc, StoreError):
            text = f":x: The index refused the change: {escape(str(exc))}\nThe live index is unchanged."
        else:
            log.exception("re-ingest of %s failed (error id %s)", what, error_id)
            text = (f":x: Sorry, the re-ingest of {escape(what)} failed (error id `{error_id}`). "
                    "The live index is unchanged.")
        status.finish(text)
        self.audit(user, what, "failed", error=f"{type(exc).__name__}: {exc}", error_id=error_id)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1048576 else f"{n / 1048576:.1f} MB"


# ---- the outcome, in words ----------------------------------------------------------------------------


def _all_refused(outcome: Outcome) -> list[RefusedFile]:
    return list(outcome.refused) + (list(outcome.report.refused) if outcome.report else [])


def _result(report: IngestReport | None, refused_before: list[RefusedFile] | None = None) -> str:
    refused = bool(refused_before) or bool(report and report.refused)
    if report is None or not report.documents:
        return "refused" if refused else "nothing"
    changed = "published" if report.published else "unchanged"
    return f"{changed}, some refused" if refused else changed


def _report_fields(report: IngestReport) -> dict[str, Any]:
    return {"version": report.version, "added": report.added, "replaced": report.replaced,
            "unchanged": report.unchanged, "paragraphs": report.paragraphs, "seconds": report.seconds}


def refusal_line(item: RefusedFile) -> str:
    """The command line's wording: `refused annual.pdf: encrypted PDF: …`."""
    return f":x: refused {escape(item.name)}: {escape(item.message)}"


def summary(outcome: Outcome, seconds: float) -> str:
    """Documents added or replaced, paragraphs, seconds; then each refused file with its reason."""
    report = outcome.report
    lines: list[str] = []
    if report is not None and report.published:
        lines.append(f":white_check_mark: Done in {seconds:.1f} s: {len(report.added)} document(s) added, "
                     f"{len(report.replaced)} replaced, {report.paragraphs} paragraphs; "
                     f"now serving version {report.version}.")
        lines += [f"• added {escape(n)}" for n in report.added]
        lines += [f"• replaced {escape(n)}" for n in report.replaced]
    elif report is not None and report.documents:
        lines.append(f":information_source: Done in {seconds:.1f} s: nothing changed "
                     f"({len(report.unchanged)} document(s) already indexed as they are).")
    refused = _all_refused(outcome)
    lines += [refusal_line(r) for r in refused]
    if report is not None:
        lines += [f":warning: skipped {escape(s)}" for s in report.skipped]
    if refused:
        lines.append(f"The live index is unchanged by the refused file(s); they are not kept in the inbox "
                     f"(see `{REFUSED}/`)." if any(r.reason != "download" for r in refused)
                     else "The live index is unchanged by the refused file(s).")
    if not lines:
        lines.append(f"Done in {seconds:.1f} s: nothing to ingest.")
    return "\n".join(lines)


# ---- Slack listeners ---------------------------------------------------------------------------------


def _dm_file_share(event: dict[str, Any]) -> bool:
    return (event.get("channel_type") == "im" and bool(event.get("files"))
            and not event.get("bot_id"))


def register(app: Any, ctx: BotContext) -> Reingester:
    """Add `/reingest` and the DM file-share listeners to the Bolt app (`bot.app.LISTENER_MODULES`).

    They must come before the generic `/reingest` and `message` fallbacks: Bolt hands a request to the
    first listener that matches it.
    """
    cfg = ctx.cfg
    jobs = Reingester(cfg, cached_embedder(cfg))

    @app.command("/reingest")
    def reingest_command(ack: Any, command: dict[str, Any], client: Any) -> None:
        user = str(command.get("user_id") or "")
        if not ctx.is_admin(user):
            ack(text=NOT_ADMIN)
            jobs.audit(user, INBOX, "denied")
            return
        busy = jobs.claim(user, INBOX)
        if busy:
            ack(text=busy)
            jobs.audit(user, INBOX, "busy")
            return
        ack(text="Re-scanning the inbox; progress follows.")
        status = StatusMessage(client, str(command.get("channel_id") or user), None,
                               f"*Re-ingest of the inbox* requested by <@{user}>", fallback_channel=user)
        jobs.start(jobs.run_inbox, user, status)

    def handle_share(client: Any, user: str, channel: str, thread_ts: str | None,
                     files: dict[str, str]) -> None:
        """`files`: file id -> name as the event gives it (the id when it gives none)."""
        fresh = [f for f in files if f and jobs.first_time(f)]
        if not fresh:
            return
        what = ", ".join(files[f] for f in fresh)
        if not ctx.is_admin(user):
            jobs.audit(user, what, "denied")
            _post(client, channel, thread_ts, NOT_ADMIN)
            return
        busy = jobs.claim(user, what)
        if busy:
            jobs.audit(user, what, "busy")
            _post(client, channel, thread_ts, busy)
            return
        status = StatusMessage(client, channel, thread_ts, f"*Ingesting the file you shared* (<@{user}>)")
        jobs.start(jobs.run_files, user, client, fresh, status)

    @app.event({"type": "message", "subtype": "file_share"}, matchers=[lambda event: _dm_file_share(event)])
    def dm_file_share(event: dict[str, Any], client: Any) -> None:
        shared = event.get("files") or []
        files = {str(f.get("id") or ""): str(f.get("name") or f.get("id") or "") for f in shared}
        handle_share(client, str(event.get("user") or ""), str(event.get("channel") or ""),
                     str(event.get("ts") or "") or None, files)

    @app.event("file_shared")
    def file_shared(event: dict[str, Any], client: Any) -> None:
        channel = str(event.get("channel_id") or "")
        if not channel.startswith("D"):  # shared in a channel: not addressed to the bot
            return
        file_id = str(event.get("file_id") or (event.get("file") or {}).get("id") or "")
        handle_share(client, str(event.get("user_id") or ""), channel, None, {file_id: file_id})

    return jobs


def _post(client: Any, channel: str, thread_ts: str | None, text: str) -> None:
    from slack_sdk.errors import SlackApiError

    try:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)
    except SlackApiError as exc:
        log.warning("re-ingest reply not sent: %s", exc)
