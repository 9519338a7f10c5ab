"""Delivery of a seller order: shipped → delivered, by one of four sources.

| source  | how                                                        | day recorded                   |
| ------- | ---------------------------------------------------------- | ------------------------------ |
| carrier | signed `POST /carriers/<carrier>/webhook`, type delivered  | the event's time, market's day |
| seller  | the back office's "mark delivered" form                    | the day the seller gives       |
| buyer   | "I have received it" on the order page                     | today, market's day            |
| assumed | `flask worker`, once the promised window is over           | the window's last day          |

The move is a conditional UPDATE on `shipped`, and the `Delivery` row's key is the seller order, so
the first source wins and the others change nothing. Every after-sales window counts from
`delivered_on`, a day in the market's time zone.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app.models_base import utcnow
from app.orders.fulfilment import CARRIERS
from app.orders.models import Order, SellerOrder, SellerOrderEvent, SellerOrderStatus

from .errors import AftersalesError, InvalidDate, StaleState
from .models import CarrierEvent, Delivery, DeliverySource
from .units import units_of

SIGNATURE_TOLERANCE_SECONDS = 300
EVENT_ID = re.compile(r"[A-Za-z0-9_.:-]{1,120}")
KINDS = {"in_transit", "out_for_delivery", "delivered", "exception"}

SOURCE_LABELS = {
    DeliverySource.CARRIER: _l("confirmed by the carrier"),
    DeliverySource.SELLER: _l("confirmed by the seller"),
    DeliverySource.BUYER: _l("confirmed by you"),
    DeliverySource.ASSUMED: _l("assumed: the last day of the promised delivery window"),
}


class WebhookRejected(Exception):
    """A carrier call we refuse (400): bad signature, stale timestamp, malformed body."""


def market_day(moment: datetime, timezone: str) -> date:
    if moment.tzinfo is None:            # SQLite returns naive datetimes; they are UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(timezone)).date()


@dataclass(frozen=True)
class DeliveryInfo:
    delivered_on: date | None
    source: str | None          # a DeliverySource, or None while in transit

    @property
    def is_assumed(self) -> bool:
        return self.source == DeliverySource.ASSUMED


def delivery_info(delivery: Delivery | None, seller_order: SellerOrder, today: date) -> DeliveryInfo:
    """Where delivery stands: recorded, or assumed once the promised window is over (even before the
    worker has written it down), or not yet."""
    if delivery is not None:
        return DeliveryInfo(delivery.delivered_on, delivery.source)
    if seller_order.status == SellerOrderStatus.SHIPPED and today > seller_order.delivery_to:
        return DeliveryInfo(seller_order.delivery_to, DeliverySource.ASSUMED)
    return DeliveryInfo(None, None)


def record(session: Session, seller_order: SellerOrder, *, source: DeliverySource, delivered_on: date) -> Delivery:
    """Move a shipped seller order to delivered on `delivered_on`; `StaleState` if it is not shipped
    any more (already delivered by another source, or never shipped)."""
    changed = session.execute(
        update(SellerOrder).where(SellerOrder.id == seller_order.id, SellerOrder.status == SellerOrderStatus.SHIPPED)
        .values(status=SellerOrderStatus.DELIVERED).execution_options(synchronize_session=False)).rowcount
    session.refresh(seller_order)
    if changed != 1:
        raise StaleState()
    delivery = Delivery(seller_order_id=seller_order.id, delivered_on=delivered_on, source=source)
    session.add(delivery)
    session.add(SellerOrderEvent(seller_order_id=seller_order.id, status=SellerOrderStatus.DELIVERED,
                                 note=f"{source} {delivered_on.isoformat()}"))
    units_of(session, seller_order)        # the units' rows exist from delivery on
    session.flush()
    return delivery


def buyer_confirms(session: Session, seller_order: SellerOrder, *, now: datetime | None = None) -> Delivery:
    """The buyer says the parcel arrived: delivered today, in the market's time zone."""
    today = market_day(now or utcnow(), seller_order.order.market.timezone)
    return record(session, seller_order, source=DeliverySource.BUYER, delivered_on=today)


def seller_marks(session: Session, seller_order: SellerOrder, delivered_on: date | None, *,
                 now: datetime | None = None) -> Delivery:
    """The seller records the delivery day (from the carrier's proof), between shipping and today."""
    timezone = seller_order.order.market.timezone
    if seller_order.status != SellerOrderStatus.SHIPPED:
        raise StaleState()
    if delivered_on is None or seller_order.shipped_at is None or not (
            market_day(seller_order.shipped_at, timezone) <= delivered_on <= market_day(now or utcnow(), timezone)):
        raise InvalidDate()
    return record(session, seller_order, source=DeliverySource.SELLER, delivered_on=delivered_on)


# --- the carrier webhook ---------------------------------------------------------------------------

def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The `X-Carrier-Signature` header value for `body` sent at `timestamp` (Unix seconds)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, now: datetime | None = None) -> None:
    """Raise `WebhookRejected` unless `header` signs `body` with `secret`, within the tolerance."""
    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        raise WebhookRejected("no timestamp") from None
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    if not hmac.compare_digest(expected, parts.get("v1", "")):
        raise WebhookRejected("bad signature")
    if abs((now or utcnow()).timestamp() - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        raise WebhookRejected("stale timestamp")


@dataclass(frozen=True)
class CarrierCall:
    event_id: str
    kind: str
    tracking_number: str
    occurred_at: datetime


def parse(body: bytes) -> CarrierCall:
    try:
        data = json.loads(body)
        event_id, kind = str(data["id"]), str(data["type"])
        tracking = " ".join(str(data["tracking_number"]).split())
        occurred = datetime.fromisoformat(str(data["occurred_at"]).replace("Z", "+00:00"))
    except (ValueError, KeyError, TypeError):
        raise WebhookRejected("malformed body") from None
    if not EVENT_ID.fullmatch(event_id) or kind not in KINDS or not 0 < len(tracking) <= 60 or occurred.tzinfo is None:
        raise WebhookRejected("malformed body")
    return CarrierCall(event_id, kind, tracking, occurred)


def carrier_event(session: Session, carrier: str, call: CarrierCall) -> tuple[str, bool]:
    """Act on a verified carrier event once: returns (outcome, duplicate).

    A `delivered` event delivers the shipped seller order with that carrier and tracking number.
    Any other kind, or an unknown parcel, is recorded and otherwise ignored (the carrier must not
    retry it). The same event id again changes nothing.
    """
    if carrier not in CARRIERS:
        raise AftersalesError(_l("Unknown carrier."))
    known = session.scalar(select(CarrierEvent).where(CarrierEvent.carrier == carrier,
                                                      CarrierEvent.event_id == call.event_id))
    if known is not None:
        return known.outcome, True
    seller_order = session.scalar(
        select(SellerOrder).where(SellerOrder.carrier == carrier, SellerOrder.tracking_number == call.tracking_number)
        .options(joinedload(SellerOrder.order).joinedload(Order.market)).order_by(SellerOrder.id.desc()).limit(1))
    outcome = "unmatched" if seller_order is None else "ignored"
    event = CarrierEvent(carrier=carrier, event_id=call.event_id, kind=call.kind, tracking_number=call.tracking_number,
                         occurred_at=call.occurred_at, seller_order_id=seller_order.id if seller_order else None,
                         outcome=outcome)
    try:
        with session.begin_nested():
            session.add(event)
            session.flush()
    except IntegrityError:      # the same event, delivered twice at once: the other call acts on it
        return "duplicate", True
    if call.kind == "delivered" and seller_order is not None and seller_order.status == SellerOrderStatus.SHIPPED:
        try:
            record(session, seller_order, source=DeliverySource.CARRIER,
                   delivered_on=market_day(call.occurred_at, seller_order.order.market.timezone))
            event.outcome = "delivered"
        except StaleState:
            pass
        session.flush()
    return event.outcome, False


# --- the worker ----------------------------------------------------------------------------------

def assume_deliveries(session: Session, *, now: datetime | None = None) -> int:
    """Shipped seller orders whose promised window is over in their market: delivered on its last day."""
    now = now or utcnow()
    shipped = session.scalars(
        select(SellerOrder).where(SellerOrder.status == SellerOrderStatus.SHIPPED)
        .options(joinedload(SellerOrder.order).joinedload(Order.market)))
    count = 0
    for seller_order in list(shipped):
        if market_day(now, seller_order.order.market.timezone) > seller_order.delivery_to:
            try:
                record(session, seller_order, source=DeliverySource.ASSUMED, delivered_on=seller_order.delivery_to)
                count += 1
            except StaleState:
                continue
    return count
