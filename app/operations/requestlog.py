"""A request id on every request, and one JSON line per request when LOG_FORMAT=json.

The id is the proxy's ``X-Request-ID`` when it sent a sensible one (nginx's ``$request_id``, see
deploy/nginx), a new one otherwise; it goes back in the response's ``X-Request-ID`` header, on error
pages (a visitor can quote it), and in every JSON log line written while the request runs.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger("app.requests")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and any `extra` fields."""
    FIELDS = ("method", "path", "status", "duration_ms", "bytes", "remote_addr")

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        request_id = getattr(record, "request_id", None) or (g.get("request_id") if has_request_context() else None)
        if request_id:
            line["request_id"] = request_id
        for field in self.FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _install_json_logging() -> None:
    """Our loggers ("app.*") write JSON lines to stderr (journald keeps them), once per process."""
    logger = logging.getLogger("app")
    # Alembic's logging.config.fileConfig (migrations/env.py) disables the loggers that existed before
    # it ran, ours included, when the migrations run in this process.
    for name, known in logging.root.manager.loggerDict.items():
        if (name == "app" or name.startswith("app.")) and isinstance(known, logging.Logger):
            known.disabled = False
    if any(getattr(handler, "refurb_json", False) for handler in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.refurb_json = True
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def init_app(app: Flask) -> None:
    json_logs = str(app.config.get("LOG_FORMAT", "text")).lower() == "json"
    if json_logs:
        _install_json_logging()

    @app.before_request
    def _start():
        offered = request.headers.get(HEADER, "")
        g.request_id = offered if _ACCEPTED.match(offered) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers[HEADER] = request_id
        if json_logs and "request_started" in g:
            log.info("request", extra={
                "method": request.method, "path": request.path, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
                "bytes": response.calculate_content_length(), "remote_addr": request.remote_addr})
        return response
