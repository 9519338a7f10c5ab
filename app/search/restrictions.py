"""Restrictions without facet counts: memory, size, connectivity and features, read from the catalog.

They come from the words of a query ("16gb ram", "15 inch", "cellular", "noise cancelling"; see
`app.search.understanding`) and stay in the URL (``ram``, ``size``, ``connectivity``, ``feature``).
A product qualifies for a value when one of its variants, or its specs, has it. Values of one
restriction are ORed, restrictions (and each feature) ANDed.

Each value is a `Key` ("ram", 16) whose condition has two parts, one on variants and one on the
product's specs. The SQL engine applies them as correlated EXISTS on the candidates
(`Restriction.__call__`); the engine in memory keeps, per key, the ids of the products that have it,
read once with `key_ids` over the whole catalog and kept in step with it (`app.search.memory`).
Both are built from the same parts (`_parts`), so they cannot disagree.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Float,
    Integer,
    and_,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from app.catalog.models import Product, Variant

from .params import Filters
from .understanding import features

CONNECTIVITY_VARIANTS = {"wifi": ("wifi",), "cellular": ("cellular", "gps-cellular"), "gps": ("gps", "gps-cellular")}

Key = tuple[str, object]          # ("ram", 16), ("size", "15in"), ("connectivity", "wifi"), ("feature", "robot")


def groups(filters: Filters) -> list[tuple[Key, ...]]:
    """The filters' keys, grouped: a product qualifies when it has a key of every group."""
    out: list[tuple[Key, ...]] = [tuple(("ram", r) for r in filters.rams), tuple(("size", s) for s in filters.sizes),
                                  tuple(("connectivity", c) for c in filters.connectivity)]
    out.extend((("feature", code),) for code in filters.features)
    return [group for group in out if group]


def _parts(key: Key, product, variant) -> tuple[list, list]:
    """(conditions on a variant, conditions on the product) of which any one gives a product the key."""
    facet, value = key

    def spec(name: str):
        return func.lower(product.specs[name].as_string())

    if facet == "ram":
        return ([variant.ram_gb.in_([value])], [product.specs["ram_gb"].as_string().in_([str(value)])])
    name = str(value)                  # every facet but RAM has a string value
    if facet == "size":
        on_product = []
        if name.endswith("in"):
            inches = int(name[:-2])
            screen = cast(product.specs["screen_in"].as_string(), Float)
            on_product = [(screen >= inches) & (screen < inches + 1)]
        return [variant.size.in_([name])], on_product
    if facet == "connectivity":
        on_product = [spec("connectivity").like("%wi-fi%")] if name == "wifi" else []
        return [variant.connectivity.in_(CONNECTIVITY_VARIANTS[name])], on_product
    feature = features()[name]
    if feature.contains:
        return [], [or_(*[spec(feature.spec).like(f"%{v}%") for v in feature.values])]
    return [], [spec(feature.spec).in_(feature.values)]


@dataclass(frozen=True)
class Restriction:
    """The restrictions of some filters: called with a product id column, the SQL condition."""
    filters: Filters

    @property
    def groups(self) -> list[tuple[Key, ...]]:
        return groups(self.filters)

    def __call__(self, product_id):
        product = aliased(Product)
        variant = aliased(Variant)
        clauses = []
        for group in self.groups:
            alternatives = []
            for key in group:
                on_variant, on_product = _parts(key, product, variant)
                if on_variant:
                    alternatives.append(exists(select(variant.id).where(variant.product_id == product_id,
                                                                        or_(*on_variant))))
                if on_product:
                    alternatives.append(exists(select(product.id).where(product.id == product_id,
                                                                        or_(*on_product))))
            clauses.append(or_(*alternatives) if alternatives else false())
        return and_(*clauses)


def restriction(filters: Filters) -> Restriction | None:
    """The restriction these filters set, or None."""
    return Restriction(filters) if filters.restricted() else None


def key_ids(keys: Sequence[Key], among: Iterable[int] | None = None):
    """One statement: rows (position of the key in `keys`, product id) of the products having each
    key, among some product ids (all products when None). Each product once per key."""
    among = list(among) if among is not None else None
    branches = []
    for position, key in enumerate(keys):
        on_variant, on_product = _parts(key, Product, Variant)
        parts = []
        if on_variant:
            statement = select(Variant.product_id.label("product_id")).where(or_(*on_variant))
            parts.append(statement.where(Variant.product_id.in_(among)) if among is not None else statement)
        if on_product:
            statement = select(Product.id.label("product_id")).where(or_(*on_product))
            parts.append(statement.where(Product.id.in_(among)) if among is not None else statement)
        if not parts:
            continue
        found = (union(*parts) if len(parts) > 1 else parts[0]).subquery()
        branches.append(select(literal(position, Integer).label("key"), found.c.product_id))
    if not branches:
        return None
    return union_all(*branches) if len(branches) > 1 else branches[0]
