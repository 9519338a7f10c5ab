"""Trade-in rows: who bids (seller profile), the bids, the market settings and the quotes.

Money is an integer in minor units with the currency of the market it was bid in.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.models import Variant
from app.data_versions import EVERY_PAGE
from app.extensions import db
from app.models_base import Timestamped, utcnow
from app.sellers.models import Seller
from app.sites.models import Market


class Condition(enum.StrEnum):
    """The condition a questionnaire (and later an inspection) gives a used device, best first."""
    EXCELLENT = "excellent"    # like new: no marks, battery healthy
    GOOD = "good"              # light signs of use
    FAIR = "fair"              # visible wear, or a tired battery
    DAMAGED = "damaged"        # works, but a cracked screen or a broken body
    BROKEN = "broken"          # does not switch on

    @property
    def rank(self) -> int:
        """0 for Excellent … 4 for Broken: a higher rank is a worse condition."""
        return list(Condition).index(self)


DEFAULT_VOUCHER_BONUS_BP = 1000        # +10 % when the shopper takes shop credit
DEFAULT_PAYOUT_DAYS = 2
QUOTE_VALID_DAYS = 14
SHIP_WITHIN_DAYS = 14


class TradeInMarketSetting(db.Model):
    """Whether a market offers trade-in, and the bonus a voucher adds. No row: the defaults (offered, +10 %)."""
    __tablename__ = "tradein_market_setting"
    # The footer links to trade-in where it is offered: a change shows on every cached page.
    __table_args__ = (CheckConstraint("voucher_bonus_bp >= 0 AND voucher_bonus_bp <= 10000",
                                      name="voucher_bonus_range"), {"info": EVERY_PAGE})

    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"), primary_key=True)
    is_offered: Mapped[bool] = mapped_column(Boolean, default=True)
    voucher_bonus_bp: Mapped[int] = mapped_column(Integer, default=DEFAULT_VOUCHER_BONUS_BP)

    market: Mapped[Market] = relationship()


class TradeInSellerProfile(Timestamped, db.Model):
    """A seller's opt-in to trade-in: only an active profile's bids are shown, with its payout speed."""
    __tablename__ = "tradein_seller_profile"
    __table_args__ = (CheckConstraint("payout_days >= 1 AND payout_days <= 10", name="payout_days_range"),)

    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), primary_key=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    payout_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_PAYOUT_DAYS)   # working days

    seller: Mapped[Seller] = relationship()


class TradeInBid(Timestamped, db.Model):
    """What one seller pays for one configuration in one condition, in one market's currency."""
    __tablename__ = "tradein_bid"
    __table_args__ = (
        UniqueConstraint("seller_id", "variant_id", "condition", "market_id"),
        Index("ix_tradein_bid_lookup", "variant_id", "condition", "market_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"))
    condition: Mapped[str] = mapped_column(String(16))
    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"))
    amount: Mapped[int] = mapped_column(Integer)           # minor units
    currency: Mapped[str] = mapped_column(String(3))

    seller: Mapped[Seller] = relationship()
    variant: Mapped[Variant] = relationship()
    market: Mapped[Market] = relationship()


class TradeInQuote(db.Model):
    """The bids a shopper was shown for one device in one condition: they hold until `expires_at`.

    The offers are copied when the quote is made, so a seller changing its grid afterwards does not
    change a price a shopper has been promised. `reference` is the unguessable key of its public URL.
    """
    __tablename__ = "tradein_quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"), index=True)
    condition: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    market: Mapped[Market] = relationship()
    variant: Mapped[Variant] = relationship()
    offers: Mapped[list[TradeInQuoteOffer]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="TradeInQuoteOffer.rank", lazy="selectin")

    @property
    def best(self) -> TradeInQuoteOffer | None:
        return self.offers[0] if self.offers else None


class TradeInQuoteOffer(db.Model):
    """One seller's bid as copied into a quote; rank 0 is the best bid."""
    __tablename__ = "tradein_quote_offer"
    __table_args__ = (UniqueConstraint("quote_id", "seller_id"), UniqueConstraint("quote_id", "rank"),
                      CheckConstraint("amount > 0", name="amount_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("tradein_quote.id", ondelete="CASCADE"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)           # minor units, in the quote's currency
    payout_days: Mapped[int] = mapped_column(Integer)

    quote: Mapped[TradeInQuote] = relationship(back_populates="offers")
    seller: Mapped[Seller] = relationship(lazy="joined")


class TradeInStatus(enum.StrEnum):
    """Where a trade-in stands; `INSPECTED_STATES` are those whose inspection is done."""
    AWAITING_DEVICE = "awaiting_device"      # accepted by the shopper, to ship within 14 days
    RECEIVED = "received"                    # at the refurbisher, to inspect
    COUNTER_OFFERED = "counter_offered"      # the device did not match: a lower price, 7 days to answer
    TO_PAY = "to_pay"                        # matched (or counter-offer accepted): to pay
    PAID = "paid"
    RETURNING = "returning"                  # refused, locked or stolen: sent back free
    EXPIRED = "expired"                      # never shipped
    CANCELLED = "cancelled"


INSPECTED_STATES = frozenset({TradeInStatus.COUNTER_OFFERED, TradeInStatus.TO_PAY, TradeInStatus.PAID,
                              TradeInStatus.RETURNING})


class TradeIn(Timestamped, db.Model):
    """A shopper's accepted quote: one device going to one seller at the quoted price.

    `was_countered` is set once, when the seller's inspection ends in a counter-offer: with the
    inspected trade-ins it gives each seller's counter-offer rate, shown to shoppers beside its bids.
    """
    __tablename__ = "tradein"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("tradein_quote.id", ondelete="RESTRICT"), unique=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=TradeInStatus.AWAITING_DEVICE, index=True)
    amount: Mapped[int] = mapped_column(Integer)           # minor units: the quoted price
    currency: Mapped[str] = mapped_column(String(3))
    was_countered: Mapped[bool] = mapped_column(Boolean, default=False)
    inspected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="RESTRICT"))
    language: Mapped[str] = mapped_column(String(2))              # the shopper's, for e-mails and PDFs
    ship_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Who is paid, and where the device comes back from (and goes back to if it is returned).
    holder_name: Mapped[str] = mapped_column(String(120))
    address_line1: Mapped[str] = mapped_column(String(200))
    address_postcode: Mapped[str] = mapped_column(String(20))
    address_city: Mapped[str] = mapped_column(String(80))
    address_country: Mapped[str] = mapped_column(String(2))
    # The bank account, encrypted (app.tradein.bank); pages show only its scheme and last digits.
    bank_scheme: Mapped[str] = mapped_column(String(8))
    bank_last_digits: Mapped[str] = mapped_column(String(4))
    bank_sealed: Mapped[str] = mapped_column(Text)

    # The clocks after the device arrives (each shown to both sides; `flask worker` runs them).
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    inspect_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))    # 2 working days of receipt
    answer_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))     # a counter-offer's 7 days
    pay_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))        # payout_days of acceptance
    # What is paid once inspected: the quoted amount, or the counter-offer the shopper accepted.
    final_amount: Mapped[int | None] = mapped_column(Integer)
    return_reason: Mapped[str | None] = mapped_column(String(20))                   # ReturnReason

    quote: Mapped[TradeInQuote] = relationship()
    seller: Mapped[Seller] = relationship()
    market: Mapped[Market] = relationship()
    inspection: Mapped[TradeInInspection | None] = relationship(back_populates="trade_in", uselist=False)
    photos: Mapped[list[TradeInPhoto]] = relationship(order_by="TradeInPhoto.id", lazy="selectin")


COUNTER_OFFER_DAYS = 7
INSPECT_WITHIN_WORKING_DAYS = 2


class CounterReason(enum.StrEnum):
    """The fixed reasons a counter-offer may give (shown translated to the shopper)."""
    SCREEN = "screen"                  # screen cracked or marked more than declared
    BODY = "body"                      # body dented, cracked or worn more than declared
    BATTERY = "battery"                # battery health lower than declared
    FUNCTIONS = "functions"            # a camera, button, speaker, sensor or port does not work
    POWER = "power"                    # does not switch on or charge
    PARTS = "parts"                    # non-original or missing parts
    MODEL = "model"                    # another model or configuration than declared


class ReturnReason(enum.StrEnum):
    """Why a device is sent back to the shopper, free."""
    LOCKED = "locked"                  # still locked to an account (activation lock)
    STOLEN = "stolen"                  # reported lost or stolen (blacklisted)
    REFUSED = "refused"                # the shopper refused the counter-offer
    LAPSED = "lapsed"                  # the shopper did not answer the counter-offer in time


class TradeInInspection(db.Model):
    """What the refurbisher found when it inspected the device: recorded once, by its staff.

    `counter_amount` is set only when the device did not match its declaration; it is always below
    the quoted price. `is_symbolic` states that the device is not worth repairing and the offer is a
    token one.
    """
    __tablename__ = "tradein_inspection"
    __table_args__ = (CheckConstraint("counter_amount IS NULL OR counter_amount > 0", name="counter_positive"),)

    trade_in_id: Mapped[int] = mapped_column(ForeignKey("tradein.id", ondelete="CASCADE"), primary_key=True)
    imei_or_serial: Mapped[str] = mapped_column(String(32), index=True)
    is_activation_locked: Mapped[bool] = mapped_column(Boolean)
    is_blacklisted: Mapped[bool] = mapped_column(Boolean)
    functions_ok: Mapped[bool] = mapped_column(Boolean)
    condition_found: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    counter_amount: Mapped[int | None] = mapped_column(Integer)
    counter_reasons: Mapped[list] = mapped_column(JSON, default=list)
    is_symbolic: Mapped[bool] = mapped_column(Boolean, default=False)
    inspected_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    trade_in: Mapped[TradeIn] = relationship(back_populates="inspection")


class TradeInPhoto(db.Model):
    """A photo the refurbisher took at inspection, kept in the media store under a key pages never serve
    publicly (`PHOTO_SUFFIX`): only the trade-in's shopper and its seller's staff can open it."""
    __tablename__ = "tradein_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_in_id: Mapped[int] = mapped_column(ForeignKey("tradein.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
