"""The search service: a listing page (search results or a category) from its URL state.

`listing_page` is the small interface the views use: request arguments in, a `ListingPage` out
(product cards, total, pages, facets with their counts and toggle links, sort options, and what
was understood of the query). It works in a fixed number of SQL statements.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import Brand
from app.catalog.options import storage_label
from app.catalog.queries import CategoryNode, ProductCard, product_cards
from app.offers.grades import grade_label
from app.sites.models import Market
from app.web.jinja import money

from . import engine, memory
from .analysis import parse_text
from .colors import COLOR_FAMILIES, FAMILY_CODES
from .facets import (
    GRADES,
    PRICE_BOUNDS,
    STORAGE_SIZES,
    band_code,
    band_range,
    mask_of,
    storage_mask_of,
)
from .params import SORTS, SearchParams, parse
from .synonyms import synonyms
from .text import ParsedQuery, folded_words

FACET_LABELS = {"category": _l("Category"), "brand": _l("Brand"), "price": _l("Price"), "grade": _l("Condition"),
                "storage": _l("Storage"), "color": _l("Colour"), "battery": _l("Battery")}
FACET_ORDER = ("category", "brand", "grade", "price", "storage", "color", "battery")
BRANDS_SHOWN = 12


@dataclass(frozen=True)
class FacetValue:
    code: str
    label: str
    count: int
    selected: bool
    args: dict
    swatch: str | None = None


@dataclass(frozen=True)
class Facet:
    code: str
    label: str
    values: list[FacetValue]

    @property
    def selected(self) -> list[FacetValue]:
        return [v for v in self.values if v.selected]


@dataclass
class ListingPage:
    params: SearchParams
    cards: list[ProductCard]
    total: int
    per_page: int
    facets: list[Facet]
    query: ParsedQuery | None
    sorts: list[tuple[str, str, bool]] = field(default_factory=list)

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def out_of_range(self) -> bool:
        return self.page > self.pages

    @property
    def active(self) -> list[FacetValue]:
        return [value for facet in self.facets for value in facet.selected]

    @property
    def corrected(self) -> str | None:
        """The query as searched, when spelling was corrected ("ipone 13" → "iphone 13")."""
        if self.query and self.query.corrections and not self.query.is_empty:
            return self.query.corrected_text
        return None


class Catalog:
    """The category tree and brands, indexed for resolving and labelling filters."""

    def __init__(self, session: Session, tree: Sequence[CategoryNode]):
        self.nodes: dict[str, CategoryNode] = {}
        self.by_id: dict[int, CategoryNode] = {}

        def walk(nodes):
            for node in nodes:
                self.nodes[node.category.key] = node
                self.by_id[node.category.id] = node
                walk(node.children)
        walk(tree)
        self.tree = list(tree)
        self.brands = {row.slug: row for row in session.execute(select(Brand.id, Brand.name, Brand.slug))}
        self.brand_by_id = {row.id: row for row in self.brands.values()}
        self._brand_words = {"".join(folded_words(row.name)): row.id for row in self.brands.values()}
        self._words: dict[str, dict[int, set[str]]] = {}

    @staticmethod
    def descendants(node: CategoryNode) -> list[int]:
        out = [node.category.id]
        for child in node.children:
            out.extend(Catalog.descendants(child))
        return out

    def understand(self, language: str, query: ParsedQuery) -> engine.Understood | None:
        """Brand and category constraints equivalent to the query, when every word is one of those.

        A brand word stands for that brand ("samsung"); a category word for the categories whose
        names or synonyms, or whose parents' names or synonyms, hold it ("fernseher", "portable") —
        exactly the products the text would find, since documents carry those words.
        """
        brands: set[int] = set()
        categories: set[int] | None = None
        words = self._category_words(language)
        for token in query.tokens:
            if token in query.rewrites:
                return None
            brand = self._brand_words.get(token)
            if brand is not None:
                brands.add(brand)
                continue
            holding = {category_id for category_id, found in words.items() if token in found}
            if not holding:
                return None
            categories = holding if categories is None else categories & holding
        if len(brands) > 1:
            return None          # "apple samsung" finds nothing as text: leave it to the text search
        return engine.Understood(tuple(sorted(brands)), tuple(sorted(categories)) if categories is not None else None)

    def _category_words(self, language: str) -> dict[int, set[str]]:
        if language not in self._words:
            own = {node.category.id: set(folded_words(" ".join(
                [node.name, *synonyms(language).categories.get(node.category.key, ())])))
                for node in self.by_id.values()}
            parents = {node.category.id: [child.category.id for child in node.children] for node in self.by_id.values()}
            chained = {category_id: set(found) for category_id, found in own.items()}

            def push(category_id: int, inherited: set[str]) -> None:
                chained[category_id] |= inherited
                for child in parents[category_id]:
                    push(child, chained[category_id])
            for node in self.tree:
                push(node.category.id, set())
            self._words[language] = chained
        return self._words[language]

    def leaves(self) -> list[CategoryNode]:
        return [node for node in self.by_id.values() if not node.children]


def listing_page(session: Session, *, market: Market, languages: Sequence[str], args: Mapping,
                 catalog: Catalog, scope: CategoryNode | None = None, per_page: int = 24) -> ListingPage:
    """A page of the listing engine: search results (no scope) or a category (scope)."""
    params = parse(args, category_keys=catalog.nodes.keys(), brand_slugs=catalog.brands.keys())
    f = params.filters
    resolved = engine.Resolved(
        categories=tuple(sorted({i for key in f.categories for i in Catalog.descendants(catalog.nodes[key])})),
        brands=tuple(sorted(catalog.brands[slug].id for slug in f.brands)),
        grades=f.grades,
        storage_mask=storage_mask_of(f.storages),
        color_mask=mask_of(f.colors, {code: 1 << i for i, code in enumerate(FAMILY_CODES)}),
        battery=f.battery,
        prices=f.prices,
    )
    scope_ids = Catalog.descendants(scope) if scope is not None else None
    query = parse_text(session, languages[0], params.text) if params.text else None
    understood = catalog.understand(languages[0], query) if query and not query.is_empty else None
    answer = memory.run if memory.usable(session) else engine.run
    outcome = answer(session, market=market, language=languages[0], params=params, resolved=resolved,
                         scope=scope_ids, per_page=per_page, query=query, understood=understood)
    cards = product_cards(session, outcome.hits, market, languages)
    facets = _facets(params, outcome.counts, catalog, scope, market.currency)
    has_text = bool(outcome.query and not outcome.query.is_empty)
    sorts = [(code, str(_sort_label(code, has_text)), code == params.sort) for code in SORTS]
    return ListingPage(params, cards, outcome.total, per_page, facets, outcome.query, sorts)


def _sort_label(code: str, has_text: bool):
    return {"relevance": _l("Relevance") if has_text else _l("Most offered"),
            "price_asc": _l("Price: low to high"), "price_desc": _l("Price: high to low"),
            "newest": _l("Newest models")}[code]


def _facets(params: SearchParams, counts: dict[str, Counter], catalog: Catalog, scope: CategoryNode | None,
            currency: str) -> list[Facet]:
    f = params.filters
    out = []
    for code in FACET_ORDER:
        counter = counts.get(code, Counter())
        values: list[FacetValue] = []
        if code == "category":
            nodes = scope.children if scope is not None else catalog.leaves()
            for node in nodes:
                n = sum(counter.get(i, 0) for i in Catalog.descendants(node))
                values.append(_value(params, code, node.category.key, node.name, n, f.categories))
            values.sort(key=lambda v: (not v.selected, -v.count, v.label) if scope is None else 0)
        elif code == "brand":
            for brand_id, n in counter.items():
                brand = catalog.brand_by_id.get(brand_id)
                if brand is not None:
                    values.append(_value(params, code, brand.slug, brand.name, n, f.brands))
            for slug in f.brands:
                if not any(v.code == slug for v in values):
                    values.append(_value(params, code, slug, catalog.brands[slug].name, 0, f.brands))
            values.sort(key=lambda v: (not v.selected, -v.count, v.label.casefold()))
            values = [v for i, v in enumerate(values) if v.selected or i < BRANDS_SHOWN]
        elif code == "grade":
            values = [_value(params, code, g, grade_label(g), counter.get(g, 0), f.grades) for g in GRADES]
        elif code == "price":
            values = [_value(params, code, band, _band_label(band, currency), counter.get(band, 0), f.prices,
                             url_code=band_code(band)) for band in range(len(PRICE_BOUNDS) + 1)]
        elif code == "storage":
            values = [_value(params, code, size, str(storage_label(size)), counter.get(size, 0), f.storages)
                      for size in STORAGE_SIZES]
        elif code == "color":
            values = [_value(params, code, c, str(COLOR_FAMILIES[c]), counter.get(c, 0), f.colors,
                             swatch=c) for c in FAMILY_CODES]
        elif code == "battery":
            values = [_value(params, code, "new", _("With a new battery"), counter.get("new", 0),
                             ("new",) if f.battery else ())]
        values = [v for v in values if v.count or v.selected]
        if values:
            out.append(Facet(code, str(FACET_LABELS[code]), values))
    return out


def _value(params: SearchParams, facet: str, value, label: str, count: int, selected_values, *,
           url_code: str | None = None, swatch: str | None = None) -> FacetValue:
    return FacetValue(url_code or str(value), label, count, value in selected_values,
                      params.toggled(facet, value), swatch)


def _band_label(band: int, currency: str) -> str:
    low, high = band_range(band, currency)
    if band == 0:
        return _("Under %(price)s", price=money(high, currency))
    if high is None:
        return _("%(price)s and more", price=money(low, currency))
    return _("%(low)s to %(high)s", low=money(low, currency), high=money(high, currency))
