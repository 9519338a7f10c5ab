"""Where a seller's listings stand against the best-offer rule (`app.offers.best`), for the back office.

Per listing and market: is it the best offer, and if not, the best rival and the price that would
win. Per seller: the share of best offers won. A fixed number of queries (one per market the seller
ships to) whatever the number of listings shown.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.offers.best import RANKING, Offer, price_to_win, ranked_offers, with_quality
from app.offers.models import Listing
from app.offers.queries import purchasable_prices
from app.sites.models import Market

from .models import Seller, SellerStatus


class Status:
    BEST = "best"                 # wins the best offer
    BEHIND = "behind"             # purchasable, another seller wins
    PAUSED = "paused"
    OUT_OF_STOCK = "out_of_stock"
    SELLER_INACTIVE = "seller_inactive"   # suspended or not approved yet
    NOT_PRICED = "not_priced"     # ships there, no price set


@dataclass(frozen=True)
class MarketStanding:
    market: Market
    amount: int | None
    status: str
    rival: Offer | None           # the best offer from another seller, if any
    price_to_win: int | None      # for BEHIND (and not yet purchasable): the price that would win


def _as_offer(listing: Listing, seller: Seller, market: Market, amount: int) -> Offer:
    return Offer(listing.id, 0, listing.variant.product_id, listing.variant_id, listing.grade,
                 listing.has_new_battery, listing.battery_health_min, listing.warranty_months,
                 listing.vat_scheme, listing.quantity, amount, market.currency, seller.id, seller.name,
                 seller.rating_tenths, seller.dispatch_days)


def standings(session: Session, seller: Seller, listings: Sequence[Listing]) -> dict[int, list[MarketStanding]]:
    """For each listing id, its standing in every market the seller ships to."""
    result: dict[int, list[MarketStanding]] = {listing.id: [] for listing in listings}
    if not listings:
        return result
    variant_ids = sorted({listing.variant_id for listing in listings})
    for market in seller.markets:
        ranked = ranked_offers(session, market, variant_ids=variant_ids)
        first: dict[tuple, Offer] = {}
        first_rival: dict[tuple, Offer] = {}
        mine = {offer.listing_id: offer for offer in ranked if offer.seller_id == seller.id}
        for offer in ranked:
            first.setdefault(offer.key, offer)
            if offer.seller_id != seller.id:
                first_rival.setdefault(offer.key, offer)
        for listing in listings:
            key = (listing.variant_id, listing.grade, listing.has_new_battery)
            price = listing.price_in(market)
            rival = first_rival.get(key)
            if price is None:
                result[listing.id].append(MarketStanding(market, None, Status.NOT_PRICED, rival, None))
                continue
            winner = first.get(key)
            if winner is not None and winner.listing_id == listing.id:
                status = Status.BEST
            elif seller.status != SellerStatus.APPROVED:
                status = Status.SELLER_INACTIVE
            elif not listing.is_active:
                status = Status.PAUSED
            elif listing.quantity <= 0:
                status = Status.OUT_OF_STOCK
            else:
                status = Status.BEHIND
            to_win = None
            if status != Status.BEST and rival is not None:
                # the listing as ranked (its reliability term included) when it is purchasable
                offer = mine.get(listing.id) or _as_offer(listing, seller, market, price.amount)
                to_win = price_to_win(offer, rival)
            result[listing.id].append(MarketStanding(market, price.amount, status, rival, to_win))
    return result


@dataclass(frozen=True)
class MarketShare:
    market: Market
    offered: int      # (variant, grade, battery) keys where the seller has a purchasable offer
    won: int          # of which the seller's is the best offer

    @property
    def percent(self) -> int:
        return self.won * 100 // self.offered if self.offered else 0


def best_offer_shares(session: Session, seller: Seller) -> list[MarketShare]:
    """Per market the seller ships to, how many of its purchasable offers are the best offer.

    The ranking is `RANKING`, applied in SQL with a window function: one query per market.
    """
    shares = []
    mine = select(Listing.variant_id).where(Listing.seller_id == seller.id).scalar_subquery()
    for market in seller.markets:
        ranked = (with_quality(purchasable_prices(market), market)
                  .with_only_columns(Listing.seller_id.label("seller_id"),
                                     func.row_number().over(
                                         partition_by=(Listing.variant_id, Listing.grade, Listing.has_new_battery),
                                         order_by=RANKING).label("position"))
                  .where(Listing.variant_id.in_(mine))
                  .subquery())
        offered, won = session.execute(
            select(func.count(), func.coalesce(func.sum(case((ranked.c.position == 1, 1), else_=0)), 0))
            .where(ranked.c.seller_id == seller.id)).one()
        shares.append(MarketShare(market, offered or 0, won or 0))
    return shares


@dataclass(frozen=True)
class Overview:
    active: int
    paused: int
    units: int
    units_by_grade: dict[str, int]


def overview(session: Session, seller: Seller) -> Overview:
    """Listing counts and units in stock by grade (one query)."""
    rows = session.execute(
        select(Listing.grade, Listing.is_active, func.count(), func.coalesce(func.sum(Listing.quantity), 0))
        .where(Listing.seller_id == seller.id).group_by(Listing.grade, Listing.is_active)).all()
    active = sum(n for _, is_active, n, _ in rows if is_active)
    paused = sum(n for _, is_active, n, _ in rows if not is_active)
    by_grade: dict[str, int] = {}
    for grade, is_active, _, units in rows:
        if is_active:
            by_grade[grade] = by_grade.get(grade, 0) + int(units)
    return Overview(active, paused, sum(by_grade.values()), by_grade)


