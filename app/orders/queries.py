"""Read-side order queries, always scoped by who asks."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .models import Order, OrderStatus, SellerOrder


def orders_of(session: Session, user_id: int, *, limit: int = 100) -> list[Order]:
    """A customer's orders, newest first, with their shipments (a fixed number of queries)."""
    return list(session.scalars(
        select(Order).where(Order.user_id == user_id, Order.status != OrderStatus.ABANDONED)
        .options(selectinload(Order.seller_orders).selectinload(SellerOrder.seller))
        .order_by(Order.created_at.desc(), Order.id.desc()).limit(limit)))
