"""Goodwill returns, on a real database: approved at once with a label inside the window, states
moved by conditional UPDATEs (409 on a stale page), receipt and inspection by the seller, refund once,
relisting in the grade received, the Black Friday rule and a market without returns."""
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.aftersales import delivery, refunds, returns
from app.aftersales.errors import StaleState, UnitNotInOrder, WindowClosed
from app.aftersales.models import MarketAftersales, ReturnRequest
from app.aftersales.units import units_of
from app.mail.models import OutboxMessage
from app.offers.models import Listing
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


def test_a_return_inside_the_window_is_approved_with_a_label(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session)
    unit = units_of(session, seller_order)[0]

    ret = returns.request_return(session, seller_order.order, unit_id=unit.id, reason="changed_mind:found_cheaper")
    session.commit()

    assert ret.status == "approved" and ret.label_tracking.startswith("RTFR") and ret.label_carrier == "dhl"
    assert ret.label_valid_until == date.today() + timedelta(days=14) or ret.label_valid_until > date.today()
    assert ret.amount == seller_order.lines[0].unit_amount
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "return_approved"))
    assert mail.language == "fr_FR" and ret.label_tracking in mail.body_text
    # the same unit cannot be returned twice while the first is open
    with pytest.raises(WindowClosed):
        returns.request_return(session, seller_order.order, unit_id=unit.id, reason="changed_mind:found_cheaper")


def test_bad_return_requests_are_refused(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session)
    unit = units_of(session, seller_order)[0]
    with pytest.raises(returns.InvalidReturn) as bad:
        returns.request_return(session, seller_order.order, unit_id=unit.id, reason="broken:screen")
    assert set(bad.value.errors) == {"reason"}
    with pytest.raises(returns.InvalidReturn) as why:
        returns.request_return(session, seller_order.order, unit_id=unit.id, reason="other:other")
    assert set(why.value.errors) == {"note"}
    with pytest.raises(UnitNotInOrder):
        returns.request_return(session, seller_order.order, unit_id=424242, reason="changed_mind:found_cheaper")
    later = datetime.now(UTC) + timedelta(days=70)      # past 31 January too (the Black Friday rule)
    with pytest.raises(WindowClosed):
        returns.request_return(session, seller_order.order, unit_id=unit.id, reason="changed_mind:found_cheaper",
                               now=later)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ReturnRequest)) == 0


def test_a_market_with_0_days_has_no_returns(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session)
    session.add(MarketAftersales(market_id=seller_order.order.market_id, withdrawal_days=14, withdrawal_refund_days=14,
                                 return_days=0, black_friday_returns=False, seller_reply_working_days=1,
                                 seller_remedy_working_days=5))
    session.commit()
    with pytest.raises(WindowClosed):
        returns.request_return(session, seller_order.order, unit_id=units_of(session, seller_order)[0].id,
                               reason="changed_mind:found_cheaper")


@pytest.mark.parametrize("ordered, delivered_on, last_day", [
    (date(2026, 11, 27), date(2026, 11, 30), date(2027, 1, 31)),     # Black Friday 2026 itself
    (date(2026, 12, 31), date(2027, 1, 4), date(2027, 2, 3)),        # 30 days beat 31 January
    (date(2026, 11, 26), date(2026, 11, 28), date(2026, 12, 28)),    # the day before: 30 days only
])
def test_the_black_friday_rule(app, client, session, context, ordered, delivered_on, last_day):
    seller_order, _, _ = delivered(app, client, session)
    order = seller_order.order
    order.created_at = datetime.combine(ordered, datetime.min.time(), UTC) + timedelta(hours=12)
    assert returns.last_friday_of_november(2026) == date(2026, 11, 27)
    assert returns.return_ends(order, delivered_on, 30, True) == last_day
    assert returns.return_ends(order, delivered_on, 30, False) == delivered_on + timedelta(days=30)
    assert returns.return_ends(order, delivered_on, 0, True) is None


def test_a_stale_page_cannot_move_a_return_twice(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session)
    ret = returns.request_return(session, seller_order.order, unit_id=units_of(session, seller_order)[0].id,
                                 reason="changed_mind:no_longer_needed")
    session.commit()
    returns.mark_sent(session, ret)
    session.commit()
    with pytest.raises(StaleState):
        returns.cancel(session, ret)
    with pytest.raises(StaleState):
        returns.inspect(session, ret, accept=True, grade_received="good", resellable=False, data_wiped=False,
                        activation_lock_off=False)


def test_a_french_buyer_returns_a_phone_received_as_good_and_it_is_relisted_in_good(app, client, session):
    # given: an Excellent phone, delivered, asked back through the order page
    seller_order, listing, staff = delivered(app, client, session, quantity=1, grade="excellent")
    order = seller_order.order
    base = f"/fr-fr/orders/{order.number}"
    page = client.get(f"{base}?token={order.access_token}").text
    assert "Retourner un article" in page
    form = client.get(f"{base}/returns/new?token={order.access_token}")
    unit_id = re.search(r'name="unit" value="(\d+)"', form.text).group(1)
    refused = client.post(f"{base}/returns/new", data={"token": order.access_token, "unit": unit_id, "reason": "x"})
    made = client.post(f"{base}/returns/new", data={"token": order.access_token, "unit": unit_id,
                                                    "reason": "changed_mind:found_cheaper"})
    assert refused.status_code == 422 and "Veuillez choisir une raison dans la liste." in refused.text
    assert made.status_code == 303
    ret = session.scalar(select(ReturnRequest))
    return_url = f"{base}/returns/{ret.reference}?token={order.access_token}"
    label = client.get(f"{base}/returns/{ret.reference}/label.pdf?token={order.access_token}")
    assert label.mimetype == "application/pdf" and ret.label_tracking.encode() in label.data
    assert client.get(f"{base}/returns/{ret.reference}?token=wrong").status_code == 404
    sent = client.post(f"{base}/returns/{ret.reference}/sent", data={"token": order.access_token},
                       headers=HX | {"HX-Target": "return-panel"})
    assert "<html" not in sent.text and "en cours de retour" in sent.text
    assert client.post(f"{base}/returns/{ret.reference}/cancel", data={"token": order.access_token}).status_code == 409

    # when: the seller records the receipt, then inspects it as Good, wiped, lock off, resellable
    sign_in(client, staff)
    assert ret.reference in client.get("/seller/aftersales/returns").text
    assert client.post(f"/seller/aftersales/returns/{ret.id}/receive", data={"units_counted": "1"}).status_code == 303
    unwiped = client.post(f"/seller/aftersales/returns/{ret.id}/inspect",
                          data={"decision": "accept", "grade_received": "good", "is_resellable": "1"})
    done = client.post(f"/seller/aftersales/returns/{ret.id}/inspect",
                       data={"decision": "accept", "grade_received": "good", "is_resellable": "1", "is_data_wiped": "1",
                             "is_activation_lock_off": "1"}, headers=HX | {"HX-Target": "return-panel"})
    again = client.post(f"/seller/aftersales/returns/{ret.id}/inspect",
                        data={"decision": "accept", "grade_received": "good", "is_resellable": "1",
                              "is_data_wiped": "1", "is_activation_lock_off": "1"})

    # then: refunded once, back in stock as Good (a new paused listing), never as Excellent
    assert unwiped.status_code == 422
    assert done.status_code == 200 and "<html" not in done.text
    assert again.status_code == 409
    session.expire_all()
    ret = session.get(ReturnRequest, ret.id)
    assert ret.status == "refunded" and ret.grade_received == "good"
    assert fresh(session, seller_order).refund_amount == ret.amount
    relisted = session.get(Listing, ret.relisted_listing_id)
    assert (relisted.grade, relisted.quantity, relisted.is_active, relisted.variant_id) == \
        ("good", 1, False, listing.variant_id)
    assert session.get(Listing, listing.id).grade == "excellent"
    assert "remboursé" in client.get(return_url).text


def test_a_second_good_unit_adds_to_the_good_listing(app, client, session, context):
    seller_order, listing, _ = delivered(app, client, session, quantity=2, grade="excellent")
    first, second = units_of(session, seller_order)
    listings = []
    for unit in (first, second):
        ret = returns.request_return(session, seller_order.order, unit_id=unit.id, reason="changed_mind:found_cheaper")
        returns.receive(session, ret, units_counted=1)
        returns.inspect(session, ret, accept=True, grade_received="good", resellable=True, data_wiped=True,
                        activation_lock_off=True)
        listings.append(ret.relisted_listing_id)
    session.commit()
    assert listings[0] == listings[1] and session.get(Listing, listings[0]).quantity == 2


def test_the_seller_disputes_within_a_working_day_or_refuses_at_inspection(app, client, session, context):
    seller_order, _, _ = delivered(app, client, session, quantity=2)
    first, second = units_of(session, seller_order)
    a = returns.request_return(session, seller_order.order, unit_id=first.id, reason="changed_mind:found_cheaper")
    with pytest.raises(WindowClosed):
        returns.dispute(session, a, reason="Used heavily", now=datetime.now(UTC) + timedelta(days=5))
    with pytest.raises(returns.InvalidReturn):
        returns.dispute(session, a, reason=" ")
    returns.dispute(session, a, reason="The buyer asked for a repair, not a return")
    b = returns.request_return(session, seller_order.order, unit_id=second.id, reason="changed_mind:found_cheaper")
    returns.receive(session, b, units_counted=1)
    with pytest.raises(returns.InvalidReturn):
        returns.inspect(session, b, accept=False, grade_received="fair", resellable=False, data_wiped=False,
                        activation_lock_off=False)
    returns.inspect(session, b, accept=False, grade_received="fair", resellable=False, data_wiped=False,
                    activation_lock_off=False, reason="Screen broken in the parcel: sent back")
    session.commit()
    assert (a.status, b.status) == ("rejected", "rejected") and b.refund_id is None
    assert session.scalar(select(func.count()).select_from(OutboxMessage)
                          .where(OutboxMessage.kind == "return_rejected")) == 2
    assert refunds.pay_pending(session) == 0
