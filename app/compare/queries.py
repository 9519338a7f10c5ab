"""What the comparison page shows: names, pictures, "from" prices per grade and key specs."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.catalog.models import Product, ProductImage, Variant
from app.catalog.specs import spec_rows
from app.offers.models import Listing, ListingPrice
from app.offers.queries import purchasable_prices
from app.sites.models import Market


@dataclass(frozen=True)
class Compared:
    product: Product
    name: str
    slug: str
    image: ProductImage | None
    from_amount: int | None
    grade_amounts: dict[str, int]
    specs: dict[str, str]


def compared_products(session: Session, market: Market, languages: Sequence[str],
                      ids: Sequence[int]) -> list[Compared]:
    """The products in the order given, skipping any that no longer exist or have no text."""
    if not ids:
        return []
    products = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_(ids), Product.is_active)
        .options(selectinload(Product.images)))}
    prices: dict[int, dict[str, int]] = {}
    for product_id, grade, amount in session.execute(
            purchasable_prices(market)
            .with_only_columns(Variant.product_id, Listing.grade, func.min(ListingPrice.amount))
            .where(Variant.product_id.in_(list(products)))
            .group_by(Variant.product_id, Listing.grade)):
        prices.setdefault(product_id, {})[grade] = amount
    found = []
    for product_id in ids:
        product = products.get(product_id)
        text = product.text(languages) if product else None
        if text is None:
            continue
        grades = prices.get(product_id, {})
        found.append(Compared(product, text.name, text.slug, product.images[0] if product.images else None,
                              min(grades.values()) if grades else None, grades,
                              dict(spec_rows(product.specs or {}))))
    return found


def spec_labels(compared: Sequence[Compared]) -> list[str]:
    """Every spec any compared product has, in first-seen order."""
    labels: list[str] = []
    for item in compared:
        labels += [label for label in item.specs if label not in labels]
    return labels


def products_by_keys(session: Session, keys: Sequence[str]) -> list[int]:
    rows = dict(session.execute(select(Product.key, Product.id).where(Product.key.in_(list(keys)))).all())
    return [rows[k] for k in keys if k in rows]
