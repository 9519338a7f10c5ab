"""The search service: a listing page (search results or a category) from its URL state.

`listing_page` is the small interface the views use: request arguments in, a `ListingPage` out
(product cards, total, pages, facets with their counts and toggle links, sort options, and what
was understood of the query). It works in a fixed number of SQL statements.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import Brand, Color, ColorTranslation, Variant
from app.catalog.options import CONNECTIVITY_LABELS, size_label, storage_label
from app.catalog.queries import CategoryNode, ProductCard, product_cards
from app.offers.grades import grade_label
from app.sites.models import Market
from app.web.jinja import money

from . import engine, memory
from .analysis import parse_text
from .colors import COLOR_FAMILIES, FAMILY_CODES, color_family
from .facets import (
    GRADES,
    PRICE_BOUNDS,
    STORAGE_SIZES,
    band_code,
    band_range,
    mask_of,
    storage_mask_of,
)
from .params import FIELDS, RESTRICTIONS, SORTS, Filters, SearchParams, parse
from .restrictions import CONNECTIVITY_VARIANTS, restriction
from .synonyms import synonyms
from .text import ParsedQuery, Term, folded_words
from .understanding import FEATURE_LABELS, Understanding, colour_phrases, features, understand

FACET_LABELS = {"category": _l("Category"), "brand": _l("Brand"), "price": _l("Price"), "grade": _l("Condition"),
                "storage": _l("Storage"), "color": _l("Colour"), "battery": _l("Battery")}
FACET_ORDER = ("category", "brand", "grade", "price", "storage", "color", "battery")
BRANDS_SHOWN = 12
POPULAR_SHOWN = 6
MAX_RELAXATIONS = 10


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


@dataclass(frozen=True)
class Relaxed:
    """How a query that matched nothing as typed was answered: without some of its words or filters
    (`text` says what was searched), or matching any of its words."""
    typed: str
    text: str
    any_word: bool = False


@dataclass
class ListingPage:
    params: SearchParams
    cards: list[ProductCard]
    total: int
    per_page: int
    facets: list[Facet]
    query: ParsedQuery | None
    sorts: list[tuple[str, str, bool]] = field(default_factory=list)
    typed: str = ""                                           # the query as the shopper typed it
    restrictions: list[FacetValue] = field(default_factory=list)   # chips of memory, size, connectivity, feature
    relaxed: Relaxed | None = None
    card_links: dict[int, dict[str, str]] = field(default_factory=dict)   # product id → product page arguments
    popular: list[ProductCard] = field(default_factory=list)        # offered when nothing matches
    categories: list[CategoryNode] = field(default_factory=list)

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
        return [value for facet in self.facets for value in facet.selected] + self.restrictions

    def product_args(self, product_id: int) -> dict[str, str]:
        """Arguments of a product's page selecting the configuration the search asked for."""
        return self.card_links.get(product_id, {})

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
        self._session = session
        self._colours: dict[str, dict] = {}

    @property
    def brand_words(self) -> set[str]:
        return set(self._brand_words) | {w for row in self.brands.values() for w in folded_words(row.name)}

    def colour_phrases(self, language: str) -> dict:
        """The catalog's colour names in a language, as phrases → (family, colour code); one query."""
        if language not in self._colours:
            rows = self._session.execute(select(ColorTranslation.name, Color.code, Color.hex)
                                         .join(Color, Color.id == ColorTranslation.color_id)
                                         .where(ColorTranslation.language == language)
                                         .order_by(Color.id)).all()
            self._colours[language] = _colour_phrases(tuple(tuple(row) for row in rows))
        return self._colours[language]

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
    """A page of the listing engine: search results (no scope) or a category (scope).

    Configuration, colour, feature and kind words of the query become filters (shown as chips);
    a query that matches nothing is relaxed step by step (`_relax`), and a page that still shows
    nothing offers the categories and the most offered models.
    """
    params = parse(args, category_keys=catalog.nodes.keys(), brand_slugs=catalog.brands.keys(),
                   feature_codes=features().keys())
    typed = params.text
    understanding = None
    language = languages[0]
    if params.text:
        understanding = understand(params.text, language, catalog_colours=catalog.colour_phrases(language),
                                   not_colours=catalog.brand_words, category_keys=catalog.nodes.keys())
        if understanding.found:
            params = _with_understanding(params, understanding)
    outcome = _answer(session, market, language, params, catalog, scope, per_page)
    relaxed = None
    if outcome.total == 0 and typed:
        relaxed, params, outcome = _relax(session, market, language, params, args, understanding, catalog, scope,
                                          per_page, typed, outcome)
    cards = product_cards(session, outcome.hits, market, languages)
    facets = _facets(params, outcome.counts, catalog, scope, market.currency)
    has_text = bool(outcome.query and not outcome.query.is_empty)
    sorts = [(code, str(_sort_label(code, has_text)), code == params.sort) for code in SORTS]
    page = ListingPage(params, cards, outcome.total, per_page, facets, outcome.query, sorts, typed=typed,
                       restrictions=_restriction_chips(params), relaxed=relaxed)
    page.card_links = _card_links(session, [card.product_id for card in cards], params.filters,
                                  understanding.color_names if understanding else {})
    if not cards and params.page == 1 and (typed or params.filters.active()):
        popular = engine.run if not memory.usable(session) else memory.run
        found = popular(session, market=market, language=language, params=SearchParams(),
                        resolved=engine.Resolved(), scope=Catalog.descendants(scope) if scope else None,
                        per_page=POPULAR_SHOWN)
        page.popular = product_cards(session, found.hits, market, languages)
        page.categories = list(scope.children if scope is not None else catalog.tree)
    return page


def _with_understanding(params: SearchParams, found: Understanding) -> SearchParams:
    """The page's state with the query's understood words as filters and the rest as its text."""
    f = params.filters
    for facet, values in (("storage", found.storages), ("color", found.colors), ("category", found.categories),
                          ("ram", found.rams), ("size", found.sizes), ("connectivity", found.connectivity),
                          ("feature", found.features)):
        if values:
            f = f.adding(facet, values)
    return replace(params, text=found.text, filters=f)


def _answer(session: Session, market: Market, language: str, params: SearchParams, catalog: Catalog,
            scope: CategoryNode | None, per_page: int, *, any_word: bool = False) -> engine.Outcome:
    """One run of the engine for this state (the columns in memory when they may answer)."""
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
    query = parse_text(session, language, params.text) if params.text else None
    if query is not None and any_word and len(query.tokens) > 1:
        query = _AnyWord(query)
    understood = (catalog.understand(language, query) if query and not query.is_empty and not any_word
                  else None)
    answer = memory.run if memory.usable(session) else engine.run
    return answer(session, market=market, language=language, params=params, resolved=resolved,
                  scope=scope_ids, per_page=per_page, query=query, understood=understood,
                  restriction=restriction(f))


class _AnyWord(ParsedQuery):
    """A query whose words are alternatives: a product matches with any one of them."""

    def __init__(self, query: ParsedQuery):
        super().__init__(raw=query.raw, tokens=list(query.tokens), dropped=list(query.dropped),
                         corrections=dict(query.corrections), rewrites=dict(query.rewrites))

    def terms(self) -> list[Term]:
        alternatives = [alternative for term in super().terms() for alternative in term.alternatives]
        return [Term(tuple(dict.fromkeys(alternatives)))]


def _relax(session: Session, market: Market, language: str, params: SearchParams, args: Mapping,
           understanding: Understanding | None, catalog: Catalog, scope: CategoryNode | None, per_page: int,
           typed: str, outcome: engine.Outcome):
    """Answer a query that matched nothing, in steps, the first that finds something winning:

    1. without one of the filters its words named (the colour first: "iphone 8 rouge" shows the
       iPhone 8 in other colours), then without them all;
    2. without one of its text words, the last first ("galaxy s23 5g" → "galaxy s23");
    3. matching any of its words.

    The spelling was corrected before the first try (`parse_text`). Returns (Relaxed or None,
    params, outcome); at most `MAX_RELAXATIONS` runs.
    """
    tries: list[SearchParams] = []
    asked = parse(args, category_keys=catalog.nodes.keys(), brand_slugs=catalog.brands.keys(),
                  feature_codes=features().keys()).filters
    understood = [(facet, value) for facet in ("color", "storage", "ram", "size", "connectivity", "feature",
                                               "category")
                  for value in params.filters.values(facet) if value not in asked.values(facet)]
    for facet, value in understood:
        tries.append(replace(params, filters=_without_value(params.filters, facet, value)))
    if len(understood) > 1:
        bare = params.filters
        for facet, value in understood:
            bare = _without_value(bare, facet, value)
        tries.append(replace(params, filters=bare))
    words = params.text.split()
    if len(words) > 1:
        for index in reversed(range(len(words))):
            tries.append(replace(params, text=" ".join(words[:index] + words[index + 1:])))
    runs = 0
    for attempt in tries:
        if runs >= MAX_RELAXATIONS:
            break
        if not attempt.text and not attempt.filters.active():
            continue
        runs += 1
        found = _answer(session, market, language, replace(attempt, page=1), catalog, scope, per_page)
        if found.total:
            if attempt.page > 1:
                found = _answer(session, market, language, attempt, catalog, scope, per_page)
            return Relaxed(typed, _describe(attempt, understood)), attempt, found
    if len(words) > 1:
        found = _answer(session, market, language, params, catalog, scope, per_page, any_word=True)
        if found.total:
            return Relaxed(typed, params.text, any_word=True), params, found
    return None, params, outcome


def _without_value(filters: Filters, facet: str, value) -> Filters:
    if facet == "battery":
        return replace(filters, battery=False)
    kept = tuple(v for v in filters.values(facet) if v != value)
    return replace(filters.without(facet), **{FIELDS[facet]: kept})


def _describe(params: SearchParams, understood: list[tuple[str, object]]) -> str:
    """What a relaxed try searched: its text and the labels of the filters the query named."""
    labels = [params.text] if params.text else []
    for facet, value in understood:
        if value in params.filters.values(facet):
            labels.append(_label(facet, value))
    return " · ".join(label for label in labels if label)


def _label(facet: str, value) -> str:
    if facet == "storage":
        return str(storage_label(value))
    if facet == "color":
        return str(COLOR_FAMILIES[value])
    if facet == "ram":
        return _("%(num)s GB RAM", num=value)
    if facet == "size":
        return size_label(value)
    if facet == "connectivity":
        return str(CONNECTIVITY_CHIPS[value])
    if facet == "feature":
        return str(FEATURE_LABELS[value])
    return str(value)


CONNECTIVITY_CHIPS = {"wifi": CONNECTIVITY_LABELS["wifi"], "cellular": _l("Cellular"), "gps": CONNECTIVITY_LABELS["gps"]}


def _restriction_chips(params: SearchParams) -> list[FacetValue]:
    return [FacetValue(str(value), _label(facet, value), 0, True, params.toggled(facet, value))
            for facet in RESTRICTIONS for value in params.filters.values(facet)]


def _card_links(session: Session, product_ids: list[int], filters: Filters,
                named: Mapping[str, str]) -> dict[int, dict[str, str]]:
    """Per product, the product page's arguments selecting its variant closest to the filters:
    storage, memory, size, connectivity and colour (the colour the query named, or the first of
    the family). One query; nothing when no such filter is active."""
    wanted = {name: bool(values) for name, values in (("storage", filters.storages), ("ram", filters.rams),
                                                      ("size", filters.sizes), ("connectivity", filters.connectivity),
                                                      ("color", filters.colors))}
    if not product_ids or not any(wanted.values()):
        return {}
    connectivity = {v for code in filters.connectivity for v in CONNECTIVITY_VARIANTS[code]}
    codes = set(named.values())
    rows = session.execute(
        select(Variant.product_id, Variant.storage_gb, Variant.ram_gb, Variant.size, Variant.connectivity,
               Color.code, Color.hex)
        .outerjoin(Color, Color.id == Variant.color_id)
        .where(Variant.product_id.in_(product_ids))
        .order_by(Variant.product_id, Variant.position, Variant.id))
    best: dict[int, tuple[int, dict[str, str]]] = {}
    for product_id, storage, ram, size, link, code, hex_value in rows:
        checks = {"storage": (storage in filters.storages, storage), "ram": (ram in filters.rams, ram),
                  "size": (size in filters.sizes, size), "connectivity": (link in connectivity, link),
                  "color": (hex_value is not None and color_family(hex_value) in filters.colors, code)}
        args = {name: str(value) for name, (fits, value) in checks.items() if wanted[name] and fits}
        score = len(args) * 2 + (code in codes)
        if product_id not in best or score > best[product_id][0]:
            best[product_id] = (score, args)
    return {product_id: args for product_id, (_score, args) in best.items() if args}


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


@lru_cache(maxsize=16)
def _colour_phrases(rows: tuple[tuple[str, str, str], ...]) -> dict:
    """Phrases of these colour rows (name, code, hex); kept per process for the same rows, so the
    database is still read on every use and an edited colour shows at once."""
    return colour_phrases((name, code, color_family(hex_value)) for name, code, hex_value in rows)
