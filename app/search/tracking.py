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
    listings: set[int] = field(default_factory=set)
    variants: set[int] = field(default_factory=set)       # offers of these variants changed
    sellers: set[int] = field(default_factory=set)
    products: set[int] = field(default_factory=set)        # summary and texts
    texts: set[int] = field(default_factory=set)           # texts only
    categories: set[int] = field(default_factory=set)
    brands: set[int] = field(default_factory=set)
    colors: set[int] = field(default_factory=set)
    objects: list = field(default_factory=list)            # new rows whose ids only exist after the flush

    def __bool__(self) -> bool:
        return any((self.listings, self.variants, self.sellers, self.products, self.texts, self.categories,
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


def _note(session: Session, obj) -> None:
    notes = pending(session)
    if isinstance(obj, Listing | ListingPrice | Product | ProductTranslation | Variant | CategoryTranslation
                  | Category | ColorTranslation | Color | Brand | Seller):
        notes.objects.append(obj)


def _resolve_object(notes: Pending, obj) -> None:
    state = inspect(obj)
    get = state.dict.get
    if isinstance(obj, Listing):
        notes.variants.add(get("variant_id") or (obj.variant.id if get("variant") else None))
        notes.listings.add(get("id"))
    elif isinstance(obj, ListingPrice):
        notes.listings.add(get("listing_id") or (obj.listing.id if get("listing") else None))
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
        _note(session, obj)
    for obj in session.deleted:
        _note(session, obj)
    for obj in session.dirty:
        if isinstance(obj, Seller):
            if session.is_modified(obj, include_collections=True) and _seller_changed(obj):
                _note(session, obj)
        elif session.is_modified(obj, include_collections=False):
            _note(session, obj)


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


def commit_step(session: Session) -> None:
    """Before COMMIT (a step of `app.derived`, after a flush): refresh the noted products."""
    if session.info.get(PAUSED):
        return
    notes: Pending = session.info.pop(PENDING, Pending())
    if not notes:
        return
    for obj in notes.objects:
        _resolve_object(notes, obj)
    summaries, texts = _products(session, notes)
    from . import index
    index.refresh(session, summaries=summaries, documents=texts)
    session.info.pop(PENDING, None)


def _products(session: Session, notes: Pending) -> tuple[set[int], set[int]]:
    """(products whose offers changed, products whose texts changed)."""
    from . import summary
    clean = {name: {i for i in getattr(notes, name) if i is not None}
             for name in ("listings", "variants", "sellers", "products", "texts", "categories", "brands", "colors")}
    offers = set(clean["products"])
    offers |= summary.products_of_listings(session, clean["listings"])
    offers |= summary.products_of_variants(session, clean["variants"])
    offers |= summary.products_of_sellers(session, clean["sellers"])
    texts = set(clean["texts"])
    offers |= texts              # summaries hold the name's length, for ranking
    if clean["categories"]:
        texts |= _products_in_categories(session, clean["categories"])
    if clean["brands"]:
        texts |= set(session.scalars(select(Product.id).where(Product.brand_id.in_(clean["brands"]))))
    if clean["colors"]:
        coloured = set(session.scalars(select(Variant.product_id).where(Variant.color_id.in_(clean["colors"]))))
        offers |= coloured          # colour families
        texts |= coloured           # colour names
    # Stock and price changes touch summaries only; a changed product or variant touches both.
    texts |= clean["products"]
    return offers, texts


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
