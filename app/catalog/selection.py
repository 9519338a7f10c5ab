"""What the shopper picked on a product page: options, grade and battery, read from and written to the URL.

A product's variants differ along a few option dimensions (size, storage, memory, connectivity,
colour); only those with more than one value get a picker. A selection names one value per
dimension plus a grade and a battery option; `resolve` turns whatever the query string says (possibly
partial, stale or nonsense) into a real variant, and `nearest` finds the closest combination that can
be bought when the asked one cannot.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from app.offers.best import Offer
from app.offers.grades import Grade

from .models import Variant

# Query-string name → how to read it off a variant. Order is the order of the pickers.
DIMENSIONS: dict[str, callable] = {
    "size": lambda v: v.size,
    "storage": lambda v: v.storage_gb,
    "ram": lambda v: v.ram_gb,
    "connectivity": lambda v: v.connectivity,
    "color": lambda v: v.color.code if v.color else None,
}
DEFAULT_GRADE = Grade.GOOD


def options_of(variant: Variant) -> dict[str, object]:
    return {name: read(variant) for name, read in DIMENSIONS.items()}


def active_dimensions(variants: Sequence[Variant]) -> dict[str, list]:
    """The dimensions along which this product's variants differ, each with its values in order."""
    found: dict[str, list] = {}
    for name, read in DIMENSIONS.items():
        values = []
        for variant in variants:
            value = read(variant)
            if value is not None and value not in values:
                values.append(value)
        if len(values) > 1:
            found[name] = sorted(values) if name in ("storage", "ram") else values
    return found


@dataclass(frozen=True)
class Selection:
    variant: Variant
    grade: str
    new_battery: bool

    def with_offer(self, offer: Offer, variants: Mapping[int, Variant]) -> Selection:
        return Selection(variants[offer.variant_id], offer.grade, offer.has_new_battery)

    def params(self, dimensions: Mapping[str, list]) -> dict[str, str]:
        """The query string that names this selection (only the dimensions that have a picker)."""
        options = options_of(self.variant)
        params = {name: str(options[name]) for name in dimensions}
        params["grade"] = self.grade
        if self.new_battery:
            params["battery"] = "new"
        return params


def resolve(args: Mapping[str, str], variants: Sequence[Variant], dimensions: Mapping[str, list],
            offers: Sequence[Offer]) -> Selection:
    """The selection the URL asks for, completed and corrected.

    Unknown values are ignored. Dimensions left open are filled from the best offer that matches what
    was asked (preferring the asked grade), or from the first variant when nothing is in stock.
    """
    asked = {}
    for name, values in dimensions.items():
        match = next((v for v in values if str(v) == args.get(name)), None)
        if match is not None:
            asked[name] = match
    grade = args.get("grade") if args.get("grade") in set(Grade) else None
    new_battery = args.get("battery") == "new"

    def fits(variant: Variant) -> int:
        options = options_of(variant)
        return sum(options[name] == value for name, value in asked.items())

    best_fit = max((fits(v) for v in variants), default=0)
    candidates = [v for v in variants if fits(v) == best_fit]
    ids = {v.id for v in candidates}
    in_stock = [o for o in offers if o.variant_id in ids]
    preferred = (
        [o for o in in_stock if o.grade == (grade or DEFAULT_GRADE) and o.has_new_battery == new_battery]
        or [o for o in in_stock if o.grade == (grade or DEFAULT_GRADE)]
        or ([] if grade else in_stock))
    if preferred:
        offer = preferred[0]
        variant = next(v for v in candidates if v.id == offer.variant_id)
        if grade is None:
            return Selection(variant, offer.grade, offer.has_new_battery)
        return Selection(variant, grade, new_battery)
    return Selection(candidates[0], grade or DEFAULT_GRADE, new_battery)


def nearest(selection: Selection, offers: Sequence[Offer], variants: Mapping[int, Variant], *,
            fixed: Mapping[str, object] | None = None, grade: str | None = None) -> Offer | None:
    """The best offer closest to `selection`: fewest options changed, then nearest grade, then the
    same battery option, then price. `fixed` options must hold (the value a picker stands for), and
    so must `grade` (a grade picker's choice leads to that grade, in whatever options it exists)."""
    wanted = options_of(selection.variant)
    wanted_rank = Grade(selection.grade).rank

    def distance(offer: Offer) -> tuple:
        options = options_of(variants[offer.variant_id])
        changed = sum(options[name] != value for name, value in wanted.items())
        return (changed, abs(Grade(offer.grade).rank - wanted_rank),
                offer.has_new_battery != selection.new_battery, offer.amount)

    pool = [o for o in offers
            if (grade is None or o.grade == grade) and all(options_of(variants[o.variant_id])[name] == value for name, value in (fixed or {}).items())]
    return min(pool, key=distance, default=None)


def variant_with(selection: Selection, variants: Sequence[Variant], name: str, value) -> Variant | None:
    """The variant that differs from the selection only by `name` = `value`, if it was ever made."""
    wanted = dict(options_of(selection.variant), **{name: value})
    return next((v for v in variants if options_of(v) == wanted), None)


def moved(selection: Selection, **changes) -> Selection:
    return replace(selection, **changes)
