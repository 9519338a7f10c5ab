"""Restrictions without facet counts: memory, size, connectivity and features, read from the catalog.

They come from the words of a query ("16gb ram", "15 inch", "cellular", "noise cancelling"; see
`app.search.understanding`) and stay in the URL (``ram``, ``size``, ``connectivity``, ``feature``).
The summaries hold no column for them, so each is a correlated EXISTS on the catalog, evaluated for
the candidates only (the text's matches, or a category): a product qualifies when one of its
variants, or its specs, has the value. Values of one restriction are ORed, restrictions ANDed.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Float, and_, cast, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.catalog.models import Product, Variant

from .params import Filters
from .understanding import features

CONNECTIVITY_VARIANTS = {"wifi": ("wifi",), "cellular": ("cellular", "gps-cellular"), "gps": ("gps", "gps-cellular")}

Restriction = Callable[[object], object]


def restriction(filters: Filters) -> Restriction | None:
    """A function of a product id column giving the condition these filters set, or None."""
    if not filters.restricted():
        return None

    def condition(product_id):
        product = aliased(Product)
        variant = aliased(Variant)

        def variant_has(*clauses):
            return exists(select(variant.id).where(variant.product_id == product_id, *clauses))

        def product_has(*clauses):
            return exists(select(product.id).where(product.id == product_id, *clauses))

        def spec(key: str):
            return func.lower(product.specs[key].as_string())

        clauses = []
        if filters.rams:
            clauses.append(or_(variant_has(variant.ram_gb.in_(filters.rams)),
                               product_has(product.specs["ram_gb"].as_string().in_([str(r) for r in filters.rams]))))
        if filters.sizes:
            alternatives = [variant_has(variant.size.in_(filters.sizes))]
            for size in filters.sizes:
                if size.endswith("in"):
                    inches = int(size[:-2])
                    screen = cast(product.specs["screen_in"].as_string(), Float)
                    alternatives.append(product_has(screen >= inches, screen < inches + 1))
            clauses.append(or_(*alternatives))
        if filters.connectivity:
            values = sorted({v for code in filters.connectivity for v in CONNECTIVITY_VARIANTS[code]})
            alternatives = [variant_has(variant.connectivity.in_(values))]
            if "wifi" in filters.connectivity:
                alternatives.append(product_has(spec("connectivity").like("%wi-fi%")))
            clauses.append(or_(*alternatives))
        for code in filters.features:
            feature = features()[code]
            value = spec(feature.spec)
            if feature.contains:
                clauses.append(product_has(or_(*[value.like(f"%{v}%") for v in feature.values])))
            else:
                clauses.append(product_has(value.in_(feature.values)))
        return and_(*clauses)

    return condition
