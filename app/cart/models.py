"""Carts: one per visitor and market, kept in the database and found by a cookie (or, once signed in,
by the customer's account)."""
from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import Timestamped
from app.offers.models import Listing
from app.sites.models import Market


class Cart(Timestamped, db.Model):
    """What a visitor means to buy in one market, and how far through checkout they are.

    The checkout's answers (contact, address, delivery choices) are kept here too, so Back,
    Forward and a reload never lose them.
    """
    __tablename__ = "cart"
    __table_args__ = (UniqueConstraint("token", "market_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), index=True)        # the visitor's cookie
    # The customer's, once they sign in: then found by account, whatever the browser.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"))
    contact: Mapped[dict | None] = mapped_column(db.JSON)               # email, phone, address fields
    delivery: Mapped[dict | None] = mapped_column(db.JSON)              # seller id → "standard" | "express"
    checkout_key: Mapped[str | None] = mapped_column(String(64))      # idempotency key of the order to place

    market: Mapped[Market] = relationship()
    lines: Mapped[list[CartLine]] = relationship(back_populates="cart", cascade="all, delete-orphan",
                                                 order_by="CartLine.id")


class CartLine(db.Model):
    """A listing in the cart, with the price and stock the shopper last saw (to explain changes)."""
    __tablename__ = "cart_line"
    __table_args__ = (UniqueConstraint("cart_id", "listing_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("cart.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    seen_amount: Mapped[int] = mapped_column(Integer)                  # minor units, as last shown

    cart: Mapped[Cart] = relationship(back_populates="lines")
    listing: Mapped[Listing] = relationship()
