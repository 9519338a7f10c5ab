"""Bid grids and who may bid: seller profiles, market settings, counter-offer rates.

A bid is shown only when its seller is approved, has an active trade-in profile and serves the
market; it is always in the market's currency.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.orm import Session

from app.catalog.models import Variant
from app.sellers.models import Seller, SellerStatus, seller_market
from app.sites.models import Market

from .errors import BidError
from .models import (
    DEFAULT_VOUCHER_BONUS_BP,
    INSPECTED_STATES,
    Condition,
    TradeIn,
    TradeInBid,
    TradeInMarketSetting,
    TradeInSellerProfile,
)

# Below this many inspected trade-ins a seller's counter-offer rate says too little to be shown.
MIN_INSPECTED_FOR_RATE = 5


@dataclass(frozen=True)
class MarketTerms:
    is_offered: bool
    voucher_bonus_bp: int


def market_terms(session: Session, market: Market) -> MarketTerms:
    """The market's trade-in setting, or the defaults (offered, +10 % on vouchers) when none is saved."""
    row = session.get(TradeInMarketSetting, market.id)
    if row is None:
        return MarketTerms(True, DEFAULT_VOUCHER_BONUS_BP)
    return MarketTerms(row.is_offered, row.voucher_bonus_bp)


def set_market_terms(session: Session, market: Market, *, is_offered: bool, voucher_bonus_bp: int) -> None:
    """Save the market's trade-in setting. The bonus is 0 to 100 % in basis points."""
    if not 0 <= voucher_bonus_bp <= 10000:
        raise BidError()
    row = session.get(TradeInMarketSetting, market.id)
    if row is None:
        row = TradeInMarketSetting(market_id=market.id)
        session.add(row)
    row.is_offered = is_offered
    row.voucher_bonus_bp = voucher_bonus_bp
    session.flush()


def profile_of(session: Session, seller: Seller) -> TradeInSellerProfile | None:
    return session.get(TradeInSellerProfile, seller.id)


def save_profile(session: Session, seller: Seller, *, is_active: bool, payout_days: int) -> TradeInSellerProfile:
    """Opt the seller in (or out) of trade-in, with the working days it takes to pay."""
    if not 1 <= payout_days <= 10:
        raise BidError()
    profile = profile_of(session, seller)
    if profile is None:
        profile = TradeInSellerProfile(seller_id=seller.id)
        session.add(profile)
    profile.is_active = is_active
    profile.payout_days = payout_days
    session.flush()
    return profile


def set_bid(session: Session, seller: Seller, variant: Variant, condition: str, market: Market,
            amount: int | None) -> TradeInBid | None:
    """Create, change or (amount None) remove one cell of the seller's grid."""
    if condition not in set(Condition):
        raise BidError()
    if market.id not in {m.id for m in seller.markets}:
        raise BidError()
    bid = session.scalar(select(TradeInBid).where(
        TradeInBid.seller_id == seller.id, TradeInBid.variant_id == variant.id,
        TradeInBid.condition == condition, TradeInBid.market_id == market.id))
    if amount is None:
        if bid is not None:
            session.delete(bid)
            session.flush()
        return None
    if amount <= 0:
        raise BidError()
    if bid is None:
        bid = TradeInBid(seller_id=seller.id, variant_id=variant.id, condition=condition, market_id=market.id)
        session.add(bid)
    bid.amount = amount
    bid.currency = market.currency
    session.flush()
    return bid


def remove_seller_bids(session: Session, seller: Seller) -> int:
    return session.execute(delete(TradeInBid).where(TradeInBid.seller_id == seller.id)).rowcount


def eligible_bids(market: Market):
    """Select (bid, payout_days) for bids shoppers of `market` may be shown."""
    return (select(TradeInBid, TradeInSellerProfile.payout_days)
            .join(Seller, Seller.id == TradeInBid.seller_id)
            .join(TradeInSellerProfile, and_(TradeInSellerProfile.seller_id == Seller.id,
                                             TradeInSellerProfile.is_active.is_(True)))
            .join(seller_market, and_(seller_market.c.seller_id == Seller.id,
                                      seller_market.c.market_id == market.id))
            .where(TradeInBid.market_id == market.id, TradeInBid.currency == market.currency,
                   Seller.status == SellerStatus.APPROVED))


@dataclass(frozen=True)
class CounterOfferRate:
    inspected: int
    countered: int

    @property
    def basis_points(self) -> int | None:
        """Counter-offers per inspected device, in basis points; None while too few were inspected."""
        if self.inspected < MIN_INSPECTED_FOR_RATE:
            return None
        return self.countered * 10000 // self.inspected


def counter_offer_rates(session: Session, seller_ids) -> dict[int, CounterOfferRate]:
    """Each seller's inspected trade-ins and how many of them it counter-offered (every seller asked is in)."""
    ids = list(seller_ids)
    rates = {seller_id: CounterOfferRate(0, 0) for seller_id in ids}
    if not ids:
        return rates
    for seller_id, inspected, countered in session.execute(
            select(TradeIn.seller_id, func.count(TradeIn.id),
                   func.coalesce(func.sum(case((TradeIn.was_countered.is_(True), 1), else_=0)), 0))
            .where(TradeIn.seller_id.in_(ids), TradeIn.status.in_([s.value for s in INSPECTED_STATES]))
            .group_by(TradeIn.seller_id)):
        rates[seller_id] = CounterOfferRate(int(inspected), int(countered))
    return rates
