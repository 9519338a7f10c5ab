"""Goodwill returns (change of mind), per unit: a shop policy, kept apart from the legal withdrawal.

| from                     | to         | by                                                   |
| ------------------------ | ---------- | ---------------------------------------------------- |
| (new)                    | approved   | the buyer, inside the window: approved at once, label issued |
| approved                 | rejected   | the seller disputes, with a reason, within 1 working day |
| approved                 | cancelled  | the buyer, before sending it                          |
| approved                 | in_transit | the buyer says it is sent                             |
| approved, in_transit     | received   | the seller counts what arrived (a carrier event never does) |
| received                 | inspected  | the seller accepts it: grade on receipt, resellable, wiped, lock off; refund owed |
| received                 | rejected   | the seller refuses it at inspection, with a reason: sent back |
| inspected                | refunded   | the refund is paid (`refunds.pay`)                    |

Every move is a conditional UPDATE from the statuses `RETURN_TRANSITIONS` allows (a stale page gets
`StaleState`, a 409). The window: `return_days` after delivery (0: no returns in that market);
with the Black Friday rule, orders placed from the last Friday of November to 31 December may be
returned until 31 January. A resellable unit goes back into the seller's stock in the grade it was
received in: the listing of that grade, or a new paused listing without a price for the seller to set.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.checkout.taxes import divide_half_up
from app.models_base import utcnow
from app.offers.delivery import add_working_days
from app.offers.grades import Grade
from app.offers.models import Listing
from app.orders.models import Order, SellerOrder

from . import refunds
from .delivery import delivery_info, market_day
from .errors import AftersalesError, StaleState, UnitNotInOrder, WindowClosed
from .models import OPEN_RETURN_STATUSES, Delivery, ReturnRequest, ReturnStatus, Unit, return_sources
from .rules import rules_for
from .units import units_of
from .withdrawal import WITHDRAWABLE_STATUSES, claim_refunded_unit_ids, withdrawn_unit_ids

LABEL_DAYS = 14
RETURN_REASONS = {
    "changed_mind": (_l("I changed my mind"), {
        "no_longer_needed": _l("I no longer need it"),
        "found_cheaper": _l("I found it cheaper elsewhere"),
        "ordered_by_mistake": _l("I ordered it by mistake")}),
    "not_suitable": (_l("It does not suit me"), {
        "size": _l("Its size or weight"),
        "compatibility": _l("It does not work with my other devices"),
        "speed": _l("It is slower than I expected")}),
    "other": (_l("Another reason"), {"other": _l("Another reason (please say which)")}),
}
RETURN_STATUS_LABELS = {
    ReturnStatus.REQUESTED: _l("requested"), ReturnStatus.APPROVED: _l("approved: send it back with the label"),
    ReturnStatus.IN_TRANSIT: _l("on its way back"), ReturnStatus.RECEIVED: _l("received by the seller"),
    ReturnStatus.INSPECTED: _l("inspected and accepted: refund under way"), ReturnStatus.REFUNDED: _l("refunded"),
    ReturnStatus.REJECTED: _l("rejected"), ReturnStatus.CANCELLED: _l("cancelled"),
}


class InvalidReturn(AftersalesError):
    def __init__(self, errors: dict):
        super().__init__(_l("Please correct the marked fields."))
        self.errors = errors


def status_label(status: str) -> str:
    return str(RETURN_STATUS_LABELS.get(status, status))


def last_friday_of_november(year: int) -> date:
    day = date(year, 11, 30)
    return day - timedelta(days=(day.weekday() - 4) % 7)


def return_ends(order: Order, delivered_on: date | None, return_days: int, black_friday: bool) -> date | None:
    """The last day to ask for a return (None: no returns in this market, or not delivered yet)."""
    if return_days <= 0 or delivered_on is None:
        return None
    ends = delivered_on + timedelta(days=return_days)
    ordered = market_day(order.created_at, order.market.timezone)
    if black_friday and last_friday_of_november(ordered.year) <= ordered <= date(ordered.year, 12, 31):
        ends = max(ends, date(ordered.year + 1, 1, 31))
    return ends


def returned_unit_ids(session: Session, seller_order_ids: list[int]) -> set[int]:
    """Units with a return that is open or ended in a refund (a rejected or cancelled one frees the unit)."""
    if not seller_order_ids:
        return set()
    return set(session.scalars(select(ReturnRequest.unit_id).where(
        ReturnRequest.seller_order_id.in_(seller_order_ids),
        ReturnRequest.status.in_([*OPEN_RETURN_STATUSES, ReturnStatus.REFUNDED]))))


def returnable_units(session: Session, order: Order, *, now: datetime | None = None) -> dict[int, list[Unit]]:
    """Per seller order id, the units that may be returned today, and the window's last day."""
    rules = rules_for(session, order.market)
    today = market_day(now or utcnow(), order.market.timezone)
    ids = [s.id for s in order.seller_orders]
    taken = withdrawn_unit_ids(session, ids) | returned_unit_ids(session, ids) | claim_refunded_unit_ids(session, ids)
    result: dict[int, list[Unit]] = {}
    for seller_order in order.seller_orders:
        result[seller_order.id] = []
        if seller_order.status not in WITHDRAWABLE_STATUSES:
            continue
        info = delivery_info(session.get(Delivery, seller_order.id), seller_order, today)
        ends = return_ends(order, info.delivered_on, rules.return_days, rules.black_friday_returns)
        if ends is not None and today <= ends:
            result[seller_order.id] = [u for u in units_of(session, seller_order) if u.id not in taken]
    return result


def request_return(session: Session, order: Order, *, unit_id: int | None, reason: str, note: str = "",
                   now: datetime | None = None) -> ReturnRequest:
    """The buyer asks to return one unit; inside the window it is approved at once with a label.

    `reason` is "group:detail" from RETURN_REASONS. Flushes; the caller commits.
    """
    now = now or utcnow()
    group, _sep, detail = (reason or "").partition(":")
    note = " ".join((note or "").split())
    errors: dict = {}
    if group not in RETURN_REASONS or detail not in RETURN_REASONS[group][1]:
        errors["reason"] = _l("Please choose a reason from the list.")
    elif group == "other" and not note:
        errors["note"] = _l("Please say why you return it.")
    if len(note) > 1000:
        errors["note"] = _l("This is too long.")
    if unit_id is None:
        errors["unit"] = _l("Please choose at least one unit.")
    if errors:
        raise InvalidReturn(errors)
    rules = rules_for(session, order.market)
    if rules.return_days <= 0:
        raise WindowClosed(_l("This market offers no change-of-mind returns."))
    available = returnable_units(session, order, now=now)
    found = next(((so_id, u) for so_id, units in available.items() for u in units if u.id == unit_id), None)
    if found is None:
        all_units = {u.id for so in order.seller_orders for u in units_of(session, so)}
        if unit_id in all_units:
            raise WindowClosed(_l("This unit can no longer be returned: already returned or withdrawn, or the period is over."))
        raise UnitNotInOrder()
    seller_order_id, unit = found
    seller_order = next(s for s in order.seller_orders if s.id == seller_order_id)
    line = unit.line
    today = market_day(now, order.market.timezone)
    count = len(list(session.scalars(select(ReturnRequest.id).where(ReturnRequest.order_id == order.id))))
    ret = ReturnRequest(
        reference=f"{order.number}-R{count + 1}", order_id=order.id, seller_order_id=seller_order.id, unit_id=unit.id,
        status=ReturnStatus.APPROVED, reason=group, reason_detail=detail, note=note or None, requested_at=now,
        dispute_by=add_working_days(today, rules.seller_reply_working_days),
        label_carrier=seller_order.carrier, label_valid_until=today + timedelta(days=LABEL_DAYS),
        amount=line.unit_amount, commission_reversed=divide_half_up(line.commission_amount, line.quantity),
        currency=order.currency)
    session.add(ret)
    session.flush()
    ret.label_tracking = f"RT{order.market.code}{ret.id:08d}"
    session.flush()
    _mail(session, order, ret, "return_approved",
          lambda: _("Your return %(reference)s is approved: here is the label", reference=ret.reference))
    return ret


def _move(session: Session, ret: ReturnRequest, to: ReturnStatus, **values) -> None:
    changed = session.execute(
        update(ReturnRequest).where(ReturnRequest.id == ret.id, ReturnRequest.status.in_(return_sources(to)))
        .values(status=to, **values).execution_options(synchronize_session=False)).rowcount
    session.refresh(ret)
    if changed != 1:
        raise StaleState()
    session.flush()


def cancel(session: Session, ret: ReturnRequest, *, now: datetime | None = None) -> None:
    """The buyer keeps the unit after all (before sending it)."""
    if ret.status != ReturnStatus.APPROVED:
        raise StaleState()
    _move(session, ret, ReturnStatus.CANCELLED, closed_at=now or utcnow())


def mark_sent(session: Session, ret: ReturnRequest, *, now: datetime | None = None) -> None:
    if ret.status != ReturnStatus.APPROVED:
        raise StaleState()
    _move(session, ret, ReturnStatus.IN_TRANSIT, sent_at=now or utcnow())


def dispute(session: Session, ret: ReturnRequest, *, reason: str, now: datetime | None = None) -> None:
    """The seller objects to an approved return, with a reason, by the end of `dispute_by`."""
    reason = " ".join((reason or "").split())
    if ret.status != ReturnStatus.APPROVED:
        raise StaleState()
    if market_day(now or utcnow(), ret.order.market.timezone) > ret.dispute_by:
        raise WindowClosed(_l("The time to dispute this return is over."))
    if not reason or len(reason) > 1000:
        raise InvalidReturn({"rejected_reason": _l("Please say why you dispute this return.")})
    _move(session, ret, ReturnStatus.REJECTED, rejected_reason=reason, closed_at=now or utcnow())
    _mail(session, ret.order, ret, "return_rejected",
          lambda: _("Your return %(reference)s was not accepted", reference=ret.reference))


def receive(session: Session, ret: ReturnRequest, *, units_counted: int | None, now: datetime | None = None) -> None:
    """The seller records what arrived (0 or 1 unit: one return is one unit)."""
    if ret.status not in (ReturnStatus.APPROVED, ReturnStatus.IN_TRANSIT):
        raise StaleState()
    if units_counted not in (0, 1):
        raise InvalidReturn({"units_counted": _l("Enter the number of units in the parcel: 0 or 1.")})
    _move(session, ret, ReturnStatus.RECEIVED, units_counted=units_counted, received_at=now or utcnow())


def inspect(session: Session, ret: ReturnRequest, *, accept: bool, grade_received: str, resellable: bool,
            data_wiped: bool, activation_lock_off: bool, reason: str = "", now: datetime | None = None) -> None:
    """The seller's inspection: accepted (refund owed, resellable units relisted in the grade
    received) or refused with a reason (the unit is sent back)."""
    if ret.status != ReturnStatus.RECEIVED:
        raise StaleState()
    now = now or utcnow()
    reason = " ".join((reason or "").split())
    errors: dict = {}
    if grade_received not in {g.value for g in Grade}:
        errors["grade_received"] = _l("Please choose the grade the unit arrived in.")
    if resellable and not (data_wiped and activation_lock_off):
        errors["is_resellable"] = _l("A unit is resellable only once its data is wiped and its activation lock is off.")
    if not accept and not reason:
        errors["rejected_reason"] = _l("Please say why you refuse this return.")
    if accept and not ret.units_counted:
        errors["units_counted"] = _l("No unit was received: refuse the return, with a reason.")
    if errors:
        raise InvalidReturn(errors)
    facts = {"grade_received": grade_received, "is_resellable": resellable, "is_data_wiped": data_wiped,
             "is_activation_lock_off": activation_lock_off, "inspected_at": now}
    if not accept:
        _move(session, ret, ReturnStatus.REJECTED, rejected_reason=reason, closed_at=now, **facts)
        _mail(session, ret.order, ret, "return_rejected",
              lambda: _("Your return %(reference)s was not accepted", reference=ret.reference))
        return
    _move(session, ret, ReturnStatus.INSPECTED, **facts)
    due = market_day(now, ret.order.market.timezone) + timedelta(days=14)
    ret.refund_id = refunds.owe(session, ret.seller_order, kind="return", key=f"return-{ret.id}", amount=ret.amount,
                                commission_reversed=ret.commission_reversed, due_on=due).id
    if resellable:
        ret.relisted_listing_id = relist(session, ret).id
    session.flush()


def relist(session: Session, ret: ReturnRequest) -> Listing:
    """Put the unit back into the seller's stock in the grade it was received in: +1 on the seller's
    listing of that variant and grade, or a new paused listing with no price (the seller prices it)."""
    line = ret.unit.line
    original = session.get(Listing, line.listing_id) if line.listing_id else None
    if original is None:
        raise AftersalesError(_l("The listing this unit was sold from is gone: add it to your stock by hand."))
    same = session.scalar(select(Listing).where(
        Listing.seller_id == original.seller_id, Listing.variant_id == original.variant_id,
        Listing.grade == ret.grade_received, Listing.has_new_battery == original.has_new_battery))
    if same is not None:
        session.execute(update(Listing).where(Listing.id == same.id).values(quantity=Listing.quantity + 1)
                        .execution_options(synchronize_session=False))
        session.refresh(same)
        return same
    listing = Listing(seller_id=original.seller_id, variant_id=original.variant_id, grade=ret.grade_received,
                      quantity=1, warranty_months=original.warranty_months, has_new_battery=original.has_new_battery,
                      battery_health_min=original.battery_health_min, vat_scheme=original.vat_scheme, is_active=False)
    session.add(listing)
    session.flush()
    return listing


def _mail(session: Session, order: Order, ret: ReturnRequest, template: str, subject) -> None:
    from app.mail.outbox import enqueue
    edition = order.locale.replace("_", "-").lower()
    with force_locale(order.locale):
        link = url_for("aftersales.return_page", edition=edition, number=order.number, reference=ret.reference,
                       token=order.access_token, _external=True)
        enqueue(session, recipient=order.email, locale=order.locale, kind=template, reference=ret.reference,
                template=template, subject=subject(), order=order, ret=ret, link=link,
                label_url=url_for("aftersales.return_label", edition=edition, number=order.number,
                                  reference=ret.reference, token=order.access_token, _external=True))


def seller_returns(seller_id: int):
    """The returns a seller's staff may see: those of their own seller orders."""
    return select(ReturnRequest).join(SellerOrder, SellerOrder.id == ReturnRequest.seller_order_id) \
        .where(SellerOrder.seller_id == seller_id)
