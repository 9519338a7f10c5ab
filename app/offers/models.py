"""Listings: a seller's stock of one variant in one grade, priced per market; grade descriptions."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.models import Category, Variant
from app.data_versions import BY_PRODUCT, EVERY_PAGE
from app.extensions import db
from app.i18n import pick_translation
from app.models_base import Timestamped
from app.sellers.models import Seller
from app.sites.models import Market


class VatScheme(enum.StrEnum):
    STANDARD = "standard"   # VAT on the full price, shown on the invoice
    MARGIN = "margin"       # EU margin scheme for second-hand goods: VAT on the seller's margin, not shown


class Listing(Timestamped, db.Model):
    """A seller's stock of one variant in one grade (and battery option), sold in several markets.

    Stock is here, once, whatever the market; the price is per market (`ListingPrice`), in that
    market's currency. A listing is purchasable in a market when it is active, has stock, its seller
    is approved and ships there, and it has a price there.
    """
    __tablename__ = "listing"
    __table_args__ = (
        UniqueConstraint("seller_id", "variant_id", "grade", "has_new_battery"),
        Index("ix_listing_variant_grade", "variant_id", "grade"),
        {"info": BY_PRODUCT},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"))
    grade: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    warranty_months: Mapped[int] = mapped_column(Integer, default=12)
    has_new_battery: Mapped[bool] = mapped_column(Boolean, default=False)
    battery_health_min: Mapped[int | None] = mapped_column(Integer)   # guaranteed %, None: no battery
    vat_scheme: Mapped[str] = mapped_column(String(16), default=VatScheme.MARGIN)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    seller: Mapped[Seller] = relationship(lazy="joined")
    variant: Mapped[Variant] = relationship()
    prices: Mapped[list[ListingPrice]] = relationship(
        back_populates="listing", cascade="all, delete-orphan", lazy="selectin")

    def price_in(self, market: Market) -> ListingPrice | None:
        return next((p for p in self.prices if p.market_id == market.id), None)


class ListingPrice(db.Model):
    """The price of a listing in one market, VAT included where the market shows it so."""
    __tablename__ = "listing_price"
    __table_args__ = (
        UniqueConstraint("listing_id", "market_id"),
        Index("ix_listing_price_market_amount", "market_id", "amount"),
        {"info": BY_PRODUCT},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"))
    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"))
    amount: Mapped[int] = mapped_column(Integer)           # minor units
    currency: Mapped[str] = mapped_column(String(3))

    listing: Mapped[Listing] = relationship(back_populates="prices")
    market: Mapped[Market] = relationship()


class ListingPricePeriod(db.Model):
    """One stretch of time during which a listing price had one amount: the kept price history.

    The open period (`ended_at` NULL) is the current price. `app.offers.history` writes these rows
    whenever a price is created or changed, and reads them for the EU Omnibus rule: a reduction is
    only announced against the lowest price of the 30 days before it.
    """
    __tablename__ = "listing_price_period"
    # Written with each price change by app.offers.history, on the flush's connection (no version
    # moves for that: the price's own change does); any other write through a session moves the
    # shop version, as the tracking does not follow this table by product.
    __table_args__ = (Index("ix_listing_price_period_price_started", "listing_price_id", "started_at"),
                      {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_price_id: Mapped[int] = mapped_column(ForeignKey("listing_price.id", ondelete="CASCADE"))
    amount: Mapped[int] = mapped_column(Integer)           # minor units
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class GradeDescription(db.Model):
    """What a grade guarantees for the devices of one category (or every category when NULL)."""
    __tablename__ = "grade_description"
    __table_args__ = (UniqueConstraint("category_id", "grade"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    grade: Mapped[str] = mapped_column(String(16))
    min_battery_health: Mapped[int | None] = mapped_column(Integer)

    category: Mapped[Category | None] = relationship()
    translations: Mapped[list[GradeDescriptionTranslation]] = relationship(
        back_populates="grade_description", cascade="all, delete-orphan", lazy="selectin")

    def text(self, chain) -> GradeDescriptionTranslation | None:
        return pick_translation(self.translations, chain)


class GradeDescriptionTranslation(db.Model):
    __tablename__ = "grade_description_translation"
    __table_args__ = (UniqueConstraint("grade_description_id", "language"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    grade_description_id: Mapped[int] = mapped_column(ForeignKey("grade_description.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(2))
    summary: Mapped[str] = mapped_column(Text)
    screen: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    functions: Mapped[str | None] = mapped_column(Text)
    battery: Mapped[str | None] = mapped_column(Text)

    grade_description: Mapped[GradeDescription] = relationship(back_populates="translations")
