"""Per-product, per-market summaries (`SearchProduct`) and their facet counts, from the live offers.

"Purchasable" is never re-defined here: every summary is an aggregate of
`app.offers.queries.purchasable_prices(market)`.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app import data_versions
from app.catalog.models import Color, Product, ProductTranslation, Variant
from app.offers.models import Listing, ListingPrice
from app.offers.queries import purchasable_prices
from app.sites.models import Market

from .colors import color_family
from .facets import COLOR_BITS, GRADE_BITS, contributions, storage_bit
from .models import SearchChange, SearchFacetCount, SearchProduct
from .text import words

CHUNK = 500     # ids per IN (...) list
LOG_VERSIONS = 100_000      # versions of `search_change` kept: a process further behind reloads everything
PRUNE_EVERY = 1_000
EVERYTHING = data_versions.EVERYTHING   # the product id logged by a rebuild
# PostgreSQL advisory locks (transaction-scoped) that order the writers of the summaries: a refresh holds the
# rebuild key shared and each of its products' keys; a rebuild holds the rebuild key alone.
REBUILD_LOCK = 0x5EA7C4          # one-key (bigint) space
PRODUCT_LOCK = 0x5EA7            # two-key (int, int) space: (PRODUCT_LOCK, product id)


def lock_for_refresh(session: Session, ids: Sequence[int]) -> None:
    """Two commits refreshing one product, or a refresh beside `flask search reindex`, would each delete what
    their snapshot shows and insert again: on PostgreSQL the second insert then breaks the primary key and its
    facet deltas are counted twice. Waiting for the other writer first (ids in order, so no deadlock) makes
    every statement after it read what that writer committed (READ COMMITTED). SQLite has one writer at a time."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(select(func.pg_advisory_xact_lock_shared(REBUILD_LOCK)))
    # One statement for all of them (an import touches thousands): PostgreSQL evaluates a volatile function of
    # the select list after the sort, so the keys are taken in id order.
    session.execute(text("SELECT pg_advisory_xact_lock(:key, id) FROM unnest(CAST(:ids AS integer[])) AS id "
                         "ORDER BY id"), {"key": PRODUCT_LOCK, "ids": list(ids)})


def all_markets(session: Session) -> list[Market]:
    """Every market, active or not: a market switched back on must not need a reindex."""
    return list(session.scalars(select(Market).order_by(Market.id)))


def color_families(session: Session) -> dict[int, str]:
    return {color_id: color_family(hex_value) for color_id, hex_value in session.execute(select(Color.id, Color.hex))}


def _offer_groups(session: Session, market: Market, product_ids: Sequence[int] | None):
    """Purchasable prices of the market grouped by product and offer-level facet values."""
    statement = (
        purchasable_prices(market)
        .join(Product, Product.id == Variant.product_id)
        .with_only_columns(Variant.product_id, Product.category_id, Product.brand_id, Product.release_year,
                           Listing.grade, Variant.storage_gb, Variant.color_id, Listing.has_new_battery,
                           func.min(ListingPrice.amount), func.count(ListingPrice.id))
        .where(Product.is_active.is_(True))
        .group_by(Variant.product_id, Product.category_id, Product.brand_id, Product.release_year,
                  Listing.grade, Variant.storage_gb, Variant.color_id, Listing.has_new_battery)
    )
    if product_ids is None:
        yield from session.execute(statement)
        return
    for start in range(0, len(product_ids), CHUNK):
        yield from session.execute(statement.where(Variant.product_id.in_(product_ids[start:start + CHUNK])))


def name_lengths(session: Session, product_ids: Sequence[int] | None) -> dict[int, int]:
    """Per product, the number of words of its shortest translated name."""
    statement = select(ProductTranslation.product_id, ProductTranslation.name)
    out: dict[int, int] = {}
    chunks = [None] if product_ids is None else [product_ids[i:i + CHUNK] for i in range(0, len(product_ids), CHUNK)]
    for chunk in chunks:
        query = statement if chunk is None else statement.where(ProductTranslation.product_id.in_(chunk))
        for product_id, name in session.execute(query):
            count = len(words(name))
            out[product_id] = min(out.get(product_id, count), count)
    return out


def summarise(session: Session, market: Market, product_ids: Sequence[int] | None,
              families: dict[int, str], lengths: dict[int, int] | None = None) -> dict[int, dict[str, Any]]:
    """Summary rows (as dicts) of the given products (None: all) that can be bought in the market."""
    lengths = lengths if lengths is not None else name_lengths(session, product_ids)
    rows: dict[int, dict[str, Any]] = {}
    for (product_id, category_id, brand_id, year, grade, storage_gb, color_id, new_battery,
         amount, count) in _offer_groups(session, market, product_ids):
        row = rows.get(product_id)
        if row is None:
            row = rows[product_id] = {
                "market_id": market.id, "product_id": product_id, "category_id": category_id,
                "brand_id": brand_id, "release_year": year or 0, "from_amount": amount,
                "from_fair": None, "from_good": None, "from_excellent": None, "from_premium": None,
                "offers_count": 0, "grade_mask": 0, "storage_mask": 0, "color_mask": 0,
                "has_new_battery": False, "name_words": lengths.get(product_id, 0)}
        row["from_amount"] = min(row["from_amount"], amount)
        key = f"from_{grade}"
        if key in row:
            row[key] = amount if row[key] is None else min(row[key], amount)
        row["offers_count"] += count
        row["grade_mask"] |= GRADE_BITS.get(grade, 0)
        row["storage_mask"] |= storage_bit(storage_gb)
        row["color_mask"] |= COLOR_BITS.get(families.get(color_id, ""), 0)
        row["has_new_battery"] = row["has_new_battery"] or bool(new_battery)
    return rows


def refresh(session: Session, product_ids: Iterable[int]) -> None:
    """Bring the summaries and facet counts of these products up to date, in every market."""
    ids = sorted(set(product_ids))
    if not ids:
        return
    lock_for_refresh(session, ids)
    families = color_families(session)
    lengths = name_lengths(session, ids)
    for market in all_markets(session):
        new = summarise(session, market, ids, families, lengths)
        old = _current(session, market.id, ids)
        deltas: Counter = Counter()
        for row in old.values():
            for pair in contributions(row, market.currency):
                deltas[(row["category_id"], row["brand_id"], *pair)] -= 1
        for row in new.values():
            for pair in contributions(row, market.currency):
                deltas[(row["category_id"], row["brand_id"], *pair)] += 1
        for start in range(0, len(ids), CHUNK):
            session.execute(delete(SearchProduct).where(SearchProduct.market_id == market.id,
                                                        SearchProduct.product_id.in_(ids[start:start + CHUNK])))
        if new:
            session.execute(SearchProduct.__table__.insert(), list(new.values()))
        _apply_deltas(session, market.id, {key: n for key, n in deltas.items() if n})
    log_changes(session, ids)


def log_changes(session: Session, product_ids: Sequence[int]) -> None:
    """Note that these products' summaries changed: at commit, `app.data_versions.commit_step` moves
    the change sequence on and logs them under it (`write_change_log`), as the last statement
    before COMMIT, so the version row's lock (PostgreSQL) is held only for that moment and versions
    are committed in order: once a reader sees version V committed, every change logged at V or
    below is visible too (see `app.search.memory`)."""
    if EVERYTHING in product_ids:
        session.info[data_versions.CHANGED] = {EVERYTHING}
        return
    data_versions.products_changed(session, product_ids)


def write_change_log(session: Session, version: int, product_ids: Sequence[int]) -> None:
    """Log these products under `version` (called by the commit step, with the version row locked)."""
    session.execute(SearchChange.__table__.insert(), [{"version": version, "product_id": i} for i in product_ids])
    if version % PRUNE_EVERY == 0:
        session.execute(delete(SearchChange).where(SearchChange.version <= version - LOG_VERSIONS))


def _current(session: Session, market_id: int, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        for row in session.execute(select(SearchProduct.__table__).where(
                SearchProduct.market_id == market_id, SearchProduct.product_id.in_(ids[start:start + CHUNK]))):
            out[row.product_id] = dict(row._mapping)
    return out


def _apply_deltas(session: Session, market_id: int, deltas: dict[tuple, int]) -> None:
    """Add each delta to its count, creating missing rows; keys are applied in a fixed order so that
    two transactions updating the same counts never wait on each other in a cycle."""
    if not deltas:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"market_id": market_id, "category_id": category_id, "brand_id": brand_id, "facet": facet,
             "value": value, "products": n} for (category_id, brand_id, facet, value), n in sorted(deltas.items())]
    statement = insert(SearchFacetCount)
    statement = statement.on_conflict_do_update(
        index_elements=["market_id", "category_id", "brand_id", "facet", "value"],
        set_={"products": SearchFacetCount.products + statement.excluded.products})
    session.execute(statement, rows)


def rebuild(session: Session, *, progress: Callable[[int], None] = lambda n: None) -> int:
    """Recompute every summary and facet count from scratch; returns the number of summary rows."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(REBUILD_LOCK)))     # refreshes wait, then see it
    session.execute(delete(SearchFacetCount))
    session.execute(delete(SearchProduct))
    session.execute(delete(SearchChange))
    log_changes(session, [EVERYTHING])
    families = color_families(session)
    lengths = name_lengths(session, None)
    total = 0
    for market in all_markets(session):
        rows = summarise(session, market, None, families, lengths)
        values = list(rows.values())
        for start in range(0, len(values), 10_000):
            session.execute(SearchProduct.__table__.insert(), values[start:start + 10_000])
        counts: Counter = Counter()
        for row in values:
            for pair in contributions(row, market.currency):
                counts[(row["category_id"], row["brand_id"], *pair)] += 1
        count_rows = [{"market_id": market.id, "category_id": c, "brand_id": b, "facet": f, "value": v,
                       "products": n} for (c, b, f, v), n in sorted(counts.items())]
        for start in range(0, len(count_rows), 10_000):
            session.execute(SearchFacetCount.__table__.insert(), count_rows[start:start + 10_000])
        total += len(values)
        progress(1)
    return total


def products_of_listings(session: Session, listing_ids: Iterable[int]) -> set[int]:
    return _lookup(session, select(Variant.product_id).join(Listing, Listing.variant_id == Variant.id),
                   Listing.id, listing_ids)


def products_of_variants(session: Session, variant_ids: Iterable[int]) -> set[int]:
    return _lookup(session, select(Variant.product_id), Variant.id, variant_ids)


def products_of_sellers(session: Session, seller_ids: Iterable[int]) -> set[int]:
    return _lookup(session, select(Variant.product_id).join(Listing, Listing.variant_id == Variant.id),
                   Listing.seller_id, seller_ids)


def _lookup(session: Session, statement, column, ids: Iterable[int]) -> set[int]:
    ids = sorted({i for i in ids if i is not None})
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(session.scalars(statement.where(column.in_(ids[start:start + CHUNK])).distinct()))
    return found

