"""Resolve the edition from the URL once per request and build URLs that keep it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, abort, current_app, g, request, url_for
from sqlalchemy.orm import Session

from app.extensions import babel, db
from app.i18n import fallback_chain
from app.web.page_cache import shop_version
from app.web.safety import db_int

from .models import Edition
from .queries import list_editions, negotiate_edition

AlternateArgs = Callable[[Edition], dict[str, Any] | None]


def editions() -> list[Edition]:
    """This request's active editions: loaded once per change of the shop's data, not per request.

    Every request needs them (its URL names one) and they rarely change, so each worker keeps the
    last list it loaded, keyed on the shop version (app.data_versions), which any write to a
    market or an edition moves on. The rows are detached from the session that loaded them and read
    only: nothing may attach them to another session (give ids, `market_id=g.market.id`, instead).
    """
    if "editions" not in g:
        version = shop_version()
        kept = current_app.extensions.get("editions")
        if kept is not None and version is not None and kept[0] == version:
            g.editions = kept[1]
        else:
            # A session of their own (on the request's connection and transaction), closed at once:
            # the request's session never holds these rows, so it loads its own when it needs them.
            with Session(bind=db.session.connection()) as own:
                rows = list_editions(own)
            current_app.extensions["editions"] = (version, rows)
            g.editions = rows
    return g.editions


def edition_by_code(code: str) -> Edition | None:
    return next((e for e in editions() if e.code == code), None)


def negotiated_edition() -> Edition | None:
    """Remembered choice (cookie), else Accept-Language, else the configured default."""
    remembered = edition_by_code(request.cookies.get(current_app.config["EDITION_COOKIE"], ""))
    if remembered is not None:
        return remembered
    return negotiate_edition(editions(), list(request.accept_languages), current_app.config["DEFAULT_EDITION"])


def use_edition(edition: Edition | None, *, from_url: bool = False) -> None:
    g.edition = edition
    g.edition_from_url = from_url
    g.market = edition.market if edition else None
    g.language = edition.language if edition else current_app.config["BABEL_DEFAULT_LOCALE"]
    g.languages = languages_for(edition) if edition else fallback_chain(g.language)


def languages_for(edition: Edition) -> tuple[str, ...]:
    """The content fallback chain of an edition (see app.i18n.fallback_chain)."""
    market_language = next((e.language for e in editions()
                            if e.market_id == edition.market_id and e.is_market_default), None)
    return fallback_chain(edition.language, market_language)


def ensure_edition() -> Edition | None:
    """The request's edition; pages outside an edition (errors, `/`) get the negotiated one.

    An address under a real edition that matched no route (``/de-be/nothing``) keeps that edition,
    so its 404 page speaks the language the visitor was browsing in.
    """
    if "edition" not in g:
        prefix = request.path.strip("/").split("/", 1)[0] if request else ""
        use_edition(edition_by_code(prefix) or negotiated_edition())
    return g.edition


def set_alternates(builder: AlternateArgs) -> None:
    """Let a view say how its page is addressed in other editions (localized slugs).

    `builder(edition)` returns the view arguments for that edition, or None when the page has no
    equivalent there (the switcher then links to that edition's home page).
    """
    g.alternate_args = builder


def alternate_url(edition: Edition, *, external: bool = False, keep_query: bool = True,
                  query: dict[str, str] | None = None) -> str:
    """URL of the page being rendered, in another edition.

    `query`, when given, stands for the request's query string: what the page shows, spelt out by the
    view (a product page's whole selection, even when its own URL named none of it)."""
    endpoint = request.endpoint
    view_args = dict(request.view_args or {})
    expects_edition = endpoint is not None and current_app.url_map.is_endpoint_expecting(endpoint, "edition")
    if not expects_edition or request.routing_exception is not None:
        return url_for("catalog.home", edition=edition.code, _external=external)
    builder: AlternateArgs | None = g.get("alternate_args")
    if builder is not None:
        args = builder(edition)
        if args is None:
            return url_for("catalog.home", edition=edition.code, _external=external)
        view_args.update(args)
    # A query key that is also a path argument ("?token=…" on /verify/<token>) must not override it.
    given = request.args.to_dict(flat=False) if query is None else query
    query = ({k: v for k, v in given.items() if k not in view_args and k != "edition"} if keep_query else {})
    return url_for(endpoint, **view_args, **query, edition=edition.code, _external=external)


def canonical_url() -> str:
    """This page's canonical address: the current edition, without query parameters but the page."""
    edition = ensure_edition()
    url = alternate_url(edition, external=True, keep_query=False)
    page = request.args.get("page", type=db_int)
    if page and page > 1 and request.routing_exception is None:
        url += ("&" if "?" in url else "?") + f"page={page}"
    return url


def init_app(app: Flask) -> None:
    @app.url_value_preprocessor
    def pull_edition(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values is None or "edition" not in values:
            return
        edition = edition_by_code(values.pop("edition"))
        if edition is None:
            use_edition(negotiated_edition())
            abort(404)
        use_edition(edition, from_url=True)

    @app.url_defaults
    def add_edition(endpoint: str, values: dict[str, Any]) -> None:
        if "edition" in values or not app.url_map.is_endpoint_expecting(endpoint, "edition"):
            return
        edition = ensure_edition()
        if edition is not None:
            values["edition"] = edition.code

    @app.after_request
    def remember_edition(response):
        # The last edition a visitor chose is where "/" brings them back.
        edition = g.get("edition")
        cookie = app.config["EDITION_COOKIE"]
        if g.get("edition_from_url") and edition is not None and request.cookies.get(cookie) != edition.code \
                and response.status_code < 400:
            response.set_cookie(cookie, edition.code, max_age=app.config["EDITION_COOKIE_MAX_AGE"],
                                httponly=True, samesite="Lax", secure=request.is_secure)
        return response

    @app.context_processor
    def edition_context() -> dict[str, Any]:
        return {"alternate_url": alternate_url, "canonical_url": canonical_url, "all_editions": editions}

    def select_locale() -> str:
        # The back offices speak the signed-in person's language, whatever edition they came from.
        if request and g.get("ui_language"):
            return g.ui_language
        edition = ensure_edition() if request else None
        return edition.locale if edition else app.config["BABEL_DEFAULT_LOCALE"]

    def select_timezone() -> str | None:
        # Times are shown in the market's own zone (an order page, an e-mail); None: UTC.
        market = g.get("market") if request else None
        return market.timezone if market is not None else None

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    from app.i18n.regional import install
    install(babel)
