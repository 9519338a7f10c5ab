"""Warranty claims, per unit: what is wrong, under which cover, the seller's answer, the buyer's escalation.

| from                  | to                         | by                                                    |
| --------------------- | -------------------------- | ----------------------------------------------------- |
| (new)                 | open                       | the buyer, while the unit is covered                  |
| open                  | repair, replacement        | the seller accepts it with that remedy                |
| open                  | refunding                  | the seller accepts it as a refund: owed once (`refunds`) |
| open                  | denied                     | the seller, only with evidence: photos or a test report |
| repair, replacement   | resolved                   | the seller says the remedy is done                    |
| refunding             | refunded                   | the refund is paid (`refunds.pay`)                    |
| denied                | escalated                  | the buyer asks the platform to decide                 |
| open                  | escalated                  | `flask worker`: no answer by `reply_by` (1 working day) |
| repair, replacement   | escalated                  | `flask worker`: not done by `remedy_by` (5 working days) |
| escalated             | refunding, rejected        | an admin decides, overriding the seller               |

Cover is stated apart: the legal guarantee of conformity (the market's months, `rules.guarantee_for`)
and the seller's commercial warranty (the listing's months, kept on the order line). A claim is
possible while either runs; damage in transit only within 3 working days of delivery.

The warranty ledger counts the unit's accepted technical claims (dead on arrival, defect): on the
second the buyer chooses replacement or refund, on the third and later only a refund is possible.
Every move is a conditional UPDATE from the statuses `CLAIM_TRANSITIONS` allows (`StaleState`, 409).
"""
from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.checkout.taxes import divide_half_up
from app.models_base import utcnow
from app.offers.delivery import add_working_days
from app.orders.models import Order, SellerOrder

from . import refunds
from .delivery import delivery_info, market_day
from .errors import AftersalesError, StaleState, UnitNotInOrder, WindowClosed
from .models import (
    ACCEPTED_CLAIM_STATUSES,
    OPEN_CLAIM_STATUSES,
    TECHNICAL_CLAIMS,
    ClaimKind,
    ClaimPhoto,
    ClaimStatus,
    Delivery,
    Unit,
    WarrantyClaim,
    claim_sources,
)
from .returns import returned_unit_ids
from .rules import Guarantee, add_months, guarantee_for, rules_for
from .units import units_of
from .withdrawal import WITHDRAWABLE_STATUSES, withdrawn_unit_ids

TRANSIT_WORKING_DAYS = 3
MAX_PHOTOS = 6
PHOTO_LONGEST = 1600
PHOTO_SUFFIX = ".photo"      # WebP bytes under a suffix the public media route does not serve

CLAIM_KINDS = {
    ClaimKind.DEAD_ON_ARRIVAL: _l("Dead on arrival: it does not work at all"),
    ClaimKind.DAMAGED_IN_TRANSIT: _l("Damaged in transit (within 3 working days of delivery)"),
    ClaimKind.NOT_AS_DESCRIBED: _l("Not as described (for example not the grade ordered)"),
    ClaimKind.DEFECT: _l("A defect that appeared since (under guarantee or warranty)"),
    ClaimKind.MISSING_ITEM: _l("Something is missing from the parcel"),
}
CLAIM_STATUS_LABELS = {
    ClaimStatus.OPEN: _l("waiting for the seller's answer"), ClaimStatus.REPAIR: _l("accepted: repair under way"),
    ClaimStatus.REPLACEMENT: _l("accepted: replacement under way"),
    ClaimStatus.REFUNDING: _l("accepted: refund under way"), ClaimStatus.REFUNDED: _l("refunded"),
    ClaimStatus.DENIED: _l("denied by the seller"), ClaimStatus.ESCALATED: _l("escalated to the platform"),
    ClaimStatus.RESOLVED: _l("resolved"), ClaimStatus.REJECTED: _l("denied by the platform"),
}
OUTCOMES = {ClaimStatus.REPAIR: _l("Repair"), ClaimStatus.REPLACEMENT: _l("Replacement"),
            ClaimStatus.REFUNDING: _l("Refund"), ClaimStatus.DENIED: _l("Deny")}
REMEDY_CHOICES = {"replacement": _l("A replacement"), "refund": _l("A refund")}


class InvalidClaim(AftersalesError):
    def __init__(self, errors: dict):
        super().__init__(_l("Please correct the marked fields."))
        self.errors = errors


def status_label(status: str) -> str:
    return str(CLAIM_STATUS_LABELS.get(status, status))


def kind_label(kind: str) -> str:
    return str(CLAIM_KINDS.get(kind, kind))


@dataclass(frozen=True)
class Cover:
    """What covers one unit today, from its delivery day."""
    delivered_on: date | None
    legal_until: date | None          # None: no legal guarantee in this market
    presumed_until: date | None       # the defect is presumed present at delivery until then
    commercial_until: date | None     # None: no commercial warranty on the listing
    transit_until: date | None        # last day to report damage in transit

    def covered_on(self, day: date) -> str | None:
        legal = self.legal_until is not None and day <= self.legal_until
        commercial = self.commercial_until is not None and day <= self.commercial_until
        return "both" if legal and commercial else "legal" if legal else "commercial" if commercial else None


def cover_of(delivered_on: date | None, guarantee: Guarantee, warranty_months: int) -> Cover:
    if delivered_on is None:
        return Cover(None, None, None, None, None)
    return Cover(delivered_on,
                 add_months(delivered_on, guarantee.months) if guarantee.months else None,
                 add_months(delivered_on, guarantee.presumed_months) if guarantee.presumed_months else None,
                 add_months(delivered_on, warranty_months) if warranty_months else None,
                 add_working_days(delivered_on, TRANSIT_WORKING_DAYS))


@dataclass
class ClaimableUnit:
    unit: Unit
    seller_order: SellerOrder
    cover: Cover
    technical_count: int           # accepted technical claims of this unit so far


def technical_count(session: Session, unit_id: int) -> int:
    return session.scalar(select(func.count(WarrantyClaim.id)).where(
        WarrantyClaim.unit_id == unit_id, WarrantyClaim.kind.in_(TECHNICAL_CLAIMS),
        WarrantyClaim.status.in_(ACCEPTED_CLAIM_STATUSES))) or 0


def ledger_rule(previous_technical: int) -> str:
    """What the ledger allows on the next technical claim: the seller's choice of remedy, the buyer's
    choice of replacement or refund (second), or a refund only (third and later)."""
    return "seller" if previous_technical == 0 else "buyer_choice" if previous_technical == 1 else "refund"


def claimable_units(session: Session, order: Order, *, now: datetime | None = None) -> list[ClaimableUnit]:
    """The order's units a claim may be made for today: delivered, still covered, not withdrawn or
    returned, with no claim open or refunded."""
    today = market_day(now or utcnow(), order.market.timezone)
    guarantee = guarantee_for(order.market)
    ids = [s.id for s in order.seller_orders]
    taken = withdrawn_unit_ids(session, ids) | returned_unit_ids(session, ids) | set(session.scalars(
        select(WarrantyClaim.unit_id).where(WarrantyClaim.seller_order_id.in_(ids or [0]), WarrantyClaim.status.in_(
            [*OPEN_CLAIM_STATUSES, ClaimStatus.REFUNDED]))))
    result = []
    for seller_order in order.seller_orders:
        if seller_order.status not in WITHDRAWABLE_STATUSES:
            continue
        info = delivery_info(session.get(Delivery, seller_order.id), seller_order, today)
        for unit in units_of(session, seller_order):
            cover = cover_of(info.delivered_on, guarantee, unit.line.warranty_months or 0)
            if unit.id not in taken and cover.covered_on(today):
                result.append(ClaimableUnit(unit, seller_order, cover, technical_count(session, unit.id)))
    return result


def checked_photos(files) -> list:
    """Every uploaded photo decoded and checked (ImageRejected otherwise), upright, sRGB, stripped."""
    from app.catalog.errors import ImageRejected
    from app.catalog.images import checked_picture, fit
    files = [f for f in files if f and getattr(f, "filename", "")]
    if len(files) > MAX_PHOTOS:
        raise InvalidClaim({"photos": _l("Please add at most %(count)d photos.", count=MAX_PHOTOS)})
    try:
        return [fit(checked_picture(f.stream if hasattr(f, "stream") else f), PHOTO_LONGEST) for f in files]
    except ImageRejected as exc:
        raise InvalidClaim({"photos": exc.message}) from None


def encoded(picture) -> bytes:
    """A checked picture as the WebP bytes we keep."""
    from app.catalog.images import WEBP_QUALITY
    buffer = io.BytesIO()
    picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    return buffer.getvalue()


def _store(session: Session, claim: WarrantyClaim, side: str, pictures: list) -> None:
    """Written through the media store (MEDIA_ROOT, or S3 when MEDIA_STORAGE=s3), under a suffix the
    public media route never serves: the photos are read back only through the claim's routes."""
    from app.media.storage import save_media
    for picture in pictures:
        key = f"claims/{claim.id}/{uuid.uuid4().hex}"
        save_media(f"{key}{PHOTO_SUFFIX}", encoded(picture), "image/webp")
        session.add(ClaimPhoto(claim_id=claim.id, side=side, storage_key=key))
    session.flush()


def photo_bytes(photo: ClaimPhoto) -> bytes:
    """The photo's bytes from the media store; FileNotFoundError when it is not there."""
    from app.media.storage import read_media
    data = read_media(f"{photo.storage_key}{PHOTO_SUFFIX}")
    if data is None:
        raise FileNotFoundError(photo.storage_key)
    return data


def open_claim(session: Session, order: Order, *, unit_id: int | None, kind: str, description: str, photos=(),
               remedy_wanted: str = "", now: datetime | None = None) -> WarrantyClaim:
    """The buyer claims about one unit. Photos are checked before anything is written. Flushes;
    the caller commits."""
    now = now or utcnow()
    description = " ".join((description or "").split())
    errors: dict = {}
    if kind not in CLAIM_KINDS:
        errors["kind"] = _l("Please choose what is wrong from the list.")
    if not description:
        errors["description"] = _l("Please describe the problem.")
    elif len(description) > 4000:
        errors["description"] = _l("This is too long.")
    if unit_id is None:
        errors["unit"] = _l("Please choose the unit concerned.")
    pictures = checked_photos(list(photos))
    if kind == ClaimKind.DAMAGED_IN_TRANSIT and not pictures:
        errors["photos"] = _l("Please add at least one photo of the damage.")
    if errors:
        raise InvalidClaim(errors)
    today = market_day(now, order.market.timezone)
    found = next((c for c in claimable_units(session, order, now=now) if c.unit.id == unit_id), None)
    if found is None:
        all_units = {u.id for so in order.seller_orders for u in units_of(session, so)}
        if unit_id in all_units:
            raise WindowClosed(_l("This unit can no longer be claimed for: its cover has ended, or it is already "
                                  "withdrawn, returned or claimed for."))
        raise UnitNotInOrder()
    if kind == ClaimKind.DAMAGED_IN_TRANSIT and today > found.cover.transit_until:
        raise WindowClosed(_l("Damage in transit must be reported within 3 working days of delivery."))
    rule = ledger_rule(found.technical_count) if kind in TECHNICAL_CLAIMS else "seller"
    if rule == "buyer_choice" and remedy_wanted not in REMEDY_CHOICES:
        raise InvalidClaim({"remedy_wanted": _l("This unit was already repaired or replaced once: "
                                                "please choose a replacement or a refund.")})
    wanted = remedy_wanted if rule == "buyer_choice" else "refund" if rule == "refund" else None
    rules = rules_for(session, order.market)
    line = found.unit.line
    count = session.scalar(select(func.count(WarrantyClaim.id)).where(WarrantyClaim.order_id == order.id)) or 0
    claim = WarrantyClaim(
        reference=f"{order.number}-C{count + 1}", order_id=order.id, seller_order_id=found.seller_order.id,
        unit_id=found.unit.id, kind=kind, description=description, status=ClaimStatus.OPEN,
        cover=found.cover.covered_on(today), technical_count=found.technical_count + (kind in TECHNICAL_CLAIMS),
        remedy_wanted=wanted, created_at=now, reply_by=add_working_days(today, rules.seller_reply_working_days),
        amount=line.unit_amount, commission_reversed=divide_half_up(line.commission_amount, line.quantity),
        currency=order.currency)
    session.add(claim)
    session.flush()
    _store(session, claim, "buyer", pictures)
    _mail(session, claim, "claim_received",
          lambda: _("Your claim %(reference)s is received", reference=claim.reference))
    return claim


def allowed_outcomes(claim: WarrantyClaim) -> list[str]:
    """What the seller may answer, by the ledger: every remedy, the buyer's choice, or a refund;
    denial (with evidence) always."""
    if claim.remedy_wanted == "refund":
        return [ClaimStatus.REFUNDING, ClaimStatus.DENIED]
    if claim.remedy_wanted == "replacement":
        return [ClaimStatus.REPLACEMENT, ClaimStatus.DENIED]
    return [ClaimStatus.REPAIR, ClaimStatus.REPLACEMENT, ClaimStatus.REFUNDING, ClaimStatus.DENIED]


def _refundable(session: Session, claim: WarrantyClaim) -> None:
    """A unit withdrawn or returned (meanwhile) is refunded there, never a second time here."""
    ids = [claim.seller_order_id]
    if claim.unit_id in withdrawn_unit_ids(session, ids) | returned_unit_ids(session, ids):
        raise AftersalesError(_l("This unit is already withdrawn or being returned: it is refunded there."))


def _move(session: Session, claim: WarrantyClaim, to: ClaimStatus, **values) -> None:
    changed = session.execute(
        update(WarrantyClaim).where(WarrantyClaim.id == claim.id, WarrantyClaim.status.in_(claim_sources(to)))
        .values(status=to, **values).execution_options(synchronize_session=False)).rowcount
    session.refresh(claim)
    if changed != 1:
        raise StaleState()
    session.flush()


def decide(session: Session, claim: WarrantyClaim, *, outcome: str, note: str = "", test_report: str = "",
           photos=(), now: datetime | None = None) -> None:
    """The seller's answer to an open claim. A refund is owed once (`refunds.owe`, paid by the caller
    after commit); a denial needs evidence: photos or a test report."""
    now = now or utcnow()
    note = " ".join((note or "").split())
    test_report = (test_report or "").strip()
    if claim.status != ClaimStatus.OPEN:
        raise StaleState()
    errors: dict = {}
    if outcome not in allowed_outcomes(claim):
        errors["outcome"] = _l("Please choose one of the answers offered.")
    if len(note) > 2000 or len(test_report) > 8000:
        errors["seller_note"] = _l("This is too long.")
    pictures = checked_photos(list(photos))
    if outcome == ClaimStatus.DENIED and not pictures and not test_report:
        errors["test_report"] = _l("A claim may be denied only with evidence: add photos or a test report.")
    if outcome == ClaimStatus.DENIED and not note:
        errors["seller_note"] = _l("Please say why you deny this claim.")
    if errors:
        raise InvalidClaim(errors)
    if outcome == ClaimStatus.REFUNDING:
        _refundable(session, claim)
    remedy_by = None
    if outcome in (ClaimStatus.REPAIR, ClaimStatus.REPLACEMENT):
        days = rules_for(session, claim.order.market).seller_remedy_working_days
        remedy_by = add_working_days(market_day(now, claim.order.market.timezone), days)
    _move(session, claim, ClaimStatus(outcome), decided_at=now, seller_note=note or None, remedy_by=remedy_by,
          test_report=test_report or None, closed_at=now if outcome == ClaimStatus.DENIED else None)
    _store(session, claim, "seller", pictures)
    if outcome == ClaimStatus.REFUNDING:
        due = market_day(now, claim.order.market.timezone) + timedelta(days=14)
        claim.refund_id = refunds.owe(session, claim.seller_order, kind="claim", key=f"claim-{claim.id}",
                                      amount=claim.amount, commission_reversed=claim.commission_reversed,
                                      due_on=due).id
        session.flush()
    _mail(session, claim, "claim_decided",
          lambda: _("The seller answered your claim %(reference)s", reference=claim.reference))


def resolve(session: Session, claim: WarrantyClaim, *, now: datetime | None = None) -> None:
    """The seller's repair or replacement is done."""
    if claim.status not in (ClaimStatus.REPAIR, ClaimStatus.REPLACEMENT):
        raise StaleState()
    _move(session, claim, ClaimStatus.RESOLVED, closed_at=now or utcnow())


def escalate(session: Session, claim: WarrantyClaim, *, now: datetime | None = None) -> None:
    """The buyer does not accept the denial: the platform decides."""
    if claim.status != ClaimStatus.DENIED:
        raise StaleState()
    _move(session, claim, ClaimStatus.ESCALATED, escalated_at=now or utcnow(), escalated_by="buyer", closed_at=None)


@dataclass(frozen=True)
class Clock:
    """Who must act next on a claim, and by when (None: no deadline)."""
    who: str            # seller | buyer | platform | "" (nobody: the claim is closed)
    by: date | None


def clock_of(claim: WarrantyClaim) -> Clock:
    if claim.status == ClaimStatus.OPEN:
        return Clock("seller", claim.reply_by)
    if claim.status in (ClaimStatus.REPAIR, ClaimStatus.REPLACEMENT):
        return Clock("seller", claim.remedy_by)
    if claim.status == ClaimStatus.REFUNDING:
        return Clock("platform", claim.refund.due_on if claim.refund else None)
    if claim.status == ClaimStatus.DENIED:
        return Clock("buyer", None)
    if claim.status == ClaimStatus.ESCALATED:
        return Clock("platform", None)
    return Clock("", None)


def escalate_overdue(session: Session, *, now: datetime | None = None, limit: int = 200) -> int:
    """`flask worker`: claims whose seller clock ran out (no answer by `reply_by`, no repair or
    replacement by `remedy_by`, both in the market's time zone) go to the platform; commits each."""
    now = now or utcnow()
    ids = list(session.scalars(select(WarrantyClaim.id).where(
        WarrantyClaim.status.in_([ClaimStatus.OPEN, ClaimStatus.REPAIR, ClaimStatus.REPLACEMENT]),
        func.coalesce(WarrantyClaim.remedy_by, WarrantyClaim.reply_by) < (now + timedelta(days=1)).date())
        .order_by(WarrantyClaim.id).limit(limit)))
    moved = 0
    for claim_id in ids:
        claim = session.get(WarrantyClaim, claim_id)
        clock = clock_of(claim)
        if clock.by is None or market_day(now, claim.order.market.timezone) <= clock.by:
            continue
        try:
            _move(session, claim, ClaimStatus.ESCALATED, escalated_at=now, escalated_by="clock")
        except StaleState:
            session.rollback()
            continue
        _mail(session, claim, "claim_decided",
              lambda claim=claim: _("Your claim %(reference)s is now with the platform", reference=claim.reference))
        session.commit()
        moved += 1
    return moved


PLATFORM_DECISIONS = {"refund": _l("Refund the buyer"), "deny": _l("Uphold the denial")}


def platform_decide(session: Session, claim: WarrantyClaim, *, decision: str, note: str,
                    now: datetime | None = None) -> None:
    """An admin decides an escalated claim, overriding the seller: a refund (owed once, paid by the
    caller after commit) or the denial upheld; a note for both sides is required."""
    now = now or utcnow()
    note = " ".join((note or "").split())
    if claim.status != ClaimStatus.ESCALATED:
        raise StaleState()
    errors: dict = {}
    if decision not in PLATFORM_DECISIONS:
        errors["decision"] = _l("Please choose one of the answers offered.")
    if not note or len(note) > 2000:
        errors["platform_note"] = _l("Please explain the decision to the buyer and the seller.")
    if errors:
        raise InvalidClaim(errors)
    if decision == "deny":
        _move(session, claim, ClaimStatus.REJECTED, platform_note=note, closed_at=now)
    else:
        _refundable(session, claim)
        _move(session, claim, ClaimStatus.REFUNDING, platform_note=note)
        due = market_day(now, claim.order.market.timezone) + timedelta(days=14)
        claim.refund_id = refunds.owe(session, claim.seller_order, kind="claim", key=f"claim-{claim.id}",
                                      amount=claim.amount, commission_reversed=claim.commission_reversed,
                                      due_on=due).id
        session.flush()
    _mail(session, claim, "claim_decided",
          lambda: _("The platform decided on your claim %(reference)s", reference=claim.reference))


def escalated_claims():
    """Every claim waiting for the platform (admins only: the route is guarded)."""
    return select(WarrantyClaim).where(WarrantyClaim.status == ClaimStatus.ESCALATED)


def _mail(session: Session, claim: WarrantyClaim, template: str, subject) -> None:
    from app.mail.outbox import enqueue
    order = claim.order
    edition = order.locale.replace("_", "-").lower()
    with force_locale(order.locale):
        link = url_for("aftersales.claim_page", edition=edition, number=order.number, reference=claim.reference,
                       token=order.access_token, _external=True)
        enqueue(session, recipient=order.email, locale=order.locale, kind=template, reference=claim.reference,
                template=template, subject=subject(), order=order, claim=claim, link=link,
                status=status_label(claim.status), kind_text=kind_label(claim.kind))


def seller_claims(seller_id: int):
    """The claims a seller's staff may see: those of their own seller orders."""
    return select(WarrantyClaim).join(SellerOrder, SellerOrder.id == WarrantyClaim.seller_order_id) \
        .where(SellerOrder.seller_id == seller_id)
