"""Catalog: category tree, brands, device models (products), their buyable variants and pictures.

Editable text lives in ``*_translation`` rows, one per language, all equal; which row a page shows
follows `app.i18n.fallback_chain`. Language-neutral facts (specs, storage, colour hex) stay on the
base rows.
"""
from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.data_versions import EVERY_PAGE
from app.extensions import db
from app.i18n import pick_translation
from app.models_base import Timestamped


class Category(db.Model):
    """A node of the category tree (Phones & tablets → Smartphones)."""
    __tablename__ = "category"
    __table_args__ = {"info": EVERY_PAGE}

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)           # stable code for imports
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    illustration: Mapped[str] = mapped_column(String(32), default="phone")  # drawing used for its products
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent", order_by="Category.position")
    translations: Mapped[list[CategoryTranslation]] = relationship(
        back_populates="category", cascade="all, delete-orphan", lazy="selectin")

    def text(self, chain) -> CategoryTranslation | None:
        return pick_translation(self.translations, chain)


class CategoryTranslation(db.Model):
    __tablename__ = "category_translation"
    __table_args__ = (UniqueConstraint("category_id", "language"), UniqueConstraint("language", "slug"),
                      Index("ix_category_translation_slug", "slug"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140))
    description: Mapped[str | None] = mapped_column(Text)

    category: Mapped[Category] = relationship(back_populates="translations")


class Brand(db.Model):
    """A maker. Brand names are proper nouns and are not translated."""
    __tablename__ = "brand"
    __table_args__ = {"info": EVERY_PAGE}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)


class Color(db.Model):
    """A named colour a device was sold in; `hex` drives the drawn pictures and the swatches."""
    __tablename__ = "color"
    __table_args__ = {"info": EVERY_PAGE}

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    hex: Mapped[str] = mapped_column(String(7))
    translations: Mapped[list[ColorTranslation]] = relationship(
        back_populates="color", cascade="all, delete-orphan", lazy="selectin")

    def name(self, chain) -> str:
        row = pick_translation(self.translations, chain)
        return row.name if row else self.code


class ColorTranslation(db.Model):
    __tablename__ = "color_translation"
    __table_args__ = (UniqueConstraint("color_id", "language"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    color_id: Mapped[int] = mapped_column(ForeignKey("color.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(80))

    color: Mapped[Color] = relationship(back_populates="translations")


class Product(Timestamped, db.Model):
    """A device model (iPhone 13, MacBook Air M1): what shoppers compare, not what they buy."""
    __tablename__ = "product"
    __table_args__ = {"info": EVERY_PAGE}

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)          # stable code for imports
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="RESTRICT"), index=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id", ondelete="RESTRICT"), index=True)
    release_year: Mapped[int | None] = mapped_column(Integer)
    # Language-neutral key specs ({"screen_in": "6.1", "chip": "A15 Bionic"}); labels are gettext.
    specs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    category: Mapped[Category] = relationship()
    brand: Mapped[Brand] = relationship(lazy="joined")
    translations: Mapped[list[ProductTranslation]] = relationship(
        back_populates="product", cascade="all, delete-orphan", lazy="selectin")
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Variant.position")
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductImage.position")

    def text(self, chain) -> ProductTranslation | None:
        return pick_translation(self.translations, chain)


class ProductTranslation(db.Model):
    """Name, URL slug and description of a product in one language; slugs are unique per language."""
    __tablename__ = "product_translation"
    __table_args__ = (UniqueConstraint("product_id", "language"), UniqueConstraint("language", "slug"),
                      # A product page finds its slug in any language (to redirect a foreign one):
                      # the (language, slug) index cannot serve that on PostgreSQL.
                      Index("ix_product_translation_slug", "slug"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220))
    description: Mapped[str | None] = mapped_column(Text)

    product: Mapped[Product] = relationship(back_populates="translations")


class Variant(db.Model):
    """A buyable configuration of a product: storage, memory, connectivity, size, colour.

    Options a category does not have stay NULL. Stock and prices are not here: they belong to
    each seller's listing (app.offers).
    """
    __tablename__ = "variant"
    __table_args__ = {"info": EVERY_PAGE}

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(160), unique=True)
    color_id: Mapped[int | None] = mapped_column(ForeignKey("color.id", ondelete="RESTRICT"))
    storage_gb: Mapped[int | None] = mapped_column(Integer)
    ram_gb: Mapped[int | None] = mapped_column(Integer)
    connectivity: Mapped[str | None] = mapped_column(String(20))   # wifi, cellular, gps, gps-cellular
    size: Mapped[str | None] = mapped_column(String(20))           # 41mm, 55in
    position: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(back_populates="variants")
    color: Mapped[Color | None] = relationship(lazy="joined")
    new_prices: Mapped[list[VariantNewPrice]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")

    def new_price(self, currency: str) -> int | None:
        """The launch price of this configuration in `currency`, minor units, if known."""
        return next((p.amount for p in self.new_prices if p.currency == currency), None)


class NewPriceSource(enum.StrEnum):
    """Where a price-new reference comes from; the page names it beside the saving."""
    LAUNCH = "launch"          # the maker's recommended retail price at launch
    MAKER_NOW = "maker_now"    # the maker's current list price
    ESTIMATE = "estimate"      # estimated from comparable models (no official price known)


class VariantNewPrice(db.Model):
    """What the configuration cost new, per currency: the reference for savings."""
    __tablename__ = "variant_new_price"
    __table_args__ = {"info": EVERY_PAGE}

    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    amount: Mapped[int] = mapped_column(Integer)                        # minor units
    source: Mapped[str] = mapped_column(String(16), default=NewPriceSource.LAUNCH)


class ProductImage(db.Model):
    """A picture of a product, optionally of one colour; several per product and colour.

    `kind` is ``illustration`` (an SVG we draw) or ``photo`` (an upload, stored as WebP at each width
    in `widths`). Files live under MEDIA_ROOT at ``<storage_key>-<width>.webp`` or ``<storage_key>.svg``.
    """
    __tablename__ = "product_image"
    __table_args__ = (Index("ix_product_image_product_color", "product_id", "color_id", "position"),
                      {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"))
    color_id: Mapped[int | None] = mapped_column(ForeignKey("color.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16), default="photo")
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    widths: Mapped[list[int]] = mapped_column(JSON, default=list)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)

    product: Mapped[Product] = relationship(back_populates="images")


class RetiredSlug(db.Model):
    """A slug a product or category used to have in one language; it answers a 301 to the current one.

    Written by `app.catalog.slugs` whenever a translation's slug changes, so shared and indexed links
    keep working.
    """
    __tablename__ = "retired_slug"
    __table_args__ = (UniqueConstraint("kind", "slug", "language"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))              # "product" or "category"
    owner_id: Mapped[int] = mapped_column(Integer)             # product.id or category.id
    language: Mapped[str] = mapped_column(String(2))
    slug: Mapped[str] = mapped_column(String(220))
