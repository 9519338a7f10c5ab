"""The trade-in clocks `flask worker` runs: a device not shipped by its date expires the trade-in.

Each expiry is a conditional UPDATE (still awaiting the device, ship-by date past), so two workers
never expire the same trade-in twice nor send two e-mails; the shopper is told in their language.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.accounts.emails import queue_email
from app.accounts.models import User
from app.models_base import utcnow

from .models import TradeIn, TradeInStatus


def expire_unshipped(session: Session, *, now: datetime | None = None, limit: int = 200) -> int:
    """Expire the trade-ins whose device was not shipped in time; returns how many. Flushes."""
    now = now or utcnow()
    due = list(session.scalars(select(TradeIn.id).where(
        TradeIn.status == TradeInStatus.AWAITING_DEVICE, TradeIn.ship_by <= now).order_by(TradeIn.id).limit(limit)))
    expired = 0
    for trade_in_id in due:
        changed = session.execute(
            update(TradeIn).where(TradeIn.id == trade_in_id, TradeIn.status == TradeInStatus.AWAITING_DEVICE)
            .values(status=TradeInStatus.EXPIRED, updated_at=now).execution_options(synchronize_session=False)
        ).rowcount
        if not changed:
            continue                       # another worker got there first
        expired += 1
        trade_in = session.get(TradeIn, trade_in_id)
        session.refresh(trade_in)
        user = session.get(User, trade_in.user_id)
        queue_email(session, to=user.email, template="tradein_expired", language=trade_in.language,
                    reference=f"{trade_in.reference}-expired", trade_in=trade_in)
    session.flush()
    return expired
