"""Everything the product page shows for one selection, in a fixed number of queries.

One query fetches every purchasable offer of the product, ranked by the best-offer rule
(`app.offers.best`); pickers, the buy box, the other offers and the grade comparison are all read
from that list, so they can never disagree. One more query reads the price history of the offers
shown (the Omnibus reference), one the grade descriptions, one the platform's failure rates of the
model per grade (`app.quality`).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.offers.best import Offer, Reason, best_by_key, ranked_offers, reason
from app.offers.delivery import delivery_window
from app.offers.grades import Grade, grade_label
from app.offers.history import Reduction, reductions
from app.offers.models import GradeDescription, GradeDescriptionTranslation
from app.quality.models import QualityRate
from app.quality.rates import model_grade_figures
from app.sites.models import Market
from app.web.jinja import to_decimal

from .models import NewPriceSource, Product, Variant
from .options import CONNECTIVITY_LABELS, size_label, storage_label
from .selection import (
    Selection,
    active_dimensions,
    nearest,
    options_of,
    resolve,
    variant_with,
)

NEW_PRICE_SOURCES = {
    NewPriceSource.LAUNCH: _l("the maker's launch price"),
    NewPriceSource.MAKER_NOW: _l("the maker's current price"),
    NewPriceSource.ESTIMATE: _l("an estimate from comparable models"),
}
PICKER_LABELS = {"size": _l("Size"), "storage": _l("Storage"), "ram": _l("Memory"),
                 "connectivity": _l("Connectivity"), "color": _l("Colour")}


@dataclass(frozen=True)
class Choice:
    """One value of a picker: where it leads and at what price.

    `available` says whether exactly this combination can be bought; when it cannot, `url` leads to
    the nearest one that can (None: nothing with this value is in stock at all).
    """
    label: str
    url: str | None
    selected: bool
    available: bool
    amount: int | None
    swatch: str | None = None


@dataclass(frozen=True)
class Picker:
    name: str
    label: str
    target: str                 # the element an htmx pick swaps: colour changes the pictures too
    choices: list[Choice]


@dataclass(frozen=True)
class Shown:
    """An offer as displayed: with its announced reduction (if any) and its delivery dates."""
    offer: Offer
    reduction: Reduction | None
    delivery: tuple[date, date]


@dataclass(frozen=True)
class GradeColumn:
    grade: str
    shown: Shown | None
    url: str | None
    selected: bool
    saving_percent: int | None
    description: GradeDescriptionTranslation | None
    min_battery_health: int | None
    failures: QualityRate | None = None   # the model × grade failure rate on the platform (90 days)


@dataclass(frozen=True)
class ProductView:
    selection: Selection
    params: dict[str, str]
    pickers: list[Picker]
    grade_choices: list[Choice]
    battery_choices: list[Choice]
    current: Shown | None
    reason: Reason
    rivals: int                           # other offers for exactly this selection
    others: list[Shown]                   # every other offer for this variant and grade
    alternative: Choice | None            # when the selection cannot be bought
    new_price: tuple[int, str] | None     # (amount, source) in the market's currency
    saving_percent: int | None
    grade_columns: list[GradeColumn]
    aggregate: tuple[int, int, int] | None  # low, high, count over the whole product


def build(session: Session, product: Product, market: Market, languages: Sequence[str], args,
          url: Callable[[dict[str, str]], str], *, today: date) -> ProductView:
    variants = list(product.variants)
    by_id = {v.id: v for v in variants}
    offers = ranked_offers(session, market, product_id=product.id)
    best = best_by_key(offers)
    dimensions = active_dimensions(variants)
    selection = resolve(args, variants, dimensions, offers)

    def link(chosen: Selection) -> str:
        return url(chosen.params(dimensions))

    def best_for(variant: Variant, grade: str, new_battery: bool) -> Offer | None:
        return best.get((variant.id, grade, new_battery))

    def choice_for(chosen: Selection, label: str, selected: bool, fixed: dict, swatch=None,
                   grade: str | None = None) -> Choice:
        offer = best_for(chosen.variant, chosen.grade, chosen.new_battery)
        if offer:
            return Choice(label, link(chosen), selected, True, offer.amount, swatch)
        fallback = nearest(chosen, offers, by_id, fixed=fixed, grade=grade)
        target = selection.with_offer(fallback, by_id) if fallback else None
        return Choice(label, link(target) if target else None, selected, False, None, swatch)

    pickers = []
    for name, values in dimensions.items():
        current_value = _option(selection.variant, name)
        choices = []
        for value in values:
            variant = variant_with(selection, variants, name, value)
            chosen = Selection(variant, selection.grade, selection.new_battery) if variant else None
            label, swatch = option_label(name, value, variants, languages)
            if chosen is None:
                fallback = nearest(selection, offers, by_id, fixed={name: value})
                target = selection.with_offer(fallback, by_id) if fallback else None
                choices.append(Choice(label, link(target) if target else None, False, False, None, swatch))
            else:
                choices.append(choice_for(chosen, label, value == current_value, {name: value}, swatch))
        pickers.append(Picker(name, str(PICKER_LABELS[name]), "product-top" if name == "color" else "purchase",
                              choices))

    grade_choices = []
    for grade in Grade:
        offer = (best_for(selection.variant, grade, selection.new_battery)
                 or best_for(selection.variant, grade, not selection.new_battery))
        chosen = Selection(selection.variant, grade, offer.has_new_battery if offer else selection.new_battery)
        grade_choices.append(choice_for(chosen, "", grade == selection.grade, {}, grade=grade))

    standard = best_for(selection.variant, selection.grade, False)
    fresh = best_for(selection.variant, selection.grade, True)
    battery_choices = []
    if fresh:
        battery_choices = [
            Choice("standard", link(Selection(selection.variant, selection.grade, False)) if standard else None,
                   not selection.new_battery, standard is not None, standard.amount if standard else None),
            Choice("new", link(Selection(selection.variant, selection.grade, True)),
                   selection.new_battery, True, fresh.amount),
        ]

    current = best_for(selection.variant, selection.grade, selection.new_battery)
    group = [o for o in offers if o.key == (selection.variant.id, selection.grade, selection.new_battery)]
    same_grade = [o for o in offers if o.variant_id == selection.variant.id and o.grade == selection.grade]
    others = [o for o in same_grade if current is None or o.listing_id != current.listing_id]
    alternative = None
    if current is None:
        fallback = nearest(selection, offers, by_id)
        if fallback:
            target = selection.with_offer(fallback, by_id)
            alternative = Choice(_summary_label(target, dimensions, languages), link(target), False, True,
                                 fallback.amount)

    columns = [(grade, best_for(selection.variant, grade, selection.new_battery)
                or best_for(selection.variant, grade, not selection.new_battery)) for grade in Grade]
    shown_offers = [o for o in [current, *others, *(o for _, o in columns)] if o is not None]
    cuts = reductions(session, [o.price_id for o in shown_offers])

    def show(offer: Offer | None) -> Shown | None:
        if offer is None:
            return None
        return Shown(offer, cuts.get(offer.price_id),
                     delivery_window(market, offer.dispatch_days, today=today))

    new_amount = selection.variant.new_price(market.currency)
    new_source = next((p.source for p in selection.variant.new_prices if p.currency == market.currency), None)
    descriptions = grade_descriptions(session, product)
    figures = model_grade_figures(session, product.id)
    grade_columns = [
        GradeColumn(grade, show(offer), choice.url, grade == selection.grade,
                    _saving(offer.amount, new_amount) if offer else None,
                    descriptions[grade].text(languages) if grade in descriptions else None,
                    descriptions[grade].min_battery_health if grade in descriptions else None,
                    figures.get(grade))
        for (grade, offer), choice in zip(columns, grade_choices, strict=True)]

    amounts = [o.amount for o in offers]
    return ProductView(
        selection=selection, params=selection.params(dimensions), pickers=pickers,
        grade_choices=grade_choices, battery_choices=battery_choices,
        current=show(current), reason=reason(group), rivals=max(len(group) - 1, 0),
        others=[show(o) for o in others], alternative=alternative,
        new_price=(new_amount, new_source) if new_amount else None,
        saving_percent=_saving(current.amount, new_amount) if current else None,
        grade_columns=grade_columns,
        aggregate=(min(amounts), max(amounts), len(amounts)) if amounts else None)


def grade_descriptions(session: Session, product: Product) -> dict[str, GradeDescription]:
    """Per grade, the description for the product's category, or its nearest ancestor's, or the default."""
    chain, category = [], product.category
    while category is not None:
        chain.append(category.id)
        category = category.parent
    rows = session.scalars(select(GradeDescription).where(
        or_(GradeDescription.category_id.in_(chain), GradeDescription.category_id.is_(None))))
    depth = {category_id: n for n, category_id in enumerate(chain)}
    chosen: dict[str, GradeDescription] = {}
    for row in sorted(rows, key=lambda r: depth.get(r.category_id, len(chain)), reverse=True):
        chosen[row.grade] = row
    return chosen


def _saving(amount: int, new_amount: int | None) -> int | None:
    """Whole percent saved against the price new, rounded down; None when there is nothing to say."""
    if not new_amount or amount >= new_amount:
        return None
    return (new_amount - amount) * 100 // new_amount


def _option(variant: Variant, name: str):
    return options_of(variant)[name]


def option_label(name: str, value, variants: Sequence[Variant], languages) -> tuple[str, str | None]:
    if name == "color":
        color = next(v.color for v in variants if v.color and v.color.code == value)
        return color.name(languages), color.hex
    if name == "storage":
        return str(storage_label(value)), None
    if name == "ram":
        return str(_l("%(num)s GB RAM", num=format_decimal(value))), None
    if name == "connectivity":
        return str(CONNECTIVITY_LABELS.get(value, value)), None
    return size_label(value), None


def _summary_label(selection: Selection, dimensions, languages) -> str:
    parts = [option_label(name, _option(selection.variant, name), [selection.variant], languages)[0]
             for name in dimensions]
    return " · ".join([*parts, grade_label(selection.grade)])


def structured_data(product: Product, name: str, description: str | None, view: ProductView, currency: str,
                    url: str, image: str | None) -> dict:
    """schema.org `Product` with an `AggregateOffer` over every purchasable offer of the model."""
    data = {"@context": "https://schema.org", "@type": "Product", "name": f"{product.brand.name} {name}",
            "brand": {"@type": "Brand", "name": product.brand.name}, "sku": product.key, "url": url}
    if description:
        data["description"] = description
    if image:
        data["image"] = image
    if view.aggregate:
        low, high, count = view.aggregate
        data["offers"] = {
            "@type": "AggregateOffer", "priceCurrency": currency, "offerCount": count,
            "lowPrice": str(to_decimal(low, currency)), "highPrice": str(to_decimal(high, currency)),
            "itemCondition": "https://schema.org/RefurbishedCondition",
            "availability": "https://schema.org/InStock"}
    return data
