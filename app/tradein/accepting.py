"""Accepting a quote: the shopper picks one bid, says who is paid where, and has 14 days to ship.

A quote becomes at most one trade-in (a unique key on `tradein.quote_id`), so a double submit or a
second tab gets `AlreadyAccepted`, never a second trade-in.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.emails import queue_email
from app.accounts.models import User
from app.models_base import utcnow

from . import bank, quotes
from .errors import AlreadyAccepted, UnknownOffer
from .models import SHIP_WITHIN_DAYS, TradeIn, TradeInQuote, TradeInStatus

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class PayoutIdentity:
    holder_name: str
    address_line1: str
    address_postcode: str
    address_city: str
    account: bank.BankAccount


def new_reference() -> str:
    return "TI-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def accept_quote(session: Session, quote: TradeInQuote, *, seller_id: int, user: User, identity: PayoutIdentity,
                 language: str, now: datetime | None = None) -> TradeIn:
    """Turn the quote into a trade-in with the chosen seller at its quoted price; queues the shipping e-mail.

    Raises QuoteExpired, UnknownOffer, AlreadyAccepted. Flushes; the caller commits.
    """
    now = now or utcnow()
    quotes.require_current(quote, now)
    offer = next((o for o in quote.offers if o.seller_id == seller_id), None)
    if offer is None:
        raise UnknownOffer()
    if session.scalar(select(TradeIn.id).where(TradeIn.quote_id == quote.id)) is not None:
        raise AlreadyAccepted()
    trade_in = TradeIn(reference=new_reference(), quote_id=quote.id, seller_id=offer.seller_id, user_id=user.id,
                       market_id=quote.market_id, language=language, status=TradeInStatus.AWAITING_DEVICE,
                       amount=offer.amount, currency=quote.currency, ship_by=now + timedelta(days=SHIP_WITHIN_DAYS),
                       holder_name=identity.holder_name, address_line1=identity.address_line1,
                       address_postcode=identity.address_postcode, address_city=identity.address_city,
                       address_country=quote.market.code, bank_scheme=identity.account.scheme,
                       bank_last_digits=identity.account.last_digits, bank_sealed=bank.seal(identity.account))
    try:
        with session.begin_nested():
            session.add(trade_in)
            session.flush()
    except IntegrityError as exc:           # the same quote accepted at the same moment elsewhere
        raise AlreadyAccepted() from exc
    queue_email(session, to=user.email, template="tradein_accepted", language=language, reference=trade_in.reference,
                trade_in=trade_in, seller=offer.seller, link=_link(trade_in, quote),
                ship_by=market_date(quote.market, trade_in.ship_by, language))
    return trade_in


def market_date(market, moment: datetime, language: str) -> str:
    """A moment as a date in the market's time zone, written in `language` for that market."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from babel.dates import format_date
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return format_date(moment.astimezone(ZoneInfo(market.timezone)).date(), "long", locale=f"{language}_{market.code}")


def _link(trade_in: TradeIn, quote: TradeInQuote) -> str:
    edition = next((e for e in quote.market.editions if e.language == trade_in.language), quote.market.editions[0])
    return url_for("tradein.detail", edition=edition.code, reference=trade_in.reference, _external=True)


def trade_ins_of(user: User):
    """The trade-ins a shopper may see: their own."""
    return select(TradeIn).where(TradeIn.user_id == user.id)
