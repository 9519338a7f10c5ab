"""Sign-in rate limit, counted from `LoginAttempt` rows so every app process and server agrees.

An e-mail is locked *for one address (IP)* after LOGIN_MAX_FAILURES_PER_EMAIL_AND_IP failures from that
address within the window since its last successful sign-in from there; an address after
LOGIN_MAX_FAILURES_PER_IP failures within the window, whatever e-mails it tried. Failures from one
address never lock the account for the others: an attacker who knows an e-mail (the admin's) cannot
lock its owner out. The lock lifts as the failures age out of the window. The password asked again
before a sensitive action (`/account/confirm`) is counted the same way.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models_base import utcnow

from .models import LoginAttempt


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def retry_after(session: Session, email: str, ip: str, *, now: datetime | None = None) -> int:
    """Seconds until this e-mail and address may try again; 0 when they may now."""
    now = now or utcnow()
    since = now - _window()
    cfg = current_app.config
    pair = (LoginAttempt.email == email) & (LoginAttempt.ip == ip)
    last_success = session.scalar(select(func.max(LoginAttempt.created_at)).where(
        pair, LoginAttempt.succeeded.is_(True)))
    pair_since = max(since, _aware(last_success)) if last_success else since
    waits = [0]
    for where, start, limit in ((pair, pair_since, cfg["LOGIN_MAX_FAILURES_PER_EMAIL_AND_IP"]),
                                (LoginAttempt.ip == ip, since, cfg["LOGIN_MAX_FAILURES_PER_IP"])):
        failures = list(session.scalars(
            select(LoginAttempt.created_at)
            .where(where, LoginAttempt.succeeded.is_(False), LoginAttempt.created_at > start)
            .order_by(LoginAttempt.created_at.desc()).limit(limit)))
        if len(failures) >= limit:
            # Locked until the oldest of the last `limit` failures leaves the window.
            waits.append(int((_aware(failures[-1]) + _window() - now).total_seconds()) + 1)
    return max(waits)


def record(session: Session, email: str, ip: str, *, succeeded: bool) -> None:
    session.add(LoginAttempt(email=email, ip=ip, succeeded=succeeded))
    session.flush()


def purge(session: Session, *, older_than: timedelta = timedelta(days=30)) -> int:
    """Forget attempts older than `older_than` (kept a while for security reviews)."""
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < utcnow() - older_than))
    return result.rowcount or 0
