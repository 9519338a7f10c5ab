"""Receipt and inspection by the winning refurbisher, and the counter-offer the shopper answers.

    awaiting_device ──received──▶ received ──matches──▶ to_pay
                                     │ ──worse──▶ counter_offered ──accepted──▶ to_pay (at the counter-offer)
                                     │                 │ ──refused / 7 days without answer──▶ returning
                                     └──locked or reported stolen──▶ returning

Every step is a conditional UPDATE on the state it starts from, so a second tab, a colleague or the
worker arriving at the same moment changes nothing and gets `StaleTradeIn` / `CounterOfferClosed`
(a 409). A counter-offer is always below the quoted price and comes with reasons from a fixed list
and photo evidence. E-mails go through the outbox in the shopper's language.
"""
from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.accounts.emails import queue_email
from app.accounts.models import User
from app.models_base import utcnow
from app.offers.delivery import add_working_days

from .errors import CounterOfferClosed, InvalidInspection, StaleTradeIn
from .models import (
    COUNTER_OFFER_DAYS,
    INSPECT_WITHIN_WORKING_DAYS,
    Condition,
    CounterReason,
    ReturnReason,
    TradeIn,
    TradeInInspection,
    TradeInPhoto,
    TradeInQuoteOffer,
    TradeInStatus,
)

MAX_PHOTOS = 6
PHOTO_LONGEST = 1600
# Stored under a suffix the public media route does not serve: only the two parties see these photos.
PHOTO_SUFFIX = ".photo"


@dataclass(frozen=True)
class InspectionFindings:
    """What the refurbisher recorded; `decision` is "matches" or "counter"."""
    imei_or_serial: str
    is_activation_locked: bool
    is_blacklisted: bool
    functions_ok: bool
    condition_found: str
    decision: str
    counter_amount: int | None = None
    counter_reasons: tuple[str, ...] = ()
    is_symbolic: bool = False
    notes: str = ""


def working_days_later(market, moment: datetime, days: int) -> datetime:
    """The end of the day `days` working days after `moment`, in the market's time zone (as UTC)."""
    zone = ZoneInfo(market.timezone)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    day = add_working_days(moment.astimezone(zone).date(), days)
    return datetime.combine(day, time(23, 59), tzinfo=zone).astimezone(UTC)


def normalize_identifier(text: str) -> str:
    """An IMEI (15 digits, Luhn check digit) or a serial number (6 to 20 letters and digits), upper case.

    Raises InvalidInspection on anything else, so a typo in an IMEI is caught at the bench."""
    value = "".join((text or "").split()).replace("-", "").upper()
    if value.isdigit():
        if len(value) != 15 or not _luhn_ok(value):
            raise InvalidInspection({"imei_or_serial": _l(
                "An IMEI has 15 digits and a valid check digit: please check it on the device.")})
        return value
    if not (6 <= len(value) <= 20 and value.isalnum() and value.isascii()):
        raise InvalidInspection({"imei_or_serial": _l(
            "Enter the IMEI (15 digits) or the serial number (6 to 20 letters and digits).")})
    return value


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def seller_trade_ins(seller):
    """The trade-ins a seller's staff may see: those whose device comes to this seller."""
    return select(TradeIn).where(TradeIn.seller_id == seller.id)


def mark_received(session: Session, trade_in: TradeIn, *, now: datetime | None = None) -> None:
    """The parcel arrived: the inspection is due within 2 working days. Raises StaleTradeIn. Flushes."""
    now = now or utcnow()
    inspect_by = working_days_later(trade_in.market, now, INSPECT_WITHIN_WORKING_DAYS)
    _move(session, trade_in, TradeInStatus.AWAITING_DEVICE, TradeInStatus.RECEIVED, StaleTradeIn,
          received_at=now, inspect_by=inspect_by, updated_at=now)
    _email(session, trade_in, "tradein_received")


def checked_photos(files) -> list:
    """Every uploaded photo decoded and checked (upright, sRGB, stripped), or InvalidInspection."""
    from app.catalog.errors import ImageRejected
    from app.catalog.images import checked_picture, fit
    files = [f for f in files if f and getattr(f, "filename", "")]
    if len(files) > MAX_PHOTOS:
        raise InvalidInspection({"photos": _l("Please add at most %(count)d photos.", count=MAX_PHOTOS)})
    try:
        return [fit(checked_picture(f.stream if hasattr(f, "stream") else f), PHOTO_LONGEST) for f in files]
    except ImageRejected as exc:
        raise InvalidInspection({"photos": exc.message}) from None


def record_inspection(session: Session, trade_in: TradeIn, findings: InspectionFindings, *, inspector: User,
                      photos=(), now: datetime | None = None) -> str:
    """Record what the inspection found and move the trade-in on; returns its new status.

    A device locked to an account or reported stolen goes back; one that matches its declaration
    is to be paid at the quoted price; otherwise a counter-offer below that price, with reasons and
    photos, waits 7 days for the shopper's answer. Checks everything before writing anything
    (InvalidInspection), then raises StaleTradeIn if the trade-in is no longer awaiting inspection.
    Flushes; the caller commits.
    """
    now = now or utcnow()
    identifier = normalize_identifier(findings.imei_or_serial)
    errors = {}
    if findings.condition_found not in set(Condition):
        errors["condition_found"] = _l("Please choose a condition.")
    pictures = checked_photos(list(photos))
    returned = findings.is_activation_locked or findings.is_blacklisted
    counter = not returned and findings.decision == "counter"
    if not returned and findings.decision not in ("matches", "counter"):
        errors["decision"] = _l("Please say whether the device matches its description.")
    if counter and not errors:
        declared = Condition(trade_in.quote.condition)
        if Condition(findings.condition_found).rank <= declared.rank and findings.functions_ok:
            errors["decision"] = _l("The device is as described (or better): a counter-offer needs a worse "
                                    "condition or a function that does not work.")
        if not findings.counter_reasons or set(findings.counter_reasons) - set(CounterReason):
            errors["counter_reasons"] = _l("Please give at least one reason for the counter-offer.")
        if findings.counter_amount is None or not 0 < findings.counter_amount < trade_in.amount:
            errors["counter_amount"] = _l("A counter-offer is lower than the quoted price and above zero.")
        if not pictures:
            errors["photos"] = _l("A counter-offer needs photos that show what differs.")
    if errors:
        raise InvalidInspection(errors)

    values: dict[str, object] = {"inspected_at": now, "updated_at": now}
    if returned:
        status = TradeInStatus.RETURNING
        values["return_reason"] = ReturnReason.STOLEN if findings.is_blacklisted else ReturnReason.LOCKED
    elif counter:
        status = TradeInStatus.COUNTER_OFFERED
        values.update(was_countered=True, answer_by=now + timedelta(days=COUNTER_OFFER_DAYS))
    else:
        status = TradeInStatus.TO_PAY
        values.update(final_amount=trade_in.amount, pay_by=_pay_by(session, trade_in, now))
    _move(session, trade_in, TradeInStatus.RECEIVED, status, StaleTradeIn, **values)
    session.add(TradeInInspection(
        trade_in_id=trade_in.id, imei_or_serial=identifier, is_activation_locked=findings.is_activation_locked,
        is_blacklisted=findings.is_blacklisted, functions_ok=findings.functions_ok,
        condition_found=findings.condition_found, notes=(findings.notes or "").strip()[:2000],
        counter_amount=findings.counter_amount if counter else None,
        counter_reasons=sorted(set(findings.counter_reasons)) if counter else [],
        is_symbolic=bool(findings.is_symbolic) if counter else False, inspected_by_id=inspector.id,
        created_at=now))
    _store_photos(session, trade_in, pictures)
    session.flush()
    session.refresh(trade_in)
    _email(session, trade_in, {TradeInStatus.RETURNING: "tradein_returned", TradeInStatus.TO_PAY: "tradein_to_pay",
                               TradeInStatus.COUNTER_OFFERED: "tradein_counter_offer"}[status])
    return status


def answer_counter_offer(session: Session, trade_in: TradeIn, *, accept: bool, now: datetime | None = None) -> None:
    """The shopper accepts (paid at the counter-offer) or refuses (device sent back free), once, within
    its 7 days. Raises CounterOfferClosed otherwise. Flushes."""
    now = now or utcnow()
    inspection = trade_in.inspection
    if inspection is None or inspection.counter_amount is None:
        raise CounterOfferClosed()
    if accept:
        values = {"status": TradeInStatus.TO_PAY, "final_amount": inspection.counter_amount,
                  "pay_by": _pay_by(session, trade_in, now)}
    else:
        values = {"status": TradeInStatus.RETURNING, "return_reason": ReturnReason.REFUSED}
    changed = session.execute(
        update(TradeIn).where(TradeIn.id == trade_in.id, TradeIn.status == TradeInStatus.COUNTER_OFFERED,
                              TradeIn.answer_by > now)
        .values(updated_at=now, **values).execution_options(synchronize_session=False)).rowcount
    if not changed:
        raise CounterOfferClosed()
    session.refresh(trade_in)
    _email(session, trade_in, "tradein_to_pay" if accept else "tradein_returned")


def lapse_counter_offers(session: Session, *, now: datetime | None = None, limit: int = 200) -> int:
    """Counter-offers left unanswered for 7 days: the device goes back free (nothing is paid without the
    shopper's yes). Conditional per trade-in, so two workers lapse each once. Returns how many. Flushes."""
    now = now or utcnow()
    due = list(session.scalars(select(TradeIn.id).where(
        TradeIn.status == TradeInStatus.COUNTER_OFFERED, TradeIn.answer_by <= now).order_by(TradeIn.id).limit(limit)))
    lapsed = 0
    for trade_in_id in due:
        changed = session.execute(
            update(TradeIn).where(TradeIn.id == trade_in_id, TradeIn.status == TradeInStatus.COUNTER_OFFERED,
                                  TradeIn.answer_by <= now)
            .values(status=TradeInStatus.RETURNING, return_reason=ReturnReason.LAPSED, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if not changed:
            continue
        lapsed += 1
        trade_in = session.get(TradeIn, trade_in_id)
        session.refresh(trade_in)
        _email(session, trade_in, "tradein_returned")
    session.flush()
    return lapsed


def photo_bytes(photo: TradeInPhoto) -> bytes | None:
    from app.media.storage import read_media
    return read_media(photo.storage_key + PHOTO_SUFFIX)


def _move(session: Session, trade_in: TradeIn, from_status: str, to_status: str, error, **values) -> None:
    changed = session.execute(
        update(TradeIn).where(TradeIn.id == trade_in.id, TradeIn.status == from_status)
        .values(status=to_status, **values).execution_options(synchronize_session=False)).rowcount
    if not changed:
        raise error()
    session.refresh(trade_in)


def _pay_by(session: Session, trade_in: TradeIn, now: datetime) -> datetime:
    days = session.scalar(select(TradeInQuoteOffer.payout_days).where(
        TradeInQuoteOffer.quote_id == trade_in.quote_id, TradeInQuoteOffer.seller_id == trade_in.seller_id)) or 2
    return working_days_later(trade_in.market, now, days)


def _store_photos(session: Session, trade_in: TradeIn, pictures: list) -> None:
    from app.catalog.images import WEBP_QUALITY
    from app.media.storage import save_media
    for picture in pictures:
        key = f"tradein/{trade_in.id}/{uuid.uuid4().hex}"
        buffer = io.BytesIO()
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
        save_media(key + PHOTO_SUFFIX, buffer.getvalue(), "image/webp")
        session.add(TradeInPhoto(trade_in_id=trade_in.id, storage_key=key))


def _email(session: Session, trade_in: TradeIn, template: str) -> None:
    from .accepting import market_date
    user = session.get(User, trade_in.user_id)
    edition = next((e for e in trade_in.market.editions if e.language == trade_in.language),
                   trade_in.market.editions[0])
    link = url_for("tradein.detail", edition=edition.code, reference=trade_in.reference, _external=True)

    def when(moment):
        return market_date(trade_in.market, moment, trade_in.language) if moment else ""
    queue_email(session, to=user.email, template=template, language=trade_in.language,
                reference=f"{trade_in.reference}-{template.removeprefix('tradein_')}", trade_in=trade_in,
                inspection=trade_in.inspection, link=link, answer_by=when(trade_in.answer_by),
                pay_by=when(trade_in.pay_by), inspect_by=when(trade_in.inspect_by))
