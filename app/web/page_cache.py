"""A server-side cache of rendered shop pages: exact for a product's page, boundedly stale for lists.

Rendering a product or category page costs tens of milliseconds; serving it again from memory
costs well under one. What makes that safe (the versions are `app.data_versions`'):

- **Keyed on versions read first.** A request reads the versions *before* it reads anything else
  and keys its entry on them, so a committed change makes older entries unreachable at once, on
  every worker: nothing is kept that another process would need to be told about.
  Every entry is keyed on the **shop version**, which moves with writes that any page may show
  (catalog texts, categories, markets, editions, sellers, content; tables marked `EVERY_PAGE`).
- **A product's page is exact.** Its entry is also keyed on that product's own version (the change
  log's last entry for it), so a price, stock or offer change of the product shows on its page,
  and on its grade and picker fragments, on the very next request on every worker, while a change
  of any *other* product leaves the entry in place (`cached_page(product=...)`).
- **A list is stale for a bounded time.** Home, category and search pages show the cards and
  facet counts of many products: an entry drawn before some product changed is still served for
  at most `PAGE_CACHE_LISTING_STALE_SECONDS` after it was drawn (5 s by default, 0: exact), then
  drawn again. A price seen on a card may so be up to that old; the product page and the cart
  always show the exact one. With no write since, an entry lives its whole life.
- **A short life.** An entry lives `PAGE_CACHE_SECONDS` (60 s by default) at most, for what
  changes with the clock alone: delivery dates, the 30-day window of a crossed-out price.
- **Holes for the visitor.** Pages are rendered once for everyone, with markers where one visitor
  differs from another: the CSRF token in forms, the cart badge, the comparison counter and the
  account link (the layout's `visitor_part` macro). Serving an entry fills the markers for this visitor.
- **Only plain visits.** A visitor with models in the comparison (the page marks them), a message
  waiting to be flashed, or a back-office role (a manager sees badges on fallback texts) gets a
  freshly rendered page; so does anything but GET, and any answer other than 200.

Each worker process keeps its own entries (a bounded LRU in memory): a restart or another worker
just renders again.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Flask, current_app, g, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app import data_versions
from app.extensions import db

# What a visitor sees of their own in the header, drawn per request into a cached page.
VISITOR_PARTS = ("compare/_tray.html", "accounts/_header_link.html", "cart/_badge.html")
HX_HEADERS = ("HX-Request", "HX-Target", "HX-Boosted", "HX-History-Restore-Request")
MAX_QUERY_LENGTH = 512


def versions() -> tuple[int, int] | None:
    """(change sequence, shop version) this request works with, read once, before the data it shows."""
    if "data_versions" not in g:
        g.data_versions = data_versions.current_versions(db.session)
    return g.data_versions


def shop_version() -> int | None:
    """The version that moves with any write shown on every page (markets, editions, texts...)."""
    found = versions()
    return found[1] if found else None


# -- the cache -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Entry:
    body: bytes                                 # with every hole
    headers: tuple[tuple[str, str], ...]
    expires: float
    newcomer: bytes                             # holes but the token filled for a visitor with nothing of their own
    changes: int = 0                            # the change sequence it was drawn at
    drawn: float = 0.0                          # time.monotonic() when it was drawn


class PageCache:
    """A bounded LRU of rendered pages, safe across threads of one worker."""

    def __init__(self, entries: int, seconds: float, listing_stale_seconds: float = 0.0):
        self.capacity = entries
        self.seconds = seconds
        self.listing_stale_seconds = listing_stale_seconds
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.marker = secrets.token_hex(8)           # unguessable: no visitor can plant one in a page
        self.hits = self.misses = 0

    def get(self, key: tuple, changes: int | None = None) -> Entry | None:
        """The entry, if alive; with `changes` (a list page), only if drawn at that change sequence
        or less than `listing_stale_seconds` ago."""
        with self._lock:
            entry = self._entries.get(key)
            now = time.monotonic()
            if entry is None or entry.expires < now or (
                    changes is not None and entry.changes != changes
                    and now - entry.drawn >= self.listing_stale_seconds):
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: tuple, body: bytes, headers, newcomer: bytes, changes: int = 0) -> None:
        now = time.monotonic()
        entry = Entry(body, tuple(headers), now + self.seconds, newcomer, changes, now)
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def hole(self, name: str) -> str:
        """A marker for a part of the page to fill per visitor, made of characters HTML escaping
        leaves alone, so it reads the same in an attribute (the CSRF token) and in text."""
        return f"pagecache-{self.marker}-{name}"


def _cache() -> PageCache | None:
    return current_app.extensions.get("page_cache")


def _plain_visit() -> bool:
    from app.accounts.permissions import sees_shop_as_the_public
    return (request.method == "GET" and len(request.query_string) <= MAX_QUERY_LENGTH
            and not session.get("_flashes") and not session.get("compare") and sees_shop_as_the_public())


def _newcomer() -> bool:
    """No cart, not signed in (and, on a plain visit, nothing to compare): the header parts are
    the same for every such visitor of a page, so they are filled once, when the entry is made."""
    from app.cart.views import cart_token
    return not cart_token() and not current_user.is_authenticated


def _key(versions: tuple) -> tuple:
    return (*versions, request.host_url, request.path, request.query_string,
            *(request.headers.get(name) for name in HX_HEADERS))


def cached_page(view: Callable | None = None, *, product: Callable[..., int | None] | None = None):
    """Serve this GET view from the page cache when the visit is plain (see the module's docstring).

    Bare, for a list page (boundedly stale). With `product`, a function of the view's arguments
    giving the id of the one product the page shows (None: not one, the view answers uncached),
    the page is keyed on that product's version and exact.
    """
    if view is None:
        return lambda view: cached_page(view, product=product)

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = _cache()
        if cache is None or not _plain_visit():
            return view(*args, **kwargs)
        found = versions()                               # first, before any data the page shows
        if found is None:
            return view(*args, **kwargs)
        changes, shop = found
        if product is None:
            key, since = _key(("list", shop)), changes
        else:
            product_id = product(*args, **kwargs)
            if product_id is None:
                return view(*args, **kwargs)
            key, since = _key(("product", shop, data_versions.product_version(db.session, product_id))), None
        entry = cache.get(key, since)
        if entry is not None:
            body = _token_in(cache, entry.newcomer) if entry.newcomer and _newcomer() else _fill(cache, entry.body)
            return current_app.response_class(body, headers=list(entry.headers))
        g.page_cache_render = cache
        try:
            response = current_app.make_response(view(*args, **kwargs))
        finally:
            g.page_cache_render = None
        body = response.get_data() if not response.direct_passthrough else b""
        if not body:
            return response
        # A newcomer's header parts are drawn once, for the entry and for this answer alike.
        newcomer = _fill(cache, body, csrf=False) if _newcomer() else b""
        if response.status_code == 200 and not _has_real_token(body):
            cache.put(key, body, ((name, value) for name, value in response.headers.items()
                                  if name.lower() not in ("set-cookie", "content-length")),
                      newcomer=newcomer, changes=changes)
        response.set_data(_token_in(cache, newcomer) if newcomer else _fill(cache, body))
        return response
    return wrapper


def _has_real_token(body: bytes) -> bool:
    """A token drawn without the hole (a form's own csrf field) belongs to one visitor: never share it."""
    token = g.get("csrf_token")
    return bool(token) and token.encode() in body


def _token_in(cache: PageCache, body: bytes) -> bytes:
    """The page with this visitor's CSRF token in its forms."""
    return body.replace(cache.hole("csrf").encode(), generate_csrf().encode())


def _fill(cache: PageCache, body: bytes, *, csrf: bool = True) -> bytes:
    """The page with this visitor's token, cart badge, comparison counter and account link."""
    if cache.marker.encode() not in body:
        return body
    if csrf:
        body = _token_in(cache, body)
    for name in VISITOR_PARTS:
        hole = cache.hole(name).encode()
        if hole in body:
            body = body.replace(hole, render_template(name).encode())
    return body


def visitor_hole(name: str) -> str:
    """Where the cache fills in the template `name` for each visitor (the layout's `visitor_part`)."""
    return g.page_cache_render.hole(name)


def csrf_token() -> str:
    cache = g.get("page_cache_render")
    return cache.hole("csrf") if cache is not None else generate_csrf()


def init_app(app: Flask) -> None:
    seconds = float(app.config["PAGE_CACHE_SECONDS"])
    if seconds > 0:
        app.extensions["page_cache"] = PageCache(int(app.config["PAGE_CACHE_ENTRIES"]), seconds,
                                                 float(app.config["PAGE_CACHE_LISTING_STALE_SECONDS"]))
    app.add_template_global(visitor_hole, "visitor_hole")
    # Flask-WTF offers its own `csrf_token` as a global and through a context processor; this one,
    # registered later, wins in both places.
    app.add_template_global(csrf_token, "csrf_token")
    app.context_processor(lambda: {"csrf_token": csrf_token})
