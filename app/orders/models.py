"""Orders: one payment, one seller order per seller, lines that copy what was sold."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.data_versions import EVERY_PAGE
from app.extensions import db
from app.models_base import Timestamped, utcnow
from app.sellers.models import Seller
from app.sites.models import Market


class OrderStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"   # stock is held for it
    PAID = "paid"
    FAILED = "failed"                       # payment refused: stock given back
    ABANDONED = "abandoned"                 # payment never finished in time: stock given back


class SellerOrderStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    TO_SHIP = "to_ship"
    ACCEPTED = "accepted"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class Order(Timestamped, db.Model):
    __tablename__ = "order"
    __table_args__ = (UniqueConstraint("idempotency_key"), Index("ix_order_email", "email"))

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)        # shown to the buyer
    access_token: Mapped[str] = mapped_column(String(64))               # the guest's key to the order page
    idempotency_key: Mapped[str] = mapped_column(String(64))
    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="RESTRICT"))
    locale: Mapped[str] = mapped_column(String(5))                      # the buyer's edition locale: fr_BE
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.AWAITING_PAYMENT, index=True)
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(32))
    address: Mapped[dict] = mapped_column(db.JSON)                      # name, lines, postcode, city, region, country
    goods_amount: Mapped[int] = mapped_column(Integer)                  # minor units, as displayed
    shipping_amount: Mapped[int] = mapped_column(Integer)
    sales_tax_amount: Mapped[int] = mapped_column(Integer, default=0)   # US only
    sales_tax_rate: Mapped[int] = mapped_column(Integer, default=0)     # thousandths of a percent
    total_amount: Mapped[int] = mapped_column(Integer)
    payment_method: Mapped[str] = mapped_column(String(20))
    hold_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))   # stock held until then
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"),
                                                index=True)               # None: a guest's order
    cart_id: Mapped[int | None] = mapped_column(ForeignKey("cart.id", ondelete="SET NULL"))  # emptied once paid

    market: Mapped[Market] = relationship()
    seller_orders: Mapped[list[SellerOrder]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="SellerOrder.id")
    payments: Mapped[list[Payment]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                   order_by="Payment.id")


class SellerOrder(db.Model):
    """The part of an order one seller ships, with its delivery method and the platform's commission."""
    __tablename__ = "seller_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=SellerOrderStatus.AWAITING_PAYMENT)
    delivery_method: Mapped[str] = mapped_column(String(20))            # standard | express
    shipping_amount: Mapped[int] = mapped_column(Integer)
    delivery_from: Mapped[date] = mapped_column(Date)
    delivery_to: Mapped[date] = mapped_column(Date)
    goods_amount: Mapped[int] = mapped_column(Integer)
    commission_amount: Mapped[int] = mapped_column(Integer)
    # Filled by the seller's actions (app.orders.fulfilment): when it was paid, shipped or cancelled,
    # how it travels, why it was cancelled and what the buyer got back.
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    carrier: Mapped[str | None] = mapped_column(String(60))               # a CARRIERS code, or the name typed
    tracking_number: Mapped[str | None] = mapped_column(String(60))
    cancel_reason: Mapped[str | None] = mapped_column(String(30))         # a CANCEL_REASONS code
    refund_amount: Mapped[int] = mapped_column(Integer, default=0, server_default="0")   # minor units
    refund_reference: Mapped[str | None] = mapped_column(String(120))    # the provider's, once it is done

    order: Mapped[Order] = relationship(back_populates="seller_orders")
    seller: Mapped[Seller] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(back_populates="seller_order", cascade="all, delete-orphan",
                                                  order_by="OrderLine.id")
    events: Mapped[list[SellerOrderEvent]] = relationship(
        back_populates="seller_order", cascade="all, delete-orphan", order_by="SellerOrderEvent.id")


class OrderLine(db.Model):
    """What was sold, copied at the time of sale: later edits to the listing never change it."""
    __tablename__ = "order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_order_id: Mapped[int] = mapped_column(ForeignKey("seller_order.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listing.id", ondelete="SET NULL"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))                     # in the buyer's language
    options: Mapped[str] = mapped_column(String(200))                   # "128 GB · Midnight"
    grade: Mapped[str] = mapped_column(String(16))
    has_new_battery: Mapped[bool] = mapped_column(default=False)
    warranty_months: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_amount: Mapped[int] = mapped_column(Integer)                   # as displayed (VAT incl. in the EU)
    vat_scheme: Mapped[str] = mapped_column(String(16))
    vat_rate_bp: Mapped[int] = mapped_column(Integer, default=0)        # 0 under the margin scheme
    vat_amount: Mapped[int] = mapped_column(Integer, default=0)         # of the whole line
    commission_rate_bp: Mapped[int] = mapped_column(Integer)
    commission_amount: Mapped[int] = mapped_column(Integer)
    unit_identifiers: Mapped[list[str] | None] = mapped_column(db.JSON)   # IMEI or serial number, one per unit

    seller_order: Mapped[SellerOrder] = relationship(back_populates="lines")

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity


class SellerOrderEvent(db.Model):
    """The status timeline of a seller order."""
    __tablename__ = "seller_order_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_order_id: Mapped[int] = mapped_column(ForeignKey("seller_order.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    seller_order: Mapped[SellerOrder] = relationship(back_populates="events")


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"
    REQUIRES_ACTION = "requires_action"     # 3-D Secure challenge
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Payment(Timestamped, db.Model):
    __tablename__ = "payment"
    __table_args__ = (Index("ix_payment_provider_reference", "provider", "provider_reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(20))                   # test | stripe
    method: Mapped[str] = mapped_column(String(20))                     # card | pay_in_3 | pay_in_4
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default=PaymentStatus.PENDING)
    provider_reference: Mapped[str | None] = mapped_column(String(120))
    failure_code: Mapped[str | None] = mapped_column(String(40))        # declined | insufficient_funds | …
    card_last4: Mapped[str | None] = mapped_column(String(4))

    order: Mapped[Order] = relationship(back_populates="payments")


class CommissionRate(db.Model):
    """The platform's commission, in basis points, for a category and/or a market.

    The most specific row wins: category and market, then category, then market; with no row, the
    default from settings (10 %). A category's row covers its subcategories.
    """
    __tablename__ = "commission_rate"
    __table_args__ = (UniqueConstraint("category_id", "market_id"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    market_id: Mapped[int | None] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"))
    rate_bp: Mapped[int] = mapped_column(Integer)
