"""After-sales records: when a seller order arrived, each unit sold, withdrawals and their refunds.

State transitions live beside their enums (`TRANSITIONS`); services move a row only with a
conditional UPDATE from a state listed there, so a stale page cannot move it twice.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import utcnow
from app.orders.models import Order, OrderLine, SellerOrder
from app.sites.models import Market


class DeliverySource(enum.StrEnum):
    CARRIER = "carrier"      # a signed carrier webhook said so
    SELLER = "seller"        # the seller marked it in the back office
    BUYER = "buyer"          # the buyer confirmed receipt
    ASSUMED = "assumed"      # none of the three by the end of the promised window: its last day


class Delivery(db.Model):
    """The day a seller order reached the buyer, in the market's time zone; every after-sales window
    counts from it. One row per seller order: the first of the four sources wins."""
    __tablename__ = "seller_order_delivery"

    seller_order_id: Mapped[int] = mapped_column(ForeignKey("seller_order.id", ondelete="CASCADE"),
                                                 primary_key=True)
    delivered_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    seller_order: Mapped[SellerOrder] = relationship()


class CarrierEvent(db.Model):
    """A carrier webhook call we accepted (signature checked). Unique per carrier and event id, so a
    replayed or retried call changes nothing."""
    __tablename__ = "carrier_event"
    __table_args__ = (UniqueConstraint("carrier", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    tracking_number: Mapped[str] = mapped_column(String(60), index=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seller_order_id: Mapped[int | None] = mapped_column(ForeignKey("seller_order.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(20))       # delivered | ignored | unmatched


class Unit(db.Model):
    """One device sold, by the IMEI or serial number the seller recorded when shipping it. Every
    withdrawal (and later every return and claim) names its units."""
    __tablename__ = "sold_unit"
    __table_args__ = (UniqueConstraint("order_line_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_order_id: Mapped[int] = mapped_column(ForeignKey("seller_order.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)           # 0-based among the line's units
    identifier: Mapped[str] = mapped_column(String(40), index=True)

    line: Mapped[OrderLine] = relationship()


class MarketAftersales(db.Model):
    """A market's after-sales rules, edited by admins; a market without a row uses `DEFAULTS`."""
    __tablename__ = "market_aftersales"

    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"), primary_key=True)
    withdrawal_days: Mapped[int] = mapped_column(Integer)        # 0: no legal right of withdrawal
    withdrawal_refund_days: Mapped[int] = mapped_column(Integer)
    return_days: Mapped[int] = mapped_column(Integer)            # 0: no change-of-mind returns
    black_friday_returns: Mapped[bool] = mapped_column(Boolean)
    seller_reply_working_days: Mapped[int] = mapped_column(Integer)
    seller_remedy_working_days: Mapped[int] = mapped_column(Integer)

    market: Mapped[Market] = relationship()


class WithdrawalStatus(enum.StrEnum):
    CONFIRMED = "confirmed"      # received: the refund is owed within the refund days
    REFUNDED = "refunded"


WITHDRAWAL_TRANSITIONS = {WithdrawalStatus.CONFIRMED: {WithdrawalStatus.REFUNDED}, WithdrawalStatus.REFUNDED: set()}


class Withdrawal(db.Model):
    """A buyer's statement that they withdraw from the contract for some units of one seller order
    (the legal right of withdrawal): a record of its own, never mixed with goodwill returns."""
    __tablename__ = "withdrawal"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    seller_order_id: Mapped[int] = mapped_column(ForeignKey("seller_order.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=WithdrawalStatus.CONFIRMED)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    refund_due_on: Mapped[date] = mapped_column(Date)
    goods_amount: Mapped[int] = mapped_column(Integer)
    shipping_amount: Mapped[int] = mapped_column(Integer)       # standard delivery, with the last units
    tax_amount: Mapped[int] = mapped_column(Integer, default=0)  # US sales tax share (none has withdrawal today)
    amount: Mapped[int] = mapped_column(Integer)
    commission_reversed: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("aftersales_refund.id", ondelete="SET NULL"))

    order: Mapped[Order] = relationship()
    seller_order: Mapped[SellerOrder] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary="withdrawal_unit", order_by="Unit.id")
    refund: Mapped[Refund | None] = relationship()


class WithdrawalUnit(db.Model):
    __tablename__ = "withdrawal_unit"

    withdrawal_id: Mapped[int] = mapped_column(ForeignKey("withdrawal.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("sold_unit.id", ondelete="CASCADE"), unique=True)


class RefundStatus(enum.StrEnum):
    PENDING = "pending"          # owed; the provider has not confirmed it yet
    DONE = "done"


REFUND_TRANSITIONS = {RefundStatus.PENDING: {RefundStatus.DONE}, RefundStatus.DONE: set()}


class Refund(db.Model):
    """Money owed back to the buyer after shipment, paid through the provider that took the payment.

    `idempotency_key` goes to the provider with every attempt, so a retried call (or a worker killed
    between the provider's answer and our commit) refunds once; the move to `done` adds `amount` to
    the seller order's `refund_amount`, which the payout statement deducts.
    """
    __tablename__ = "aftersales_refund"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_order_id: Mapped[int] = mapped_column(ForeignKey("seller_order.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))                 # withdrawal (returns and claims later)
    amount: Mapped[int] = mapped_column(Integer)
    commission_reversed: Mapped[int] = mapped_column(Integer, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=RefundStatus.PENDING, index=True)
    due_on: Mapped[date] = mapped_column(Date)
    provider_reference: Mapped[str | None] = mapped_column(String(120))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    seller_order: Mapped[SellerOrder] = relationship()


class ReturnStatus(enum.StrEnum):
    REQUESTED = "requested"      # outside the window (never today: inside it, requests are approved at once)
    APPROVED = "approved"        # a return label is issued; the seller may still dispute for 1 working day
    IN_TRANSIT = "in_transit"    # the buyer sent it
    RECEIVED = "received"        # the seller counted what arrived
    INSPECTED = "inspected"      # the seller checked it and accepted it: the refund is owed
    REFUNDED = "refunded"
    REJECTED = "rejected"        # disputed by the seller, or refused at inspection (sent back)
    CANCELLED = "cancelled"      # by the buyer, before sending it


# Who may move a return, from where to where; services refuse anything else (409).
RETURN_TRANSITIONS: dict[str, set[str]] = {
    ReturnStatus.REQUESTED: {ReturnStatus.APPROVED, ReturnStatus.REJECTED, ReturnStatus.CANCELLED},
    ReturnStatus.APPROVED: {ReturnStatus.IN_TRANSIT, ReturnStatus.RECEIVED, ReturnStatus.REJECTED,
                            ReturnStatus.CANCELLED},
    ReturnStatus.IN_TRANSIT: {ReturnStatus.RECEIVED},
    ReturnStatus.RECEIVED: {ReturnStatus.INSPECTED, ReturnStatus.REJECTED},
    ReturnStatus.INSPECTED: {ReturnStatus.REFUNDED},
    ReturnStatus.REFUNDED: set(),
    ReturnStatus.REJECTED: set(),
    ReturnStatus.CANCELLED: set(),
}
OPEN_RETURN_STATUSES = (ReturnStatus.REQUESTED, ReturnStatus.APPROVED, ReturnStatus.IN_TRANSIT,
                        ReturnStatus.RECEIVED, ReturnStatus.INSPECTED)


def return_sources(to: str) -> list[str]:
    """The statuses a return may move to `to` from (the WHERE of the conditional UPDATE)."""
    return [status for status, targets in RETURN_TRANSITIONS.items() if to in targets]


class ReturnRequest(db.Model):
    """A goodwill (change of mind) return of one unit, apart from the legal withdrawal."""
    __tablename__ = "return_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    seller_order_id: Mapped[int] = mapped_column(ForeignKey("seller_order.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("sold_unit.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=ReturnStatus.APPROVED, index=True)
    reason: Mapped[str] = mapped_column(String(30))          # a RETURN_REASONS group
    reason_detail: Mapped[str] = mapped_column(String(30))   # one of that group's details
    note: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    dispute_by: Mapped[date] = mapped_column(Date)           # the seller's last day to dispute
    label_carrier: Mapped[str | None] = mapped_column(String(60))
    label_tracking: Mapped[str | None] = mapped_column(String(60))
    label_valid_until: Mapped[date | None] = mapped_column(Date)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    units_counted: Mapped[int | None] = mapped_column(Integer)
    inspected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    grade_received: Mapped[str | None] = mapped_column(String(16))
    is_resellable: Mapped[bool | None] = mapped_column(Boolean)
    is_data_wiped: Mapped[bool | None] = mapped_column(Boolean)
    is_activation_lock_off: Mapped[bool | None] = mapped_column(Boolean)
    rejected_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    relisted_listing_id: Mapped[int | None] = mapped_column(ForeignKey("listing.id", ondelete="SET NULL"))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("aftersales_refund.id", ondelete="SET NULL"))
    amount: Mapped[int] = mapped_column(Integer)              # the unit's price, owed back once accepted
    commission_reversed: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))

    order: Mapped[Order] = relationship()
    seller_order: Mapped[SellerOrder] = relationship()
    unit: Mapped[Unit] = relationship()
    refund: Mapped[Refund | None] = relationship()


class ClaimKind(enum.StrEnum):
    DEAD_ON_ARRIVAL = "dead_on_arrival"
    DAMAGED_IN_TRANSIT = "damaged_in_transit"    # within 3 working days of delivery
    NOT_AS_DESCRIBED = "not_as_described"        # e.g. a grade mismatch
    DEFECT = "defect"                            # a defect under the guarantee or warranty
    MISSING_ITEM = "missing_item"


# The kinds the per-unit warranty ledger counts as technical returns.
TECHNICAL_CLAIMS = (ClaimKind.DEAD_ON_ARRIVAL, ClaimKind.DEFECT)


class ClaimStatus(enum.StrEnum):
    OPEN = "open"                # the seller must answer
    REPAIR = "repair"            # accepted: the seller repairs the unit
    REPLACEMENT = "replacement"  # accepted: the seller sends a replacement
    REFUNDING = "refunding"      # accepted as a refund: owed, the provider has not confirmed yet
    REFUNDED = "refunded"
    DENIED = "denied"            # refused by the seller, with evidence; the buyer may escalate
    ESCALATED = "escalated"      # the buyer asked the platform to decide, or the seller's clock ran out
    RESOLVED = "resolved"        # the repair or replacement is done
    REJECTED = "rejected"        # the platform upheld the denial


CLAIM_TRANSITIONS: dict[str, set[str]] = {
    ClaimStatus.OPEN: {ClaimStatus.REPAIR, ClaimStatus.REPLACEMENT, ClaimStatus.REFUNDING, ClaimStatus.DENIED,
                       ClaimStatus.ESCALATED},                    # escalated: no answer in time (worker)
    ClaimStatus.REPAIR: {ClaimStatus.RESOLVED, ClaimStatus.ESCALATED},    # escalated: remedy late (worker)
    ClaimStatus.REPLACEMENT: {ClaimStatus.RESOLVED, ClaimStatus.ESCALATED},
    ClaimStatus.REFUNDING: {ClaimStatus.REFUNDED},
    ClaimStatus.DENIED: {ClaimStatus.ESCALATED},                   # the buyer
    ClaimStatus.ESCALATED: {ClaimStatus.REFUNDING, ClaimStatus.REJECTED},   # the platform decides
    ClaimStatus.REJECTED: set(),
    ClaimStatus.REFUNDED: set(),
    ClaimStatus.RESOLVED: set(),
}
OPEN_CLAIM_STATUSES = (ClaimStatus.OPEN, ClaimStatus.REPAIR, ClaimStatus.REPLACEMENT, ClaimStatus.REFUNDING,
                       ClaimStatus.ESCALATED)
# A claim that accepted the defect: what the ledger counts.
ACCEPTED_CLAIM_STATUSES = (ClaimStatus.REPAIR, ClaimStatus.REPLACEMENT, ClaimStatus.REFUNDING, ClaimStatus.REFUNDED,
                           ClaimStatus.RESOLVED)


def claim_sources(to: str) -> list[str]:
    """The statuses a claim may move to `to` from (the WHERE of the conditional UPDATE)."""
    return [status for status, targets in CLAIM_TRANSITIONS.items() if to in targets]


class WarrantyClaim(db.Model):
    """A buyer's claim about one unit: what is wrong, under which cover, and the seller's answer."""
    __tablename__ = "warranty_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    seller_order_id: Mapped[int] = mapped_column(ForeignKey("seller_order.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("sold_unit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=ClaimStatus.OPEN, index=True)
    cover: Mapped[str] = mapped_column(String(12))              # legal | commercial | both (on the claim's day)
    technical_count: Mapped[int] = mapped_column(Integer)       # this claim's rank among the unit's technical ones
    remedy_wanted: Mapped[str | None] = mapped_column(String(12))  # the buyer's choice, when the ledger gives one
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reply_by: Mapped[date] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    remedy_by: Mapped[date | None] = mapped_column(Date)        # the seller's last day to repair or replace
    seller_note: Mapped[str | None] = mapped_column(Text)
    test_report: Mapped[str | None] = mapped_column(Text)       # the seller's evidence on receipt, with photos
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalated_by: Mapped[str | None] = mapped_column(String(8))   # buyer | clock
    platform_note: Mapped[str | None] = mapped_column(Text)       # the platform's decision, shown to both sides
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("aftersales_refund.id", ondelete="SET NULL"))
    amount: Mapped[int] = mapped_column(Integer)                # the unit's price, owed back on a refund
    commission_reversed: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))

    order: Mapped[Order] = relationship()
    seller_order: Mapped[SellerOrder] = relationship()
    unit: Mapped[Unit] = relationship()
    refund: Mapped[Refund | None] = relationship()
    photos: Mapped[list[ClaimPhoto]] = relationship(order_by="ClaimPhoto.id", back_populates="claim")


class ClaimPhoto(db.Model):
    """A checked, upright, stripped photo of a claim (by the buyer, or the seller's evidence); stored
    through the media store (MEDIA_ROOT or S3) with a suffix the public media route never serves, shown only through the claim."""
    __tablename__ = "warranty_claim_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("warranty_claim.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(6))                # buyer | seller
    storage_key: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    claim: Mapped[WarrantyClaim] = relationship(back_populates="photos")


class CaseAuthor(enum.StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    PLATFORM = "platform"


class CaseMessage(db.Model):
    """One message of a return's or a claim's thread, between the buyer, the seller and the platform.

    `is_internal` marks a platform note that only admins read; buyers and sellers are never sent one
    (the reading queries filter it on the server). Exactly one of `return_id`, `claim_id` is set.
    """
    __tablename__ = "case_message"
    __table_args__ = (
        CheckConstraint("(return_id IS NULL) <> (claim_id IS NULL)", name="one_case"),
        CheckConstraint("author IN ('buyer', 'seller', 'platform')", name="author_known"),
        CheckConstraint("NOT is_internal OR author = 'platform'", name="internal_by_platform"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("return_request.id", ondelete="CASCADE"), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_claim.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(8))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    is_internal: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    attachments: Mapped[list[CaseAttachment]] = relationship(order_by="CaseAttachment.id", back_populates="message")


class CaseAttachment(db.Model):
    """A picture attached to a thread message: checked and stripped like product photos, stored as
    WebP through the media store under a suffix the public media route never serves."""
    __tablename__ = "case_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("case_message.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    message: Mapped[CaseMessage] = relationship(back_populates="attachments")
