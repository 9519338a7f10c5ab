"""Error pages in the visitor's language, for every status the shop can answer with."""
from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.sites.routing import ensure_edition

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("We could not understand that request. Please check what you entered and try again.")),
    401: (_l("Sign-in required"), _l("Please sign in to see this page.")),
    403: (_l("Access denied"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("The page you are looking for does not exist or has moved.")),
    405: (_l("Method not allowed"), _l("This address cannot be used that way.")),
    413: (_l("File too large"), _l("The file you sent is larger than we accept.")),
    422: (_l("Invalid data"), _l("Some of the information you sent is not valid.")),
    429: (_l("Too many requests"), _l("Please wait a moment before trying again.")),
    500: (_l("Something went wrong"), _l("An unexpected error happened on our side. Please try again in a moment.")),
    503: (_l("Temporarily unavailable"), _l("The shop is not available right now. Please try again shortly.")),
}


def render_error(code: int):
    try:
        ensure_edition()
    except Exception:  # the database itself may be what failed; the page must still render
        log.exception("could not resolve an edition for the error page")
        db.session.rollback()
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=message, error_page=True), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        return render_error(exc.code)

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        log.exception("unhandled error", exc_info=exc)
        db.session.rollback()
        return render_error(InternalServerError.code)
