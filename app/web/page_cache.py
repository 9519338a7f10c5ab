"""A server-side cache of rendered shop pages, correct on the next request after any change.

Rendering a product or category page costs tens of milliseconds; serving it again from memory
costs well under one. What makes that safe:

- **A data version.** One row, `data_version.value`, goes up in the same transaction as any write
  that can change what a shop page shows (listings, prices, stock, sellers, catalog texts, markets,
  search summaries; see `PRIVATE_TABLES` for what cannot). A request reads the version *before* it
  reads anything else and keys its entry on it, so a committed price or stock change makes every
  older entry unreachable at once, on every worker: nothing is kept that another process would
  need to be told about. Writes through a Session are seen by the session hooks below; SQL run on
  a bare connection must call `bump(connection)` itself.
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
from sqlalchemy import DDL, Connection, TextClause, event, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from app.extensions import db

# Rows no shop page shows: buyers' carts and orders, accounts, e-mail, imports in progress.
PRIVATE_TABLES = frozenset({
    "data_version", "cart", "cart_line", "order", "seller_order", "order_line", "seller_order_event",
    "payment", "outbox_message", "user_account", "address", "login_attempt", "seller_application",
    "listing_import",
    # after-sales (app/aftersales): no shop page shows them
    "seller_order_delivery", "carrier_event", "sold_unit", "market_aftersales", "withdrawal", "withdrawal_unit",
    "aftersales_refund", "return_request", "warranty_claim", "warranty_claim_photo",
})
DIRTY = "page_cache_dirty"
# What a visitor sees of their own in the header, drawn per request into a cached page.
VISITOR_PARTS = ("compare/_tray.html", "accounts/_header_link.html", "cart/_badge.html")
HX_HEADERS = ("HX-Request", "HX-Target", "HX-Boosted", "HX-History-Restore-Request")
MAX_QUERY_LENGTH = 512


class DataVersion(db.Model):
    """A single row whose value changes whenever a shop page could change."""
    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


# The row exists from the start: the migration inserts it, and so does a schema made by create_all.
event.listen(DataVersion.__table__, "after_create", DDL("INSERT INTO data_version (id, value) VALUES (1, 0)"))


def bump(connection: Connection | Session) -> None:
    """Make every cached page older than this transaction unreachable, once it commits."""
    connection.execute(update(DataVersion).where(DataVersion.id == 1).values(value=DataVersion.value + 1))


def current_version(session: Session) -> int | None:
    # On the session's connection, without the ORM's machinery: this runs on every cached visit.
    return session.connection().exec_driver_sql("SELECT value FROM data_version WHERE id = 1").scalar()


def data_version() -> int | None:
    """The version this request works with, read once, before the data it shows."""
    if "data_version" not in g:
        g.data_version = current_version(db.session)
    return g.data_version


# -- noticing writes -------------------------------------------------------------------------

def _touches_shop(instances) -> bool:
    return any(getattr(instance, "__tablename__", None) not in PRIVATE_TABLES for instance in instances)


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _context, _instances) -> None:
    if not session.info.get(DIRTY) and (_touches_shop(session.new) or _touches_shop(session.deleted)
                                        or _touches_shop(obj for obj in session.dirty
                                                         if session.is_modified(obj))):
        session.info[DIRTY] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state: ORMExecuteState) -> None:
    if state.session.info.get(DIRTY):
        return
    statement = state.statement
    if isinstance(statement, TextClause):
        if statement.text.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE", "REPLAC"):
            state.session.info[DIRTY] = True
    elif state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        if getattr(table, "name", None) not in PRIVATE_TABLES:
            state.session.info[DIRTY] = True


@event.listens_for(Session, "before_commit")
def _bump_on_commit(session: Session) -> None:
    session.flush()
    if session.info.pop(DIRTY, False):
        bump(session)
        session.flush()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(DIRTY, None)


# -- the cache -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Entry:
    body: bytes                                 # with every hole
    headers: tuple[tuple[str, str], ...]
    expires: float
    newcomer: bytes                             # holes but the token filled for a visitor with nothing of their own


class PageCache:
    """A bounded LRU of rendered pages, safe across threads of one worker."""

    def __init__(self, entries: int, seconds: float):
        self.capacity = entries
        self.seconds = seconds
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._lock = threading.Lock()
        self.marker = secrets.token_hex(8)           # unguessable: no visitor can plant one in a page
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.expires < time.monotonic():
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: tuple, body: bytes, headers, newcomer: bytes) -> None:
        entry = Entry(body, tuple(headers), time.monotonic() + self.seconds, newcomer)
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


def _key(version: int) -> tuple:
    return (version, request.host_url, request.path, request.query_string,
            *(request.headers.get(name) for name in HX_HEADERS))


def cached_page(view: Callable) -> Callable:
    """Serve this GET view from the page cache when the visit is plain (see the module's docstring)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = _cache()
        if cache is None or not _plain_visit():
            return view(*args, **kwargs)
        version = data_version()                         # first, before any data the page shows
        if version is None:
            return view(*args, **kwargs)
        key = _key(version)
        entry = cache.get(key)
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
                                  if name.lower() not in ("set-cookie", "content-length")), newcomer=newcomer)
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
        app.extensions["page_cache"] = PageCache(int(app.config["PAGE_CACHE_ENTRIES"]), seconds)
    app.add_template_global(visitor_hole, "visitor_hole")
    # Flask-WTF offers its own `csrf_token` as a global and through a context processor; this one,
    # registered later, wins in both places.
    app.add_template_global(csrf_token, "csrf_token")
    app.context_processor(lambda: {"csrf_token": csrf_token})
