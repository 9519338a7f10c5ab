"""Sellers: the refurbishing workshops vetted by the platform, and where they ship."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.data_versions import BY_PRODUCT, EVERY_PAGE
from app.extensions import db
from app.i18n import pick_translation
from app.models_base import Timestamped, utcnow
from app.sites.models import Market


class SellerStatus(enum.StrEnum):
    PENDING = "pending"        # applied, not yet reviewed: sells nothing
    APPROVED = "approved"      # in good standing: its listings can win best offer
    SUSPENDED = "suspended"    # stopped by the platform: its listings are hidden


seller_market = Table(
    "seller_market", db.metadata,
    Column("seller_id", ForeignKey("seller.id", ondelete="CASCADE"), primary_key=True),
    Column("market_id", ForeignKey("market.id", ondelete="CASCADE"), primary_key=True),
    info=BY_PRODUCT,        # followed by app.search.tracking: the seller's products change
)


class Seller(Timestamped, db.Model):
    """A refurbishing workshop. Only an approved seller's listings are shown or sold."""
    __tablename__ = "seller"
    __table_args__ = {"info": EVERY_PAGE}

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    country_code: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(80))
    founded_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=SellerStatus.PENDING, index=True)
    rating_tenths: Mapped[int | None] = mapped_column(Integer)       # 46 = 4.6 / 5
    dispatch_days: Mapped[int] = mapped_column(Integer, default=1)   # working days before it ships
    vat_number: Mapped[str | None] = mapped_column(String(20))
    # The legal identity the law puts on its invoices (VAT directive art. 226) and order e-mails: the
    # registered name and address, which may differ from the shop name and city shown to shoppers.
    legal_name: Mapped[str | None] = mapped_column(String(160))
    street: Mapped[str | None] = mapped_column(String(160))
    postcode: Mapped[str | None] = mapped_column(String(16))
    status_reason: Mapped[str | None] = mapped_column(Text)          # why it was suspended

    markets: Mapped[list[Market]] = relationship(secondary=seller_market)
    translations: Mapped[list[SellerTranslation]] = relationship(
        back_populates="seller", cascade="all, delete-orphan", lazy="selectin")

    def text(self, chain) -> SellerTranslation | None:
        return pick_translation(self.translations, chain)

    @property
    def registered_name(self) -> str:
        return self.legal_name or self.name

    @property
    def registered_address(self) -> list[str]:
        """The registered address as lines, without the country (named by the caller in its language)."""
        locality = f"{self.postcode} {self.city}" if self.postcode else self.city
        return [line for line in (self.street, locality) if line]


class SellerTranslation(db.Model):
    __tablename__ = "seller_translation"
    __table_args__ = (UniqueConstraint("seller_id", "language"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(2))
    description: Mapped[str] = mapped_column(Text)

    seller: Mapped[Seller] = relationship(back_populates="translations")


class ApplicationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class SellerApplication(Timestamped, db.Model):
    """A workshop asking to sell. An admin approves it (a `Seller` is created, the applicant becomes
    its owner staff) or rejects it with a reason the applicant reads."""
    __tablename__ = "seller_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    company_name: Mapped[str] = mapped_column(String(120))
    country_code: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(80))
    vat_number: Mapped[str] = mapped_column(String(20))
    refurbishes: Mapped[str] = mapped_column(Text)                 # what they refurbish, in their words
    ships_to: Mapped[list[str]] = mapped_column(JSON, default=list)  # market codes
    status: Mapped[str] = mapped_column(String(16), default=ApplicationStatus.PENDING, index=True)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    seller_id: Mapped[int | None] = mapped_column(ForeignKey("seller.id", ondelete="SET NULL"))

    applicant = relationship("User", foreign_keys=[applicant_id], lazy="joined")
    seller: Mapped[Seller | None] = relationship()


class ListingImport(db.Model):
    """One CSV import of listings: its progress, readable by any app process while it runs."""
    __tablename__ = "listing_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(36), unique=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="checking")   # checking, applying, done, failed
    total_lines: Mapped[int] = mapped_column(Integer, default=0)
    checked_lines: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# Applications and staff point at accounts: their table must be in the same metadata.
from app.accounts import models as _accounts_models  # noqa: E402,F401
