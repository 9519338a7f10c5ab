"""Sellers' standing per market, from the 90-day order defect rate, recomputed daily.

An order (a seller order) counts when it was delivered in the last 90 days, or cancelled by the seller
after payment in that time (a refund for the seller's fault). It is **defective** when it was
cancelled so, or when a warranty claim was opened on it (1–2 star ratings and chargebacks join when
reviews and chargebacks exist). Per market, with the market's thresholds (`MarketQuality`, else
`DEFAULTS`):

- under `at_risk_ppm` (1 %): **good**;
- from there: **at risk**;
- over `review_ppm` (2 %) with defective orders from at least `review_min_buyers` (5) distinct
  buyers: **review**: an admin looks and decides on suspension (`app.sellers.onboarding.suspend`).

One set-based aggregate counts every (seller, market); the per-pair rows (sellers × their markets,
not orders) are then compared with the stored ones. Every change is logged with its reason and
e-mailed to the seller's owners in their language, in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from app.aftersales.models import Delivery, WarrantyClaim
from app.orders.models import Order, SellerOrder, SellerOrderStatus
from app.sites.models import Market

from . import stats
from .models import DEFAULTS, MarketQuality, SellerStanding, Standing, StandingChange

WINDOW_DAYS = 90


@dataclass(frozen=True)
class Rules:
    at_risk_ppm: int
    review_ppm: int
    review_min_buyers: int


def rules_by_market(session: Session) -> dict[int, Rules]:
    rows = {row.market_id: row for row in session.scalars(select(MarketQuality))}
    result = {}
    for market_id in session.scalars(select(Market.id)):
        row = rows.get(market_id)
        result[market_id] = Rules(*(getattr(row, name) if row else DEFAULTS[name]
                                    for name in ("at_risk_ppm", "review_ppm", "review_min_buyers")))
    return result


def classify(defect_ppm: int, buyers: int, rules: Rules) -> str:
    if defect_ppm < rules.at_risk_ppm:
        return Standing.GOOD
    if defect_ppm > rules.review_ppm and buyers >= rules.review_min_buyers:
        return Standing.REVIEW
    return Standing.AT_RISK


def defect_counts(session: Session, today: date) -> dict[tuple[int, int], tuple[int, int, int]]:
    """Per (seller, market): (orders, defective orders, distinct buyers of the defective ones)."""
    since = today - timedelta(days=WINDOW_DAYS)
    delivered = select(Delivery.delivered_on).where(Delivery.seller_order_id == SellerOrder.id).scalar_subquery()
    cancelled = and_(SellerOrder.status == SellerOrderStatus.CANCELLED, SellerOrder.paid_at.is_not(None),
                     SellerOrder.cancelled_at >= since)
    claimed = exists().where(WarrantyClaim.seller_order_id == SellerOrder.id)
    defective = or_(cancelled, claimed)
    rows = session.execute(
        select(SellerOrder.seller_id, Order.market_id, func.count(),
               func.sum(case((defective, 1), else_=0)),
               func.count(func.distinct(case((defective, Order.email)))))
        .join(Order, Order.id == SellerOrder.order_id)
        .where(or_(and_(delivered > since, delivered <= today), cancelled))
        .group_by(SellerOrder.seller_id, Order.market_id))
    return {(seller_id, market_id): (int(n), int(bad or 0), int(buyers or 0))
            for seller_id, market_id, n, bad, buyers in rows}


def recompute(session: Session, today: date) -> list[StandingChange]:
    """Store today's standing of every seller with orders (or a standing) in a market; log and
    e-mail the changes. Flushes; the caller commits. Needs a request context (e-mails render)."""
    counts = defect_counts(session, today)
    rules = rules_by_market(session)
    stored = {(row.seller_id, row.market_id): row for row in session.scalars(select(SellerStanding))}
    changes = []
    for key in sorted(set(counts) | set(stored)):
        orders, bad, buyers = counts.get(key, (0, 0, 0))
        defect_ppm = stats.ppm(bad, orders)
        new = classify(defect_ppm, buyers, rules[key[1]])
        row = stored.get(key)
        if row is None:
            row = SellerStanding(seller_id=key[0], market_id=key[1], standing=Standing.GOOD)
            session.add(row)
        old = row.standing
        row.orders, row.defective, row.buyers, row.defect_ppm, row.computed_on = orders, bad, buyers, defect_ppm, today
        if new != old:
            row.standing = new
            reason = (f"{bad}/{orders} defective orders in {WINDOW_DAYS} days ({defect_ppm / 10_000:.2f} %), "
                      f"{buyers} distinct buyer(s); thresholds {rules[key[1]].at_risk_ppm / 10_000:.2f} % / "
                      f"{rules[key[1]].review_ppm / 10_000:.2f} % with {rules[key[1]].review_min_buyers} buyers")
            change = StandingChange(seller_id=key[0], market_id=key[1], old=old, new=new, defect_ppm=defect_ppm,
                                    orders=orders, defective=bad, buyers=buyers, reason=reason)
            session.add(change)
            changes.append(change)
    session.flush()
    for change in changes:
        notify(session, change)
    return changes


def standing_label(standing: str) -> str:
    labels = {Standing.GOOD: _("good"), Standing.AT_RISK: _("at risk"), Standing.REVIEW: _("under review")}
    return labels.get(standing, standing)


def notify(session: Session, change: StandingChange) -> None:
    """E-mail the seller's owners, each in their language."""
    from app.accounts.models import User
    from app.mail.outbox import enqueue
    from app.sellers.models import Seller
    from app.web.jinja import country_name
    seller = session.get(Seller, change.seller_id)
    market = session.get(Market, change.market_id)
    owners = session.scalars(select(User).where(User.seller_id == seller.id, User.is_seller_owner.is_(True),
                                                User.is_active.is_(True)).order_by(User.id))
    for owner in owners:
        with force_locale(owner.preferred_language):
            enqueue(session, recipient=owner.email, locale=owner.preferred_language, kind="seller_standing",
                    reference=f"standing-{change.id}", template="seller_standing",
                    subject=_("Your standing in %(market)s is now: %(standing)s",
                              market=country_name(market.code, owner.preferred_language),
                              standing=standing_label(change.new)),
                    seller=seller, country=country_name(market.code, owner.preferred_language), change=change,
                    rules=rules_by_market(session)[market.id], language=owner.preferred_language,
                    old=standing_label(change.old), new=standing_label(change.new))
