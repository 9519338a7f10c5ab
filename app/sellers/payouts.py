"""What a seller is owed, per calendar month and currency; and the order figures of the dashboard.

Rules (README "Payouts"):
- A seller order counts in the month it was **shipped** (UTC calendar month of `shipped_at`): its
  sales are its goods plus its shipping, as the buyer paid them, and its commission is the one
  written when the order was placed.
- **Refunds** deducted are refunds on seller orders counted as sales (returns after delivery, when
  they come). A cancellation happens before shipment, so it never was in the sales: what the buyer
  got back is shown apart ("cancelled"), in the month of the cancellation, and not deducted.
- After-sales refunds (a withdrawal, app.aftersales) add to the seller order's `refund_amount` when
  they are paid, and reverse the commission of the units refunded: the month's commission is net of
  those reversals (`commission_reversed`).
- Net = sales − commission − refunds. Currencies are never mixed: one row per month and currency.
- All money is integer minor units; every figure is summed by the database in a fixed number of queries.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, joinedload

from app.accounts import permissions
from app.models_base import utcnow
from app.orders.fulfilment import OPEN, is_late
from app.orders.models import Order, SellerOrder

from .models import Seller


@dataclass
class PayoutRow:
    month: str                  # "2026-11"
    currency: str
    orders: int = 0             # seller orders shipped
    sales: int = 0
    commission: int = 0
    refunds: int = 0
    cancelled: int = 0          # seller orders cancelled in the month
    cancelled_refunds: int = 0  # given back to buyers for them (not deducted)

    @property
    def net(self) -> int:
        return self.sales - self.commission - self.refunds

    @property
    def first_day(self) -> date:
        year, month = self.month.split("-")
        return date(int(year), int(month), 1)


def month_of(column, dialect: str) -> ColumnElement[str]:
    """The UTC calendar month of a timestamp, as 'YYYY-MM', on either engine."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def monthly(session: Session, seller: Seller, *, month: str | None = None) -> list[PayoutRow]:
    """Per month and currency, newest first (only `month` when given): two grouped queries."""
    dialect = session.get_bind().dialect.name
    scoped = permissions.seller_orders(seller).subquery()
    rows: dict[tuple[str, str], PayoutRow] = {}

    shipped_month = month_of(scoped.c.shipped_at, dialect)
    query = (select(shipped_month, Order.currency, func.count(), func.sum(scoped.c.goods_amount + scoped.c.shipping_amount),
                    func.sum(scoped.c.commission_amount), func.sum(scoped.c.refund_amount))
             .join(Order, Order.id == scoped.c.order_id).where(scoped.c.shipped_at.is_not(None))
             .group_by(shipped_month, Order.currency))
    if month:
        query = query.where(shipped_month == month)
    for key, currency, count, sales, commission, refunds in session.execute(query):
        rows[key, currency] = PayoutRow(key, currency, count, sales or 0, commission or 0, refunds or 0)

    from app.aftersales.models import Refund, RefundStatus
    query = (select(shipped_month, Order.currency, func.sum(Refund.commission_reversed))
             .select_from(scoped).join(Order, Order.id == scoped.c.order_id)
             .join(Refund, Refund.seller_order_id == scoped.c.id)
             .where(scoped.c.shipped_at.is_not(None), Refund.status == RefundStatus.DONE)
             .group_by(shipped_month, Order.currency))
    if month:
        query = query.where(shipped_month == month)
    for key, currency, reversed_amount in session.execute(query):
        if (key, currency) in rows:
            rows[key, currency].commission -= reversed_amount or 0

    cancelled_month = month_of(scoped.c.cancelled_at, dialect)
    query = (select(cancelled_month, Order.currency, func.count(), func.sum(scoped.c.refund_amount))
             .join(Order, Order.id == scoped.c.order_id)
             .where(scoped.c.cancelled_at.is_not(None), scoped.c.shipped_at.is_(None))
             .group_by(cancelled_month, Order.currency))
    if month:
        query = query.where(cancelled_month == month)
    for key, currency, count, refunded in session.execute(query):
        row = rows.setdefault((key, currency), PayoutRow(key, currency))
        row.cancelled, row.cancelled_refunds = count, refunded or 0
    return sorted(rows.values(), key=lambda r: (r.month, r.currency), reverse=True)


def period_orders(session: Session, seller: Seller, month: str) -> list[SellerOrder]:
    """The seller orders a month's statement is made of: shipped in it, or cancelled in it unshipped."""
    dialect = session.get_bind().dialect.name
    in_month = case((SellerOrder.shipped_at.is_not(None), month_of(SellerOrder.shipped_at, dialect)),
                    else_=month_of(SellerOrder.cancelled_at, dialect))
    return list(session.scalars(
        permissions.seller_orders(seller)
        .where((SellerOrder.shipped_at.is_not(None)) | (SellerOrder.cancelled_at.is_not(None)), in_month == month)
        .options(joinedload(SellerOrder.order))
        .order_by(func.coalesce(SellerOrder.shipped_at, SellerOrder.cancelled_at), SellerOrder.id)))


def commission_reversed(session: Session, seller_order_ids: list[int]) -> dict[int, int]:
    """Per seller order, the commission given back with its paid after-sales refunds."""
    from app.aftersales.models import Refund, RefundStatus
    if not seller_order_ids:
        return {}
    return dict(session.execute(
        select(Refund.seller_order_id, func.sum(Refund.commission_reversed))
        .where(Refund.seller_order_id.in_(seller_order_ids), Refund.status == RefundStatus.DONE)
        .group_by(Refund.seller_order_id)).all())


def recent_months(today: date, count: int) -> list[str]:
    """The last `count` months up to `today`'s, oldest first: ['2026-06', …, '2026-11']."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


@dataclass(frozen=True)
class OrderFigures:
    to_ship: int            # paid, not yet shipped (to ship or accepted)
    late: int               # of those, past the day the seller promised to ship
    sales_this_month: list[PayoutRow]
    by_month: list[PayoutRow]   # the recent months that had sales or cancellations


def order_figures(session: Session, seller: Seller, *, months: int = 6, now: datetime | None = None) -> OrderFigures:
    """The dashboard's order figures, in a fixed number of queries whatever the number of orders."""
    now = now or utcnow()
    today = now.astimezone(UTC).date()
    open_orders = list(session.scalars(
        permissions.seller_orders(seller).where(SellerOrder.status.in_(list(OPEN)))
        .options(joinedload(SellerOrder.order).joinedload(Order.market))))
    late = sum(is_late(o, seller.dispatch_days, o.order.market.timezone, now) for o in open_orders)
    wanted = set(recent_months(today, months))
    rows = [row for row in monthly(session, seller) if row.month in wanted]
    current = f"{today:%Y-%m}"
    return OrderFigures(len(open_orders), late, [r for r in rows if r.month == current and r.sales], rows)

