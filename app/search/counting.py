"""Facet counting: how the engine's passes group their rows, and how the groups become counts.

A pass groups by one BIGINT packing several columns (SQLite sorts for GROUP BY; one integer sorts
faster than six columns); the groups are unpacked and expanded here, bit masks into values.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from app.sites.models import Market

from .colors import FAMILY_CODES
from .facets import GRADE_BITS, GRADES, STORAGE_SIZES, bits, mask_of
from .models import SearchFacetCount

FC = SearchFacetCount.__table__


@dataclass(frozen=True)
class Resolved:
    """Filters as the database sees them: ids and bit masks."""
    categories: tuple[int, ...] = ()
    brands: tuple[int, ...] = ()
    grades: tuple[str, ...] = ()
    storage_mask: int = 0
    color_mask: int = 0
    battery: bool = False
    prices: tuple[int, ...] = ()
    base_brands: tuple[int, ...] = ()     # understood from the query: bounds every count, brand's too

    def active(self) -> set[str]:
        return {facet for facet, on in (("category", self.categories), ("brand", self.brands),
                                        ("grade", self.grades), ("storage", self.storage_mask),
                                        ("color", self.color_mask), ("battery", self.battery),
                                        ("price", self.prices)) if on}


FACET_COLUMN = {"category": "category_id", "brand": "brand_id", "grade": "grade_mask", "storage": "storage_mask",
                "color": "color_mask", "battery": "battery", "price": "band"}
COLUMN_FACET = {column: facet for facet, column in FACET_COLUMN.items()}
# Bits each grouped column takes in a pass's packed key (ids up to about a million).
KEY_BITS = {"category_id": 20, "brand_id": 20, "grade_mask": len(GRADES), "storage_mask": len(STORAGE_SIZES),
            "color_mask": len(FAMILY_CODES), "battery": 1, "band": 3}
# Facets grouped together in one pass must have few value combinations; colour masks have hundreds
# of distinct values, so colour always gets a pass of its own.
ALONE = {"color"}


def packed(columns: list[str], keys: dict):
    """One BIGINT holding every column of a pass, the first in the highest bits."""
    key = None
    for name in columns:
        value = cast(keys[name], BigInteger) if name != "battery" else cast(cast(keys[name], Integer), BigInteger)
        key = value if key is None else key * (1 << KEY_BITS[name]) + value
    return key


def unpack(key: int, columns: list[str]) -> dict[str, int]:
    values = {}
    for name in reversed(columns):
        values[name] = key & ((1 << KEY_BITS[name]) - 1)
        key >>= KEY_BITS[name]
    return values


def tally(raw: dict[str, Counter], values: dict[str, int], n: int, resolved: Resolved,
           facets: list[str]) -> int:
    """Count one group of the combo pass (its columns are those of `facets`, each filtered): towards
    every facet if it passes all their filters, towards the one facet whose own filter alone it
    fails, and not at all otherwise. Returns the group's share of the total (all filters pass)."""
    checks = {
        "category": lambda: values["category_id"] in resolved.categories,
        "brand": lambda: values["brand_id"] in resolved.brands,
        "grade": lambda: values["grade_mask"] & mask_of(resolved.grades, GRADE_BITS),
        "storage": lambda: values["storage_mask"] & resolved.storage_mask,
        "battery": lambda: values["battery"],
        "price": lambda: values["band"] in resolved.prices,
    }
    failed = [facet for facet in facets if not checks[facet]()]
    if len(failed) > 1:
        return 0
    for facet in failed or facets:
        raw[facet][values[FACET_COLUMN[facet]]] += n
    return 0 if failed else n


def count(counter: Counter, facet: str, key, n: int) -> None:
    if key is None:
        return
    if facet == "grade":
        for index in bits(key):
            counter[GRADES[index]] += n
    elif facet == "storage":
        for index in bits(key):
            counter[STORAGE_SIZES[index]] += n
    elif facet == "color":
        for index in bits(key):
            if index < len(FAMILY_CODES):
                counter[FAMILY_CODES[index]] += n
    elif facet == "battery":
        if key:
            counter["new"] += n
    else:
        counter[key] += n


def read_precomputed(session: Session, market: Market, scope, resolved: Resolved, facets: list[str],
                 counts: dict[str, Counter]) -> int:
    """Counts of these facets from `SearchFacetCount`; returns the number of products matching the
    category and brand filters (the total when no other filter is active)."""
    def where(*, categories: bool = True, brands: bool = True):
        clauses = [FC.c.market_id == market.id]
        if scope is not None:
            clauses.append(FC.c.category_id.in_(scope))
        if categories and resolved.categories:
            clauses.append(FC.c.category_id.in_(resolved.categories))
        if brands and resolved.brands:
            clauses.append(FC.c.brand_id.in_(resolved.brands))
        if resolved.base_brands:
            clauses.append(FC.c.brand_id.in_(resolved.base_brands))
        return clauses

    offer_facets = [f for f in facets if f not in ("category", "brand")]
    products = func.sum(FC.c.products)
    branches = [
        select(FC.c.facet, FC.c.value, literal(0, Integer).label("owner"), products)
        .where(*where(), FC.c.facet.in_([*offer_facets, "all"])).group_by(FC.c.facet, FC.c.value),
        select(literal("category", String), literal("", String), FC.c.category_id, products)
        .where(*where(categories=False), FC.c.facet == "all").group_by(FC.c.category_id),
        select(literal("brand", String), literal("", String), FC.c.brand_id, products)
        .where(*where(brands=False), FC.c.facet == "all").group_by(FC.c.brand_id),
    ]
    total = 0
    for facet, value, owner, n in session.execute(union_all(*branches)):
        n = int(n or 0)
        if not n:
            continue
        if facet == "all":
            total += n
        elif facet in ("category", "brand"):
            if facet in facets:
                counts[facet][owner] += n
        elif facet in ("price", "storage"):
            counts[facet][int(value)] += n
        else:
            counts[facet][value] += n
    return total
