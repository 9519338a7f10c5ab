"""Warranty claims, on a real database: cover stated apart (legal guarantee, commercial warranty),
checked and stripped photos, the seller's answer by conditional UPDATE (409 on a stale page), a
denial only with evidence and its escalation, a refund made once, and the per-unit warranty ledger."""
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select

from app.aftersales import claims, delivery, refunds
from app.aftersales.errors import StaleState, UnitNotInOrder, WindowClosed
from app.aftersales.models import ClaimPhoto, WarrantyClaim
from app.aftersales.rules import add_months
from app.aftersales.units import units_of
from app.mail.models import OutboxMessage
from tests.aftersales.helpers import fresh, shipped_seller_order
from tests.builders import sign_in
from tests.conftest import HX


@pytest.fixture
def context(app):
    with app.test_request_context():
        yield


def delivered(app, client, session, **kwargs):
    seller_order, listing, staff = shipped_seller_order(app, client, session, **kwargs)
    with app.test_request_context():
        delivery.buyer_confirms(session, seller_order)
        session.commit()
    return fresh(session, seller_order), listing, staff


def photo(name="crack.jpg") -> io.BytesIO:
    """A JPEG carrying a GPS position and a serial number in its EXIF, as phone photos do."""
    picture = Image.new("RGB", (800, 600), (180, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.BodySerialNumber] = "SN-0042-PRIVATE"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 24.0)
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    out.seek(0)
    out.name = name
    return out


class Upload:
    """What request.files gives the service: a name and a stream."""
    def __init__(self, stream, filename="photo.jpg"):
        self.stream, self.filename = stream, filename


def test_add_months_keeps_the_day_or_the_months_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 3), 24) == date(2028, 12, 3)
    assert add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


def test_a_claim_states_its_cover_and_stores_stripped_photos(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session, warranty_months=12)
    order = seller_order.order
    found = claims.claimable_units(session, order)
    assert len(found) == 2
    today = found[0].cover.delivered_on
    assert found[0].cover.legal_until == add_months(today, 24)          # France: the EU's 2 years
    assert found[0].cover.presumed_until == add_months(today, 12)      # second-hand: presumed for 12 months
    assert found[0].cover.commercial_until == add_months(today, 12)    # the listing's months

    claim = claims.open_claim(session, order, unit_id=found[0].unit.id, kind="damaged_in_transit",
                              description="  The screen is  cracked ", photos=[Upload(photo()), Upload(photo())])
    session.commit()

    assert (claim.status, claim.cover, claim.description, claim.technical_count) == \
        ("open", "both", "The screen is cracked", 0)
    assert claim.amount == seller_order.lines[0].unit_amount and claim.reference == f"{order.number}-C1"
    assert len(claim.photos) == 2 and {p.side for p in claim.photos} == {"buyer"}
    stored = Image.open(io.BytesIO(claims.photo_bytes(claim.photos[0])))
    assert stored.format == "WEBP" and not stored.getexif() and "exif" not in stored.info
    # the photo is not reachable through the public media route
    assert client.get(f"/media/{claim.photos[0].storage_key}.photo").status_code == 404
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "claim_received"))
    assert mail.language == "fr_FR" and claim.reference in mail.body_text and "réclamation" in mail.subject
    # one claim open per unit at a time
    with pytest.raises(WindowClosed):
        claims.open_claim(session, order, unit_id=found[0].unit.id, kind="defect", description="Again")


def test_bad_claims_are_refused_and_change_nothing(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session, warranty_months=12)
    other, _, _ = delivered(app, client, session, quantity=1)
    order = seller_order.order
    unit = units_of(session, seller_order)[0]
    with pytest.raises(claims.InvalidClaim) as fake:
        claims.open_claim(session, order, unit_id=unit.id, kind="defect", description="Dead",
                          photos=[Upload(io.BytesIO(b"<?php echo 1; ?>" * 50), "photo.jpg")])
    assert set(fake.value.errors) == {"photos"}
    with pytest.raises(claims.InvalidClaim) as empty:
        claims.open_claim(session, order, unit_id=unit.id, kind="broken", description=" ")
    assert set(empty.value.errors) == {"kind", "description"}
    with pytest.raises(claims.InvalidClaim) as no_photo:
        claims.open_claim(session, order, unit_id=unit.id, kind="damaged_in_transit", description="Dented")
    assert set(no_photo.value.errors) == {"photos"}
    with pytest.raises(UnitNotInOrder):           # someone else's unit
        claims.open_claim(session, order, unit_id=units_of(session, other)[0].id, kind="defect", description="x")
    with pytest.raises(WindowClosed):             # damage in transit: 3 working days
        claims.open_claim(session, order, unit_id=unit.id, kind="damaged_in_transit", description="Dented",
                          photos=[Upload(photo())], now=datetime.now(UTC) + timedelta(days=10))
    with pytest.raises(WindowClosed):             # after both covers ended
        claims.open_claim(session, order, unit_id=unit.id, kind="defect", description="Dead",
                          now=datetime.now(UTC) + timedelta(days=800))
    session.commit()
    assert session.scalar(select(func.count()).select_from(WarrantyClaim)) == 0
    assert session.scalar(select(func.count()).select_from(ClaimPhoto)) == 0


def test_the_commercial_warranty_alone_covers_past_the_legal_guarantee(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session, quantity=1, warranty_months=36)
    unit = units_of(session, seller_order)[0]
    later = datetime.now(UTC) + timedelta(days=800)
    claim = claims.open_claim(session, seller_order.order, unit_id=unit.id, kind="defect", description="No sound",
                              now=later)
    assert claim.cover == "commercial"


def test_a_denial_needs_evidence_and_the_buyer_can_escalate(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session, quantity=1)
    unit = units_of(session, seller_order)[0]
    claim = claims.open_claim(session, seller_order.order, unit_id=unit.id, kind="not_as_described",
                              description="Scratches: it was sold as Excellent")
    with pytest.raises(claims.InvalidClaim) as bare:
        claims.decide(session, claim, outcome="denied", note="It is Excellent")
    assert set(bare.value.errors) == {"test_report"}
    with pytest.raises(claims.InvalidClaim) as wrong:
        claims.decide(session, claim, outcome="refunded")
    assert set(wrong.value.errors) == {"outcome"}
    claims.decide(session, claim, outcome="denied", note="Checked on receipt: no scratch",
                  photos=[Upload(photo())])
    session.commit()
    assert claim.status == "denied" and [p.side for p in claim.photos] == ["seller"]
    with pytest.raises(StaleState):                # a stale page answers twice
        claims.decide(session, claim, outcome="repair")
    claims.escalate(session, claim)
    session.commit()
    assert claim.status == "escalated" and claim.escalated_at is not None
    with pytest.raises(StaleState):
        claims.escalate(session, claim)
    kinds = set(session.scalars(select(OutboxMessage.kind)))
    assert {"claim_received", "claim_decided"} <= kinds


def test_a_refund_outcome_is_paid_exactly_once(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session, quantity=1)
    unit = units_of(session, seller_order)[0]
    claim = claims.open_claim(session, seller_order.order, unit_id=unit.id, kind="dead_on_arrival",
                              description="It does not start")
    claims.decide(session, claim, outcome="refunding", note="Sorry")
    session.commit()
    refunds.pay(session, claim.refund)
    session.commit()
    refunds.pay(session, claim.refund)              # a retry
    session.commit()
    assert refunds.pay_pending(session) == 0
    session.expire_all()
    claim = session.get(WarrantyClaim, claim.id)
    assert claim.status == "refunded" and claim.refund.status == "done"
    assert fresh(session, seller_order).refund_amount == claim.amount
    # a refunded unit cannot be claimed for again
    assert claims.claimable_units(session, seller_order.order) == []


def test_the_warranty_ledger_gives_choice_then_full_refund(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session, quantity=1)
    order = seller_order.order
    unit = units_of(session, seller_order)[0]
    first = claims.open_claim(session, order, unit_id=unit.id, kind="defect", description="Battery drains")
    assert claims.allowed_outcomes(first) == ["repair", "replacement", "refunding", "denied"]
    claims.decide(session, first, outcome="repair")
    claims.resolve(session, first)
    # a second technical return: the buyer must choose replacement or refund
    with pytest.raises(claims.InvalidClaim) as choose:
        claims.open_claim(session, order, unit_id=unit.id, kind="defect", description="Battery drains again")
    assert set(choose.value.errors) == {"remedy_wanted"}
    second = claims.open_claim(session, order, unit_id=unit.id, kind="defect", description="Battery drains again",
                               remedy_wanted="replacement")
    assert (second.technical_count, claims.allowed_outcomes(second)) == (2, ["replacement", "denied"])
    with pytest.raises(claims.InvalidClaim):
        claims.decide(session, second, outcome="repair")
    claims.decide(session, second, outcome="replacement")
    claims.resolve(session, second)
    # a missing charger is not a technical return and leaves the ledger alone
    missing = claims.open_claim(session, order, unit_id=unit.id, kind="missing_item", description="No cable")
    assert missing.remedy_wanted is None
    claims.decide(session, missing, outcome="replacement")
    claims.resolve(session, missing)
    # the third: a full refund
    third = claims.open_claim(session, order, unit_id=unit.id, kind="dead_on_arrival", description="Dead now")
    assert (third.technical_count, third.remedy_wanted, claims.allowed_outcomes(third)) == \
        (3, "refund", ["refunding", "denied"])
    session.commit()


def test_an_italian_buyer_claims_with_photos_and_the_seller_answers(app, client, session):
    # given: a delivered phone in Italy, claimed for from the order page (guest secret link)
    seller_order, _, staff = delivered(app, client, session, quantity=1, edition="it-it", market="IT")
    order = seller_order.order
    base = f"/it-it/orders/{order.number}"
    assert f"{base}/claims/new" in client.get(f"{base}?token={order.access_token}").text
    form = client.get(f"{base}/claims/new?token={order.access_token}")
    assert form.status_code == 200 and "garanzia legale" in form.text.lower()
    unit_id = re.search(r'name="unit" value="(\d+)"', form.text).group(1)
    fake = client.post(f"{base}/claims/new", data={"token": order.access_token, "unit": unit_id, "kind": "defect",
                                                   "description": "Batteria", "photos": (io.BytesIO(b"GIF89a" * 99),
                                                                                         "x.jpg")},
                       content_type="multipart/form-data")
    made = client.post(f"{base}/claims/new", data={"token": order.access_token, "unit": unit_id, "kind": "defect",
                                                   "description": "La batteria non tiene la carica",
                                                   "photos": [(photo(), "a.jpg"), (photo(), "b.jpg")]},
                       content_type="multipart/form-data")
    assert fake.status_code == 422 and "La batteria" not in fake.text and 'aria-invalid="true"' in fake.text
    assert made.status_code == 303
    claim = session.scalar(select(WarrantyClaim))
    page = client.get(f"{base}/claims/{claim.reference}?token={order.access_token}")
    assert page.status_code == 200 and "La batteria non tiene la carica" in page.text
    assert "Prossimo passo: il venditore risponde, entro il" in page.text      # the clock line
    photo_id = claim.photos[0].id
    shown = client.get(f"{base}/claims/{claim.reference}/photos/{photo_id}?token={order.access_token}")
    assert shown.mimetype == "image/webp" and "no-store" in shown.headers["Cache-Control"]
    assert client.get(f"{base}/claims/{claim.reference}/photos/{photo_id}?token=wrong").status_code == 404
    assert client.get(f"{base}/claims/{claim.reference}?token=wrong").status_code == 404

    # when: the seller denies without evidence, then with a test report
    sign_in(client, staff)
    queue = client.get("/seller/aftersales/claims")
    assert claim.reference in queue.text
    fragment = client.get("/seller/aftersales/claims?status=all", headers=HX | {"HX-Target": "claim-results"})
    assert "<html" not in fragment.text and claim.reference in fragment.text
    assert client.get(f"/seller/aftersales/claims/{claim.id}/photos/{photo_id}").status_code == 200
    bare = client.post(f"/seller/aftersales/claims/{claim.id}/decide",
                       data={"outcome": "denied", "seller_note": "Nessun difetto"})
    denied = client.post(f"/seller/aftersales/claims/{claim.id}/decide",
                         data={"outcome": "denied", "seller_note": "Nessun difetto",
                               "test_report": "Battery health 96 %, 8 h screen-on test passed"},
                         headers=HX | {"HX-Target": "claim-panel"})
    again = client.post(f"/seller/aftersales/claims/{claim.id}/decide", data={"outcome": "repair"})
    assert bare.status_code == 422 and "evidence" in bare.text
    assert denied.status_code == 200 and "<html" not in denied.text
    assert again.status_code == 409

    # then: the buyer escalates it, with htmx, and a second click is a 409
    client.post("/en-gb/account/sign-out")
    escalated = client.post(f"{base}/claims/{claim.reference}/escalate", data={"token": order.access_token},
                            headers=HX | {"HX-Target": "claim-panel"})
    twice = client.post(f"{base}/claims/{claim.reference}/escalate", data={"token": order.access_token})
    assert escalated.status_code == 200 and "<html" not in escalated.text
    assert twice.status_code == 409
    session.expire_all()
    assert session.get(WarrantyClaim, claim.id).status == "escalated"
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "claim_decided"))
    assert mail.language == "it_IT"


def test_the_clock_says_who_acts_next_and_the_worker_escalates_a_missed_one(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session, quantity=2)
    first, second = units_of(session, seller_order)
    silent = claims.open_claim(session, seller_order.order, unit_id=first.id, kind="defect", description="No sound")
    slow = claims.open_claim(session, seller_order.order, unit_id=second.id, kind="defect", description="No wifi")
    claims.decide(session, slow, outcome="repair")
    session.commit()
    assert claims.clock_of(silent) == claims.Clock("seller", silent.reply_by)
    assert claims.clock_of(slow).who == "seller" and claims.clock_of(slow).by > slow.reply_by

    # on time: nothing moves; after the reply day: the silent one goes to the platform, the repair not yet
    assert claims.escalate_overdue(session) == 0
    after_reply = datetime.combine(silent.reply_by + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=12)
    assert claims.escalate_overdue(session, now=after_reply) == 1
    session.expire_all()
    silent, slow = session.get(WarrantyClaim, silent.id), session.get(WarrantyClaim, slow.id)
    assert (silent.status, silent.escalated_by, slow.status) == ("escalated", "clock", "repair")
    assert claims.clock_of(silent) == claims.Clock("platform", None)
    after_remedy = datetime.combine(slow.remedy_by + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=12)
    assert claims.escalate_overdue(session, now=after_remedy) == 1
    assert claims.escalate_overdue(session, now=after_remedy) == 0       # a second round changes nothing
    assert session.get(WarrantyClaim, slow.id).status == "escalated"
    assert session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.subject.like("%plateforme%"))) == 2


def test_an_admin_decides_an_escalated_claim_refunding_once(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session, quantity=2)
    first, second = units_of(session, seller_order)
    a = claims.open_claim(session, seller_order.order, unit_id=first.id, kind="dead_on_arrival", description="Dead")
    b = claims.open_claim(session, seller_order.order, unit_id=second.id, kind="defect", description="Noise")
    for claim in (a, b):
        claims.decide(session, claim, outcome="denied", note="Works here", test_report="All tests passed")
        claims.escalate(session, claim)
    session.commit()
    with pytest.raises(claims.InvalidClaim) as bare:
        claims.platform_decide(session, a, decision="refund", note=" ")
    assert set(bare.value.errors) == {"platform_note"}
    claims.platform_decide(session, a, decision="refund", note="The seller's test does not cover the battery")
    claims.platform_decide(session, b, decision="deny", note="The noise is normal for this model")
    session.commit()
    with pytest.raises(StaleState):
        claims.platform_decide(session, a, decision="deny", note="Changed my mind")
    refunds.pay(session, a.refund)
    session.commit()
    assert refunds.pay_pending(session) == 0
    session.expire_all()
    a, b = session.get(WarrantyClaim, a.id), session.get(WarrantyClaim, b.id)
    assert (a.status, b.status, b.refund_id) == ("refunded", "rejected", None)
    assert fresh(session, seller_order).refund_amount == a.amount


def test_an_admin_refunds_an_escalated_claim_from_the_back_office(app, client, session):
    from tests.builders import make_user
    seller_order, _, staff = delivered(app, client, session, quantity=1)
    with app.test_request_context():
        claim = claims.open_claim(session, seller_order.order, unit_id=units_of(session, seller_order)[0].id,
                                  kind="dead_on_arrival", description="Dead battery")
        session.commit()
        later = datetime.combine(claim.reply_by + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=12)
        claims.escalate_overdue(session, now=later)
    admin = make_user(session, admin=True)
    session.commit()
    sign_in(client, admin)
    listing = client.get("/manage/aftersales/claims")
    assert listing.status_code == 200 and claim.reference in listing.text
    page = client.get(f"/manage/aftersales/claims/{claim.id}")
    assert page.status_code == 200 and "Dead battery" in page.text
    bad = client.post(f"/manage/aftersales/claims/{claim.id}/decide", data={"decision": "refund"})
    done = client.post(f"/manage/aftersales/claims/{claim.id}/decide",
                       data={"decision": "refund", "platform_note": "The seller did not answer"},
                       headers=HX | {"HX-Target": "claim-panel"})
    again = client.post(f"/manage/aftersales/claims/{claim.id}/decide",
                        data={"decision": "refund", "platform_note": "Twice"})
    assert bad.status_code == 422 and done.status_code == 200 and "<html" not in done.text
    assert again.status_code == 409
    session.expire_all()
    claim = session.get(WarrantyClaim, claim.id)
    assert claim.status == "refunded" and fresh(session, seller_order).refund_amount == claim.amount


def test_a_unit_is_refunded_once_across_claims_returns_and_withdrawals(app, client, session, context):
    from app.aftersales import returns, withdrawal
    seller_order, _, _ = delivered(app, client, session, quantity=2)
    order = seller_order.order
    first, second = units_of(session, seller_order)
    # a claim refunded: the unit can no longer be withdrawn or returned
    refunded = claims.open_claim(session, order, unit_id=first.id, kind="dead_on_arrival", description="Dead")
    claims.decide(session, refunded, outcome="refunding")
    assert first.id not in {u.id for u in withdrawal.withdrawable_units(session, order)[seller_order.id]}
    assert first.id not in {u.id for u in returns.returnable_units(session, order)[seller_order.id]}
    # a return made while a claim is open: the claim can no longer be refunded
    open_claim = claims.open_claim(session, order, unit_id=second.id, kind="defect", description="Noise")
    returns.request_return(session, order, unit_id=second.id, reason="changed_mind:found_cheaper")
    with pytest.raises(claims.AftersalesError):
        claims.decide(session, open_claim, outcome="refunding")
    session.commit()
    assert session.get(WarrantyClaim, open_claim.id).status == "open"
