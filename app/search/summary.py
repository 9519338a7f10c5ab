"""Per-product, per-market summaries (`SearchProduct`) and their facet counts, from the live offers.

"Purchasable" is never re-defined here: every summary is an aggregate of
`app.offers.queries.purchasable_prices(market)`.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app import data_versions
from app.catalog.models import Color, Product, ProductTranslation, Variant
from app.offers.models import Listing, ListingPrice
from app.offers.queries import purchasable_prices, purchasable_prices_in
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
        _add_offers(rows, product_id, market.id, product_id, category_id, brand_id, year, grade, storage_gb,
                    families.get(color_id, ""), new_battery, amount, count, lengths.get(product_id, 0))
    return rows


def _add_offers(rows: dict, key, market_id: int, product_id: int, category_id: int, brand_id: int, year, grade: str,
                storage_gb, family: str, new_battery, amount: int, count: int, name_words: int) -> None:
    """Fold one group of offers (one grade, storage, colour and battery option) into its summary row."""
    row = rows.get(key)
    if row is None:
        row = rows[key] = {
            "market_id": market_id, "product_id": product_id, "category_id": category_id,
            "brand_id": brand_id, "release_year": year or 0, "from_amount": amount,
            "from_fair": None, "from_good": None, "from_excellent": None, "from_premium": None,
            "offers_count": 0, "grade_mask": 0, "storage_mask": 0, "color_mask": 0,
            "has_new_battery": False, "name_words": name_words}
    row["from_amount"] = min(row["from_amount"], amount)
    column = f"from_{grade}"
    if column in row:
        row[column] = amount if row[column] is None else min(row[column], amount)
    row["offers_count"] += count
    row["grade_mask"] |= GRADE_BITS.get(grade, 0)
    row["storage_mask"] |= storage_bit(storage_gb)
    row["color_mask"] |= COLOR_BITS.get(family, 0)
    row["has_new_battery"] = row["has_new_battery"] or bool(new_battery)


def refresh(session: Session, product_ids: Iterable[int], *, markets: Mapping[int, Iterable[int]] | None = None,
            renamed: Iterable[int] = (), locked: bool = False) -> None:
    """Bring the summaries and facet counts of these products up to date.

    `markets` narrows a product to the markets its change can affect (a price changed in one market,
    the stock of a listing priced in three): a product absent from it is refreshed in every market.
    `renamed` are the products whose names changed (their `name_words` is read again). Only the rows
    that differ are written: a price that is not the product's lowest in any grade writes nothing but
    the change log. Every product is logged (`log_changes`): its own page shows each offer's price.
    `locked`: the caller took `lock_for_refresh` for these products already.

    Statements, whatever the number of markets: the markets, the offers of all of them grouped
    (one query per 500 products), the current rows, then at most one DELETE, UPDATE and INSERT
    (each an executemany) and one upsert of the facet deltas.
    """
    ids = sorted(set(product_ids))
    if not ids:
        return
    if not locked:
        lock_for_refresh(session, ids)
    log_changes(session, ids)
    currencies = dict(session.execute(select(Market.id, Market.currency)).all())
    renamed = set(renamed) & set(ids)
    narrowed = markets or {}
    # A renamed product's rows all carry its name's length: refreshed in every market.
    scope = {p: (set(narrowed[p]) & currencies.keys() if p in narrowed and p not in renamed else set(currencies))
             for p in ids}
    wanted = sorted(set().union(*scope.values()))
    if not wanted:
        return
    old_rows = _current_rows(session, ids)
    known_words = {product_id: row["name_words"] for (_, product_id), row in old_rows.items()
                   if product_id not in renamed}
    groups = list(_offer_groups_in(session, wanted, ids))
    missing = ({product_id for product_id, *_ in groups} - known_words.keys()) | renamed
    words_of = {**known_words, **(name_lengths(session, sorted(missing)) if missing else {})}
    families: dict[str | None, str] = {}
    new_rows: dict[tuple[int, int], dict[str, Any]] = {}
    for (market_id, product_id, category_id, brand_id, year, grade, storage_gb, hex_value, new_battery,
         amount, count) in groups:
        if market_id not in scope[product_id]:
            continue
        family = families.get(hex_value)
        if family is None:
            family = families[hex_value] = color_family(hex_value) if hex_value else ""
        _add_offers(new_rows, (market_id, product_id), market_id, product_id, category_id, brand_id, year, grade,
                    storage_gb, family, new_battery, amount, count, words_of.get(product_id, 0))
    gone, changed, added = [], [], []
    deltas: Counter = Counter()
    for product_id in ids:
        for market_id in scope[product_id]:
            key = (market_id, product_id)
            old, new = old_rows.get(key), new_rows.get(key)
            if old == new:
                continue
            currency = currencies[market_id]
            if old is not None:
                for pair in contributions(old, currency):
                    deltas[(market_id, old["category_id"], old["brand_id"], *pair)] -= 1
            if new is not None:
                for pair in contributions(new, currency):
                    deltas[(market_id, new["category_id"], new["brand_id"], *pair)] += 1
            if new is None:
                gone.append({"_market": market_id, "_product": product_id})
            elif old is None:
                added.append(new)
            else:
                changed.append({**{k: v for k, v in new.items() if k not in ("market_id", "product_id")},
                                "_market": market_id, "_product": product_id})
    table = SearchProduct.__table__
    by_key = (table.c.market_id == bindparam("_market")) & (table.c.product_id == bindparam("_product"))
    if gone:
        session.execute(table.delete().where(by_key), gone)
    if changed:
        session.execute(table.update().where(by_key), changed)
    if added:
        session.execute(table.insert(), added)
    _apply_deltas(session, {key: n for key, n in deltas.items() if n})


def _offer_groups_in(session: Session, market_ids: Sequence[int], product_ids: Sequence[int]):
    """`_offer_groups` of several markets in one statement (per 500 products), with the colour's hex."""
    statement = (
        purchasable_prices_in(market_ids)
        .join(Product, Product.id == Variant.product_id)
        .outerjoin(Color, Color.id == Variant.color_id)
        .with_only_columns(ListingPrice.market_id, Variant.product_id, Product.category_id, Product.brand_id,
                           Product.release_year, Listing.grade, Variant.storage_gb, Color.hex,
                           Listing.has_new_battery, func.min(ListingPrice.amount), func.count(ListingPrice.id))
        .where(Product.is_active.is_(True))
        .group_by(ListingPrice.market_id, Variant.product_id, Product.category_id, Product.brand_id,
                  Product.release_year, Listing.grade, Variant.storage_gb, Color.hex, Listing.has_new_battery)
    )
    for start in range(0, len(product_ids), CHUNK):
        yield from session.execute(statement.where(Variant.product_id.in_(product_ids[start:start + CHUNK])))


def _current_rows(session: Session, ids: Sequence[int]) -> dict[tuple[int, int], dict[str, Any]]:
    """The summary rows of these products in every market, by (market, product)."""
    out: dict[tuple[int, int], dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        for row in session.execute(select(SearchProduct.__table__).where(
                SearchProduct.product_id.in_(ids[start:start + CHUNK]))):
            values = dict(row._mapping)
            values["has_new_battery"] = bool(values["has_new_battery"])
            out[(row.market_id, row.product_id)] = values
    return out


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


def _apply_deltas(session: Session, deltas: dict[tuple, int]) -> None:
    """Add each delta (keyed by market, category, brand, facet, value) to its count, creating missing
    rows, in one statement; keys are applied in a fixed order so that two transactions updating the
    same counts never wait on each other in a cycle."""
    if not deltas:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"market_id": market_id, "category_id": category_id, "brand_id": brand_id, "facet": facet,
             "value": value, "products": n}
            for (market_id, category_id, brand_id, facet, value), n in sorted(deltas.items())]
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


def markets_of_listings(session: Session, listing_ids: Iterable[int],
                        prices: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    """Per product, the markets where these listings' offers changed: every market a listing of
    `listing_ids` is priced in (a stock or grade change), and the market of each (listing, market) of
    `prices`. A listing priced nowhere still names its product (with no market: its page is logged)."""
    prices = set(prices)
    whole = {i for i in listing_ids if i is not None}
    ids = sorted(whole | {listing_id for listing_id, _ in prices})
    product_of: dict[int, int] = {}
    out: dict[int, set[int]] = {}
    statement = (select(Listing.id, Variant.product_id, ListingPrice.market_id)
                 .join(Variant, Variant.id == Listing.variant_id)
                 .outerjoin(ListingPrice, ListingPrice.listing_id == Listing.id))
    for start in range(0, len(ids), CHUNK):
        for listing_id, product_id, market_id in session.execute(
                statement.where(Listing.id.in_(ids[start:start + CHUNK]))):
            product_of[listing_id] = product_id
            found = out.setdefault(product_id, set())
            if market_id is not None and listing_id in whole:
                found.add(market_id)
    for listing_id, market_id in prices:        # a deleted price is no longer in the join: its market is kept
        if listing_id in product_of:
            out[product_of[listing_id]].add(market_id)
    return out


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

