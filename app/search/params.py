"""The state of a listing page, read from and written to its URL.

Every state is a query parameter, so a page can be shared, bookmarked, reloaded and restored by
the back button: ``q``, ``category`` (keys), ``brand`` (slugs), ``grade``, ``storage`` (GB),
``color`` (family codes), ``battery=new``, ``price`` (band codes such as ``100-200``), ``sort`` and
``page``. Values that mean nothing are left out and reported, never an error.
"""
from __future__ import annotations

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

    def values(self, facet: str) -> tuple:
        return {"category": self.categories, "brand": self.brands, "grade": self.grades, "storage": self.storages,
                "color": self.colors, "battery": ("new",) if self.battery else (), "price": self.prices}[facet]

    def active(self) -> list[str]:
        return [facet for facet in ("category", "brand", "price", "grade", "storage", "color", "battery")
                if self.values(facet)]

    def without(self, facet: str) -> Filters:
        field_name = {"category": "categories", "brand": "brands", "grade": "grades", "storage": "storages",
                      "color": "colors", "battery": "battery", "price": "prices"}[facet]
        return replace(self, **{field_name: False if facet == "battery" else ()})


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
                             ("price", [band_code(b) for b in f.prices])):
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
            changed = replace(self.filters.without(facet), **{_FIELDS[facet]: values})
        return self.args(page=1, filters=changed)

    def cleared(self) -> dict[str, object]:
        return self.args(page=1, filters=Filters())


_FIELDS = {"category": "categories", "brand": "brands", "grade": "grades", "storage": "storages",
           "color": "colors", "price": "prices"}


def parse(args: MultiDict | Mapping, *, category_keys: Collection[str], brand_slugs: Collection[str]) -> SearchParams:
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
