"""Builders for trade-in tests: a phone model with bidding sellers."""
from __future__ import annotations

from app.tradein import bids
from app.tradein.models import TradeIn, TradeInQuote, TradeInStatus
from tests.builders import make_category, make_product, make_seller, make_user, market

ALL_GOOD = {"powers_on": "yes", "screen": "scratches", "body": "light", "battery": "medium", "signed_out": "yes"}


def make_phone(session, *, names=None, storages=(64, 128)):
    category = make_category(session, illustration="phone")
    return make_product(session, category=category, names=names, storages=storages)


def make_bidder(session, variant, amounts, *, name=None, payout_days=2, ships_to=("FR", "BE", "ES", "DE", "IT")):
    """A seller opted in to trade-in with bids: amounts={("good", "FR"): 20000, …}."""
    seller = make_seller(session, name=name, ships_to=ships_to)
    bids.save_profile(session, seller, is_active=True, payout_days=payout_days)
    for (condition, code), amount in amounts.items():
        bids.set_bid(session, seller, variant, condition, market(session, code), amount)
    return seller


def make_inspected(session, seller, quote: TradeInQuote, *, countered: bool, count: int = 1):
    """`count` inspected trade-ins of `seller` (rows made directly: the inspection flow is not the subject)."""
    for n in range(count):
        copy = TradeInQuote(reference=f"{quote.reference[:16]}-{seller.id}-{n}-{countered:d}", market_id=quote.market_id,
                            variant_id=quote.variant_id, condition=quote.condition, currency=quote.currency,
                            expires_at=quote.expires_at)
        session.add(copy)
        session.flush()
        session.add(TradeIn(reference=copy.reference[-16:], quote_id=copy.id, seller_id=seller.id,
                            user_id=make_user(session).id, status=TradeInStatus.PAID if not countered
                            else TradeInStatus.COUNTER_OFFERED, amount=100, currency=quote.currency,
                            was_countered=countered))
    session.flush()
