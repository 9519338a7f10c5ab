"""Sold units with their delivery day and after-sales events, written straight to the database."""
from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

from app.aftersales.models import Delivery, ReturnRequest, Unit, WarrantyClaim, Withdrawal, WithdrawalUnit
from tests.orders.helpers import make_seller_order

_n = itertools.count(1)


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def sold_units(session, listing, *, delivered_on: date, count: int = 1, market_code="FR"):
    """`count` units of `listing` in one seller order delivered on `delivered_on`."""
    seller_order = make_seller_order(session, listing, quantity=count, status="delivered", market_code=market_code)
    session.add(Delivery(seller_order_id=seller_order.id, delivered_on=delivered_on, source="carrier"))
    line = seller_order.lines[0]
    units = [Unit(seller_order_id=seller_order.id, order_line_id=line.id, position=n,
                  identifier=f"35{next(_n):013d}") for n in range(count)]
    session.add_all(units)
    session.flush()
    return units


def claim(session, unit, *, on: date, kind="defect", status="repair"):
    so = unit.line.seller_order
    row = WarrantyClaim(reference=f"Q-{next(_n)}", order_id=so.order_id, seller_order_id=so.id, unit_id=unit.id,
                        kind=kind, description="Broken", status=status, cover="both", technical_count=1,
                        reply_by=on, created_at=at(on), amount=1000, commission_reversed=0, currency="EUR")
    session.add(row)
    session.flush()
    return row


def goodwill_return(session, unit, *, on: date, status="approved"):
    so = unit.line.seller_order
    row = ReturnRequest(reference=f"R-{next(_n)}", order_id=so.order_id, seller_order_id=so.id, unit_id=unit.id,
                        status=status, reason="changed_mind", reason_detail="found_cheaper", requested_at=at(on),
                        dispute_by=on, amount=1000, commission_reversed=0, currency="EUR")
    session.add(row)
    session.flush()
    return row


def withdrawal(session, unit, *, on: date):
    so = unit.line.seller_order
    row = Withdrawal(reference=f"W-{next(_n)}", order_id=so.order_id, seller_order_id=so.id, received_at=at(on),
                     refund_due_on=on + timedelta(days=14), goods_amount=1000, shipping_amount=0, amount=1000,
                     commission_reversed=0, currency="EUR")
    session.add(row)
    session.flush()
    session.add(WithdrawalUnit(withdrawal_id=row.id, unit_id=unit.id))
    session.flush()
    return row
