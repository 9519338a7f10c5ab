"""Demo bid grids: the demo workshops that refurbish phones, tablets, watches, laptops, consoles or
headphones opt in to trade-in and bid on part of those models, in every market they serve.

Deterministic and idempotent like `app.demo.loader`: a profile or bid that exists is left as it is
(a seller may have changed it), only missing ones are added.
"""
from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.catalog.models import Category, Product
from app.demo.loader import read_json, stable_rng
from app.demo.pricing import refurbished_price, seller_jitter
from app.sellers.models import Seller, SellerStatus

from .models import Condition, TradeInBid, TradeInSellerProfile
from .questionnaire import TRADE_IN_KINDS

# A bid is this share of what the device in Good condition sells for once refurbished.
CONDITION_PERCENT = {Condition.EXCELLENT: 62, Condition.GOOD: 52, Condition.FAIR: 40, Condition.DAMAGED: 22,
                     Condition.BROKEN: 8}
# Models every workshop of their category bids on, so that each edition can quote them.
ALWAYS_BID = {"apple-iphone-11", "apple-iphone-12", "apple-iphone-13", "apple-ipad-air-4"}
SHARE_OF_MODELS = 0.3
REFERENCE_YEAR = 2026


def load_demo_bids(session: Session) -> int:
    """Create the missing demo profiles and bids; returns how many bids were added. Flushes."""
    specs = {spec["key"]: spec for spec in read_json("sellers.json")[0]}
    sellers = [s for s in session.scalars(select(Seller).where(Seller.slug.in_(specs)).order_by(Seller.id))
               if s.status == SellerStatus.APPROVED]
    categories = {c.key: c for c in session.scalars(select(Category)) if c.illustration in TRADE_IN_KINDS}
    products_by_category: dict[int, list[Product]] = {}
    for product in session.scalars(select(Product).where(Product.category_id.in_([c.id for c in categories.values()]))
                                   .order_by(Product.key)):
        products_by_category.setdefault(product.category_id, []).append(product)
    profiles = set(session.scalars(select(TradeInSellerProfile.seller_id)))
    existing = {tuple(row) for row in session.execute(select(TradeInBid.seller_id, TradeInBid.variant_id,
                                                             TradeInBid.condition, TradeInBid.market_id))}
    rows = []
    for seller in sellers:
        kinds = [categories[key] for key in specs[seller.slug].get("specialties", []) if key in categories]
        if not kinds:
            continue
        rng = stable_rng("tradein", seller.slug)
        payout_days = rng.choice((1, 2, 2, 3))      # drawn every time, so the sequence never shifts
        if seller.id not in profiles:
            session.add(TradeInSellerProfile(seller_id=seller.id, is_active=True, payout_days=payout_days))
        jitter = seller_jitter(rng)
        for category in kinds:
            for product in products_by_category.get(category.id, []):
                picked = rng.random() < SHARE_OF_MODELS
                if not (picked or product.key in ALWAYS_BID):
                    continue
                age = max(REFERENCE_YEAR - (product.release_year or REFERENCE_YEAR), 0)
                for variant in product.variants:
                    for market in seller.markets:
                        new_price = variant.new_price(market.currency)
                        if not new_price:
                            continue
                        resale = refurbished_price(new_price, grade="good", age_years=age, market_code=market.code,
                                                   seller_jitter_permille=jitter)
                        for condition, percent in CONDITION_PERCENT.items():
                            if (seller.id, variant.id, condition.value, market.id) in existing:
                                continue
                            rows.append({"seller_id": seller.id, "variant_id": variant.id,
                                         "condition": condition.value, "market_id": market.id,
                                         "currency": market.currency,
                                         "amount": max(resale * percent // 100 // 100, 1) * 100})
    for start in range(0, len(rows), 5000):
        session.execute(insert(TradeInBid), rows[start:start + 5000])
    session.flush()
    return len(rows)
