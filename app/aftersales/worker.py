"""`flask worker`'s after-sales round: deliveries assumed at the end of their window, claims
whose seller clock ran out escalated to the platform, refunds owed."""
from __future__ import annotations

from sqlalchemy.orm import Session

from . import claims, delivery, refunds


def run_clocks(session: Session) -> str:
    """One round; commits its own work. Returns a one-line summary, empty when nothing happened."""
    assumed = delivery.assume_deliveries(session)
    session.commit()
    escalated = claims.escalate_overdue(session)
    paid = refunds.pay_pending(session)
    parts = [f"{assumed} delivery(ies) assumed" if assumed else "",
             f"{escalated} claim(s) escalated" if escalated else "", f"{paid} refund(s) paid" if paid else ""]
    return ", ".join(p for p in parts if p)
