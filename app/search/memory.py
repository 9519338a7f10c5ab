"""The listing engine in memory: each process keeps the markets' summaries as columns, in step.

A broad search ("samsung galaxy", 30,000 matches on the benchmark catalog) spends nearly all its
time in SQL joining every match to its summary and sorting the matches to group them, about
2 µs a match on SQLite. Here the same work is a few array operations, about 50 ns a match:

- **Columns.** Per market, one array per summary column, indexed by product id (absent products
  are flagged off). They are the `SearchProduct` rows, read the first time a market is listed
  (gunicorn's master reads them all before forking its workers), nothing more: the database stays the only source of truth, `flask search reindex`
  rebuilds it, and a restart rebuilds the columns.
- **In step.** Every summary refresh writes the products it touched to `search_change`, under
  the change sequence of its transaction (`app.data_versions`). Before answering, a process reads
  the committed version and reloads the summaries of the products changed since the version it
  last saw: a sale, a paused listing or a new price shows on the next request, on every worker,
  exactly as with the SQL engine. A rebuild logs product 0, meaning "everything".
- **Only committed data.** A session with writes of its own not yet committed (a test, or a
  request that changed the catalog) is answered by the SQL engine (`app.search.engine`): the
  columns are shared by the whole process and must never hold what could still be rolled back.

Text matching stays in the backend (FTS5 or tsvector): it returns the matching product ids as one
string, read straight into an array. Facets, total, sort and page are then worked out here with
the same rules as the SQL engine; `tests/search/test_memory.py` checks that both give the same
answers. Memory: about 50 bytes per product and market (70 MB per process for the 200,000-product
benchmark catalog in seven markets).
"""
from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from babel.numbers import get_currency_precision
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from app import data_versions
from app.sites.models import Market

from .backends import backend_for
from .colors import FAMILY_CODES
from .counting import Resolved, count
from .engine import NO_PRICE, Hit, Outcome, Understood
from .facets import FACETS, GRADE_BITS, GRADES, PRICE_BOUNDS, STORAGE_SIZES
from .models import SearchChange, SearchProduct
from .params import SearchParams
from .restrictions import Key, Restriction, key_ids
from .summary import CHUNK, EVERYTHING, LOG_VERSIONS
from .text import ParsedQuery

SP = SearchProduct.__table__
CHANGES = SearchChange.__table__
RESET_AFTER = 20_000                        # more changed products than this: reload the markets instead
MAX_VERSIONS_BEHIND = LOG_VERSIONS // 2     # further behind, the log may have been pruned: reload

# Summary columns and the type each is kept in; missing grade prices are NO_PRICE, as in SQL.
# Prices are 32-bit in the database too (INTEGER minor units); 50 bytes per product id and market.
COLUMNS: tuple[tuple[str, type], ...] = (
    ("category_id", np.int32), ("brand_id", np.int32), ("release_year", np.int16), ("from_amount", np.int32),
    ("from_fair", np.int32), ("from_good", np.int32), ("from_excellent", np.int32), ("from_premium", np.int32),
    ("offers_count", np.int32), ("grade_mask", np.int32), ("storage_mask", np.int32), ("color_mask", np.int32),
    ("has_new_battery", np.bool_), ("name_words", np.int16),
)
ID_SPAN = 1 << 24          # product ids and offer counts below this pack into one sort key
YEAR_SPAN = 1 << 14        # years and relevance ranks below this too
MASK_VALUES = {"grade": 1 << len(GRADES), "storage": 1 << len(STORAGE_SIZES), "color": 1 << len(FAMILY_CODES)}


def _selected_columns():
    out = [SP.c.product_id]
    for name, _type in COLUMNS:
        column = SP.c[name]
        out.append(func.coalesce(column, NO_PRICE) if name.startswith("from_") and name != "from_amount" else column)
    return out


class MarketColumns:
    """One market's summaries, one array per column, indexed by product id."""

    def __init__(self, size: int = 0):
        self.present = np.zeros(size, dtype=np.bool_)
        self.data = {name: np.zeros(size, dtype=kind) for name, kind in COLUMNS}
        self._ids: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.present)

    def ids(self) -> np.ndarray:
        """The product ids present, in order (kept until the next change)."""
        if self._ids is None:
            self._ids = np.flatnonzero(self.present)
        return self._ids

    def _grow(self, needed: int) -> None:
        if needed <= self.size:
            return
        size = max(needed, self.size + self.size // 4, 1024)       # room for new products, not twice the memory
        self.present = np.concatenate([self.present, np.zeros(size - self.size, dtype=np.bool_)])
        for name, kind in COLUMNS:
            self.data[name] = np.concatenate([self.data[name], np.zeros(size - len(self.data[name]), dtype=kind)])

    def put(self, rows: np.ndarray) -> None:
        """Set the summaries of some products: rows as `_read` returns them (product id first)."""
        if not len(rows):
            return
        ids = rows[:, 0]
        self._grow(int(ids.max()) + 1)
        self.present[ids] = True
        for position, (name, kind) in enumerate(COLUMNS, start=1):
            self.data[name][ids] = rows[:, position].astype(kind)
        self._ids = None

    def drop(self, ids: Sequence[int]) -> None:
        ids = np.asarray([i for i in ids if i < self.size], dtype=np.int64)
        if len(ids):
            self.present[ids] = False
            self._ids = None


class KeySets:
    """Per restriction key ("ram", 16), the sorted ids of the products that have it: read over the
    whole catalog the first time a key is asked for, then kept in step with the products changed."""

    def __init__(self):
        self.ids: dict[Key, np.ndarray] = {}

    def clear(self) -> None:
        self.ids.clear()

    def allowed(self, session: Session, restriction: Restriction) -> np.ndarray:
        """Sorted ids of the products the restriction allows (a key of every group)."""
        groups = restriction.groups
        missing = [key for group in groups for key in group if key not in self.ids]
        if missing:
            self._load(session, list(dict.fromkeys(missing)), None)
        out = None
        for group in groups:
            found = self.ids[group[0]]
            for key in group[1:]:
                found = np.union1d(found, self.ids[key])
            out = found if out is None else np.intersect1d(out, found, assume_unique=True)
        return out if out is not None else np.zeros(0, dtype=np.int64)

    def reload(self, session: Session, ids: list[int]) -> None:
        """Read the keys again for these products (changed since)."""
        if not self.ids or not ids:
            return
        gone = np.asarray(ids, dtype=np.int64)
        for key, held in self.ids.items():
            self.ids[key] = held[~np.isin(held, gone)]
        for start in range(0, len(ids), CHUNK):
            self._load(session, list(self.ids), ids[start:start + CHUNK])

    def _load(self, session: Session, keys: list[Key], among: list[int] | None) -> None:
        statement = key_ids(keys, among)
        # Through the ORM session, not `_read`: the JSON paths of the specs need their bind processors.
        rows = (np.array(session.execute(statement).all(), dtype=np.int64).reshape(-1, 2) if statement is not None
                else np.zeros((0, 2), dtype=np.int64))
        for position, key in enumerate(keys):
            found = np.unique(rows[rows[:, 0] == position, 1])
            self.ids[key] = found if among is None or key not in self.ids else np.union1d(self.ids[key], found)


class Mirror:
    """Every market's columns for one database, the restriction keys' products (`KeySets`), and the
    data version they were brought up to."""

    def __init__(self):
        self.lock = threading.Lock()
        self.markets: dict[int, MarketColumns] = {}
        self.keys = KeySets()
        self.seen: int | None = None

    def columns(self, session: Session, market_id: int) -> MarketColumns:
        """The market's columns, up to date with what is committed (call with the lock held)."""
        self._catch_up(session)
        columns = self.markets.get(market_id)
        if columns is None:
            rows = _read(session, select(*_selected_columns()).where(SP.c.market_id == market_id))
            columns = self.markets[market_id] = MarketColumns(int(rows[:, 0].max()) + 1 if len(rows) else 0)
            columns.put(rows)
        return columns

    def _catch_up(self, session: Session) -> None:
        version = data_versions.current_version(session)
        if self.seen is None or version is None or version < self.seen or version - self.seen > MAX_VERSIONS_BEHIND:
            self._clear()                          # first use, or another database: read markets afresh
        elif version > self.seen and (self.markets or self.keys.ids):
            changed = set(session.scalars(select(CHANGES.c.product_id).where(
                CHANGES.c.version > self.seen, CHANGES.c.version <= version)))
            if EVERYTHING in changed or len(changed) > RESET_AFTER:
                self._clear()
            elif changed:
                self._reload(session, sorted(changed))
                self.keys.reload(session, sorted(changed))
        self.seen = version

    def _clear(self) -> None:
        self.markets.clear()
        self.keys.clear()

    def _reload(self, session: Session, ids: list[int]) -> None:
        if not self.markets:
            return
        found = [_read(session, select(SP.c.market_id, *_selected_columns()).where(
            SP.c.market_id.in_(list(self.markets)), SP.c.product_id.in_(ids[start:start + CHUNK])))
            for start in range(0, len(ids), CHUNK)]
        rows = np.concatenate(found)
        for market_id, columns in self.markets.items():
            columns.drop(ids)
            columns.put(rows[rows[:, 0] == market_id, 1:])


def _read(session: Session, statement) -> np.ndarray:
    """Rows of integers as one array, fetched by the driver's cursor: loading a market of 185,000
    summaries takes half the time it takes through result rows."""
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.construct_params()
    parameters = tuple(values[name] for name in compiled.positiontup) if compiled.positional else values
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    width = len(statement.selected_columns)
    return np.array(rows, dtype=np.int64).reshape(len(rows), width)


def read_markets(session: Session) -> list[tuple[str, int, float]]:
    """Read every market's columns now rather than on its first listing (gunicorn's master does,
    before forking the workers); returns (market code, products, seconds) per market."""
    from time import perf_counter
    mirror = mirror_for(session)
    out = []
    for market_id, code in session.execute(select(Market.id, Market.code).order_by(Market.id)):
        started = perf_counter()
        with mirror.lock:
            columns = mirror.columns(session, market_id)
        out.append((code, len(columns.ids()), perf_counter() - started))
    return out


_MIRRORS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MIRRORS_LOCK = threading.Lock()


def mirror_for(session: Session) -> Mirror:
    engine = session.get_bind().engine
    with _MIRRORS_LOCK:
        mirror = _MIRRORS.get(engine)
        if mirror is None:
            mirror = _MIRRORS[engine] = Mirror()
        return mirror


def usable(session: Session) -> bool:
    """Whether to answer from the columns: enabled (`SEARCH_IN_MEMORY`), and this session sees only
    committed data (otherwise the SQL engine answers)."""
    from flask import current_app, has_app_context

    from .tracking import PENDING
    if has_app_context() and not current_app.config.get("SEARCH_IN_MEMORY", True):
        return False
    return not (data_versions.pending(session) or session.info.get(PENDING) or session.new or session.dirty
                or session.deleted)


# -- answering a page ------------------------------------------------------------------------

@dataclass
class _Rows:
    """The candidates of a page: their product ids and the columns the page needs."""
    ids: np.ndarray
    columns: MarketColumns

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns.data[name][self.ids]


def _matches(session: Session, statement, *, tiered: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """Product ids of a backend's matches, read as one string (much faster than row by row); with
    `tiered`, also those whose rank is 0 (every word in the name), from the same statement."""
    hits = statement.subquery()
    if session.get_bind().dialect.name == "postgresql":
        joined = func.string_agg(cast(hits.c.product_id, Text), ",")
    else:
        joined = func.group_concat(hits.c.product_id)
    columns = [joined, joined.filter(hits.c.rank == 0)] if tiered else [joined]
    texts = session.execute(select(*columns)).one()
    arrays = [np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, dtype=np.int64)
              for text in texts]
    return arrays[0], arrays[1] if tiered else None


def run(session: Session, *, market: Market, language: str, params: SearchParams, resolved: Resolved,
        scope: Sequence[int] | None, per_page: int, query: ParsedQuery | None = None,
        understood: Understood | None = None, restriction=None) -> Outcome:
    """What `app.search.engine.run` answers, worked out from the columns (same arguments).

    A `restriction` (`app.search.restrictions.Restriction`) is applied from the ids of the
    products having each of its keys, kept in memory beside the columns (`KeySets`).
    """
    terms = query.terms() if query and not query.is_empty and understood is None else []
    if understood is not None:
        if understood.categories is not None:
            scope = [c for c in understood.categories if scope is None or c in scope]
        resolved = replace(resolved, base_brands=understood.brands)
    backend = backend_for(session) if terms else None
    matches = named = None

    if terms and params.sort == "relevance" and backend.tiers_in_hits:
        # One pass: the backend tells, match by match, whether every word is in the name.
        matches, named = _matches(session, backend.hits(language, terms, ranked=False, tiered=True), tiered=True)
    elif terms:
        matches, _ = _matches(session, backend.hits(language, terms, ranked=False))
        if params.sort == "relevance":
            named, _ = _matches(session, backend.hits(language, terms, ranked=False, name_only=True))

    mirror = mirror_for(session)
    with mirror.lock:
        columns = mirror.columns(session, market.id)
        allowed = mirror.keys.allowed(session, restriction) if restriction is not None else None
        if matches is None:
            ids = columns.ids()
        else:
            matches = matches[matches < columns.size]
            ids = matches[columns.present[matches]]         # one row per product: no duplicates
        rows = _Rows(ids, columns)
        if scope is not None:
            rows.ids = rows.ids[np.isin(rows["category_id"], np.asarray(scope, dtype=np.int64))]
        if resolved.base_brands:
            rows.ids = rows.ids[np.isin(rows["brand_id"], np.asarray(resolved.base_brands, dtype=np.int64))]
        if allowed is not None:
            held = np.zeros(columns.size, dtype=np.bool_)
            held[allowed[allowed < columns.size]] = True
            rows.ids = rows.ids[held[rows.ids]]
        gathered = {name: rows[name] for name, _type in COLUMNS
                    if not name.startswith("from_") or name == "from_amount"}
        gathered.update({f"from_{g}": rows[f"from_{g}"] for g in resolved.grades})
    ids = rows.ids

    price = _price(gathered, resolved.grades)
    unit = 10 ** get_currency_precision(market.currency)
    band = np.searchsorted(np.asarray(PRICE_BOUNDS, dtype=np.int64) * unit, price, side="right")
    predicates = _predicates(gathered, band, resolved)
    everything = _all(predicates, len(ids))
    counts: dict[str, Counter] = {}
    for facet in FACETS:
        others = everything if facet not in predicates else _all(
            {name: p for name, p in predicates.items() if name != facet}, len(ids))
        counter = _count(facet, gathered, band, others)
        if counter:
            counts[facet] = counter
    total = int(np.count_nonzero(everything))

    keep = np.flatnonzero(everything)
    rank = None
    if terms:
        in_name = np.isin(ids[keep], named) if named is not None else np.ones(len(keep), dtype=np.bool_)
        rank = np.where(in_name, 0, 1000) + gathered["name_words"][keep]
    start = (params.page - 1) * per_page
    order = _order(params.sort, ids[keep], price[keep], gathered["offers_count"][keep],
                   gathered["release_year"][keep], rank, start + per_page)
    chosen = keep[order[start:start + per_page]]
    hits = [Hit(int(ids[i]), int(price[i]), int(gathered["offers_count"][i])) for i in chosen]
    return Outcome(hits, total, counts, query)


def _price(gathered: dict[str, np.ndarray], grades: Sequence[str]) -> np.ndarray:
    """The "from" price among the selected grades (all grades when none is selected)."""
    if not grades:
        return gathered["from_amount"]
    return np.minimum.reduce([gathered[f"from_{g}"] for g in GRADES if g in grades])


def _predicates(gathered: dict[str, np.ndarray], band: np.ndarray, resolved: Resolved) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    if resolved.categories:
        out["category"] = np.isin(gathered["category_id"], np.asarray(resolved.categories, dtype=np.int64))
    if resolved.brands:
        out["brand"] = np.isin(gathered["brand_id"], np.asarray(resolved.brands, dtype=np.int64))
    if resolved.grades:
        mask = sum(GRADE_BITS[g] for g in resolved.grades)
        out["grade"] = (gathered["grade_mask"] & mask) != 0
    if resolved.storage_mask:
        out["storage"] = (gathered["storage_mask"] & resolved.storage_mask) != 0
    if resolved.color_mask:
        out["color"] = (gathered["color_mask"] & resolved.color_mask) != 0
    if resolved.battery:
        out["battery"] = gathered["has_new_battery"]
    if resolved.prices:
        out["price"] = np.isin(band, np.asarray(resolved.prices, dtype=np.int64))
    return out


def _all(predicates: dict[str, np.ndarray], size: int) -> np.ndarray:
    if not predicates:
        return np.ones(size, dtype=np.bool_)
    return np.logical_and.reduce(list(predicates.values()))


def _count(facet: str, gathered: dict[str, np.ndarray], band: np.ndarray, where: np.ndarray) -> Counter:
    """One facet's counts among the rows `where` allows, with the SQL engine's keys."""
    counter: Counter = Counter()
    if facet == "battery":
        n = int(np.count_nonzero(gathered["has_new_battery"] & where))
        if n:
            counter["new"] = n
        return counter
    if facet == "price":
        values = band[where]
    else:
        values = gathered[{"category": "category_id", "brand": "brand_id", "grade": "grade_mask",
                           "storage": "storage_mask", "color": "color_mask"}[facet]][where]
    if not len(values):
        return counter
    tallies = np.bincount(values, minlength=MASK_VALUES.get(facet, 0))
    for value in np.flatnonzero(tallies):
        count(counter, facet, int(value), int(tallies[value]))
    return counter


def _order(sort: str, ids, price, offers, year, rank, wanted: int) -> np.ndarray:
    """Positions of the first `wanted` rows in the SQL engine's order (`app.search.engine._order`).

    The sort keys are packed into one integer (product id last, so no two rows tie), which lets
    the page be picked by partition rather than by sorting every row.
    """
    ids, price = ids.astype(np.int64), price.astype(np.int64)
    offers, year = offers.astype(np.int64), year.astype(np.int64)
    fits = (not len(ids) or (ids.max() < ID_SPAN and offers.max() < ID_SPAN and 0 <= year.min()
                             and year.max() < YEAR_SPAN and price.max() <= NO_PRICE))
    fewer_offers = ID_SPAN - 1 - offers
    if not fits or (rank is not None and len(rank) and rank.max() >= YEAR_SPAN):
        return _lexsorted(sort, ids, price, offers, year, rank)[:wanted]
    if sort == "price_asc":
        key = price * ID_SPAN + ids
    elif sort == "price_desc":
        key = (NO_PRICE - price) * ID_SPAN + ids
    elif sort == "newest":
        key = ((YEAR_SPAN - 1 - year) * ID_SPAN + fewer_offers) * ID_SPAN + ids
    elif rank is not None:
        key = (rank.astype(np.int64) * ID_SPAN + fewer_offers) * ID_SPAN + ids
    else:
        key = (fewer_offers * YEAR_SPAN + (YEAR_SPAN - 1 - year)) * ID_SPAN + ids
    if wanted < len(key):
        first = np.argpartition(key, wanted - 1)[:wanted] if wanted else np.zeros(0, dtype=np.int64)
        return first[np.argsort(key[first])]
    return np.argsort(key)


def _lexsorted(sort: str, ids, price, offers, year, rank) -> np.ndarray:
    """The same order by np.lexsort (its last key leads), for values too large to pack."""
    if sort == "price_asc":
        keys = (ids, price)
    elif sort == "price_desc":
        keys = (ids, -price)
    elif sort == "newest":
        keys = (ids, -offers, -year)
    elif rank is not None:
        keys = (ids, -offers, rank)
    else:
        keys = (ids, -year, -offers)
    return np.lexsort(keys)
