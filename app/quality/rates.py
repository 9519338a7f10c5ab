"""The daily recomputation of failure rates: one set-based aggregate, then the cuts.

The unit is a sold unit (`sold_unit`, by IMEI or serial). Its cohort is its seller order's delivery
day; at a horizon of h days it counts only once h days have passed since that day (a cohort that has
not matured says nothing yet). Within the horizon:

- **failure**: at least one confirmed technical event: a claim for dead on arrival, a defect, not as
  described or damaged in transit that was accepted (repair, replacement, refund, also when the
  platform decided it);
- **return**: a legal withdrawal or a goodwill return not cancelled or rejected (change of mind, apart);
- **claim opened** and **claim denied** (denied by the seller or upheld by the platform), so that
  denying claims never looks like quality.

One SQL statement counts all of it per seller × model × grade for the three horizons; the other cuts
are sums of those cells (a few thousand rows, never a row per unit in Python), then `stats.estimate`
shrinks each toward its parent: cell → model × grade → grade → platform; seller and model → platform.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from flask import current_app, has_app_context
from sqlalchemy import Date, Integer, and_, case, cast, delete, func, insert, or_, select, type_coerce
from sqlalchemy.orm import Session

from app.aftersales.models import (
    ACCEPTED_CLAIM_STATUSES,
    ClaimKind,
    ClaimStatus,
    Delivery,
    ReturnRequest,
    ReturnStatus,
    Unit,
    WarrantyClaim,
    Withdrawal,
    WithdrawalUnit,
)
from app.orders.models import OrderLine, SellerOrder

from . import stats
from .models import HORIZONS, RANKING_HORIZON, Cut, QualityRate

TECHNICAL = (ClaimKind.DEAD_ON_ARRIVAL, ClaimKind.DEFECT, ClaimKind.NOT_AS_DESCRIBED, ClaimKind.DAMAGED_IN_TRANSIT)
DENIED = (ClaimStatus.DENIED, ClaimStatus.REJECTED)
NOT_RETURNED = (ReturnStatus.CANCELLED, ReturnStatus.REJECTED)
COUNTERS = ("units", "failures", "returns", "claims", "denials")


def settings() -> tuple[int, int]:
    """(pseudo-count of the prior, minimum units to publish), from the config."""
    config = current_app.config if has_app_context() else {}
    return int(config.get("QUALITY_PSEUDO_COUNT", 50)), int(config.get("QUALITY_MIN_UNITS", 30))


def _days_between(session: Session, moment, day):
    """Whole days from the delivery day `day` to the day of `moment`, in SQL, on either database."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(func.date(moment)) - func.julianday(day), Integer)
    return type_coerce(cast(moment, Date) - day, Integer)


def _first(session: Session, column, *where):
    return (select(WarrantyClaim.unit_id.label("unit_id"), func.min(column).label("at"))
            .where(*where).group_by(WarrantyClaim.unit_id))


def cell_counts(session: Session, today: date) -> dict[tuple[int, int, str], dict[int, dict[str, int]]]:
    """Per (seller, product, grade), per horizon, the five counters. One statement."""
    failed = _first(session, WarrantyClaim.created_at, WarrantyClaim.kind.in_(TECHNICAL),
                    WarrantyClaim.status.in_(ACCEPTED_CLAIM_STATUSES)).subquery()
    claimed = _first(session, WarrantyClaim.created_at).subquery()
    denied = _first(session, WarrantyClaim.created_at, WarrantyClaim.status.in_(DENIED)).subquery()
    returned = (select(ReturnRequest.unit_id.label("unit_id"), func.min(ReturnRequest.requested_at).label("at"))
                .where(ReturnRequest.status.not_in(NOT_RETURNED)).group_by(ReturnRequest.unit_id).subquery())
    withdrawn = (select(WithdrawalUnit.unit_id.label("unit_id"), func.min(Withdrawal.received_at).label("at"))
                 .join(Withdrawal, Withdrawal.id == WithdrawalUnit.withdrawal_id)
                 .group_by(WithdrawalUnit.unit_id).subquery())
    day = Delivery.delivered_on

    def within(sub, horizon):
        return and_(sub.c.at.is_not(None), _days_between(session, sub.c.at, day) <= horizon)

    columns = []
    for horizon in HORIZONS:
        matured = day <= today - timedelta(days=horizon)
        conditions = {
            "units": matured,
            "failures": and_(matured, within(failed, horizon)),
            "returns": and_(matured, or_(within(returned, horizon), within(withdrawn, horizon))),
            "claims": and_(matured, within(claimed, horizon)),
            "denials": and_(matured, within(denied, horizon)),
        }
        columns += [func.sum(case((condition, 1), else_=0)) for condition in conditions.values()]
    query = (select(SellerOrder.seller_id, OrderLine.product_id, OrderLine.grade, *columns)
             .select_from(Unit)
             .join(OrderLine, OrderLine.id == Unit.order_line_id)
             .join(SellerOrder, SellerOrder.id == Unit.seller_order_id)
             .join(Delivery, Delivery.seller_order_id == Unit.seller_order_id)
             .outerjoin(failed, failed.c.unit_id == Unit.id)
             .outerjoin(claimed, claimed.c.unit_id == Unit.id)
             .outerjoin(denied, denied.c.unit_id == Unit.id)
             .outerjoin(returned, returned.c.unit_id == Unit.id)
             .outerjoin(withdrawn, withdrawn.c.unit_id == Unit.id)
             .where(OrderLine.product_id.is_not(None), day <= today - timedelta(days=min(HORIZONS)))
             .group_by(SellerOrder.seller_id, OrderLine.product_id, OrderLine.grade))
    cells: dict = {}
    for seller_id, product_id, grade, *sums in session.execute(query):
        values = [int(v or 0) for v in sums]
        cells[(seller_id, product_id, grade)] = {
            horizon: dict(zip(COUNTERS, values[n * len(COUNTERS):(n + 1) * len(COUNTERS)], strict=True))
            for n, horizon in enumerate(HORIZONS)}
    return cells


def _add(total: dict[str, int], more: dict[str, int]) -> None:
    for name in COUNTERS:
        total[name] = total.get(name, 0) + more[name]


def compute(cells, *, today: date, pseudo_count: int, minimum_units: int) -> list[dict]:
    """Every cut's row from the cells' counters (pure: no database)."""
    rows: list[dict] = []
    for horizon in HORIZONS:
        sums: dict[tuple, dict[str, int]] = defaultdict(dict)
        for (seller_id, product_id, grade), by_horizon in cells.items():
            counts = by_horizon[horizon]
            for key in ((Cut.PLATFORM, 0, 0, ""), (Cut.SELLER, seller_id, 0, ""), (Cut.MODEL, 0, product_id, ""),
                        (Cut.GRADE, 0, 0, grade), (Cut.MODEL_GRADE, 0, product_id, grade),
                        (Cut.CELL, seller_id, product_id, grade)):
                _add(sums[key], counts)
        sums.setdefault((Cut.PLATFORM, 0, 0, ""), dict.fromkeys(COUNTERS, 0))

        made: dict[tuple, dict] = {}

        def row(key, parent_ppm, sums=sums, made=made, horizon=horizon):
            counts = sums[key]
            found = stats.estimate(counts["failures"], counts["units"], parent_ppm=parent_ppm,
                                   pseudo_count=pseudo_count)
            made[key] = {"cut": key[0], "horizon_days": horizon, "seller_id": key[1], "product_id": key[2],
                         "grade": key[3], **counts, "rate_ppm": found.rate_ppm, "low_ppm": found.low_ppm,
                         "high_ppm": found.high_ppm, "raw_ppm": found.raw_ppm,
                         "is_published": found.published(minimum_units), "peer_median_ppm": 0, "excess_ppm": 0,
                         "is_reliable": False, "computed_on": today}
            return made[key]

        platform = row((Cut.PLATFORM, 0, 0, ""), None)["rate_ppm"]
        order = (Cut.SELLER, Cut.MODEL, Cut.GRADE, Cut.MODEL_GRADE, Cut.CELL)
        for cut in order:
            for key in sorted(k for k in sums if k[0] == cut):
                if cut == Cut.MODEL_GRADE:
                    parent = made[(Cut.GRADE, 0, 0, key[3])]["rate_ppm"]
                elif cut == Cut.CELL:
                    parent = made[(Cut.MODEL_GRADE, 0, key[2], key[3])]["rate_ppm"]
                else:
                    parent = platform
                row(key, parent)
        peers: dict[tuple[int, str], list[int]] = defaultdict(list)
        for key, found in made.items():
            if key[0] == Cut.CELL and found["is_published"]:
                peers[(key[2], key[3])].append(found["rate_ppm"])
        for key, found in made.items():
            if key[0] != Cut.CELL:
                continue
            peer = stats.median(peers[(key[2], key[3])])
            if peer is None:
                peer = made[(Cut.MODEL_GRADE, 0, key[2], key[3])]["rate_ppm"]
            found["peer_median_ppm"] = peer
            if found["is_published"]:
                found["excess_ppm"] = max(0, found["high_ppm"] - peer)
                found["is_reliable"] = found["high_ppm"] < peer
        rows.extend(made.values())
    return rows


def recompute(session: Session, today: date) -> int:
    """Replace every stored rate by today's; the caller commits (one commit, one shop version move)."""
    pseudo_count, minimum_units = settings()
    rows = compute(cell_counts(session, today), today=today, pseudo_count=pseudo_count, minimum_units=minimum_units)
    session.execute(delete(QualityRate))
    if rows:
        session.execute(insert(QualityRate), rows)
    return len(rows)


def due(session: Session, today: date) -> bool:
    """Whether today's rates are still to compute (the platform row carries the day)."""
    last = session.scalar(select(func.max(QualityRate.computed_on)))
    return last is None or last < today


def model_grade_figures(session: Session, product_id: int) -> dict[str, QualityRate]:
    """The platform's figure per grade for one model (the product page's one query)."""
    rows = session.scalars(select(QualityRate).where(
        QualityRate.cut == Cut.MODEL_GRADE, QualityRate.horizon_days == RANKING_HORIZON,
        QualityRate.product_id == product_id))
    return {row.grade: row for row in rows}
