"""Read side: what the order pages show of after-sales, already scoped to the order being shown."""
from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.orders.models import Order, SellerOrder, SellerOrderStatus

from .delivery import DeliveryInfo, delivery_info, market_day
from .models import Delivery, ReturnRequest, Unit, WarrantyClaim, Withdrawal
from .returns import returnable_units
from .rules import Rules, rules_for, withdrawal_ends
from .withdrawal import withdrawable_units


def find_order(session: Session, number: str, token: str, user) -> Order | None:
    """The order `number` if the visitor may see it: its signed-in owner, or anyone with its secret
    link's token (a guest). Anything else is None (a 404: never confirm that an order exists)."""
    order = session.scalar(select(Order).where(Order.number == number).options(
        selectinload(Order.seller_orders).selectinload(SellerOrder.lines),
        selectinload(Order.seller_orders).selectinload(SellerOrder.seller)))
    if order is None:
        return None
    owner = user is not None and user.is_authenticated and order.user_id == user.id
    if not owner and not hmac.compare_digest(order.access_token, token or ""):
        return None
    return order


@dataclass
class SellerOrderAftersales:
    delivery: DeliveryInfo
    can_confirm_receipt: bool
    withdrawal_ends: date | None
    withdrawable: list[Unit]
    withdrawals: list[Withdrawal] = field(default_factory=list)
    returnable: list[Unit] = field(default_factory=list)
    returns: list[ReturnRequest] = field(default_factory=list)
    claimable: list = field(default_factory=list)
    claims: list[WarrantyClaim] = field(default_factory=list)


@dataclass
class OrderAftersales:
    rules: Rules
    per_seller_order: dict[int, SellerOrderAftersales]

    @property
    def can_withdraw(self) -> bool:
        return any(s.withdrawable for s in self.per_seller_order.values())


def order_aftersales(session: Session, order: Order) -> OrderAftersales:
    rules = rules_for(session, order.market)
    today = market_day(_now(), order.market.timezone)
    ids = [s.id for s in order.seller_orders]
    deliveries = {d.seller_order_id: d for d in session.scalars(select(Delivery).where(Delivery.seller_order_id.in_(ids)))}
    withdrawals: dict[int, list[Withdrawal]] = {}
    for w in session.scalars(select(Withdrawal).where(Withdrawal.order_id == order.id)
                             .options(selectinload(Withdrawal.units), selectinload(Withdrawal.refund))
                             .order_by(Withdrawal.id)):
        withdrawals.setdefault(w.seller_order_id, []).append(w)
    available = withdrawable_units(session, order)
    can_return = returnable_units(session, order)
    returns: dict[int, list[ReturnRequest]] = {}
    for r in session.scalars(select(ReturnRequest).where(ReturnRequest.order_id == order.id)
                             .options(selectinload(ReturnRequest.unit)).order_by(ReturnRequest.id)):
        returns.setdefault(r.seller_order_id, []).append(r)
    from .claims import claimable_units
    claimable: dict[int, list] = {}
    for c in claimable_units(session, order):
        claimable.setdefault(c.seller_order.id, []).append(c)
    claims: dict[int, list[WarrantyClaim]] = {}
    for c in session.scalars(select(WarrantyClaim).where(WarrantyClaim.order_id == order.id)
                             .options(selectinload(WarrantyClaim.unit)).order_by(WarrantyClaim.id)):
        claims.setdefault(c.seller_order_id, []).append(c)
    result = {}
    for seller_order in order.seller_orders:
        info = delivery_info(deliveries.get(seller_order.id), seller_order, today)
        result[seller_order.id] = SellerOrderAftersales(
            delivery=info, can_confirm_receipt=seller_order.status == SellerOrderStatus.SHIPPED,
            withdrawal_ends=withdrawal_ends(info.delivered_on, rules) if rules.withdrawal_days else None,
            withdrawable=available.get(seller_order.id, []), withdrawals=withdrawals.get(seller_order.id, []),
            returnable=can_return.get(seller_order.id, []), returns=returns.get(seller_order.id, []),
            claimable=claimable.get(seller_order.id, []), claims=claims.get(seller_order.id, []))
    return OrderAftersales(rules, result)


def _now():
    from app.models_base import utcnow
    return utcnow()


def aftersales_view(order: Order) -> OrderAftersales:
    """Template global for the order page (`orders/detail.html`)."""
    return order_aftersales(db.session, order)


def delivery_of(seller_order: SellerOrder) -> DeliveryInfo:
    """Template global for the seller's order page."""
    today = market_day(_now(), seller_order.order.market.timezone)
    return delivery_info(db.session.get(Delivery, seller_order.id), seller_order, today)
