"""The legal right of withdrawal (EU and UK: 14 days from delivery), per unit, no reason asked.

A withdrawal is confirmed in two steps on the order page (choose the units, then confirm), and is
kept as a record of its own, apart from goodwill returns. Confirming writes, in one transaction:
one `Withdrawal` per seller order with its units (a unit is withdrawn once: a unique key), the
refund it owes (`refunds.owe`: the units' goods, the standard delivery once the last units of the
seller order are withdrawn, the US sales tax share; the commission of those units is reversed in
proportion) and the buyer's confirmation e-mail with the date and time it was received (a durable
medium). The refund itself is paid after the commit (`refunds.pay`), within `withdrawal_refund_days`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.checkout.taxes import divide_half_up
from app.models_base import utcnow
from app.orders.models import Order, SellerOrder, SellerOrderStatus

from . import refunds
from .delivery import delivery_info, market_day
from .errors import NothingChosen, StaleState, UnitNotInOrder, WindowClosed
from .models import Delivery, Unit, Withdrawal, WithdrawalUnit
from .rules import Rules, rules_for, withdrawal_ends
from .units import units_of

WITHDRAWABLE_STATUSES = (SellerOrderStatus.SHIPPED, SellerOrderStatus.DELIVERED)


def withdrawn_unit_ids(session: Session, seller_order_ids: Iterable[int]) -> set[int]:
    ids = list(seller_order_ids)
    if not ids:
        return set()
    return set(session.scalars(select(WithdrawalUnit.unit_id).join(Withdrawal)
                               .where(Withdrawal.seller_order_id.in_(ids))))


def claim_refunded_unit_ids(session: Session, seller_order_ids: Iterable[int]) -> set[int]:
    """Units a warranty claim refunds (owed or paid): they cannot be withdrawn or returned as well."""
    from .models import ClaimStatus, WarrantyClaim
    ids = list(seller_order_ids)
    if not ids:
        return set()
    return set(session.scalars(select(WarrantyClaim.unit_id).where(
        WarrantyClaim.seller_order_id.in_(ids),
        WarrantyClaim.status.in_([ClaimStatus.REFUNDING, ClaimStatus.REFUNDED]))))


def window_open(session: Session, seller_order: SellerOrder, rules: Rules, *, now: datetime | None = None) -> bool:
    """Whether the buyer may still withdraw from this seller order: shipped (its units are known),
    not yet past the last day counted from delivery, in a market that has the right."""
    if rules.withdrawal_days <= 0 or seller_order.status not in WITHDRAWABLE_STATUSES:
        return False
    today = market_day(now or utcnow(), seller_order.order.market.timezone)
    info = delivery_info(session.get(Delivery, seller_order.id), seller_order, today)
    ends = withdrawal_ends(info.delivered_on, rules)
    return ends is None or today <= ends


def withdrawable_units(session: Session, order: Order, *, now: datetime | None = None) -> dict[int, list[Unit]]:
    """Per seller order id, the units the buyer may still withdraw (an empty list when none)."""
    rules = rules_for(session, order.market)
    result: dict[int, list[Unit]] = {}
    ids = [s.id for s in order.seller_orders]
    withdrawn = withdrawn_unit_ids(session, ids) | claim_refunded_unit_ids(session, ids)
    for seller_order in order.seller_orders:
        if window_open(session, seller_order, rules, now=now):
            result[seller_order.id] = [u for u in units_of(session, seller_order) if u.id not in withdrawn]
        else:
            result[seller_order.id] = []
    return result


def amounts(seller_order: SellerOrder, units: list[Unit], *, completes: bool) -> tuple[int, int, int, int]:
    """(goods, standard delivery, sales tax share, commission reversed) owed back for `units`.

    Standard delivery is owed back with the withdrawal that takes the seller order's last units; a
    dearer delivery the buyer chose (express) is owed back only up to the standard one, which is
    free in every market today.
    """
    per_line: dict[int, int] = defaultdict(int)
    for unit in units:
        per_line[unit.order_line_id] += 1
    lines = {line.id: line for line in seller_order.lines}
    goods = sum(lines[line_id].unit_amount * n for line_id, n in per_line.items())
    commission = sum(divide_half_up(lines[line_id].commission_amount * n, lines[line_id].quantity)
                     for line_id, n in per_line.items())
    shipping = seller_order.shipping_amount if completes and seller_order.delivery_method == "standard" else 0
    order = seller_order.order
    tax = divide_half_up(order.sales_tax_amount * goods, order.goods_amount) \
        if order.sales_tax_amount and order.goods_amount else 0
    return goods, shipping, tax, commission


def check_choice(session: Session, order: Order, unit_ids: Iterable[int], *,
                 now: datetime | None = None) -> dict[int, list[Unit]]:
    """The chosen units, grouped by seller order; refuses units not in the order or not withdrawable."""
    wanted = {int(i) for i in unit_ids}
    if not wanted:
        raise NothingChosen()
    rules = rules_for(session, order.market)
    if rules.withdrawal_days <= 0:
        raise WindowClosed(_l("There is no legal right of withdrawal in this market."))
    available = withdrawable_units(session, order, now=now)
    by_id = {u.id: (so_id, u) for so_id, units in available.items() for u in units}
    if not wanted <= set(by_id):
        all_units = {u.id for so in order.seller_orders for u in units_of(session, so)}
        if wanted <= all_units:
            if wanted & withdrawn_unit_ids(session, [s.id for s in order.seller_orders]):
                raise StaleState()      # withdrawn meanwhile: another tab, a double click
            raise WindowClosed(_l("These units can no longer be withdrawn: already withdrawn, or the period is over."))
        raise UnitNotInOrder()
    chosen: dict[int, list[Unit]] = defaultdict(list)
    for unit_id in sorted(wanted):
        seller_order_id, unit = by_id[unit_id]
        chosen[seller_order_id].append(unit)
    return dict(chosen)


def withdraw(session: Session, order: Order, unit_ids: Iterable[int], *, now: datetime | None = None) -> list[Withdrawal]:
    """Confirm the withdrawal of `unit_ids`; flushes, the caller commits and then pays the refunds.

    A unit withdrawn meanwhile (another tab) makes the flush fail on the unique unit key: the caller
    answers 409 and nothing is written.
    """
    now = now or utcnow()
    chosen = check_choice(session, order, unit_ids, now=now)
    rules = rules_for(session, order.market)
    timezone = order.market.timezone
    created = []
    count = session.scalar(select(func.count()).select_from(Withdrawal).where(Withdrawal.order_id == order.id)) or 0
    for seller_order in order.seller_orders:
        units = chosen.get(seller_order.id)
        if not units:
            continue
        remaining = [u for u in units_of(session, seller_order)
                     if u.id not in withdrawn_unit_ids(session, [seller_order.id])]
        completes = {u.id for u in remaining} <= {u.id for u in units}
        goods, shipping, tax, commission = amounts(seller_order, units, completes=completes)
        count += 1
        due = market_day(now, timezone) + timedelta(days=rules.withdrawal_refund_days)
        withdrawal = Withdrawal(reference=f"{order.number}-W{count}", order_id=order.id,
                                seller_order_id=seller_order.id, received_at=now, refund_due_on=due,
                                goods_amount=goods, shipping_amount=shipping, tax_amount=tax,
                                amount=goods + shipping + tax, commission_reversed=commission, currency=order.currency)
        session.add(withdrawal)
        session.flush()
        for unit in units:
            session.add(WithdrawalUnit(withdrawal_id=withdrawal.id, unit_id=unit.id))
        if withdrawal.amount > 0:
            withdrawal.refund_id = refunds.owe(session, seller_order, kind="withdrawal", key=f"withdrawal-{withdrawal.id}",
                                               amount=withdrawal.amount, commission_reversed=commission,
                                               due_on=due).id
        session.flush()
        session.refresh(withdrawal)
        _confirmation_mail(session, order, seller_order, withdrawal)
        created.append(withdrawal)
    session.flush()
    return created


def received_text(moment: datetime, timezone: str, locale: str) -> str:
    """The date and time a statement was received, in the market's time zone, as the locale writes it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return format_datetime(moment, "long", tzinfo=ZoneInfo(timezone), locale=locale)


def _confirmation_mail(session: Session, order: Order, seller_order: SellerOrder, withdrawal: Withdrawal) -> None:
    from app.mail.outbox import enqueue  # mail renders pages; imported late, as fulfilment does
    edition = order.locale.replace("_", "-").lower()
    with force_locale(order.locale):
        link = url_for("orders.detail", edition=edition, number=order.number, token=order.access_token,
                       _external=True)
        enqueue(session, recipient=order.email, locale=order.locale, kind="withdrawal_received",
                reference=withdrawal.reference, template="withdrawal_received",
                subject=_("We received your withdrawal %(reference)s", reference=withdrawal.reference),
                order=order, seller_order=seller_order, withdrawal=withdrawal, link=link,
                received=received_text(withdrawal.received_at, order.market.timezone, order.locale))


def preview(session: Session, order: Order, chosen: dict[int, list[Unit]]) -> list[tuple[SellerOrder, list[Unit], int]]:
    """What confirming `chosen` would refund, per seller order: (seller order, units, amount)."""
    result = []
    for seller_order in order.seller_orders:
        units = chosen.get(seller_order.id)
        if not units:
            continue
        withdrawn = withdrawn_unit_ids(session, [seller_order.id])
        remaining = {u.id for u in units_of(session, seller_order) if u.id not in withdrawn}
        goods, shipping, tax, _commission = amounts(seller_order, units, completes=remaining <= {u.id for u in units})
        result.append((seller_order, units, goods + shipping + tax))
    return result
