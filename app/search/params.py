"""The state of a listing page, read from and written to its URL.

Every state is a query parameter, so a page can be shared, bookmarked, reloaded and restored by
the back button: ``q``, ``category`` (keys), ``brand`` (slugs), ``grade``, ``storage`` (GB),
``color`` (family codes), ``battery=new``, ``price`` (band codes such as ``100-200``), ``sort`` and
``page``; and the configuration and feature words understood from a query (`app.search.understanding`):
``ram`` (GB), ``size`` (``15in``, ``55in``, ``41mm``), ``connectivity`` (``wifi``, ``cellular``, ``gps``)
and ``feature`` (codes of `vocabulary/features.json`). Values that mean nothing are left out and
reported, never an error.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

from werkzeug.datastructures import MultiDict

from .colors import FAMILY_CODES
from .facets import GRADES, PRICE_BOUNDS, STORAGE_SIZES, band_code, band_from_code
from .text import MAX_QUERY_CHARS

SORTS = ("relevance", "price_asc", "price_desc", "newest")
MAX_VALUES = 20          # per filter; more is not a shopper
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Filters:
    categories: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    storages: tuple[int, ...] = ()
    colors: tuple[str, ...] = ()
    battery: bool = False
    prices: tuple[int, ...] = ()
    # Restrictions without facet counts, understood from the words of a query (or kept in the URL).
    rams: tuple[int, ...] = ()
    sizes: tuple[str, ...] = ()
    connectivity: tuple[str, ...] = ()
    features: tuple[str, ...] = ()

    def values(self, facet: str) -> tuple:
        if facet == "battery":
            return ("new",) if self.battery else ()
        return getattr(self, FIELDS[facet])

    def active(self) -> list[str]:
        return [facet for facet in ("category", "brand", "price", "grade", "storage", "color", "battery",
                                    *RESTRICTIONS) if self.values(facet)]

    def without(self, facet: str) -> Filters:
        return replace(self, **{"battery": False} if facet == "battery" else {FIELDS[facet]: ()})

    def restricted(self) -> bool:
        """Whether a restriction without facet counts (memory, size, connectivity, feature) applies."""
        return any(self.values(name) for name in RESTRICTIONS)

    def adding(self, facet: str, values) -> Filters:
        """These filters with more values for one facet (values already there are kept once)."""
        current = self.values(facet)
        return replace(self, **{FIELDS[facet]: (*current, *(v for v in dict.fromkeys(values) if v not in current))})


@dataclass(frozen=True)
class SearchParams:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    ignored: tuple[str, ...] = ()

    def args(self, *, page: int | None = None, sort: str | None = None,
             filters: Filters | None = None) -> dict[str, object]:
        """Query arguments for url_for: this state, with a page, sort or filters changed."""
        f = filters or self.filters
        out: dict[str, object] = {}
        if self.text:
            out["q"] = self.text
        for name, values in (("category", f.categories), ("brand", f.brands), ("grade", f.grades),
                             ("storage", [str(s) for s in f.storages]), ("color", f.colors),
                             ("price", [band_code(b) for b in f.prices]), ("ram", [str(r) for r in f.rams]),
                             ("size", f.sizes), ("connectivity", f.connectivity), ("feature", f.features)):
            if values:
                out[name] = list(values)
        if f.battery:
            out["battery"] = "new"
        chosen_sort = sort or self.sort
        if chosen_sort != "relevance":
            out["sort"] = chosen_sort
        chosen_page = self.page if page is None else page
        if chosen_page > 1:
            out["page"] = chosen_page
        return out

    def toggled(self, facet: str, value) -> dict[str, object]:
        """Arguments with one facet value switched on or off, back on the first page."""
        current = self.filters.values(facet)
        if facet == "battery":
            changed = replace(self.filters, battery=not self.filters.battery)
        else:
            values = tuple(v for v in current if v != value) if value in current else (*current, value)
            changed = replace(self.filters.without(facet), **{FIELDS[facet]: values})
        return self.args(page=1, filters=changed)

    def cleared(self) -> dict[str, object]:
        return self.args(page=1, filters=Filters())


FIELDS = {"category": "categories", "brand": "brands", "grade": "grades", "storage": "storages",
           "color": "colors", "price": "prices", "ram": "rams", "size": "sizes", "connectivity": "connectivity",
           "feature": "features", "battery": "battery"}
RESTRICTIONS = ("ram", "size", "connectivity", "feature")
CONNECTIVITY = ("wifi", "cellular", "gps")
SIZE = re.compile(r"[1-9][0-9]{0,2}(?:in|mm)")
MAX_RAM_GB = 512


def parse(args: MultiDict | Mapping, *, category_keys: Collection[str], brand_slugs: Collection[str],
          feature_codes: Collection[str] = ()) -> SearchParams:
    """Read a listing page's state from request arguments; nothing here raises on bad input."""
    getlist = args.getlist if isinstance(args, MultiDict) else (lambda k: [args[k]] if k in args else [])
    ignored: list[str] = []

    def pick(name: str, allowed, convert=str) -> tuple:
        chosen = []
        for raw in getlist(name)[:MAX_VALUES]:
            try:
                value = convert(raw)
            except (TypeError, ValueError):
                value = None
            if value is None or value not in allowed:
                ignored.append(f"{name}={raw[:40]}")
            elif value not in chosen:
                chosen.append(value)
        return tuple(chosen)

    text = " ".join((getlist("q") or [""])[0].split())[:MAX_QUERY_CHARS]
    battery_values = getlist("battery")
    if any(v != "new" for v in battery_values):
        ignored.extend(f"battery={v[:40]}" for v in battery_values if v != "new")
    filters = Filters(
        categories=pick("category", set(category_keys)),
        brands=pick("brand", set(brand_slugs)),
        grades=pick("grade", set(GRADES)),
        storages=pick("storage", set(STORAGE_SIZES), int),
        colors=pick("color", set(FAMILY_CODES)),
        battery="new" in battery_values,
        prices=pick("price", set(range(len(PRICE_BOUNDS) + 1)), band_from_code),
        rams=pick("ram", set(range(1, MAX_RAM_GB + 1)), int),
        sizes=pick("size", _Sizes()),
        connectivity=pick("connectivity", set(CONNECTIVITY)),
        features=pick("feature", set(feature_codes)),
    )
    sort = (getlist("sort") or ["relevance"])[0]
    if sort not in SORTS:
        ignored.append(f"sort={sort[:40]}")
        sort = "relevance"
    page = _page((getlist("page") or ["1"])[0])
    return SearchParams(text=text, filters=filters, sort=sort, page=page, ignored=tuple(ignored))


def _page(raw: str) -> int:
    try:
        page = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), MAX_PAGE + 1)


class _Sizes:
    """Size codes as variants spell them: ``15in``, ``55in``, ``41mm``."""

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and SIZE.fullmatch(value) is not None
