"""Review invitations by e-mail, through the outbox, in the buyer's language: one when a line can
first be reviewed (7 days after delivery), one for the follow-up at six months. `flask worker`
runs `invite` each round; a line is invited once per stage (`ReviewInvitation`'s unique key), and
never when its review of that stage is already written. Nothing is offered for a review."""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from app.aftersales.models import Delivery
from app.mail.outbox import enqueue
from app.offers.delivery import market_today
from app.orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    SellerOrder,
    SellerOrderStatus,
)
from app.sites.models import Market

from .models import Review, ReviewInvitation, ReviewKind
from .rules import Policy

BATCH = 200
STAGES = (("first", False), ("follow_up", True))


def invite(session: Session, policy: Policy, *, today_of=market_today) -> int:
    """Queue the invitations due; returns how many. Needs a request context (links, languages)."""
    sent = 0
    for market in session.scalars(select(Market)):
        today = today_of(market)
        for stage, follow_up in STAGES:
            after = policy.follow_up_after_days if follow_up else policy.opens_after_days
            latest = today - timedelta(days=after)
            earliest = today - timedelta(days=policy.closes_after_days)
            invited = exists().where(ReviewInvitation.order_line_id == OrderLine.id, ReviewInvitation.stage == stage)
            written = exists().where(Review.order_line_id == OrderLine.id, Review.kind == ReviewKind.PRODUCT,
                                     Review.follow_up.is_(follow_up))
            query = (select(OrderLine, Order).join(SellerOrder, SellerOrder.id == OrderLine.seller_order_id)
                     .join(Order, Order.id == SellerOrder.order_id)
                     .join(Delivery, Delivery.seller_order_id == SellerOrder.id)
                     .where(Order.market_id == market.id, Order.status == OrderStatus.PAID,
                            SellerOrder.status == SellerOrderStatus.DELIVERED,
                            Delivery.delivered_on <= latest, Delivery.delivered_on >= earliest,
                            ~invited, ~written))
            if follow_up:       # only a device already reviewed gets asked "still working?"
                query = query.where(exists().where(and_(Review.order_line_id == OrderLine.id,
                                                        Review.kind == ReviewKind.PRODUCT,
                                                        Review.follow_up.is_(False))))
            for line, order in session.execute(query.order_by(OrderLine.id).limit(BATCH)):
                session.add(ReviewInvitation(order_line_id=line.id, stage=stage))
                _mail(session, order, line, follow_up)
                sent += 1
    session.flush()
    return sent


def _mail(session: Session, order: Order, line: OrderLine, follow_up: bool) -> None:
    edition = order.locale.replace("_", "-").lower()
    with force_locale(order.locale):
        link = url_for("reviews_buyer.write", edition=edition, number=order.number, line_id=line.id,
                       which="follow-up" if follow_up else "device", token=order.access_token, _external=True)
        subject = (_("Still working? Tell other buyers about your %(model)s", model=line.title) if follow_up
                   else _("How is your %(model)s? Write a review", model=line.title))
        enqueue(session, recipient=order.email, locale=order.locale, kind="review_invitation", reference=order.number,
                template="review_invitation", subject=subject, order=order, line=line, follow_up=follow_up,
                link=link)
