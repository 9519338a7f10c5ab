"""What the quality pages show, assembled in a fixed number of queries (no view logic here)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalog.models import Product
from app.offers.models import Listing
from app.sellers.models import Seller
from app.sites.models import Market

from .models import DEFAULTS, RANKING_HORIZON, Cut, MarketQuality, QualityRate, SellerStanding


def market_rules(session: Session, market: Market) -> dict:
    """The market's live quality rules (its row, else the defaults), with the global statistics settings."""
    row = session.get(MarketQuality, market.id)
    rules = {name: getattr(row, name) if row else value for name, value in DEFAULTS.items()}
    rules.update(pseudo_count=int(current_app.config["QUALITY_PSEUDO_COUNT"]),
                 minimum_units=int(current_app.config["QUALITY_MIN_UNITS"]), horizon_days=RANKING_HORIZON)
    return rules


@dataclass(frozen=True)
class PublicSeller:
    seller: Seller
    rate: QualityRate | None             # the seller's 90-day failure rate
    warranty: tuple[int, int] | None     # shortest and longest warranty of its active listings (months)


def public_seller(session: Session, slug: str) -> PublicSeller | None:
    from app.sellers.models import SellerStatus
    seller = session.scalar(select(Seller).where(Seller.slug == slug, Seller.status == SellerStatus.APPROVED))
    if seller is None:
        return None
    rate = session.scalar(select(QualityRate).where(
        QualityRate.cut == Cut.SELLER, QualityRate.horizon_days == RANKING_HORIZON, QualityRate.seller_id == seller.id))
    low, high = session.execute(select(func.min(Listing.warranty_months), func.max(Listing.warranty_months))
                                .where(Listing.seller_id == seller.id, Listing.is_active.is_(True))).one()
    return PublicSeller(seller, rate, (low, high) if low is not None else None)


@dataclass(frozen=True)
class Comparison:
    product_id: int
    grade: str
    mine: QualityRate
    platform: QualityRate | None


def seller_figures(session: Session, seller: Seller) -> tuple[list[SellerStanding], QualityRate | None,
                                                               list[Comparison], dict[int, str]]:
    """A seller's standing per market, its own failure rate, and each of its model × grade cells
    against the platform's figure for the same model and grade. Four queries."""
    standings = list(session.scalars(select(SellerStanding).where(SellerStanding.seller_id == seller.id)
                                     .order_by(SellerStanding.market_id)))
    own = session.scalar(select(QualityRate).where(
        QualityRate.cut == Cut.SELLER, QualityRate.horizon_days == RANKING_HORIZON, QualityRate.seller_id == seller.id))
    cells = list(session.scalars(select(QualityRate).where(
        QualityRate.cut == Cut.CELL, QualityRate.horizon_days == RANKING_HORIZON, QualityRate.seller_id == seller.id)
        .order_by(QualityRate.excess_ppm.desc(), QualityRate.units.desc()).limit(200)))
    parents = {}
    if cells:
        for row in session.scalars(select(QualityRate).where(
                QualityRate.cut == Cut.MODEL_GRADE, QualityRate.horizon_days == RANKING_HORIZON,
                QualityRate.product_id.in_({c.product_id for c in cells}))):
            parents[(row.product_id, row.grade)] = row
    comparisons = [Comparison(c.product_id, c.grade, c, parents.get((c.product_id, c.grade))) for c in cells]
    return standings, own, comparisons, product_names(session, {c.product_id for c in cells})


def product_names(session: Session, ids) -> dict[int, str]:
    """Product display names (brand and key) for figures tables; one query."""
    if not ids:
        return {}
    from flask import g
    from sqlalchemy.orm import joinedload, selectinload
    rows = session.scalars(select(Product).where(Product.id.in_(ids))
                           .options(selectinload(Product.translations), joinedload(Product.brand)))
    names = {}
    for product in rows:
        text = product.text(g.get("languages") or ("en",))
        names[product.id] = f"{product.brand.name} {text.name}" if text else product.key
    return names


