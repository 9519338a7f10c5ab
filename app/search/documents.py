"""Search documents: what a product is found by in each language.

A product gets one document per language, in three fields of decreasing weight:

- ``name``: brand and model name in that language, plus the joined model-number tokens
  ("apple iphone 13 iphone13 appleiphone");
- ``keywords``: the names of its category and the categories above it in that language, and the
  synonyms of those categories from `synonyms/<language>.json`;
- ``details``: key specs (chip, system, connectivity), the names of its colours in that language,
  and its model numbers' letters and digits apart ("Watch6": ``watch 6``).

Texts are lists of words separated by spaces (see `app.search.text.words`), so both backends cut
them the same way.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import (
    Brand,
    Category,
    CategoryTranslation,
    ColorTranslation,
    Product,
    ProductTranslation,
    Variant,
)
from app.i18n import FALLBACK_LANGUAGE, LANGUAGES

from .synonyms import synonyms
from .text import folded_words, joined_tokens, model_parts, words

DETAIL_SPECS = ("chip", "gpu", "os", "connectivity", "resolution", "storage_type")


@dataclass(frozen=True)
class Document:
    product_id: int
    language: str
    name: str
    keywords: str
    details: str

    def as_row(self) -> dict[str, object]:
        return {"product_id": self.product_id, "language": self.language, "name": self.name,
                "keywords": self.keywords, "details": self.details}

    def terms(self) -> set[str]:
        """The vocabulary words of this document: folded, letters only, two letters or more."""
        found: set[str] = set()
        for text in (self.name, self.keywords, self.details):
            found.update(w for w in folded_words(text) if w.isalpha() and 2 <= len(w) <= 64)
        return found


class CatalogTexts:
    """Category and colour names of every language, loaded once for a batch of documents."""

    def __init__(self, session: Session):
        self.parent: dict[int, int | None] = {}
        self.key: dict[int, str] = {}
        for category_id, parent_id, key in session.execute(select(Category.id, Category.parent_id, Category.key)):
            self.parent[category_id] = parent_id
            self.key[category_id] = key
        self.category_names: dict[int, dict[str, str]] = defaultdict(dict)
        for category_id, language, name in session.execute(
                select(CategoryTranslation.category_id, CategoryTranslation.language, CategoryTranslation.name)):
            self.category_names[category_id][language] = name
        self.color_names: dict[int, dict[str, str]] = defaultdict(dict)
        for color_id, language, name in session.execute(
                select(ColorTranslation.color_id, ColorTranslation.language, ColorTranslation.name)):
            self.color_names[color_id][language] = name

        self._keywords: dict[tuple[int, str], list[str]] = {}
        self._colors: dict[tuple[int, str], list[str]] = {}

    def chain(self, category_id: int) -> list[int]:
        out, seen = [], set()
        current: int | None = category_id
        while current is not None and current not in seen:
            seen.add(current)
            out.append(current)
            current = self.parent.get(current)
        return out

    def keywords(self, category_id: int, language: str) -> list[str]:
        """Names of a category and its parents, and their synonyms, in a language (computed once)."""
        key = (category_id, language)
        if key not in self._keywords:
            chain = self.chain(category_id)
            names = [w for c in chain for w in words(_pick(self.category_names.get(c, {}), language))]
            more = [w for c in chain for phrase in synonyms(language).categories.get(self.key.get(c, ""), ())
                    for w in words(phrase)]
            self._keywords[key] = names + more
        return self._keywords[key]

    def color_words(self, color_id: int, language: str) -> list[str]:
        key = (color_id, language)
        if key not in self._colors:
            self._colors[key] = words(_pick(self.color_names.get(color_id, {}), language))
        return self._colors[key]


def _pick(by_language: dict[str, str], language: str) -> str:
    return by_language.get(language) or by_language.get(FALLBACK_LANGUAGE) or next(iter(by_language.values()), "")


def _text(*parts: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(word for part in parts for word in part))


def build_documents(session: Session, product_ids: Sequence[int], texts: CatalogTexts | None = None
                    ) -> dict[int, list[Document]]:
    """Documents of the given products in every language; inactive or unknown products get none."""
    texts = texts or CatalogTexts(session)
    products = {row.id: row for row in session.execute(
        select(Product.id, Product.category_id, Product.specs, Brand.name.label("brand"))
        .join(Brand, Brand.id == Product.brand_id)
        .where(Product.id.in_(product_ids), Product.is_active.is_(True)))}
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for product_id, language, name in session.execute(
            select(ProductTranslation.product_id, ProductTranslation.language, ProductTranslation.name)
            .where(ProductTranslation.product_id.in_(list(products)))):
        names[product_id][language] = name
    colors: dict[int, list[int]] = defaultdict(list)
    for product_id, color_id in session.execute(
            select(Variant.product_id, Variant.color_id).where(Variant.product_id.in_(list(products)),
                                                               Variant.color_id.is_not(None)).distinct()):
        colors[product_id].append(color_id)

    out: dict[int, list[Document]] = {}
    for product_id, product in products.items():
        if not names.get(product_id):
            continue
        specs = product.specs or {}
        spec_words = [w for key in DETAIL_SPECS if specs.get(key) for w in words(str(specs[key]))]
        titles: dict[str, tuple[str, list[str]]] = {}
        documents = []
        for language in LANGUAGES:
            title = f"{product.brand} {_pick(names[product_id], language)}"
            if title not in titles:
                titles[title] = (_text(words(title), joined_tokens(title)), model_parts(title))
            name, parts = titles[title]
            color_words = [w for c in sorted(colors[product_id]) for w in texts.color_words(c, language)]
            documents.append(Document(product_id, language, name,
                                      _text(texts.keywords(product.category_id, language)),
                                      _text(spec_words, color_words, parts)))
        out[product_id] = documents
    return out


def iter_chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
