"""Stored failure rates, sellers' standing and the per-market weights of reliability in the ranking.

All three change what shop pages show (the best offer, badges, the figures per grade), so they are
marked `EVERY_PAGE`: the daily recomputation moves the shop version once a day, in its one commit.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.data_versions import EVERY_PAGE
from app.extensions import db
from app.models_base import utcnow


class Cut(enum.StrEnum):
    PLATFORM = "platform"      # every unit
    SELLER = "seller"
    MODEL = "model"            # a product
    GRADE = "grade"
    MODEL_GRADE = "model_grade"  # the parent cell: one model in one grade, across sellers
    CELL = "cell"              # seller × model × grade


HORIZONS = (30, 90, 365)       # days after delivery
RANKING_HORIZON = 90           # the horizon the best offer and the badges read


class QualityRate(db.Model):
    """One cut's figures at one horizon, over the units whose cohort has matured (delivered at least
    `horizon_days` days before `computed_on`). Absent dimensions are 0 / "" so the key is unique."""
    __tablename__ = "quality_rate"
    __table_args__ = (
        Index("ux_quality_rate_key", "cut", "horizon_days", "seller_id", "product_id", "grade", unique=True),
        {"info": EVERY_PAGE},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cut: Mapped[str] = mapped_column(String(12))
    horizon_days: Mapped[int] = mapped_column(Integer)
    seller_id: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[int] = mapped_column(Integer, default=0)
    grade: Mapped[str] = mapped_column(String(16), default="")
    units: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)      # units with a confirmed technical event
    returns: Mapped[int] = mapped_column(Integer)       # units withdrawn or returned (change of mind)
    claims: Mapped[int] = mapped_column(Integer)        # units with a claim opened
    denials: Mapped[int] = mapped_column(Integer)       # units with a claim denied
    rate_ppm: Mapped[int] = mapped_column(Integer)      # failure rate, shrunk toward the parent cell
    low_ppm: Mapped[int] = mapped_column(Integer)
    high_ppm: Mapped[int] = mapped_column(Integer)
    raw_ppm: Mapped[int] = mapped_column(Integer)
    peer_median_ppm: Mapped[int] = mapped_column(Integer, default=0)   # cells: the model × grade median
    excess_ppm: Mapped[int] = mapped_column(Integer, default=0)        # cells: high end over the median
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)  # enough matured units
    is_reliable: Mapped[bool] = mapped_column(Boolean, default=False)   # cells: high end under the median
    computed_on: Mapped[date] = mapped_column(Date)


class Standing(enum.StrEnum):
    GOOD = "good"
    AT_RISK = "at_risk"
    REVIEW = "review"          # over the review threshold: an admin decides on suspension


class SellerStanding(db.Model):
    """A seller's standing in one market, from its 90-day order defect rate there (daily)."""
    __tablename__ = "seller_standing"
    __table_args__ = {"info": EVERY_PAGE}

    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), primary_key=True)
    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"), primary_key=True)
    standing: Mapped[str] = mapped_column(String(10), default=Standing.GOOD)
    orders: Mapped[int] = mapped_column(Integer, default=0)            # seller orders delivered in 90 days
    defective: Mapped[int] = mapped_column(Integer, default=0)         # of which with a claim or a fault refund
    buyers: Mapped[int] = mapped_column(Integer, default=0)            # distinct buyers of the defective ones
    defect_ppm: Mapped[int] = mapped_column(Integer, default=0)
    computed_on: Mapped[date] = mapped_column(Date)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StandingChange(db.Model):
    """Every change of standing, with its reason (the figures that moved it)."""
    __tablename__ = "seller_standing_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"))
    old: Mapped[str] = mapped_column(String(10))
    new: Mapped[str] = mapped_column(String(10))
    defect_ppm: Mapped[int] = mapped_column(Integer)
    orders: Mapped[int] = mapped_column(Integer)
    defective: Mapped[int] = mapped_column(Integer)
    buyers: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MarketQuality(db.Model):
    """A market's quality rules, edited by admins; a market without a row uses `DEFAULTS`."""
    __tablename__ = "market_quality"
    __table_args__ = (
        CheckConstraint("reliability_weight >= 0 AND reliability_weight <= 1000", name="weight_range"),
        {"info": EVERY_PAGE},
    )

    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"), primary_key=True)
    reliability_weight: Mapped[int] = mapped_column(Integer)     # λ in hundredths: 100 = 1.00
    at_risk_ineligible: Mapped[bool] = mapped_column(Boolean)     # at-risk sellers never win the best offer
    at_risk_ppm: Mapped[int] = mapped_column(Integer)             # defect rate from which a seller is at risk
    review_ppm: Mapped[int] = mapped_column(Integer)              # over this (and enough buyers): review
    review_min_buyers: Mapped[int] = mapped_column(Integer)


DEFAULTS = {"reliability_weight": 100, "at_risk_ineligible": False, "at_risk_ppm": 10_000, "review_ppm": 20_000,
            "review_min_buyers": 5}
