"""The listing engine: one SQL statement answers a page's results, total and live facet counts.

Shape of the work, whatever the page:

- the candidates are the market's `SearchProduct` rows, bounded by the page's category (a category
  page) and, when there is text, joined to the backend's matches, materialised once; a query of
  brand and category words only is read as those filters instead (see `Understood`);
- each facet counts the candidates that pass every *other* active filter (so a facet never hides
  its own alternatives). Facets without a filter of their own share one pass under every filter;
  the filtered ones share another, grouped by all their columns, and each one's counts are worked
  out from its groups (`app.search.counting.tally`); colour, with hundreds of mask values, is a
  pass of its own;
- a facet whose other filters are only category and brand, on a page without text, reads
  `SearchFacetCount` instead (an unfiltered or brand-filtered category page scans nothing);
- the passes, the total and the page of results are one UNION ALL, one round trip.

The number of statements never depends on the number of products shown.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from babel.numbers import get_currency_precision
from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from app.sites.models import Market

from .backends import backend_for
from .counting import (
    ALONE,
    COLUMN_FACET,
    FACET_COLUMN,
    Resolved,
    count,
    packed,
    read_precomputed,
    tally,
    unpack,
)
from .facets import (
    FACETS,
    GRADE_BITS,
    GRADES,
    PRICE_BOUNDS,
    band_range,
)
from .models import SearchFacetCount, SearchProduct
from .params import SearchParams
from .text import ParsedQuery

SP = SearchProduct.__table__
FC = SearchFacetCount.__table__
NO_PRICE = 2 ** 31 - 1


@dataclass
class Hit:
    product_id: int
    from_amount: int
    offers_count: int


@dataclass
class Outcome:
    hits: list[Hit]
    total: int
    counts: dict[str, Counter] = field(default_factory=dict)
    query: ParsedQuery | None = None


def _tiers_differ(session: Session, backend, language: str, terms) -> bool:
    """Whether some matches have every word in their name and others not (one cheap statement).

    On a broad query ("samsung galaxy") every match usually has the words in its name: the tier
    is then the same for all, and telling the tiers apart would cost a join over every match.
    """
    everything = backend.hits(language, terms, ranked=False).subquery()
    in_name = backend.hits(language, terms, ranked=False, name_only=True).subquery()
    total, named = session.execute(select(select(func.count()).select_from(everything).scalar_subquery(),
                                          select(func.count()).select_from(in_name).scalar_subquery())).one()
    return 0 < named < total


def _least(columns, dialect: str):
    if len(columns) == 1:
        return columns[0]
    if dialect == "postgresql":
        return func.least(*columns)
    return func.min(*[func.coalesce(c, NO_PRICE) for c in columns])


def _price(source, grades: Sequence[str], dialect: str):
    """The "from" price among the selected grades (all grades when none is selected)."""
    if not grades:
        return source.c.from_amount
    return _least([source.c[f"from_{g}"] for g in GRADES if g in grades], dialect)


def _band(price, currency: str):
    unit = 10 ** get_currency_precision(currency)
    return case(*[(price < bound * unit, band) for band, bound in enumerate(PRICE_BOUNDS)],
                else_=len(PRICE_BOUNDS))


def _predicates(source, resolved: Resolved, price, currency: str) -> dict[str, object]:
    out: dict[str, object] = {}
    if resolved.categories:
        out["category"] = source.c.category_id.in_(resolved.categories)
    if resolved.brands:
        out["brand"] = source.c.brand_id.in_(resolved.brands)
    if resolved.grades:
        mask = sum(GRADE_BITS[g] for g in resolved.grades)
        out["grade"] = source.c.grade_mask.op("&")(mask) != 0
    if resolved.storage_mask:
        out["storage"] = source.c.storage_mask.op("&")(resolved.storage_mask) != 0
    if resolved.color_mask:
        out["color"] = source.c.color_mask.op("&")(resolved.color_mask) != 0
    if resolved.battery:
        out["battery"] = source.c.has_new_battery.is_(True)
    if resolved.prices:
        ranges = []
        for band in resolved.prices:
            low, high = band_range(band, currency)
            ranges.append(and_(price >= low, price < high) if high is not None else price >= low)
        out["price"] = or_(*ranges)
    return out


def _order(source, sort: str, price, has_text: bool):
    if sort == "price_asc":
        return [price, source.c.product_id]
    if sort == "price_desc":
        return [price.desc(), source.c.product_id]
    if sort == "newest":
        return [source.c.release_year.desc(), source.c.offers_count.desc(), source.c.product_id]
    if has_text:
        return [source.c.rank, source.c.offers_count.desc(), source.c.product_id]
    return [source.c.offers_count.desc(), source.c.release_year.desc(), source.c.product_id]


def _branch(kind: str, key, n, *, price=None, offers=None, year=None, rank=None, product=None):
    """Every branch of the statement returns rows of this one shape."""
    def column(value, type_, name):
        return cast(value if value is not None else null(), type_).label(name)
    return [literal(kind, String).label("kind"), column(key, BigInteger, "key"), column(n, Integer, "n"),
            column(price, Integer, "price"), column(offers, Integer, "offers"), column(year, Integer, "year"),
            column(rank, Integer, "rank"), column(product, Integer, "product_id")]


@dataclass(frozen=True)
class Understood:
    """A query made only of brand and category words ("samsung", "fernseher", "télé sony"), read as
    those constraints instead of text: the same products, found through the summaries' indexes."""
    brands: tuple[int, ...] = ()
    categories: tuple[int, ...] | None = None


def run(session: Session, *, market: Market, language: str, params: SearchParams, resolved: Resolved,
        scope: Sequence[int] | None, per_page: int, query: ParsedQuery | None = None,
        understood: Understood | None = None, restriction=None) -> Outcome:
    """Results of one page, the total and every facet's counts, in at most three statements.

    `restriction` (`app.search.restrictions`) bounds the candidates by a condition on their product
    id: memory, size, connectivity, features.
    """
    dialect = session.get_bind().dialect.name
    terms = query.terms() if query and not query.is_empty and understood is None else []
    sort = params.sort
    if understood is not None:
        if understood.categories is not None:
            scope = [c for c in understood.categories if scope is None or c in scope]
        resolved = replace(resolved, base_brands=understood.brands)

    if terms:
        # Relevance without scoring every match (BM25 costs more than everything else on a broad
        # query): matches with every word in the name come first, then shorter names (the model
        # before its variants), then the most offered. Both backends rank alike this way.
        backend = backend_for(session)
        hits = backend.hits(language, terms, ranked=False).cte("hits").prefix_with("MATERIALIZED")
        named = backend.hits(language, terms, ranked=False, name_only=True).cte("named").prefix_with("MATERIALIZED")
        conditions = [SP.c.market_id == market.id, SP.c.product_id == hits.c.product_id]
        if scope is not None:
            conditions.append(SP.c.category_id.in_(scope))
        if restriction is not None:
            conditions.append(restriction(SP.c.product_id))
        needed = ["product_id", "category_id", "brand_id", "release_year", "offers_count", "grade_mask",
                  "storage_mask", "color_mask", "has_new_battery", "from_amount",
                  *(f"from_{grade}" for grade in resolved.grades)]
        joined = hits.join(SP, and_(*conditions))
        if sort == "relevance" and backend.tiers_in_hits:
            # The backend tells, match by match, whether every word is in the name (rank 0 or 1).
            hits = backend.hits(language, terms, ranked=False, tiered=True).cte("hits").prefix_with("MATERIALIZED")
            conditions[1] = SP.c.product_id == hits.c.product_id
            joined = hits.join(SP, and_(*conditions))
            tier = hits.c.rank
        elif sort == "relevance" and _tiers_differ(session, backend, language, terms):
            tier = case((named.c.product_id.is_(None), 1), else_=0)
            joined = joined.outerjoin(named, named.c.product_id == SP.c.product_id)
        else:
            tier = literal(0, Integer)
        source = (select(*[SP.c[name] for name in needed], (tier * 1000 + SP.c.name_words).label("rank"))
                  .select_from(joined).cte("base").prefix_with("MATERIALIZED"))
        base_where: list = []
    else:
        source = SP
        base_where = [SP.c.market_id == market.id]
        if scope is not None:
            base_where.append(SP.c.category_id.in_(scope))
        if resolved.base_brands:
            base_where.append(SP.c.brand_id.in_(resolved.base_brands))
        if restriction is not None:
            base_where.append(restriction(SP.c.product_id))

    price = _price(source, resolved.grades, dialect)
    predicates = _predicates(source, resolved, price, market.currency)
    keys = {"category_id": source.c.category_id, "brand_id": source.c.brand_id, "grade_mask": source.c.grade_mask,
            "storage_mask": source.c.storage_mask, "color_mask": source.c.color_mask,
            "battery": source.c.has_new_battery, "band": _band(price, market.currency)}

    # Category and brand are keys of the precomputed counts: a facet whose other filters are only
    # those can be read there, when there is no text.
    scanned = bool(terms) or restriction is not None       # the precomputed counts know neither
    precomputed = [] if scanned else [f for f in FACETS if not (set(predicates) - {f, "category", "brand"})]
    live = [f for f in FACETS if f not in precomputed]
    # Three kinds of pass, each one GROUP BY over the candidates:
    # - "main": the facets without a filter of their own, under every filter;
    # - "combo": the facets with a filter (colour aside), grouped by all their columns together under
    #   the other filters; each one's counts are worked out here from the groups, applying the filters
    #   of the others (see _tally): "Excellent" under "256 GB" and "256 GB" under "Excellent" at once;
    # - "color": colour masks take hundreds of values, so colour is counted alone.
    plan = {"main": [f for f in live if f not in predicates and f not in ALONE],
            "combo": [f for f in live if f in predicates and f not in ALONE],
            "color": [f for f in live if f in ALONE]}
    branches = []
    columns = {kind: [FACET_COLUMN[f] for f in facets] for kind, facets in plan.items()}
    for kind, facets in plan.items():
        if not facets:
            continue
        applied = [name for name in predicates if name not in facets]
        key = packed(columns[kind], keys)
        branches.append(select(*_branch(kind, key, func.count())).select_from(source)
                        .where(*base_where, *(predicates[name] for name in applied)).group_by(key))
    total_from = "main" if plan["main"] else "combo" if plan["combo"] else None
    if total_from is None and (scanned or set(predicates) - {"category", "brand"}):
        branches.append(select(*_branch("total", None, func.count())).select_from(source)
                        .where(*base_where, *predicates.values()))
    page = (select(source.c.product_id, price.label("price"), source.c.offers_count, source.c.release_year,
                   (source.c.rank if terms else literal(0, Integer)).label("rank"))
            .where(*base_where, *predicates.values())
            .order_by(*_order(source, sort, price, bool(terms)))
            .limit(per_page).offset((params.page - 1) * per_page)).subquery("page")
    branches.append(select(*_branch("hit", None, 0, price=page.c.price, offers=page.c.offers_count,
                                    year=page.c.release_year, rank=page.c.rank, product=page.c.product_id)))

    counts: dict[str, Counter] = defaultdict(Counter)
    raw: dict[str, Counter] = defaultdict(Counter)      # facet → stored value (a mask) → products
    total = 0
    found: list[tuple] = []
    for kind, key, n, row_price, offers, year, rank, product_id in session.execute(union_all(*branches)):
        if kind == "hit":
            found.append((product_id, row_price, offers, year, rank))
        elif kind == "total":
            total = n
        elif kind == "combo":
            share = tally(raw, unpack(key, columns["combo"]), n, resolved, plan["combo"])
            total += share if total_from == "combo" else 0
        else:
            total += n if kind == total_from else 0
            for column, value in unpack(key, columns[kind]).items():
                raw[COLUMN_FACET[column]][value] += n
    for facet, values in raw.items():
        for value, n in values.items():
            count(counts[facet], facet, value, n)
    if precomputed:
        pre_total = read_precomputed(session, market, scope, resolved, precomputed, counts)
        if total_from is None and not (scanned or set(predicates) - {"category", "brand"}):
            total = pre_total
    ordered = _sort_hits(found, sort, bool(terms))
    return Outcome([Hit(pid, price_, offers) for pid, price_, offers, _y, _r in ordered], total, dict(counts), query)


def _sort_hits(found: list[tuple], sort: str, has_text: bool) -> list[tuple]:
    """Put the page's rows back in the statement's order (UNION ALL does not promise to keep it)."""
    if sort == "price_asc":
        return sorted(found, key=lambda r: (r[1], r[0]))
    if sort == "price_desc":
        return sorted(found, key=lambda r: (-r[1], r[0]))
    if sort == "newest":
        return sorted(found, key=lambda r: (-(r[3] or 0), -r[2], r[0]))
    if has_text:
        return sorted(found, key=lambda r: (r[4], -r[2], r[0]))
    return sorted(found, key=lambda r: (-r[2], -(r[3] or 0), r[0]))
