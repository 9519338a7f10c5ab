"""Error pages in the visitor's language, for every status the shop can answer with."""
from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc as sa_exc
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


# How long a visitor (or a crawler) is asked to wait when the database cannot answer.
RETRY_AFTER_SECONDS = 30
# PostgreSQL errors that mean "the database cannot take this now", whatever exception class the
# driver maps them to: read-only (a standby, or default_transaction_read_only), disk full, out of
# memory or connections, shutting down, and every connection exception (class 08).
UNAVAILABLE_SQLSTATES = {"25006", "53100", "53200", "53300", "57P01", "57P02", "57P03"}


def database_unavailable(exc: BaseException) -> bool:
    """True when `exc` says the database is down, locked past the busy timeout, read-only or full:
    the request was fine, the shop cannot serve it right now (503), and it will again by itself."""
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                        sa_exc.DisconnectionError)):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        sqlstate = getattr(exc.orig, "sqlstate", None) or ""
        return exc.connection_invalidated or sqlstate in UNAVAILABLE_SQLSTATES or sqlstate.startswith("08")
    return False


def _locale_without_database() -> str:
    """The page's locale from its address alone (/fr-be/… is fr_BE), else the browser's language."""
    languages = current_app.config["LANGUAGES"]
    prefix = request.path.strip("/").split("/", 1)[0]
    language, _, country = prefix.partition("-")
    if language in languages and len(country) == 2:
        return f"{language}_{country.upper()}"
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def render_unavailable():
    """The 503 page when the database cannot answer: a page of its own that reads nothing from it
    (the layout's header and footer do), in the language of the address, with Retry-After."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the pool replaces it
        log.warning("could not roll back after a database failure", exc_info=True)
    title, message = MESSAGES[503]
    locale = _locale_without_database()
    with force_locale(locale):
        page = render_template("errors/unavailable.html", title=title, message=message,
                               lang=locale.replace("_", "-").lower())
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


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
        if database_unavailable(exc):
            log.error("database unavailable: %s", exc.__class__.__name__, exc_info=exc)
            return render_unavailable()
        log.exception("unhandled error", exc_info=exc)
        db.session.rollback()
        return render_error(InternalServerError.code)
