"""The kept price history of every listing price, and the EU Omnibus reference it feeds.

Every change of a `ListingPrice.amount` made through the ORM closes the open `ListingPricePeriod`
and opens a new one, in the same flush and so the same transaction; a price created through the
ORM opens its first period. Bulk loaders that insert prices with Core statements call
`open_missing_periods` afterwards.

The Omnibus rule (Directive 98/6/EC, art. 6a): a price may only be presented as reduced against the
lowest price the seller applied during the 30 days before the reduction. We announce a reduction for
30 days after it starts, and only when the current price is below that 30-day low.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, exists, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session, attributes

from app.models_base import utcnow

from .models import ListingPrice, ListingPricePeriod

OMNIBUS_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Reduction:
    """A price cut that may be announced: `reference` is the lowest price of the 30 days before it."""
    reference: int
    amount: int

    @property
    def percent(self) -> int:
        """The reduction in whole percent, rounded down so it is never overstated."""
        return (self.reference - self.amount) * 100 // self.reference


def record_price_periods(session: Session, _flush_context) -> None:
    """After each flush (a step of `app.derived`): close and open the price periods of changed prices."""
    opened = [p for p in session.new if isinstance(p, ListingPrice)]
    changed = [p for p in session.dirty if isinstance(p, ListingPrice) and _amount_changed(p)]
    if not opened and not changed:
        return
    now = utcnow()
    connection = session.connection()
    if changed:
        connection.execute(update(ListingPricePeriod)
                           .where(ListingPricePeriod.listing_price_id.in_([p.id for p in changed]),
                                  ListingPricePeriod.ended_at.is_(None))
                           .values(ended_at=now))
    connection.execute(insert(ListingPricePeriod), [
        {"listing_price_id": p.id, "amount": p.amount, "started_at": now} for p in opened + changed])


def _amount_changed(price: ListingPrice) -> bool:
    history = attributes.get_history(price, "amount")
    return bool(history.deleted) and history.deleted[0] != price.amount


def open_missing_periods(session: Session, *, started_at: datetime | None = None) -> int:
    """Give every price that has no history yet its first, open period (after Core bulk inserts)."""
    missing = ~exists().where(ListingPricePeriod.listing_price_id == ListingPrice.id)
    count = session.scalar(select(func.count()).select_from(ListingPrice).where(missing)) or 0
    if count:
        session.execute(insert(ListingPricePeriod).from_select(
            ["listing_price_id", "amount", "started_at"],
            select(ListingPrice.id, ListingPrice.amount,
                   literal(started_at or utcnow(), ListingPricePeriod.started_at.type)).where(missing)))
    return count


def record_price_changes(session: Session, price_ids: Iterable[int], *, at: datetime | None = None) -> None:
    """After Core bulk writes of prices (a CSV import): close the open period of each price and open
    one at its current amount. New prices simply get their first period. Two statements in all."""
    ids = sorted(set(price_ids))
    if not ids:
        return
    at = at or utcnow()
    for chunk in (ids[i:i + 1000] for i in range(0, len(ids), 1000)):
        session.execute(update(ListingPricePeriod)
                        .where(ListingPricePeriod.listing_price_id.in_(chunk), ListingPricePeriod.ended_at.is_(None))
                        .values(ended_at=at))
        session.execute(insert(ListingPricePeriod).from_select(
            ["listing_price_id", "amount", "started_at"],
            select(ListingPrice.id, ListingPrice.amount, literal(at, ListingPricePeriod.started_at.type))
            .where(ListingPrice.id.in_(chunk))))


def open_first_periods(session: Session, price_ids: Select, *, at: datetime | None = None) -> None:
    """Give the prices selected by `price_ids` that have no history yet their first, open period
    (after Core bulk inserts of one seller's prices). One statement."""
    missing = ~exists().where(ListingPricePeriod.listing_price_id == ListingPrice.id)
    session.execute(insert(ListingPricePeriod).from_select(
        ["listing_price_id", "amount", "started_at"],
        select(ListingPrice.id, ListingPrice.amount, literal(at or utcnow(), ListingPricePeriod.started_at.type))
        .where(missing, ListingPrice.id.in_(price_ids))))


def reductions(session: Session, price_ids: Iterable[int], *, now: datetime | None = None) -> dict[int, Reduction]:
    """Per listing price id, the reduction the page may announce (absent: show no crossed-out price).

    One query, whatever the number of prices.
    """
    ids = sorted(set(price_ids))
    if not ids:
        return {}
    now = now or utcnow()
    # The current period started at most 30 days ago, its window at most 60 days ago.
    horizon = now - 2 * OMNIBUS_WINDOW
    periods: dict[int, list[tuple[int, datetime, datetime | None]]] = {}
    for price_id, amount, started, ended in session.execute(
            select(ListingPricePeriod.listing_price_id, ListingPricePeriod.amount,
                   ListingPricePeriod.started_at, ListingPricePeriod.ended_at)
            .where(ListingPricePeriod.listing_price_id.in_(ids),
                   or_(ListingPricePeriod.ended_at.is_(None), ListingPricePeriod.ended_at > horizon))):
        periods.setdefault(price_id, []).append((amount, _aware(started), _aware(ended) if ended else None))
    found = {}
    for price_id, rows in periods.items():
        reduction = _reduction(rows, now)
        if reduction:
            found[price_id] = reduction
    return found


def _reduction(rows: list[tuple[int, datetime, datetime | None]], now: datetime) -> Reduction | None:
    current = next((r for r in rows if r[2] is None), None)
    if current is None:
        return None
    amount, started, _ = current
    if started < now - OMNIBUS_WINDOW:
        return None
    window_start = started - OMNIBUS_WINDOW
    before = [a for a, s, e in rows if e is not None and e > window_start and s < started]
    if not before or min(before) <= amount:
        return None
    return Reduction(reference=min(before), amount=amount)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored moment is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
