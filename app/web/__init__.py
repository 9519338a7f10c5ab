"""Cross-cutting web plumbing: htmx helpers, error pages, Jinja filters. Not a domain."""
from flask import Flask

from . import errors, htmx, jinja, security


def init_app(app: Flask) -> None:
    from .safety import DbIntConverter
    app.url_map.converters["int"] = DbIntConverter
    security.init_app(app)
    htmx.init_app(app)
    jinja.init_app(app)
    errors.init_app(app)
