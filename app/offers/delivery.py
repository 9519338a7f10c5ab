"""When an offer arrives: the seller's dispatch days plus the market's transit days, in working days."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.models_base import utcnow
from app.sites.models import Market


def add_working_days(start: date, days: int) -> date:
    """`days` working days (Monday to Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def market_today(market: Market, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(ZoneInfo(market.timezone)).date()


def delivery_window(market: Market, dispatch_days: int, *, today: date) -> tuple[date, date]:
    """The first and last day a parcel ordered today is expected, by standard delivery."""
    shipped = add_working_days(today, dispatch_days)
    return (add_working_days(shipped, market.transit_days_min),
            add_working_days(shipped, market.transit_days_max))
