"""Delivery of a seller order, on a real database: the carrier's signed webhook (idempotent per
event id), the seller's form, the buyer's confirmation and the worker's assumption, first one wins."""
import json
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.aftersales import delivery
from app.aftersales.errors import InvalidDate, StaleState
from app.aftersales.models import CarrierEvent, Delivery, Unit
from app.orders.models import SellerOrderStatus
from tests.aftersales.helpers import IMEIS, fresh, shipped_seller_order
from tests.builders import sign_in

SECRET = "carrier-test-secret"


@pytest.fixture
def app(tmp_path):
    from tests.conftest import make_test_app
    yield from make_test_app(tmp_path, CARRIER_WEBHOOK_SECRET=SECRET)


def post_event(client, body: dict, *, secret=SECRET, timestamp=None, carrier="dhl"):
    raw = json.dumps(body).encode()
    header = delivery.sign(secret, raw, int(timestamp or time.time()))
    return client.post(f"/carriers/{carrier}/webhook", data=raw, content_type="application/json",
                       headers={"X-Carrier-Signature": header})


def delivered_event(event_id="evt_1", tracking="JD0001234567", at="2026-12-01T22:30:00Z"):
    return {"id": event_id, "type": "delivered", "tracking_number": tracking, "occurred_at": at}


def test_a_signed_carrier_event_delivers_the_parcel_once(app, client, session):
    # given: a shipped seller order of two phones
    seller_order, _, _ = shipped_seller_order(app, client, session)

    # when: the carrier says it was delivered (23:30 in Paris), then replays the same event
    first = post_event(client, delivered_event())
    replay = post_event(client, delivered_event())

    # then: delivered on the Paris day, units recorded, the replay changes nothing
    assert first.status_code == 200 and first.json == {"received": True, "outcome": "delivered", "duplicate": False}
    assert replay.status_code == 200 and replay.json["duplicate"] is True
    seller_order = fresh(session, seller_order)
    assert seller_order.status == SellerOrderStatus.DELIVERED
    row = session.get(Delivery, seller_order.id)
    assert (row.delivered_on, row.source) == (date(2026, 12, 1), "carrier")
    assert [u.identifier for u in session.scalars(select(Unit).order_by(Unit.id))] == IMEIS[:2]
    assert session.scalar(select(func.count()).select_from(CarrierEvent)) == 1
    assert [e.status for e in seller_order.events][-1] == "delivered"


@pytest.mark.parametrize("case", ["forged", "stale", "no_header", "malformed", "unknown_carrier"])
def test_bad_carrier_calls_are_refused_and_change_nothing(app, client, session, case):
    seller_order, _, _ = shipped_seller_order(app, client, session)
    if case == "forged":
        response = post_event(client, delivered_event(), secret="not-the-secret")
    elif case == "stale":
        response = post_event(client, delivered_event(), timestamp=time.time() - 3600)
    elif case == "no_header":
        response = client.post("/carriers/dhl/webhook", data=json.dumps(delivered_event()))
    elif case == "malformed":
        response = post_event(client, {"id": "evt_2", "type": "delivered"})
    else:
        response = post_event(client, delivered_event(), carrier="pigeon")

    assert response.status_code == (404 if case == "unknown_carrier" else 400)
    assert fresh(session, seller_order).status == SellerOrderStatus.SHIPPED
    assert session.scalar(select(func.count()).select_from(CarrierEvent)) == 0


def test_an_unknown_parcel_or_another_kind_is_recorded_and_ignored(app, client, session):
    seller_order, _, _ = shipped_seller_order(app, client, session)

    unknown = post_event(client, delivered_event("evt_a", tracking="NOPE000000"))
    transit = post_event(client, {**delivered_event("evt_b"), "type": "in_transit"})

    assert unknown.json["outcome"] == "unmatched" and transit.json["outcome"] == "ignored"
    assert fresh(session, seller_order).status == SellerOrderStatus.SHIPPED


def test_without_a_secret_the_webhook_does_not_exist(tmp_path):
    from tests.conftest import make_test_app
    for app in make_test_app(tmp_path):
        assert app.test_client().post("/carriers/dhl/webhook", data=b"{}").status_code == 404


def test_the_buyer_confirms_receipt_on_the_order_page(app, client, session):
    # given: the guest's order page, reached with its secret link
    seller_order, _, _ = shipped_seller_order(app, client, session)
    order = seller_order.order
    page = client.get(f"/fr-fr/orders/{order.number}?token={order.access_token}")
    assert "J’ai reçu ce colis" in page.text

    # when
    url = f"/fr-fr/orders/{order.number}/received/{seller_order.id}"
    stranger = client.post(url, data={"token": "wrong"})
    done = client.post(url, data={"token": order.access_token})
    again = client.post(url, data={"token": order.access_token})

    # then
    assert stranger.status_code == 404
    assert done.status_code == 303
    assert again.status_code == 409 and "déjà" in again.text
    assert session.get(Delivery, seller_order.id).source == "buyer"
    assert "Livré le" in client.get(f"/fr-fr/orders/{order.number}?token={order.access_token}").text


def test_the_seller_marks_it_delivered_with_a_date_between_shipping_and_today(app, client, session):
    seller_order, _, staff = shipped_seller_order(app, client, session)
    sign_in(client, staff)
    url = f"/seller/aftersales/orders/{seller_order.id}/delivered"
    assert "Mark as delivered" in client.get(f"/seller/orders/{seller_order.id}").text

    future = client.post(url, data={"delivered_on": (date.today() + timedelta(days=3)).isoformat()})
    nonsense = client.post(url, data={"delivered_on": "yesterday"})
    done = client.post(url, data={"delivered_on": date.today().isoformat()})

    assert future.status_code == 422 and nonsense.status_code == 422 and "not in the future" in future.text
    assert done.status_code == 303
    assert session.get(Delivery, seller_order.id).source == "seller"
    assert "confirmed by the seller" in client.get(f"/seller/orders/{seller_order.id}").text


def test_the_first_source_wins(app, client, session):
    seller_order, _, _ = shipped_seller_order(app, client, session)
    with app.test_request_context():
        delivery.buyer_confirms(session, seller_order)
        session.commit()
        with pytest.raises(StaleState):
            delivery.seller_marks(session, fresh(session, seller_order), date.today())
    assert session.get(Delivery, seller_order.id).source == "buyer"


def test_a_date_before_shipping_is_refused(app, client, session):
    seller_order, _, _ = shipped_seller_order(app, client, session)
    with pytest.raises(InvalidDate):
        delivery.seller_marks(session, seller_order, date.today() - timedelta(days=30))


def test_the_worker_assumes_delivery_at_the_end_of_the_window_and_the_page_says_so(app, client, session):
    # given: a shipped order whose promised window ends today
    seller_order, _, _ = shipped_seller_order(app, client, session)
    last_day = seller_order.delivery_to

    # when: the worker runs the day after, in Paris
    after = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=12)
    before = after - timedelta(days=1)
    with app.app_context():
        assert delivery.assume_deliveries(session, now=before) == 0
        assert delivery.assume_deliveries(session, now=after) == 1
        session.commit()

    # then
    row = session.get(Delivery, seller_order.id)
    assert (row.delivered_on, row.source) == (last_day, "assumed")
    order = seller_order.order
    page = client.get(f"/en-gb/orders/{order.number}?token={order.access_token}")
    assert "assumed: the last day of the promised delivery window" in page.text
