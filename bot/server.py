"""Run the Bolt app: Socket Mode (one outbound websocket) or HTTP (for replicas behind a load balancer).

HTTP mode uses a threaded WSGI server from the standard library, so acknowledgements are never queued
behind a slow request; answers themselves run on Bolt's listener thread pool. `GET /healthz` answers
200 for load balancer health checks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def _quiet_handler(log: logging.Logger) -> type[WSGIRequestHandler]:
    class Handler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            log.debug("http: " + format, *args)

    return Handler


def wsgi_app(app: App) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "GET" and environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return slack(environ, start_response)

    return application


def serve_http(app: App, host: str, port: int, log: logging.Logger) -> None:
    server = make_server(host, port, wsgi_app(app), server_class=_ThreadingWSGIServer,
                         handler_class=_quiet_handler(log))
    log.info("listening on http://%s:%d%s", host, server.server_port, EVENTS_PATH)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def serve_socket(app: App, app_token: str, log: logging.Logger) -> None:
    """websocket-client's handler: it honours ws:// and wss:// from apps.connections.open as given."""
    from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler

    handler = SocketModeHandler(app, app_token, logger=log.getChild("socket"), concurrency=10)
    log.info("connecting in Socket Mode")
    handler.start()
