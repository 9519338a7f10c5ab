"""Sellers: the refurbishing workshops vetted by the platform, and where they ship."""
from __future__ import annotations

import enum

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.i18n import pick_translation
from app.models_base import Timestamped
from app.sites.models import Market


class SellerStatus(enum.StrEnum):
    PENDING = "pending"        # applied, not yet reviewed: sells nothing
    APPROVED = "approved"      # in good standing: its listings can win best offer
    SUSPENDED = "suspended"    # stopped by the platform: its listings are hidden


seller_market = Table(
    "seller_market", db.metadata,
    Column("seller_id", ForeignKey("seller.id", ondelete="CASCADE"), primary_key=True),
    Column("market_id", ForeignKey("market.id", ondelete="CASCADE"), primary_key=True),
)


class Seller(Timestamped, db.Model):
    """A refurbishing workshop. Only an approved seller's listings are shown or sold."""
    __tablename__ = "seller"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    country_code: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(80))
    founded_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=SellerStatus.PENDING, index=True)
    rating_tenths: Mapped[int | None] = mapped_column(Integer)       # 46 = 4.6 / 5
    dispatch_days: Mapped[int] = mapped_column(Integer, default=1)   # working days before it ships

    markets: Mapped[list[Market]] = relationship(secondary=seller_market)
    translations: Mapped[list[SellerTranslation]] = relationship(
        back_populates="seller", cascade="all, delete-orphan", lazy="selectin")

    def text(self, chain) -> SellerTranslation | None:
        return pick_translation(self.translations, chain)


class SellerTranslation(db.Model):
    __tablename__ = "seller_translation"
    __table_args__ = (UniqueConstraint("seller_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(Text)

    seller: Mapped[Seller] = relationship(back_populates="translations")
