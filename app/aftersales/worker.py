"""`flask worker`'s after-sales round: deliveries assumed at the end of their window, refunds owed."""
from __future__ import annotations

from sqlalchemy.orm import Session

from . import delivery, refunds


def run_clocks(session: Session) -> str:
    """One round; commits its own work. Returns a one-line summary, empty when nothing happened."""
    assumed = delivery.assume_deliveries(session)
    session.commit()
    paid = refunds.pay_pending(session)
    parts = [f"{assumed} delivery(ies) assumed" if assumed else "", f"{paid} refund(s) paid" if paid else ""]
    return ", ".join(p for p in parts if p)
