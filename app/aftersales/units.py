"""The units of a seller order, one row per IMEI or serial number recorded when it was shipped."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.orders.models import SellerOrder

from .models import Unit


def units_of(session: Session, seller_order: SellerOrder) -> list[Unit]:
    """The seller order's units, created from its lines' `unit_identifiers` the first time they are
    asked for (shipping records the identifiers on the line; after-sales names each unit by its row)."""
    existing = {(u.order_line_id, u.position): u for u in session.scalars(
        select(Unit).where(Unit.seller_order_id == seller_order.id))}
    created = False
    for line in seller_order.lines:
        for position, identifier in enumerate(line.unit_identifiers or []):
            if (line.id, position) not in existing:
                unit = Unit(seller_order_id=seller_order.id, order_line_id=line.id, position=position,
                            identifier=identifier, line=line)
                session.add(unit)
                existing[line.id, position] = unit
                created = True
    if created:
        session.flush()
    return sorted(existing.values(), key=lambda u: (u.order_line_id, u.position))
