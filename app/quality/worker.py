"""`flask worker`'s quality round: once a day, the failure rates (and, from them, what steers the shop)."""
from __future__ import annotations

import time
from datetime import date

from sqlalchemy.orm import Session

from app.models_base import utcnow

from . import rates


def run_daily(session: Session, today: date | None = None) -> str:
    """Recompute when today's figures are not there yet; commits. A one-line summary, or ""."""
    today = today or utcnow().date()
    if not rates.due(session, today):
        return ""
    started = time.perf_counter()
    stored = rates.recompute(session, today)
    session.commit()
    return f"quality: {stored} rate(s) recomputed in {time.perf_counter() - started:.1f} s"
