"""The platform's operations page (`/manage/operations`, admins only): is the background work keeping up,
are there fresh backups that restore, how big is the database."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from babel.units import format_unit
from flask import Blueprint, current_app
from flask_babel import format_timedelta, get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select, text

from app.accounts import permissions
from app.extensions import db
from app.web.htmx import render

from .backup import archives
from .models import Heartbeat

bp = Blueprint("operations", __name__, template_folder="templates", url_prefix="/manage/operations")
permissions.protect_admin(bp)


@bp.get("/")
def page():
    from app.mail.models import OutboxMessage
    from app.orders.models import Order, OrderStatus, Payment, PaymentStatus
    now = datetime.now(UTC)
    cfg = current_app.config
    beats = {row.name: row for row in db.session.scalars(select(Heartbeat))}
    pending = select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).subquery()
    outbox_depth, outbox_oldest = db.session.execute(
        select(func.count(), func.min(pending.c.created_at)).select_from(pending)).one()
    overdue = db.session.scalar(select(func.count(Order.id)).where(
        Order.status == OrderStatus.AWAITING_PAYMENT, Order.hold_until < now))
    released = db.session.scalar(select(func.count(Payment.id)).where(
        Payment.status == PaymentStatus.CANCELLED, Payment.failure_code == "abandoned",
        Payment.updated_at >= now - timedelta(days=7)))
    found = archives(Path(cfg["BACKUP_DIR"]))
    newest = found[-1] if found else None
    checks = {
        "worker": _stale(beats.get("worker"), now, timedelta(minutes=int(cfg["WORKER_ALERT_MINUTES"]))),
        "backup": _stale(beats.get("backup"), now, timedelta(hours=int(cfg["BACKUP_ALERT_HOURS"]))),
        "drill": _stale(beats.get("drill"), now, timedelta(days=int(cfg["DRILL_ALERT_DAYS"]))),
        "outbox": outbox_oldest is not None and _aware(outbox_oldest) < now - timedelta(minutes=15),
        "overdue": overdue > 0,
    }
    return render("operations/page.html", beats=beats, alerts=_alerts(checks, overdue, cfg), size=size, ago=ago,
                  outbox_depth=outbox_depth, outbox_oldest=_aware(outbox_oldest), overdue=overdue,
                  released=released, archive=newest, archive_bytes=newest.stat().st_size if newest else None,
                  archive_count=len(found), database_bytes=database_size(), engine=db.engine.dialect.name,
                  version=current_app.extensions["app_version"])


def _alerts(checks: dict[str, bool], overdue: int, cfg) -> list[str]:
    texts = {
        "worker": lambda: _("The worker has not reported for more than %(num)s minutes: e-mails are not sent "
                            "and abandoned stock is not released.", num=int(cfg["WORKER_ALERT_MINUTES"])),
        "backup": lambda: _("No successful backup in the last %(num)s hours.", num=int(cfg["BACKUP_ALERT_HOURS"])),
        "drill": lambda: _("No passed restore drill in the last %(num)s days.", num=int(cfg["DRILL_ALERT_DAYS"])),
        "outbox": lambda: _("An e-mail has waited in the outbox for more than 15 minutes."),
        "overdue": lambda: ngettext("%(num)s unpaid order is past its hold and still holds stock.",
                                    "%(num)s unpaid orders are past their hold and still hold stock.", overdue),
    }
    return [texts[name]() for name, raised in checks.items() if raised]


def size(value: int | None) -> str:
    """Bytes in the reader's language, in megabytes (or gigabytes past 10 GB)."""
    if value is None:
        return "–"
    unit, amount = ("digital-gigabyte", value / 1e9) if value >= 10e9 else ("digital-megabyte", value / 1e6)
    return format_unit(round(amount, 1), unit, length="short", locale=get_locale())


def ago(moment: datetime) -> str:
    return format_timedelta(_aware(moment) - datetime.now(UTC), add_direction=True)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every stored time is UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stale(beat: Heartbeat | None, now: datetime, limit: timedelta) -> bool:
    """Alert: never reported, failed, or last reported longer ago than `limit`."""
    return beat is None or not beat.ok or _aware(beat.at) < now - limit


def database_size() -> int | None:
    engine = db.engine
    if engine.dialect.name == "postgresql":
        return db.session.scalar(text("SELECT pg_database_size(current_database())"))
    if engine.url.database in (None, "", ":memory:"):
        return db.session.scalar(text("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"))
    path = Path(engine.url.database)
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
