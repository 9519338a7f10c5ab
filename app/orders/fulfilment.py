"""What a seller does with a paid seller order: accept it, ship it, or cancel it (and refund the buyer).

Allowed moves, and nothing else:

| from               | to        | by        |
| ------------------ | --------- | --------- |
| to_ship            | accepted  | `accept`  |
| to_ship, accepted  | shipped   | `ship`    |
| to_ship, accepted  | cancelled | `cancel`  |

Each move is a conditional UPDATE on the current status, so two staff members clicking at once
cannot both win; the loser gets `TransitionRefused` (a 409 at the edge). Each writes a
`SellerOrderEvent`. Shipping and cancelling write an e-mail to the buyer, in the buyer's language,
in the same transaction. Services flush; the caller commits. The refund of a cancelled seller order
is a network call to the payment provider, so it runs after the cancellation is committed
(`refund`), never inside it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.catalog.models import Category, Product
from app.checkout.taxes import divide_half_up
from app.models_base import utcnow
from app.offers.delivery import add_working_days
from app.offers.models import Listing
from app.web.links import public_url_for

from .models import Order, OrderLine, Payment, PaymentStatus, SellerOrder, SellerOrderEvent, SellerOrderStatus

OPEN = (SellerOrderStatus.TO_SHIP, SellerOrderStatus.ACCEPTED)

# Carriers offered in the ship form (brand names, not translated); "other" takes a typed name.
CARRIERS = {
    "colissimo": "Colissimo", "chronopost": "Chronopost", "la_poste": "La Poste", "dhl": "DHL",
    "deutsche_post": "Deutsche Post", "dpd": "DPD", "gls": "GLS", "hermes": "Hermes", "ups": "UPS",
    "fedex": "FedEx", "bpost": "bpost", "correos": "Correos", "seur": "SEUR", "poste_italiane": "Poste Italiane",
    "brt": "BRT", "royal_mail": "Royal Mail", "evri": "Evri", "usps": "USPS",
}
OTHER = "other"

CANCEL_REASONS = {
    "out_of_stock": _l("Out of stock"),
    "faulty": _l("A fault was found in the final check"),
    "buyer_request": _l("The buyer asked to cancel"),
    "address": _l("The address cannot be delivered to"),
    OTHER: _l("Other reason"),
}

# Devices with a mobile radio carry an IMEI; the category's drawing says which kind of device it is.
IMEI_ILLUSTRATIONS = {"phone", "tablet"}
SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9./-]{3,39}")
TRACKING = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{3,59}")


class FulfilmentError(Exception):
    """A seller action that cannot be done; `message` is lazy, translated where it is shown."""
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class TransitionRefused(FulfilmentError):
    """The seller order is not in a status this action starts from (409)."""
    def __init__(self, status: str):
        super().__init__(_l("This cannot be done: the order is %(status)s.", status=status_label(status)))
        self.status = status


class InvalidShipment(FulfilmentError):
    """The ship or cancel form is incomplete or wrong; `errors` maps a field name to its message (422)."""
    def __init__(self, errors: Mapping[str, object]):
        super().__init__(_l("Please correct the marked fields."))
        self.errors = dict(errors)


class RefundFailed(FulfilmentError):
    def __init__(self):
        super().__init__(_l("The refund could not be made now. Try again later from the order page."))


STATUS_LABELS = {
    SellerOrderStatus.AWAITING_PAYMENT: _l("awaiting payment"),
    SellerOrderStatus.TO_SHIP: _l("to ship"),
    SellerOrderStatus.ACCEPTED: _l("accepted"),
    SellerOrderStatus.SHIPPED: _l("shipped"),
    SellerOrderStatus.DELIVERED: _l("delivered"),
    SellerOrderStatus.CANCELLED: _l("cancelled"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def carrier_name(code: str | None) -> str:
    """A carrier code as people read it; a name typed under "other" is shown as typed."""
    return CARRIERS.get(code or "", code or "")


def imei_valid(text: str) -> bool:
    """A 15-digit IMEI whose last digit is its Luhn check digit."""
    if not re.fullmatch(r"\d{15}", text):
        return False
    digits = [int(d) for d in text]
    for i in range(len(digits) - 2, -1, -2):
        digits[i] = digits[i] * 2 - 9 if digits[i] > 4 else digits[i] * 2
    return sum(digits) % 10 == 0


def needs_imei(session: Session, lines: Sequence[OrderLine]) -> dict[int, bool]:
    """Per order line id: True when its device is a phone or a tablet (an IMEI), else a serial number."""
    product_ids = {line.product_id for line in lines if line.product_id}
    kinds = dict(session.execute(select(Product.id, Category.illustration).join(Category)
                                 .where(Product.id.in_(product_ids))).all()) if product_ids else {}
    return {line.id: kinds.get(line.product_id) in IMEI_ILLUSTRATIONS for line in lines}


def dispatch_by(seller_order: SellerOrder, dispatch_days: int, timezone: str) -> date | None:
    """The last day the seller promised to ship: its dispatch days, in working days (Monday to
    Friday), after the day the order was paid in the buyer's market."""
    if seller_order.paid_at is None:
        return None
    paid = seller_order.paid_at
    if paid.tzinfo is None:          # SQLite returns naive datetimes; they are UTC
        paid = paid.replace(tzinfo=ZoneInfo("UTC"))
    return add_working_days(paid.astimezone(ZoneInfo(timezone)).date(), dispatch_days)


def is_late(seller_order: SellerOrder, dispatch_days: int, timezone: str, now: datetime | None = None) -> bool:
    """Still to ship (or accepted) after the day the seller promised to ship it."""
    deadline = dispatch_by(seller_order, dispatch_days, timezone)
    if seller_order.status not in OPEN or deadline is None:
        return False
    return (now or utcnow()).astimezone(ZoneInfo(timezone)).date() > deadline


def _move(session: Session, seller_order: SellerOrder, allowed: Sequence[str], to: SellerOrderStatus,
          note: str | None = None, **values) -> None:
    changed = session.execute(
        update(SellerOrder).where(SellerOrder.id == seller_order.id, SellerOrder.status.in_(list(allowed)))
        .values(status=to, **values).execution_options(synchronize_session=False)).rowcount
    session.refresh(seller_order)
    if changed != 1:
        raise TransitionRefused(seller_order.status)
    seller_order.events.append(SellerOrderEvent(status=to, note=note))
    session.flush()


def accept(session: Session, seller_order: SellerOrder) -> None:
    """The seller confirms it will ship this order (to_ship → accepted)."""
    _move(session, seller_order, [SellerOrderStatus.TO_SHIP], SellerOrderStatus.ACCEPTED)


def check_shipment(session: Session, seller_order: SellerOrder, *, carrier: str, carrier_other: str,
                   tracking_number: str, units: Mapping[int, Sequence[str]]) -> tuple[str, str, dict[int, list[str]]]:
    """The carrier, tracking number and unit identifiers, cleaned; `InvalidShipment` names every wrong field."""
    errors: dict[str, object] = {}
    carrier = (carrier or "").strip()
    if carrier == OTHER:
        carrier = " ".join((carrier_other or "").split())
        if not carrier:
            errors["carrier_other"] = _l("Please name the carrier.")
        elif len(carrier) > 60:
            errors["carrier_other"] = _l("This is too long.")
    elif carrier not in CARRIERS:
        errors["carrier"] = _l("Please choose a carrier from the list.")
    tracking = " ".join((tracking_number or "").split())
    if not TRACKING.fullmatch(tracking):
        errors["tracking_number"] = _l("Enter the tracking number the carrier gave you (letters and digits).")
    imei = needs_imei(session, seller_order.lines)
    cleaned: dict[int, list[str]] = {}
    seen: set[str] = set()
    for line in seller_order.lines:
        given = list(units.get(line.id, ()))
        given += [""] * (line.quantity - len(given))
        cleaned[line.id] = []
        for n, raw in enumerate(given[:line.quantity]):
            field = f"unit-{line.id}-{n}"
            value = re.sub(r"[\s]", "", raw or "") if imei[line.id] else (raw or "").strip()
            if not value:
                errors[field] = _l("Enter the IMEI of this unit.") if imei[line.id] else \
                    _l("Enter the serial number of this unit.")
            elif imei[line.id] and not imei_valid(value):
                errors[field] = _l("An IMEI has 15 digits and a valid check digit (dial *#06# on the phone).")
            elif not imei[line.id] and not SERIAL.fullmatch(value):
                errors[field] = _l("A serial number has 4 to 40 letters, digits, dots, slashes or dashes.")
            elif value.upper() in seen:
                errors[field] = _l("This identifier is already given for another unit.")
            seen.add(value.upper())
            cleaned[line.id].append(value)
    if errors:
        raise InvalidShipment(errors)
    return carrier, tracking, cleaned


def ship(session: Session, seller_order: SellerOrder, *, carrier: str, carrier_other: str = "",
         tracking_number: str, units: Mapping[int, Sequence[str]], now: datetime | None = None) -> None:
    """The parcel left (to_ship/accepted → shipped): carrier, tracking number and the IMEI or serial
    number of each unit sold are recorded, and the buyer is told by e-mail."""
    if seller_order.status not in OPEN:
        raise TransitionRefused(seller_order.status)
    carrier, tracking, cleaned = check_shipment(session, seller_order, carrier=carrier, carrier_other=carrier_other,
                                                tracking_number=tracking_number, units=units)
    _move(session, seller_order, OPEN, SellerOrderStatus.SHIPPED, note=f"{carrier_name(carrier)} {tracking}",
          carrier=carrier, tracking_number=tracking, shipped_at=now or utcnow())
    for line in seller_order.lines:
        line.unit_identifiers = cleaned[line.id]
    _enqueue_buyer_mail(session, seller_order, "order_shipped",
                        lambda: _("Your order %(number)s is on its way", number=seller_order.order.number))
    session.flush()


def cancel(session: Session, seller_order: SellerOrder, *, reason: str, note: str = "",
           now: datetime | None = None) -> None:
    """The seller cannot ship it (to_ship/accepted → cancelled): the units go back to the listings'
    stock, the goods and shipping of this seller order are owed back to the buyer (`refund_amount`;
    `refund` pays it, see `refund_due`) and the buyer is told by e-mail."""
    if seller_order.status not in OPEN:
        raise TransitionRefused(seller_order.status)
    note = " ".join((note or "").split())
    errors = {}
    if reason not in CANCEL_REASONS:
        errors["reason"] = _l("Please choose a reason from the list.")
    elif reason == OTHER and not note:
        errors["note"] = _l("Please say why you cancel.")
    if len(note) > 500:
        errors["note"] = _l("This is too long.")
    if errors:
        raise InvalidShipment(errors)
    _move(session, seller_order, OPEN, SellerOrderStatus.CANCELLED, note=f"{reason}: {note}" if note else reason,
          cancel_reason=reason, cancelled_at=now or utcnow(), refund_amount=refund_due(seller_order))
    for line in seller_order.lines:
        if line.listing_id is not None:
            # Same conditional arithmetic as placing an order: never a read-modify-write race.
            session.execute(update(Listing).where(Listing.id == line.listing_id)
                            .values(quantity=Listing.quantity + line.quantity)
                            .execution_options(synchronize_session=False))
    _enqueue_buyer_mail(session, seller_order, "order_cancelled",
                        lambda: _("Part of your order %(number)s is cancelled", number=seller_order.order.number))
    session.flush()


def refund_due(seller_order: SellerOrder) -> int:
    """What the buyer paid for this seller order: its goods and shipping, plus (in the US, where
    sales tax is added on the goods of the whole order) its goods' share of that tax, rounded half up."""
    order = seller_order.order
    tax = divide_half_up(order.sales_tax_amount * seller_order.goods_amount, order.goods_amount) \
        if order.sales_tax_amount and order.goods_amount else 0
    return seller_order.goods_amount + seller_order.shipping_amount + tax


def refund(session: Session, seller_order: SellerOrder, provider=None) -> str:
    """Pay back a cancelled seller order's `refund_amount` through the provider that took the payment.

    Call it after the cancellation is committed (a network call holds no lock). Idempotent: the
    provider gets one key per seller order, and a seller order already refunded is left alone.
    Returns the provider's reference; raises `RefundFailed` when the provider refuses or is down.
    """
    if seller_order.refund_reference:
        return seller_order.refund_reference
    if seller_order.status != SellerOrderStatus.CANCELLED or seller_order.refund_amount <= 0:
        raise TransitionRefused(seller_order.status)
    payment = session.scalar(select(Payment).where(Payment.order_id == seller_order.order_id,
                                                   Payment.status == PaymentStatus.SUCCEEDED))
    if payment is None:
        raise RefundFailed()
    if provider is None:
        from app.checkout.payments import provider_of
        provider = provider_of(payment.provider)
    try:
        reference = provider.refund(payment, seller_order.refund_amount,
                                    idempotency_key=f"refund-seller-order-{seller_order.id}")
    except Exception as exc:   # any provider or network failure: the cancellation stands, the refund waits
        raise RefundFailed() from exc
    seller_order.refund_reference = reference
    session.flush()
    return reference


def _enqueue_buyer_mail(session: Session, seller_order: SellerOrder, template: str, subject) -> None:
    from app.mail.outbox import enqueue  # mail renders pages; imported late, as placing does
    order: Order = seller_order.order
    edition = order.locale.replace("_", "-").lower()
    with force_locale(order.locale):
        link = public_url_for("orders.detail", edition=edition, number=order.number, token=order.access_token)
        enqueue(session, recipient=order.email, locale=order.locale, kind=template, reference=order.number,
                template=template, subject=subject(), order=order, seller_order=seller_order, link=link,
                carrier=carrier_name(seller_order.carrier), reason=CANCEL_REASONS.get(seller_order.cancel_reason or ""))
