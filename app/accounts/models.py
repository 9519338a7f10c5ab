"""People: accounts, their addresses, the markets a country manager runs, and sign-in attempts.

Roles are not a column: a user is a customer, plus seller staff when `seller_id` is set (one seller),
a country manager for each `MarketGrant`, and an admin when `is_admin`. `app.accounts.permissions`
is the one place that turns these facts into answers.
"""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import Timestamped, utcnow
from app.sites.models import Market


def new_security_stamp() -> str:
    return secrets.token_hex(8)


market_grant = Table(
    "market_grant", db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("market_id", ForeignKey("market.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, Timestamped, db.Model):
    """An account. The e-mail is stored lower-cased and is the sign-in name.

    `security_stamp` is part of the session's user id: changing the password rotates it, which signs
    the account out everywhere else. `password_hash` is empty for staff invited by their seller until
    they choose a password through the e-mailed link.
    """
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120), default="")
    preferred_language: Mapped[str] = mapped_column(String(2), default="en")
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    seller_id: Mapped[int | None] = mapped_column(ForeignKey("seller.id", ondelete="SET NULL"), index=True)
    is_seller_owner: Mapped[bool] = mapped_column(Boolean, default=False)
    security_stamp: Mapped[str] = mapped_column(String(32), default=new_security_stamp)

    seller = relationship("Seller", lazy="joined")
    managed_markets: Mapped[list[Market]] = relationship(secondary=market_grant, lazy="selectin",
                                                         order_by=Market.position)
    addresses: Mapped[list[Address]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                    order_by="Address.id")

    def get_id(self) -> str:
        return f"{self.id}:{self.security_stamp}"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class Address(Timestamped, db.Model):
    """A postal address of a customer, for deliveries (checkout picks one)."""
    __tablename__ = "address"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(16))
    city: Mapped[str] = mapped_column(String(100))
    country_code: Mapped[str] = mapped_column(String(2))
    phone: Mapped[str] = mapped_column(String(32), default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(back_populates="addresses")


class LoginAttempt(db.Model):
    """One sign-in attempt, kept in the database so that every app process sees the same count."""
    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_email_created", "email", "created_at"),
                      Index("ix_login_attempt_ip_created", "ip", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


__all__ = ["Address", "LoginAttempt", "User", "market_grant"]


# Staff point at their seller: its mapper must be known whichever module is imported first.
from app.sellers import models as _sellers_models  # noqa: E402,F401
