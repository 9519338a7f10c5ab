"""Receipt and inspection by the winning refurbisher, and the counter-offer the shopper answers once."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.mail.models import OutboxMessage
from app.models_base import utcnow
from app.tradein import inspection
from app.tradein.errors import CounterOfferClosed, InvalidInspection, StaleTradeIn
from app.tradein.models import TradeInStatus
from tests.builders import make_user
from tests.tradein.helpers import findings, make_received, photo_upload

COUNTER = {"decision": "counter", "condition_found": "damaged", "counter_amount": 9000,
           "counter_reasons": ("screen",)}


def _kinds(session):
    return [m.kind for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_receipt_starts_the_inspection_clock_once(session, request_ctx):
    trade_in, _ = make_received(session)

    assert trade_in.status == TradeInStatus.RECEIVED and trade_in.received_at is not None
    assert trade_in.inspect_by > trade_in.received_at + timedelta(days=1)
    with pytest.raises(StaleTradeIn):
        inspection.mark_received(session, trade_in)
    assert "tradein_received" in _kinds(session)


def test_a_matching_device_is_to_pay_at_the_quoted_price(session, request_ctx):
    trade_in, seller = make_received(session)

    status = inspection.record_inspection(session, trade_in, findings(imei_or_serial="4901 5420 3237 518"),
                                          inspector=make_user(session, seller=seller))

    assert status == TradeInStatus.TO_PAY == trade_in.status
    assert trade_in.final_amount == trade_in.amount == 20000 and trade_in.pay_by is not None
    assert trade_in.inspection.imei_or_serial == "490154203237518" and not trade_in.was_countered
    assert _kinds(session)[-1] == "tradein_to_pay"


@pytest.mark.parametrize("field, reason", [("is_activation_locked", "locked"), ("is_blacklisted", "stolen")])
def test_a_locked_or_stolen_device_goes_back(session, request_ctx, field, reason):
    trade_in, seller = make_received(session)

    inspection.record_inspection(session, trade_in, findings(**{field: True}), inspector=make_user(session))

    assert trade_in.status == TradeInStatus.RETURNING and trade_in.return_reason == reason
    assert trade_in.final_amount is None
    mail = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert mail.kind == "tradein_returned" and mail.language == "fr" and "gratuitement" in mail.body_text


@pytest.mark.parametrize("overrides, field", [
    ({"imei_or_serial": "490154203237519"}, "imei_or_serial"),        # bad check digit
    ({"imei_or_serial": "ab"}, "imei_or_serial"),
    ({"counter_amount": 20000}, "counter_amount"),                    # not below the quoted price
    ({"counter_amount": 25000}, "counter_amount"),
    ({"counter_reasons": ()}, "counter_reasons"),
    ({"counter_reasons": ("made-up",)}, "counter_reasons"),
    ({"condition_found": "good"}, "decision"),                        # as declared: nothing to counter
])
def test_a_bad_inspection_changes_nothing(session, request_ctx, overrides, field):
    trade_in, _ = make_received(session)

    with pytest.raises(InvalidInspection) as caught:
        inspection.record_inspection(session, trade_in, findings(**(COUNTER | overrides)),
                                     inspector=make_user(session), photos=[photo_upload()])

    assert field in caught.value.errors
    session.refresh(trade_in)
    assert trade_in.status == TradeInStatus.RECEIVED and trade_in.inspection is None


def test_a_counter_offer_needs_photos(session, request_ctx):
    trade_in, _ = make_received(session)
    with pytest.raises(InvalidInspection) as caught:
        inspection.record_inspection(session, trade_in, findings(**COUNTER), inspector=make_user(session))
    assert "photos" in caught.value.errors


def test_a_counter_offer_is_accepted_once_at_its_price(session, request_ctx):
    trade_in, _ = make_received(session)
    inspection.record_inspection(session, trade_in, findings(**COUNTER, is_symbolic=False),
                                 inspector=make_user(session), photos=[photo_upload(), photo_upload()])
    assert trade_in.status == TradeInStatus.COUNTER_OFFERED and trade_in.was_countered
    assert len(trade_in.photos) == 2 and inspection.photo_bytes(trade_in.photos[0])[:4] == b"RIFF"
    assert _kinds(session)[-1] == "tradein_counter_offer"

    inspection.answer_counter_offer(session, trade_in, accept=True)
    with pytest.raises(CounterOfferClosed):
        inspection.answer_counter_offer(session, trade_in, accept=False)

    assert trade_in.status == TradeInStatus.TO_PAY and trade_in.final_amount == 9000


def test_a_refused_counter_offer_sends_the_device_back(session, request_ctx):
    trade_in, _ = make_received(session)
    inspection.record_inspection(session, trade_in, findings(**COUNTER), inspector=make_user(session),
                                 photos=[photo_upload()])

    inspection.answer_counter_offer(session, trade_in, accept=False)

    assert trade_in.status == TradeInStatus.RETURNING and trade_in.return_reason == "refused"
    assert trade_in.final_amount is None


def test_an_unanswered_counter_offer_lapses_after_seven_days(session, request_ctx):
    trade_in, _ = make_received(session, language="de", code="DE")
    inspection.record_inspection(session, trade_in, findings(**COUNTER), inspector=make_user(session),
                                 photos=[photo_upload()])

    assert inspection.lapse_counter_offers(session, now=utcnow() + timedelta(days=6)) == 0
    assert inspection.lapse_counter_offers(session, now=utcnow() + timedelta(days=7, minutes=1)) == 1
    assert inspection.lapse_counter_offers(session, now=utcnow() + timedelta(days=8)) == 0

    session.refresh(trade_in)
    assert trade_in.status == TradeInStatus.RETURNING and trade_in.return_reason == "lapsed"
    with pytest.raises(CounterOfferClosed):
        inspection.answer_counter_offer(session, trade_in, accept=True)
    mail = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert mail.kind == "tradein_returned" and mail.language == "de"


def test_inspecting_twice_is_stale(session, request_ctx):
    trade_in, _ = make_received(session)
    inspection.record_inspection(session, trade_in, findings(), inspector=make_user(session))
    with pytest.raises(StaleTradeIn):
        inspection.record_inspection(session, trade_in, findings(), inspector=make_user(session))
