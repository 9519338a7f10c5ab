"""`flask worker`'s quality round: once a day, the failure rates and sellers' standing, in one commit."""
from __future__ import annotations

import time
from datetime import date

from sqlalchemy.orm import Session

from app.models_base import utcnow

from . import rates, standing


def run_daily(session: Session, today: date | None = None) -> str:
    """Recompute when today's figures are not there yet; commits. A one-line summary, or "".
    Runs in a request context: standing changes are e-mailed (rendered in each owner's language)."""
    today = today or utcnow().date()
    if not rates.due(session, today):
        return ""
    started = time.perf_counter()
    stored = rates.recompute(session, today)
    changes = standing.recompute(session, today)
    session.commit()
    return (f"quality: {stored} rate(s) recomputed, {len(changes)} standing change(s) "
            f"in {time.perf_counter() - started:.1f} s")
