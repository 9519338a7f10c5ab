"""Who may review what, and when: a delivered order line, from 7 to 365 days after delivery, one
device review and one seller review per line; one follow-up of the device at six months or after
a warranty claim on one of its units.

Delivery is after-sales' record (`app.aftersales`): the day in the market's time zone that every
window counts from; a seller order delivered only by assumption counts once the worker has
recorded it, like every other window.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.aftersales.models import Delivery, Unit, WarrantyClaim
from app.orders.models import Order, OrderLine, OrderStatus, SellerOrderStatus

from .models import Review, ReviewKind
from .rules import Policy


@dataclass
class LineReviews:
    """One order line and what its buyer may still write about it."""
    line: OrderLine
    delivered_on: date | None
    opens_on: date | None
    closes_on: date | None
    can_review: bool = False                 # within the window today
    had_claim: bool = False
    reviews: list[Review] = field(default_factory=list)

    def written(self, kind: str, follow_up: bool = False) -> Review | None:
        return next((r for r in self.reviews if r.kind == kind and r.follow_up == follow_up), None)

    def may_write(self, kind: str, follow_up: bool, policy: Policy, today: date) -> bool:
        if not self.can_review or self.written(kind, follow_up):
            return False
        if not follow_up:
            return True
        return (kind == ReviewKind.PRODUCT and self.written(kind) is not None
                and (self.had_claim or today >= self.delivered_on + timedelta(days=policy.follow_up_after_days)))

    def open_kinds(self, policy: Policy, today: date) -> list[tuple[str, bool]]:
        return [(k, f) for k, f in ((ReviewKind.PRODUCT, False), (ReviewKind.SELLER, False),
                                    (ReviewKind.PRODUCT, True)) if self.may_write(k, f, policy, today)]


def order_lines(session: Session, order: Order, policy: Policy, today: date) -> list[LineReviews]:
    """Every line of `order` with its review state, in three queries whatever the order's size."""
    if order.status != OrderStatus.PAID:
        return []
    lines = [line for so in order.seller_orders for line in so.lines]
    if not lines:
        return []
    delivered = dict(session.execute(select(Delivery.seller_order_id, Delivery.delivered_on).where(
        Delivery.seller_order_id.in_([so.id for so in order.seller_orders]))).all())
    line_ids = [line.id for line in lines]
    reviews: dict[int, list[Review]] = {}
    for review in session.scalars(select(Review).where(Review.order_line_id.in_(line_ids)).order_by(Review.id)):
        reviews.setdefault(review.order_line_id, []).append(review)
    claimed = set(session.scalars(select(Unit.order_line_id).join(WarrantyClaim, WarrantyClaim.unit_id == Unit.id)
                                  .where(Unit.order_line_id.in_(line_ids))))
    found = []
    for so in order.seller_orders:
        on = delivered.get(so.id) if so.status == SellerOrderStatus.DELIVERED else None
        for line in so.lines:
            opens = on + timedelta(days=policy.opens_after_days) if on else None
            closes = on + timedelta(days=policy.closes_after_days) if on else None
            found.append(LineReviews(line, on, opens, closes, can_review=bool(on and opens <= today <= closes),
                                     had_claim=line.id in claimed, reviews=reviews.get(line.id, [])))
    return found
