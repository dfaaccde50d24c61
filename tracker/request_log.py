"""One structured (JSON) log line per request, tied together by a request id.

The id comes from the proxy's `X-Request-ID` when it is a plain token, otherwise it is generated; it is
echoed in the response's `X-Request-ID` and carried by every line this request logs about itself, so a
person's report ("it failed at 10:02, request id …") finds the line and its error.
"""
from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

log = logging.getLogger("tracker.request")
PROBES = {"health.healthz", "health.readyz"}
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # anything else from outside is replaced, never logged


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def json_handler(stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                                       rename_fields={"asctime": "time", "levelname": "level", "name": "logger"}))
    handler.addFilter(RequestIdFilter())
    return handler


def _start() -> None:
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response):
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers["X-Request-ID"] = request_id
    started = g.get("request_started")
    # A load balancer probes every few seconds: those lines only at DEBUG.
    level = logging.DEBUG if request.endpoint in PROBES else logging.INFO
    log.log(level, "request", extra={
        "request_id": request_id, "method": request.method, "path": request.path[:500],
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "remote_addr": request.remote_addr, "endpoint": request.endpoint})
    return response


def init_app(app: Flask) -> None:
    # The first before_request (so even a refused request has an id) and, after_request running in
    # reverse, the last after_request (so the logged status is the one sent).
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
    if not app.testing:
        install_json_logging(logging.getLogger("tracker"))


def install_json_logging(logger: logging.Logger) -> None:
    """One JSON handler on `logger` (idempotent: create_app may run more than once in a process)."""
    tracker_log = logger
    if not any(getattr(h, "tracker_json", False) for h in tracker_log.handlers):
        handler = json_handler()
        handler.tracker_json = True
        tracker_log.addHandler(handler)
        if tracker_log.level == logging.NOTSET:
            tracker_log.setLevel(logging.INFO)
