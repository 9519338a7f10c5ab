"""Per-market after-sales rules: a `MarketAftersales` row when an admin set one, else the defaults.

EU and UK law gives 14 days to withdraw and 14 days to refund; the US has no such right (0). The
change-of-mind return window and the Black Friday extension are shop policy, stated per market.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.sites.models import Market

from .models import MarketAftersales

NO_WITHDRAWAL = {"US"}


@dataclass(frozen=True)
class Rules:
    withdrawal_days: int
    withdrawal_refund_days: int
    return_days: int
    black_friday_returns: bool
    seller_reply_working_days: int
    seller_remedy_working_days: int


def defaults(market: Market) -> Rules:
    withdrawal = 0 if market.code in NO_WITHDRAWAL else 14
    return Rules(withdrawal_days=withdrawal, withdrawal_refund_days=14, return_days=30, black_friday_returns=True,
                 seller_reply_working_days=1, seller_remedy_working_days=5)


def rules_for(session: Session, market: Market) -> Rules:
    row = session.get(MarketAftersales, market.id)
    if row is None:
        return defaults(market)
    return Rules(row.withdrawal_days, row.withdrawal_refund_days, row.return_days, row.black_friday_returns,
                 row.seller_reply_working_days, row.seller_remedy_working_days)


def withdrawal_ends(delivered_on: date | None, rules: Rules) -> date | None:
    """The last day to withdraw: `withdrawal_days` after the delivery day (None while in transit:
    the period has not started to run, and withdrawal is already possible)."""
    if delivered_on is None:
        return None
    return delivered_on + timedelta(days=rules.withdrawal_days)


@dataclass(frozen=True)
class Guarantee:
    """The legal guarantee of conformity in a market: how long the seller answers for a defect, and
    how long a defect is presumed present at delivery (for second-hand goods in the EU: 12 months)."""
    months: int
    presumed_months: int


# Market data: EU law (Directive 2019/771) gives at least 2 years, the presumption for second-hand
# goods 12 months; the UK presumes a defect present for 6 months; the US has no statutory one.
EU_GUARANTEE = Guarantee(months=24, presumed_months=12)
GUARANTEES = {"GB": Guarantee(months=24, presumed_months=6), "US": Guarantee(months=0, presumed_months=0)}


def guarantee_for(market: Market) -> Guarantee:
    return GUARANTEES.get(market.code, EU_GUARANTEE)


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months (the 31st becomes the month's last day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
