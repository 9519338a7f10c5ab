"""Read-side catalog queries feeding the home, category and product pages.

Each returns ready-to-render dataclasses in a fixed number of SQL queries, whatever the number of
rows shown: translations and pictures are fetched for the whole page at once.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import pick_translation
from app.sites.models import Market

from .models import (
    Brand,
    Category,
    CategoryTranslation,
    Product,
    ProductImage,
    ProductTranslation,
)
from .slugs import retired_owner


@dataclass(frozen=True)
class ProductCard:
    product_id: int
    name: str
    brand: str
    slug: str
    from_amount: int
    currency: str
    offers_count: int
    image: ProductImage | None
    reviews_count: int = 0          # published device reviews (app.reviews' precomputed figures)
    reviews_sum: int = 0

    @property
    def rating(self) -> Decimal | None:
        if not self.reviews_count:
            return None
        return (Decimal(self.reviews_sum) / self.reviews_count).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class CategoryNode:
    category: Category
    name: str
    slug: str
    description: str | None
    children: list[CategoryNode]


def category_tree(session: Session, languages: Sequence[str]) -> list[CategoryNode]:
    """The active category tree with names in the page's language (two queries)."""
    categories = list(session.scalars(
        select(Category).where(Category.is_active).order_by(Category.position, Category.id)))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)

    def node(category: Category) -> CategoryNode | None:
        text = pick_translation(category.translations, languages)
        if text is None:
            return None
        kids = [n for n in (node(c) for c in children.get(category.id, [])) if n is not None]
        return CategoryNode(category, text.name, text.slug, text.description, kids)

    return [n for n in (node(c) for c in children.get(None, [])) if n is not None]


def descendant_ids(tree: list[CategoryNode], category_id: int) -> list[int]:
    """The category and everything below it."""
    def walk(nodes, inside):
        for n in nodes:
            here = inside or n.category.id == category_id
            if here:
                yield n.category.id
            yield from walk(n.children, here)
    return list(walk(tree, False))


def find_category_by_slug(session: Session, slug: str, language: str) -> tuple[Category, bool] | None:
    """The category a slug names, and whether the slug is the canonical one for `language`.

    A slug of another language still finds the category, so the view can redirect to the right one.
    """
    return _find_by_slug(session, Category, CategoryTranslation, CategoryTranslation.category_id, slug, language,
                         "category")


def find_product_by_slug(session: Session, slug: str, language: str) -> tuple[Product, bool] | None:
    """Like `find_category_by_slug`, for products."""
    return _find_by_slug(session, Product, ProductTranslation, ProductTranslation.product_id, slug, language,
                         "product")


def product_id_for_slug(session: Session, slug: str, language: str) -> int | None:
    """The product whose slug in `language` this is, or None."""
    return session.scalar(select(ProductTranslation.product_id).where(
        ProductTranslation.language == language, ProductTranslation.slug == slug))


def _find_by_slug(session, model, translation, owner_column, slug: str, language: str, kind: str):
    """The owner of a live slug (canonical when it is the page language's), else of a retired one."""
    rows = session.execute(
        select(owner_column.label("owner_id"), translation.language).where(translation.slug == slug)).all()
    if rows:
        own = next((r for r in rows if r.language == language), rows[0])
        owner_id, canonical = own.owner_id, own.language == language
    else:
        owner_id, canonical = retired_owner(session, kind, slug, language), False
    found = session.get(model, owner_id) if owner_id is not None else None
    if found is None or not found.is_active:
        return None
    return found, canonical


def featured_products(session: Session, market: Market, languages: Sequence[str], *,
                      limit: int) -> list[ProductCard]:
    """The most widely offered products in a market, newest models first among equals.

    Reads the search summaries (`app.search.models.SearchProduct`), kept in step with the offers, so
    the home page does not aggregate every price of the market on each visit.
    """
    from app.search.models import SearchProduct
    rows = session.execute(
        select(SearchProduct.product_id, SearchProduct.from_amount, SearchProduct.offers_count)
        .where(SearchProduct.market_id == market.id)
        .order_by(SearchProduct.offers_count.desc(), SearchProduct.release_year.desc(), SearchProduct.product_id)
        .limit(limit)).all()
    return product_cards(session, rows, market, languages)


def product_cards(session: Session, rows, market: Market, languages: Sequence[str]) -> list[ProductCard]:
    """Cards for rows carrying product_id, from_amount and offers_count, in their order (three queries)."""
    ids = [r.product_id for r in rows]
    if not ids:
        return []
    texts: dict[int, list[ProductTranslation]] = {}
    for t in session.scalars(select(ProductTranslation).where(
            ProductTranslation.product_id.in_(ids), ProductTranslation.language.in_(list(languages)))):
        texts.setdefault(t.product_id, []).append(t)
    from app.reviews.models import ProductRating
    brands, reviews = {}, {}
    for product_id, brand, count, total in session.execute(
            select(Product.id, Brand.name, ProductRating.count, ProductRating.rating_sum)
            .join(Brand, Brand.id == Product.brand_id)
            .outerjoin(ProductRating, ProductRating.product_id == Product.id).where(Product.id.in_(ids))):
        brands[product_id], reviews[product_id] = brand, (count or 0, total or 0)
    images: dict[int, ProductImage] = {}
    for image in session.scalars(select(ProductImage).where(ProductImage.product_id.in_(ids))
                                 .order_by(ProductImage.product_id, ProductImage.position, ProductImage.id)):
        images.setdefault(image.product_id, image)
    cards = []
    for r in rows:
        text = pick_translation(texts.get(r.product_id, []), languages)
        if text is None:
            continue
        cards.append(ProductCard(r.product_id, text.name, brands[r.product_id], text.slug, r.from_amount,
                                 market.currency, r.offers_count, images.get(r.product_id),
                                 *reviews[r.product_id]))
    return cards
