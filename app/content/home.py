"""The home page's blocks turned into what the catalog's home template shows."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import Product
from app.catalog.queries import (
    CategoryNode,
    ProductCard,
    featured_products,
    product_cards,
)
from app.sites.models import Market
from app.web.safety import link_target

from .queries import ShownText


@dataclass(frozen=True)
class HomeContent:
    blocks: dict[str, ShownText]
    categories: list[CategoryNode]
    products: list[ProductCard]
    links: dict[str, tuple[str, str]]   # promotion key → ("category", slug) or ("path", address)


def item_lines(shown: ShownText | None) -> list[str]:
    return [line.strip() for line in (shown.revision.items if shown else "").splitlines() if line.strip()]


def valid_promotion_target(items: str) -> bool:
    """What a promotion banner may lead to: nothing, a category code, a path on this site or an
    absolute https address (never `/\\elsewhere`, which browsers read as another site)."""
    target = next((line.strip() for line in (items or "").splitlines() if line.strip()), "")
    return not target or bool(re.fullmatch(r"[a-z0-9][a-z0-9_-]*", target)) or link_target(target) is not None


def home_content(session: Session, blocks: dict[str, ShownText], tree: list[CategoryNode], market: Market,
                 languages: Sequence[str], *, limit: int) -> HomeContent:
    """Featured categories and products as the blocks name them (codes one per line), else the defaults:
    the top of the category tree and the most offered products. Codes that name nothing on sale in
    this market are skipped, so a stale list never shows an empty card."""
    wanted = item_lines(blocks.get("home-categories"))
    if wanted:
        by_key = {node.category.key: node for node in _walk(tree)}
        categories = [by_key[key] for key in wanted if key in by_key] or tree
    else:
        categories = tree
    keys = item_lines(blocks.get("home-products"))
    products: list[ProductCard] = []
    if keys:
        from app.search.models import SearchProduct
        ids = dict(session.execute(select(Product.key, Product.id).where(Product.key.in_(keys), Product.is_active)).all())
        rows = {r.product_id: r for r in session.execute(
            select(SearchProduct.product_id, SearchProduct.from_amount, SearchProduct.offers_count)
            .where(SearchProduct.market_id == market.id, SearchProduct.product_id.in_(list(ids.values()))))}
        ordered = [rows[ids[k]] for k in keys if k in ids and ids[k] in rows][:limit]
        products = product_cards(session, ordered, market, languages)
    if not products:
        products = featured_products(session, market, languages, limit=limit)
    links = {}
    nodes = {node.category.key: node for node in _walk(tree)}
    for key, shown in blocks.items():
        target = next(iter(item_lines(shown)), "") if key.startswith("home-promotion") else ""
        if target in nodes:
            links[key] = ("category", nodes[target].slug)
        elif link_target(target):
            links[key] = ("path", target)
    return HomeContent(blocks, categories, products, links)


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)
