"""What a shopper can trade in, and quotes: the bids for one device in one condition, held 14 days.

The best bid is the highest price; on a tie, the seller with the lower counter-offer rate wins (a
seller without enough inspected trade-ins for a rate comes after those with one), then the seller
who pays faster, then the older seller id, so the order never changes from one request to the next.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import Category, Product, Variant
from app.i18n import pick_translation
from app.models_base import utcnow
from app.sites.models import Market

from . import questionnaire
from .bids import CounterOfferRate, counter_offer_rates, eligible_bids, market_terms
from .errors import NoBids, NotOffered, QuoteExpired, UnknownDevice
from .models import QUOTE_VALID_DAYS, TradeInBid, TradeInQuote, TradeInQuoteOffer


@dataclass(frozen=True)
class Choice:
    """A category, model or configuration the shopper can pick (it has at least one bid)."""
    key: str
    name: str
    kind: str = ""


def require_offered(session: Session, market: Market) -> None:
    if not market_terms(session, market).is_offered:
        raise NotOffered()


def _bid_variants(market: Market):
    return eligible_bids(market).with_only_columns(TradeInBid.variant_id).distinct().subquery()


def list_categories(session: Session, market: Market, languages: Sequence[str]) -> list[Choice]:
    """Categories of devices we have questions for, with at least one bid in the market."""
    bid_variants = _bid_variants(market)
    rows = session.scalars(
        select(Category).where(Category.id.in_(
            select(Product.category_id).join(Variant, Variant.product_id == Product.id)
            .where(Variant.id.in_(select(bid_variants.c.variant_id)), Product.is_active.is_(True))),
            Category.is_active.is_(True), Category.illustration.in_(questionnaire.TRADE_IN_KINDS))
        .order_by(Category.position)).all()
    return [Choice(c.key, _name(c, languages), c.illustration) for c in rows]


def find_category(session: Session, market: Market, key: str | None) -> Category:
    category = session.scalar(select(Category).where(Category.key == (key or ""), Category.is_active.is_(True)))
    if category is None or category.illustration not in questionnaire.TRADE_IN_KINDS:
        raise UnknownDevice()
    return category


def list_models(session: Session, market: Market, category: Category, languages: Sequence[str]) -> list[Choice]:
    bid_variants = _bid_variants(market)
    rows = session.scalars(
        select(Product).where(Product.category_id == category.id, Product.is_active.is_(True),
                              Product.id.in_(select(Variant.product_id).where(
                                  Variant.id.in_(select(bid_variants.c.variant_id)))))
        .order_by(Product.release_year.desc(), Product.key)).all()
    return sorted((Choice(p.key, _name(p, languages)) for p in rows), key=lambda c: c.name.casefold())


def find_model(session: Session, category: Category, key: str | None) -> Product:
    product = session.scalar(select(Product).where(Product.key == (key or ""), Product.category_id == category.id,
                                                   Product.is_active.is_(True)))
    if product is None:
        raise UnknownDevice()
    return product


def list_configurations(session: Session, market: Market, product: Product) -> list[Variant]:
    bid_variants = _bid_variants(market)
    return list(session.scalars(select(Variant).where(
        Variant.product_id == product.id, Variant.id.in_(select(bid_variants.c.variant_id)))
        .order_by(Variant.position)))


def find_configuration(session: Session, market: Market, product: Product, sku: str | None) -> Variant:
    variant = next((v for v in list_configurations(session, market, product) if v.sku == sku), None)
    if variant is None:
        raise UnknownDevice()
    return variant


@dataclass(frozen=True)
class RankedBid:
    seller_id: int
    amount: int
    payout_days: int
    rate: CounterOfferRate


def rank(bids: list[tuple[TradeInBid, int]], rates: Mapping[int, CounterOfferRate]) -> list[RankedBid]:
    """Best first: highest price, then lower counter-offer rate (known before unknown), faster payout."""
    ranked = [RankedBid(bid.seller_id, bid.amount, days, rates[bid.seller_id]) for bid, days in bids]

    def key(b: RankedBid):
        rate = b.rate.basis_points
        return (-b.amount, rate is None, rate or 0, b.payout_days, b.seller_id)
    return sorted(ranked, key=key)


def current_bids(session: Session, market: Market, variant: Variant, condition: str) -> list[RankedBid]:
    rows = [(bid, days) for bid, days in session.execute(
        eligible_bids(market).where(TradeInBid.variant_id == variant.id, TradeInBid.condition == condition))]
    return rank(rows, counter_offer_rates(session, [bid.seller_id for bid, _ in rows]))


def create_quote(session: Session, market: Market, variant: Variant, answers: Mapping[str, str], *,
                 now: datetime | None = None) -> TradeInQuote:
    """Grade the answers and copy the bids of the moment into a quote valid 14 days.

    Raises NotOffered, IncompleteAnswers, DeviceLocked, or NoBids (nothing is saved then).
    """
    require_offered(session, market)
    condition, kept = questionnaire.grade(variant.product.category.illustration, answers)
    ranked = current_bids(session, market, variant, condition)
    if not ranked:
        raise NoBids()
    now = now or utcnow()
    quote = TradeInQuote(reference=secrets.token_urlsafe(18)[:24], market_id=market.id, variant_id=variant.id,
                         condition=condition, answers=kept, currency=market.currency, created_at=now,
                         expires_at=now + timedelta(days=QUOTE_VALID_DAYS))
    quote.offers = [TradeInQuoteOffer(seller_id=b.seller_id, rank=i, amount=b.amount, payout_days=b.payout_days)
                    for i, b in enumerate(ranked)]
    session.add(quote)
    session.flush()
    return quote


def find_quote(session: Session, reference: str, market: Market) -> TradeInQuote | None:
    """The quote of this market with this reference (another market's quote is not found)."""
    return session.scalar(select(TradeInQuote).where(TradeInQuote.reference == reference,
                                                     TradeInQuote.market_id == market.id))


def is_expired(quote: TradeInQuote, now: datetime | None = None) -> bool:
    expires = quote.expires_at
    if expires.tzinfo is None:           # SQLite hands back naive datetimes: they are UTC
        from datetime import UTC
        expires = expires.replace(tzinfo=UTC)
    return (now or utcnow()) >= expires


def require_current(quote: TradeInQuote, now: datetime | None = None) -> TradeInQuote:
    if is_expired(quote, now):
        raise QuoteExpired()
    return quote


def _name(row, languages) -> str:
    text = pick_translation(row.translations, languages)
    return text.name if text else row.key


def voucher_value(amount: int, bonus_bp: int) -> int:
    """What a bid is worth as a shop voucher: the amount plus the market's bonus, rounded down."""
    return amount * (10000 + bonus_bp) // 10000
