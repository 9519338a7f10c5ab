"""Type-ahead suggestions: categories whose name or synonyms start like the text, and products
whose name matches it, the last word being completed ("iphone 1" → iPhone 13, 14, 15…).

Products are found among the first matches of the name field only, then ranked: a product whose
name is exactly the text ("iphone 13": the iPhone 13, before the 13 mini, Pro and Pro Max) first,
then the most offered in the edition's market. The backend stops after `CANDIDATES` matches, so a
two-letter prefix costs no more than a full word.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import Brand, Product, ProductTranslation
from app.catalog.queries import CategoryNode, ProductCard, product_cards
from app.sites.models import Market

from .analysis import parse_text
from .backends import backend_for
from .models import SearchProduct
from .service import Catalog
from .synonyms import synonyms
from .text import fold, folded_words

MIN_CHARS = 2
CATEGORIES = 3
PRODUCTS = 6
CANDIDATES = 200


@dataclass
class Suggestions:
    text: str
    categories: list[CategoryNode]
    products: list[ProductCard]

    def __bool__(self) -> bool:
        return bool(self.categories or self.products)


def suggest(session: Session, *, market: Market, languages: Sequence[str], text: str,
            catalog: Catalog) -> Suggestions:
    text = " ".join(text.split())[:100]
    if len(fold(text).strip()) < MIN_CHARS:
        return Suggestions(text, [], [])
    language = languages[0]
    return Suggestions(text, _categories(catalog, language, text), _products(session, market, languages, text))


def _categories(catalog: Catalog, language: str, text: str) -> list[CategoryNode]:
    typed = folded_words(text)
    if not typed:
        return []
    found = []
    for node in catalog.by_id.values():
        phrases = [node.name, *synonyms(language).categories.get(node.category.key, ())]
        if any(_starts_like(folded_words(phrase), typed) for phrase in phrases):
            found.append(node)
    found.sort(key=lambda n: (bool(n.children), n.name))
    return found[:CATEGORIES]


def _starts_like(words: list[str], typed: list[str]) -> bool:
    """Each typed word begins a word of the phrase, in order ("mach caf" → "machine à café")."""
    position = 0
    for word in typed:
        while position < len(words) and not words[position].startswith(word):
            position += 1
        if position == len(words):
            return False
        position += 1
    return True


def _products(session: Session, market: Market, languages: Sequence[str], text: str) -> list[ProductCard]:
    query = parse_text(session, languages[0], text, complete_last=True)
    terms = query.terms()
    if not terms:
        return []
    hits = backend_for(session).hits(languages[0], terms, ranked=True, name_only=True, limit=CANDIDATES)
    hits = hits.subquery("hits")
    rows = session.execute(
        select(SearchProduct.product_id, SearchProduct.from_amount, SearchProduct.offers_count)
        .join(hits, hits.c.product_id == SearchProduct.product_id)
        .where(SearchProduct.market_id == market.id)
        .order_by(hits.c.rank, SearchProduct.offers_count.desc(), SearchProduct.product_id)
        .limit(CANDIDATES)).all()
    exact = _exact_names(session, [row.product_id for row in rows], languages, " ".join(query.tokens))
    rows.sort(key=lambda row: (row.product_id not in exact, -row.offers_count, row.product_id))
    return product_cards(session, rows[:PRODUCTS], market, languages)


def _exact_names(session: Session, product_ids: list[int], languages: Sequence[str], text: str) -> set[int]:
    """Products whose name, with or without the brand, is the text (folded), in one query."""
    if not product_ids or not text:
        return set()
    found = set()
    for product_id, name, brand in session.execute(
            select(ProductTranslation.product_id, ProductTranslation.name, Brand.name)
            .join(Product, Product.id == ProductTranslation.product_id).join(Brand, Brand.id == Product.brand_id)
            .where(ProductTranslation.product_id.in_(product_ids), ProductTranslation.language.in_(list(languages)))):
        name_words = " ".join(folded_words(name))
        if text in (name_words, " ".join(folded_words(f"{brand} {name}"))):
            found.add(product_id)
    return found
