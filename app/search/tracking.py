"""Keep the index fresh without asking every writer to remember it.

STYLE.md prefers explicit calls to session events for business flows. The index is not a business
flow: it is derived data, like a database index, and a listing changes in many places (seller
portal, checkout, back office, imports). A forgotten call would leave results quietly wrong, so the
rule lives in one place instead, these steps registered with the others in `app.derived`:

- ``note_flush`` (before each flush) notes the listings, prices, sellers (status, markets),
  variants, products and catalog texts added, changed or deleted through the ORM;
- ``note_statement`` (each statement run through a Session) notes the rows an
  ``insert``/``update``/``delete`` statement will touch (bulk writes,
  ``update(Listing).where(...)``), read before the statement runs;
- ``commit_step`` (before COMMIT, after a last flush) works out which products those rows belong
  to, and refreshes their summaries and documents in the same transaction
  (`app.search.index.refresh`). A rollback forgets the notes.

So a listing that sells out, is paused or repriced, or a seller that is suspended, shows so on the
very next request. Bulk loaders that rebuild the index afterwards pause this with `paused(session)`.
Raw ``INSERT`` text run through a Session is understood when its parameters are named after the
columns; raw ``UPDATE``/``DELETE`` text, and writes that bypass the Session (a connection's own SQL),
must call `index.refresh` themselves.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import TextClause, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from app.catalog.models import (
    Brand,
    Category,
    CategoryTranslation,
    Color,
    ColorTranslation,
    Product,
    ProductTranslation,
    Variant,
)
from app.offers.models import Listing, ListingPrice
from app.sellers.models import Seller, seller_market

PENDING = "search_pending"
PAUSED = "search_paused"


@dataclass
class Pending:
    """What changed since the last commit, by kind of row; product ids are worked out at commit."""
    listings: set[int] = field(default_factory=set)        # in each market the listing is priced in
    prices: set[tuple[int, int]] = field(default_factory=set)   # (listing, market): in that market only
    variants: set[int] = field(default_factory=set)       # offers of these variants changed
    sellers: set[int] = field(default_factory=set)
    products: set[int] = field(default_factory=set)        # summary and texts
    texts: set[int] = field(default_factory=set)           # texts only
    categories: set[int] = field(default_factory=set)
    brands: set[int] = field(default_factory=set)
    colors: set[int] = field(default_factory=set)
    objects: list = field(default_factory=list)            # new rows whose ids only exist after the flush

    def __bool__(self) -> bool:
        return any((self.listings, self.prices, self.variants, self.sellers, self.products, self.texts, self.categories,
                    self.brands, self.colors, self.objects))


def pending(session: Session) -> Pending:
    return session.info.setdefault(PENDING, Pending())


@contextmanager
def paused(session: Session) -> Iterator[None]:
    """Stop noting changes (a bulk load followed by a full rebuild); notes taken before are kept."""
    previous = session.info.get(PAUSED, False)
    session.info[PAUSED] = True
    try:
        yield
    finally:
        session.info[PAUSED] = previous


def _note(session: Session, obj, kind: str = "new") -> None:
    """Keep a row to resolve at commit (new rows have no id yet); `kind` is "new", "dirty" or "deleted".

    What a listing or a price change can affect is narrowed to markets: a price, to its own market
    (and its old one, if it moved); a listing (stock, grade, activity), to the markets it is priced in.
    A deleted listing, or one moved to another variant, counts for its variants' products everywhere."""
    notes = pending(session)
    if isinstance(obj, Listing):
        if kind == "deleted":
            notes.variants.add(inspect(obj).dict.get("variant_id"))
        elif kind == "dirty":
            notes.variants.update(inspect(obj).attrs.variant_id.history.deleted)
        notes.objects.append(obj)
    elif isinstance(obj, ListingPrice):
        if kind == "dirty":
            listing, market = inspect(obj).attrs.listing_id.history, inspect(obj).attrs.market_id.history
            if listing.deleted or market.deleted:      # moved: its old listing and market count too
                for listing_id in (*listing.deleted, *listing.unchanged, *listing.added):
                    for market_id in (*market.deleted, *market.unchanged, *market.added):
                        notes.prices.add((listing_id, market_id))
        notes.objects.append(obj)
    elif isinstance(obj, Product | ProductTranslation | Variant | CategoryTranslation
                    | Category | ColorTranslation | Color | Brand | Seller):
        notes.objects.append(obj)


def _resolve_object(notes: Pending, obj) -> None:
    state = inspect(obj)
    get = state.dict.get
    if isinstance(obj, Listing):
        notes.listings.add(get("id"))
    elif isinstance(obj, ListingPrice):
        listing_id = get("listing_id") or (obj.listing.id if get("listing") else None)
        if get("market_id") is None:
            notes.listings.add(listing_id)
        else:
            notes.prices.add((listing_id, get("market_id")))
    elif isinstance(obj, Product):
        notes.products.add(get("id"))
    elif isinstance(obj, ProductTranslation):
        notes.texts.add(get("product_id") or (obj.product.id if get("product") else None))
    elif isinstance(obj, Variant):
        product_id = get("product_id") or (obj.product.id if get("product") else None)
        notes.products.add(product_id)
    elif isinstance(obj, CategoryTranslation):
        notes.categories.add(get("category_id") or (obj.category.id if get("category") else None))
    elif isinstance(obj, Category):
        notes.categories.add(get("id"))
    elif isinstance(obj, ColorTranslation):
        notes.colors.add(get("color_id") or (obj.color.id if get("color") else None))
    elif isinstance(obj, Color):
        notes.colors.add(get("id"))
    elif isinstance(obj, Brand):
        notes.brands.add(get("id"))
    elif isinstance(obj, Seller):
        notes.sellers.add(get("id"))


def note_flush(session: Session, _context, _instances) -> None:
    if session.info.get(PAUSED):
        return
    for obj in session.new:
        _note(session, obj, "new")
    for obj in session.deleted:
        _note(session, obj, "deleted")
    for obj in session.dirty:
        if isinstance(obj, Seller):
            if session.is_modified(obj, include_collections=True) and _seller_changed(obj):
                _note(session, obj, "dirty")
        elif session.is_modified(obj, include_collections=False):
            _note(session, obj, "dirty")


def _seller_changed(seller: Seller) -> bool:
    attrs = inspect(seller).attrs
    return attrs.status.history.has_changes() or attrs.markets.history.has_changes()


# Statements run through a Session: the table they write, and how to read the ids they touch.
_TABLES = {
    Listing.__table__.name: ("listings", Listing.__table__.c.id),
    ListingPrice.__table__.name: ("listings", ListingPrice.__table__.c.listing_id),
    Seller.__table__.name: ("sellers", Seller.__table__.c.id),
    seller_market.name: ("sellers", seller_market.c.seller_id),
    Variant.__table__.name: ("products", Variant.__table__.c.product_id),
    Product.__table__.name: ("products", Product.__table__.c.id),
    ProductTranslation.__table__.name: ("texts", ProductTranslation.__table__.c.product_id),
    CategoryTranslation.__table__.name: ("categories", CategoryTranslation.__table__.c.category_id),
    Category.__table__.name: ("categories", Category.__table__.c.id),
    ColorTranslation.__table__.name: ("colors", ColorTranslation.__table__.c.color_id),
    Color.__table__.name: ("colors", Color.__table__.c.id),
    Brand.__table__.name: ("brands", Brand.__table__.c.id),
}


_TEXT_INSERT = re.compile(r'\s*INSERT\s+INTO\s+"?(\w+)"?', re.IGNORECASE)


def note_statement(state: ORMExecuteState) -> None:
    session = state.session
    if session.info.get(PAUSED):
        return
    statement = state.statement
    if isinstance(statement, TextClause):
        # Raw INSERTs (the CSV import writes listings and prices so) carry their keys in the rows,
        # when parameters are named after the columns, as there.
        match = _TEXT_INSERT.match(statement.text)
        if match and match.group(1) in _TABLES:
            _note_rows(session, match.group(1), state.parameters)
        return
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(statement, "table", None)
    name = getattr(table, "name", None)
    if name not in _TABLES:
        return
    parameters = state.parameters
    if isinstance(parameters, list | tuple) or state.is_insert:
        _note_rows(session, name, parameters)
        return
    kind, column = _TABLES[name]
    where = statement.whereclause
    if name == ListingPrice.__table__.name:      # the prices' own markets
        query = select(ListingPrice.listing_id, ListingPrice.market_id).distinct()
        if where is not None:
            query = query.where(where)
        pending(session).prices.update(map(tuple, session.connection().execute(query, parameters or {})))
        return
    query = select(column).distinct()
    if where is not None:
        query = query.where(where)
    found = set(session.connection().execute(query, parameters or {}).scalars())
    getattr(pending(session), kind).update(found)
    if name == Listing.__table__.name and found:
        pending(session).variants.update(session.connection().execute(
            select(Listing.variant_id).where(Listing.id.in_(found))).scalars())


def _note_rows(session: Session, name: str, parameters) -> None:
    """Note the rows of an insert, or of an update by primary key, from their parameters."""
    kind, column = _TABLES[name]
    rows = parameters if isinstance(parameters, list | tuple) else [parameters] if parameters else []
    notes = pending(session)
    if name == ListingPrice.__table__.name:
        _note_price_rows(session, rows)
        return
    keys = [row.get(column.name) for row in rows]
    getattr(notes, kind).update(k for k in keys if k is not None)
    if name == Listing.__table__.name:
        notes.variants.update(row.get("variant_id") for row in rows)
    # An update by primary key names only the row's id: read what it belongs to.
    ids = [row["id"] for row, k in zip(rows, keys, strict=True) if k is None and row.get("id") is not None]
    if ids and column.name != "id":
        table = column.table
        getattr(notes, kind).update(session.connection().execute(
            select(column).where(table.c.id.in_(ids))).scalars())


def _note_price_rows(session: Session, rows) -> None:
    """Prices written by statement: rows naming their listing and market are noted in that market; an
    update by id is read (before it runs: a price moved to another market counts in its old one too)."""
    notes = pending(session)
    by_id = []
    for row in rows:
        if row.get("id") is not None:
            by_id.append(row["id"])
        if row.get("listing_id") is None:
            continue
        if row.get("market_id") is None:
            notes.listings.add(row["listing_id"])
        else:
            notes.prices.add((row["listing_id"], row["market_id"]))
    for start in range(0, len(by_id), 1000):
        notes.prices.update(map(tuple, session.connection().execute(
            select(ListingPrice.listing_id, ListingPrice.market_id)
            .where(ListingPrice.id.in_(by_id[start:start + 1000])))))


def commit_step(session: Session) -> None:
    """Before COMMIT (a step of `app.derived`, after a flush): refresh the noted products."""
    if session.info.get(PAUSED):
        return
    notes: Pending = session.info.pop(PENDING, Pending())
    if not notes:
        return
    for obj in notes.objects:
        _resolve_object(notes, obj)
    summaries, texts, markets = _products(session, notes)
    from . import index
    index.refresh(session, summaries=summaries, documents=texts, markets=markets)
    session.info.pop(PENDING, None)


def _products(session: Session, notes: Pending) -> tuple[set[int], set[int], dict[int, set[int]]]:
    """(products whose offers changed, products whose texts changed, the markets a product's offers
    changed in when only some: products absent from it changed in every market)."""
    from . import summary
    clean = {name: {i for i in getattr(notes, name) if i is not None}
             for name in ("listings", "variants", "sellers", "products", "texts", "categories", "brands", "colors")}
    markets = summary.markets_of_listings(session, clean["listings"],
                                          {(lid, mid) for lid, mid in notes.prices if lid is not None})
    everywhere = set(clean["products"])
    everywhere |= summary.products_of_variants(session, clean["variants"])
    everywhere |= summary.products_of_sellers(session, clean["sellers"])
    texts = set(clean["texts"])
    everywhere |= texts              # summaries hold the name's length, for ranking
    if clean["categories"]:
        texts |= _products_in_categories(session, clean["categories"])
    if clean["brands"]:
        texts |= set(session.scalars(select(Product.id).where(Product.brand_id.in_(clean["brands"]))))
    if clean["colors"]:
        coloured = set(session.scalars(select(Variant.product_id).where(Variant.color_id.in_(clean["colors"]))))
        everywhere |= coloured          # colour families
        texts |= coloured               # colour names
    # Stock and price changes touch summaries only; a changed product or variant touches both.
    texts |= clean["products"]
    offers = everywhere | markets.keys()
    return offers, texts, {p: m for p, m in markets.items() if p not in everywhere}


def _products_in_categories(session: Session, category_ids: set[int]) -> set[int]:
    parents = dict(session.execute(select(Category.id, Category.parent_id)).all())
    inside = set(category_ids)
    changed = True
    while changed:
        changed = False
        for child, parent in parents.items():
            if parent in inside and child not in inside:
                inside.add(child)
                changed = True
    return set(session.scalars(select(Product.id).where(Product.category_id.in_(inside))))


def forget(session: Session, *_args) -> None:
    session.info.pop(PENDING, None)
