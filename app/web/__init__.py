"""Cross-cutting web plumbing: htmx helpers, error pages, Jinja filters. Not a domain."""
from flask import Flask, abort, request

from .safety import DbIntConverter, has_nul


def init_app(app: Flask) -> None:
    # Imported here, not when the package is: a module that needs one helper of app.web (say
    # `app.web.page_cache`) must not pull in the error pages and, through them, the routing.
    from . import compression, errors, htmx, jinja, page_cache, security
    # Route ids are bounded to what an integer column holds: beyond, a 404 rather than a database error.
    app.url_map.converters["int"] = DbIntConverter

    @app.before_request
    def refuse_nul_characters():
        # No PostgreSQL text column can hold a NUL: a 400 here, rather than a database error later.
        if has_nul(request):
            abort(400)

    security.init_app(app)
    htmx.init_app(app)
    jinja.init_app(app)
    errors.init_app(app)
    page_cache.init_app(app)
    compression.init_app(app)
