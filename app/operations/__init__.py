"""Running the shop on a real server: backups and their restore drill, health and readiness,
the operations page, request logs (see README "Running in production" and deploy/)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import health, requestlog, views
    from .backup import app_version
    app.extensions["app_version"] = app_version()      # what this process loaded, even after new code lands
    requestlog.init_app(app)       # first: every later hook and handler sees the request id
    app.register_blueprint(health.bp)
    app.register_blueprint(views.bp)
