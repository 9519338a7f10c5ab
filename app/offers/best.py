"""The best-offer rule, in one place.

DESIGN: for a variant, grade and market, the best offer is the cheapest eligible listing; eligible
means purchasable (`queries.purchasable_prices`: in stock, active, seller approved and shipping to
the market, priced there); ties go to the better seller. Every list of offers on the site is ranked
by `RANKING`, so "best" is simply "first", and the page can say which criterion decided.
"""
from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Select
from sqlalchemy.orm import Session

from app.catalog.models import Variant
from app.sellers.models import Seller
from app.sites.models import Market

from .models import Listing, ListingPrice
from .queries import purchasable_prices

# Cheapest first; at the same price the better seller: higher rating, then the longer warranty, then
# the faster dispatch; the oldest listing last of all, so the order is total and stable.
RANKING = (
    ListingPrice.amount.asc(),
    Seller.rating_tenths.desc().nulls_last(),
    Listing.warranty_months.desc(),
    Seller.dispatch_days.asc(),
    Listing.id.asc(),
)


@dataclass(frozen=True)
class Offer:
    """One purchasable listing as a shopper in one market sees it."""
    listing_id: int
    price_id: int
    product_id: int
    variant_id: int
    grade: str
    has_new_battery: bool
    battery_health_min: int | None
    warranty_months: int
    vat_scheme: str
    quantity: int
    amount: int
    currency: str
    seller_id: int
    seller_name: str
    seller_rating_tenths: int | None
    dispatch_days: int

    @property
    def key(self) -> tuple[int, str, bool]:
        """What a best offer is chosen for: the variant, the grade and the battery option."""
        return self.variant_id, self.grade, self.has_new_battery


class Reason(enum.StrEnum):
    """Why the first offer of a ranked list beat the second."""
    ONLY = "only"              # nothing to beat
    PRICE = "price"            # strictly cheaper
    RATING = "rating"          # same price, better rated seller
    WARRANTY = "warranty"      # same price and rating, longer warranty
    DISPATCH = "dispatch"      # same price, rating and warranty, ships sooner
    SENIORITY = "seniority"    # identical on every criterion: listed first


def _offers_query(market: Market) -> Select:
    return (purchasable_prices(market)
            .with_only_columns(
                Listing.id, ListingPrice.id, Variant.product_id, Listing.variant_id, Listing.grade,
                Listing.has_new_battery, Listing.battery_health_min, Listing.warranty_months,
                Listing.vat_scheme, Listing.quantity, ListingPrice.amount, ListingPrice.currency,
                Seller.id, Seller.name, Seller.rating_tenths, Seller.dispatch_days)
            .order_by(*RANKING))


def ranked_offers(session: Session, market: Market, *, product_id: int | None = None,
                  variant_ids: Sequence[int] | None = None, listing_ids: Sequence[int] | None = None,
                  grade: str | None = None,
                  new_battery: bool | None = None, limit: int | None = None) -> list[Offer]:
    """Every purchasable offer matching the filters, best first. One query."""
    query = _offers_query(market)
    if product_id is not None:
        query = query.where(Variant.product_id == product_id)
    if variant_ids is not None:
        query = query.where(Listing.variant_id.in_(list(variant_ids)))
    if listing_ids is not None:
        query = query.where(Listing.id.in_(list(listing_ids)))
    if grade is not None:
        query = query.where(Listing.grade == grade)
    if new_battery is not None:
        query = query.where(Listing.has_new_battery.is_(new_battery))
    if limit is not None:
        query = query.limit(limit)
    return [Offer(*row) for row in session.execute(query)]


def best_offer(session: Session, market: Market, variant_id: int, grade: str, *,
               new_battery: bool = False) -> Offer | None:
    """The listing that wins for this variant, grade, battery option and market, if any."""
    found = ranked_offers(session, market, variant_ids=[variant_id], grade=grade,
                          new_battery=new_battery, limit=1)
    return found[0] if found else None


def best_by_key(offers: Iterable[Offer]) -> dict[tuple[int, str, bool], Offer]:
    """From offers ranked by `RANKING`, the best per (variant, grade, battery option)."""
    best: dict[tuple[int, str, bool], Offer] = {}
    for offer in offers:
        best.setdefault(offer.key, offer)
    return best


def rank_key(offer: Offer) -> tuple:
    """`RANKING` as a Python sort key, for offers that are not (or not yet) in the database's order."""
    rating = offer.seller_rating_tenths
    return (offer.amount, rating is None, -(rating or 0), -offer.warranty_months, offer.dispatch_days,
            offer.listing_id)


def price_to_win(mine: Offer, rival: Offer) -> int | None:
    """The highest price at which `mine` would rank before `rival`: the rival's own price when the
    tie-breaks favour `mine`, one minor unit less otherwise; None when that would be nothing."""
    at_same_price = replace(mine, amount=rival.amount)
    price = rival.amount if rank_key(at_same_price) < rank_key(rival) else rival.amount - 1
    return price if price > 0 else None


def reason(ranked: Sequence[Offer]) -> Reason:
    """Which criterion of the rule put `ranked[0]` ahead of `ranked[1]`."""
    if len(ranked) < 2:
        return Reason.ONLY
    first, second = ranked[0], ranked[1]
    if first.amount != second.amount:
        return Reason.PRICE
    if (first.seller_rating_tenths or 0) != (second.seller_rating_tenths or 0):
        return Reason.RATING
    if first.warranty_months != second.warranty_months:
        return Reason.WARRANTY
    if first.dispatch_days != second.dispatch_days:
        return Reason.DISPATCH
    return Reason.SENIORITY
