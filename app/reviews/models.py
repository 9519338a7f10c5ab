"""Verified reviews: of a device (the model and grade bought) and of its seller, one of each per
delivered order line (and one follow-up of the device), moderated before they show.

`ProductRating` and `SellerRating` are the published reviews' figures, recomputed in one
aggregate query per product or seller whenever a review of theirs is published or taken down
(`app.reviews.ratings.refresh`), so no page counts reviews as it draws.

Marks for the page cache (`app.data_versions`): reviews and a product's figures belong to one
product (``BY_PRODUCT``: the moderation step notes the product, whose page then moves on its own);
a seller's figures show beside their offers on every product page (``EVERY_PAGE``).
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.data_versions import BY_PRODUCT, EVERY_PAGE
from app.extensions import db
from app.models_base import utcnow
from app.orders.models import OrderLine


class ReviewKind(enum.StrEnum):
    PRODUCT = "product"      # the device: model, configuration and grade bought
    SELLER = "seller"        # the seller: delivery and service


class ReviewStatus(enum.StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"    # never shown; the author is told why
    REMOVED = "removed"      # was shown, taken down (reason kept)


# Allowed moves, beside the enum; services move a row only from a state listed here.
TRANSITIONS = {
    ReviewStatus.PENDING: {ReviewStatus.PUBLISHED, ReviewStatus.REJECTED},
    ReviewStatus.PUBLISHED: {ReviewStatus.REMOVED},
    ReviewStatus.REJECTED: set(),
    ReviewStatus.REMOVED: set(),
}


class GradeMatch(enum.StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class Review(db.Model):
    __tablename__ = "review"
    __table_args__ = (
        UniqueConstraint("order_line_id", "kind", "follow_up", name="one_review_per_line"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("delivery_rating IS NULL OR delivery_rating BETWEEN 1 AND 5", name="delivery_rating_range"),
        CheckConstraint("service_rating IS NULL OR service_rating BETWEEN 1 AND 5", name="service_rating_range"),
        CheckConstraint("battery_health IS NULL OR battery_health BETWEEN 0 AND 100", name="battery_range"),
        Index("ix_review_product_status", "product_id", "status", "published_at"),
        Index("ix_review_seller_status", "seller_id", "status"),
        Index("ix_review_market_status", "market_id", "status"),
        {"info": BY_PRODUCT},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    follow_up: Mapped[bool] = mapped_column(default=False)      # "still working?" or after a warranty event
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"))
    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="RESTRICT"))
    language: Mapped[str] = mapped_column(String(2))            # the buyer's language: fr, es, de, it, en
    author_name: Mapped[str] = mapped_column(String(60))        # first name and initial, as the buyer gave them
    # What was bought, copied from the order line
    model: Mapped[str] = mapped_column(String(300))
    options: Mapped[str] = mapped_column(String(200))
    grade: Mapped[str] = mapped_column(String(16))
    delivered_on: Mapped[date] = mapped_column(Date)
    # What the buyer says
    rating: Mapped[int] = mapped_column(Integer)
    grade_match: Mapped[str | None] = mapped_column(String(8))  # a GradeMatch (device reviews)
    battery_health: Mapped[int | None] = mapped_column(Integer)  # % as the device reports it
    delivery_rating: Mapped[int | None] = mapped_column(Integer)  # seller reviews
    service_rating: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    # Moderation
    status: Mapped[str] = mapped_column(String(10), default=ReviewStatus.PENDING)
    reason: Mapped[str | None] = mapped_column(Text)            # why rejected or removed (sent to the author)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    helpful_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    report_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The seller's one reply, moderated too
    reply_body: Mapped[str | None] = mapped_column(Text)
    reply_status: Mapped[str | None] = mapped_column(String(10))   # a ReviewStatus
    reply_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    line: Mapped[OrderLine] = relationship()


class ReviewInvitation(db.Model):
    """An invitation e-mail sent for an order line, at 7 days or at 6 months: sent once each."""
    __tablename__ = "review_invitation"
    __table_args__ = (UniqueConstraint("order_line_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(10))      # first | follow_up
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProductRating(db.Model):
    """A model's published device reviews: count, sum and distribution, across sellers and grades."""
    __tablename__ = "product_rating"
    __table_args__ = {"info": BY_PRODUCT}

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    stars: Mapped[list[int]] = mapped_column(db.JSON)            # [ones, twos, threes, fours, fives]
    # per grade: [answers, yes, partly] of "did it match its grade?"
    matched: Mapped[dict] = mapped_column(db.JSON)
    bayesian: Mapped[int] = mapped_column(Integer, default=0)   # hundredths of a star (sorting)


class SellerRating(db.Model):
    """A seller's published seller reviews, and its grade accuracy from the device reviews."""
    __tablename__ = "seller_rating"
    __table_args__ = {"info": EVERY_PAGE}

    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)
    delivery_sum: Mapped[int] = mapped_column(Integer, default=0)
    service_sum: Mapped[int] = mapped_column(Integer, default=0)
    grade_answers: Mapped[int] = mapped_column(Integer, default=0)
    grade_matched: Mapped[int] = mapped_column(Integer, default=0)     # "yes" answers
    bayesian: Mapped[int] = mapped_column(Integer, default=0)          # hundredths of a star
