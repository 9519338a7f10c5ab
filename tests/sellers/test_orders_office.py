"""Orders to ship in the seller back office: the list and its filters, the order page, the actions as
plain forms and as htmx posts, and what the buyer then sees."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.mail.models import OutboxMessage
from app.models_base import utcnow
from app.offers.models import Listing
from app.orders.models import SellerOrder
from tests.builders import make_listing, make_seller, make_user, sign_in
from tests.conftest import HX, HX_BOOSTED
from tests.orders.helpers import imei, make_seller_order, paid_seller_order

IMEI_1, IMEI_2 = imei("35694508123456"), imei("49015420323751")


@pytest.fixture
def shop(session):
    seller = make_seller(session, name="Mine", ships_to=("FR", "DE"))
    listing = make_listing(session, seller=seller, prices={"FR": 30000, "DE": 31000}, quantity=20)
    staff = make_user(session, seller=seller, language="en")
    session.commit()
    return {"seller": seller, "listing": listing, "staff": staff}


def test_the_list_shows_open_orders_first_and_filters_by_status(client, session, shop):
    # given: one order to ship, one accepted, one shipped
    to_ship = make_seller_order(session, shop["listing"])
    accepted = make_seller_order(session, shop["listing"], status="accepted")
    shipped = make_seller_order(session, shop["listing"], status="shipped", shipped_at=utcnow())
    session.commit()
    sign_in(client, shop["staff"])

    # when
    open_page = client.get("/seller/orders")
    shipped_page = client.get("/seller/orders?status=shipped")
    fragment = client.get("/seller/orders?status=shipped", headers=HX | {"HX-Target": "section%23order-results"})
    boosted = client.get("/seller/orders?status=shipped", headers=HX_BOOSTED)
    unknown = client.get("/seller/orders?status=<script>&page=abc")

    # then
    assert open_page.status_code == 200 and "2 orders" in open_page.text
    for so in (to_ship, accepted):
        assert f'id="seller-order-{so.id}"' in open_page.text
    assert f'id="seller-order-{shipped.id}"' not in open_page.text
    assert "1 order" in shipped_page.text and f'id="seller-order-{shipped.id}"' in shipped_page.text
    assert "<html" not in fragment.text and f'id="seller-order-{shipped.id}"' in fragment.text
    assert "<html" in boosted.text and "HX-Request" in fragment.headers["Vary"]
    assert unknown.status_code == 200 and "2 orders" in unknown.text
    assert client.get("/seller/orders?page=9").status_code == 404


def test_the_list_runs_the_same_number_of_queries_for_1_or_30_orders(client, session, shop, count_queries):
    sign_in(client, shop["staff"])
    make_seller_order(session, shop["listing"])
    session.commit()
    client.get("/seller/orders")
    count_queries.n = 0
    client.get("/seller/orders")
    one = count_queries.n

    for _ in range(29):
        make_seller_order(session, shop["listing"], quantity=2)
    session.commit()
    count_queries.n = 0
    page = client.get("/seller/orders")

    assert "30 orders" in page.text and count_queries.n == one


def test_the_order_page_shows_what_is_needed_to_ship_and_the_timeline(client, session):
    seller_order, listing, staff = paid_seller_order(client, session, quantity=2)
    client.post("/fr-fr/account/sign-out")
    sign_in(client, staff)

    page = client.get(f"/seller/orders/{seller_order.id}").text

    assert "Léa Martin" in page and "12 rue de la Paix" in page and "75002 Paris" in page and "France" in page
    assert "lea@example.fr" not in page                       # the buyer's e-mail is not the seller's business
    assert "Standard delivery" in page and "Ship by" in page
    assert page.count('name="unit-') == 2 and "IMEI of unit 2 of 2" in page
    assert "to ship" in page and "awaiting payment" in page   # the timeline


def test_staff_accept_and_ship_with_htmx_and_the_buyer_sees_it(client, session):
    # given
    seller_order, _, staff = paid_seller_order(client, session, quantity=2)
    order = seller_order.order
    buyer_page = f"/fr-fr/orders/{order.number}?token={order.access_token}"
    line_id = seller_order.lines[0].id
    sign_in(client, staff)
    panel = HX | {"HX-Target": "section%23order-panel"}

    # when: accept, then ship, both posted by htmx
    accepted = client.post(f"/seller/orders/{seller_order.id}/accept", headers=panel)
    shipped = client.post(f"/seller/orders/{seller_order.id}/ship", headers=panel, data={
        "carrier": "dhl", "tracking_number": "JD014600003SE", f"unit-{line_id}-0": IMEI_1,
        f"unit-{line_id}-1": f" {IMEI_2[:5]} {IMEI_2[5:]} "})

    # then: each answer is the refreshed panel
    assert accepted.status_code == 200 and "<html" not in accepted.text and "The order is accepted" in accepted.text
    assert shipped.status_code == 200 and "<html" not in shipped.text
    assert "Tracking number: JD014600003SE" in shipped.text and "Mark as shipped" not in shipped.text
    session.expire_all()
    assert session.get(SellerOrder, seller_order.id).lines[0].unit_identifiers == [IMEI_1, IMEI_2]

    # and: the buyer's order page says it is shipped, with carrier and tracking number (in French)
    buyer = client.get(buyer_page).text
    assert "Expédiée" in buyer and "DHL" in buyer and "JD014600003SE" in buyer


def test_a_plain_form_post_redirects_to_the_order_page_with_a_message(client, session):
    seller_order, _, staff = paid_seller_order(client, session, quantity=1)
    sign_in(client, staff)

    response = client.post(f"/seller/orders/{seller_order.id}/accept")

    assert response.status_code == 303 and response.location.endswith(f"/seller/orders/{seller_order.id}")
    assert "The order is accepted" in client.get(response.location).text


def test_wrong_shipping_details_are_shown_beside_their_field_in_the_staff_language(client, session):
    seller_order, _, staff = paid_seller_order(client, session, quantity=2, staff_language="de")
    line_id = seller_order.lines[0].id
    sign_in(client, staff)

    response = client.post(f"/seller/orders/{seller_order.id}/ship", data={
        "carrier": "other", "carrier_other": "", "tracking_number": "JD014600003SE",
        f"unit-{line_id}-0": "123456789012345", f"unit-{line_id}-1": ""})

    assert response.status_code == 422
    assert 'id="carrier_other-error"' in response.text and f'id="unit-{line_id}-0-error"' in response.text
    assert "Prüfziffer" in response.text                     # the IMEI message, in German
    assert 'value="JD014600003SE"' in response.text           # what was typed is kept


def test_an_action_the_status_does_not_allow_is_a_409_with_a_message(client, session):
    seller_order, _, staff = paid_seller_order(client, session, quantity=1)
    sign_in(client, staff)
    client.post(f"/seller/orders/{seller_order.id}/cancel", data={"reason": "out_of_stock"})

    again = client.post(f"/seller/orders/{seller_order.id}/accept")
    htmx = client.post(f"/seller/orders/{seller_order.id}/ship", headers=HX | {"HX-Target": "section%23order-panel"},
                       data={"carrier": "dhl", "tracking_number": "JD014600003SE"})

    assert again.status_code == 409 and "This cannot be done: the order is cancelled." in again.text
    assert htmx.status_code == 409 and "<html" not in htmx.text and "This cannot be done" in htmx.text


def test_cancelling_gives_stock_back_refunds_and_writes_the_buyer_in_their_language(client, session):
    seller_order, listing, staff = paid_seller_order(client, session, quantity=2, edition="de-de", market="DE")
    stock_before = session.get(Listing, listing.id).quantity
    sign_in(client, staff)

    response = client.post(f"/seller/orders/{seller_order.id}/cancel", data={"reason": "other", "note": "Water damage"})

    assert response.status_code == 303
    assert "cancelled and the buyer is refunded" in client.get(response.location).text
    session.expire_all()
    cancelled = session.get(SellerOrder, seller_order.id)
    assert cancelled.status == "cancelled" and cancelled.refund_reference
    assert session.get(Listing, listing.id).quantity == stock_before + 2
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order_cancelled"))
    assert mail.language == "de_DE" and mail.recipient == "jonas@example.de" and "storniert" in mail.subject


def test_the_shipping_e_mail_reaches_the_buyer(client, session, smtp_sink):
    seller_order, _, staff = paid_seller_order(client, session, quantity=1)
    line_id = seller_order.lines[0].id
    sign_in(client, staff)
    client.post(f"/seller/orders/{seller_order.id}/ship", data={
        "carrier": "colissimo", "tracking_number": "6A12345678901", f"unit-{line_id}-0": IMEI_1})

    messages = smtp_sink.wait_for(2)          # the order confirmation, then the shipping e-mail

    shipped = [m for m in messages if "en route" in m["Subject"]]
    assert len(shipped) == 1 and shipped[0]["To"] == "lea@example.fr"
    assert "6A12345678901" in shipped[0].get_body(("plain",)).get_content()


def test_the_dashboard_counts_sales_orders_to_ship_and_late_shipments(client, session, shop):
    # given: an order shipped this month, one to ship, one paid ten days ago and still not shipped
    make_seller_order(session, shop["listing"], quantity=2, status="shipped", shipped_at=utcnow(), shipping=990)
    make_seller_order(session, shop["listing"])
    make_seller_order(session, shop["listing"], paid_at=utcnow() - timedelta(days=10))
    session.commit()
    sign_in(client, shop["staff"])

    page = client.get("/seller/").text

    assert '<dd class="sales-this-month">€609.90</dd>' in page
    assert '<dd class="orders-to-ship">2</dd>' in page and '<dd class="late-shipments">1</dd>' in page
    assert "Sales of the last six months in EUR" in page and "€609.90</text>" in page
    assert "appear here once the shop takes orders" not in page


def test_a_refund_the_provider_could_not_make_can_be_tried_again(client, session, monkeypatch):
    from app.checkout.payments.test_provider import TestProvider

    seller_order, _, staff = paid_seller_order(client, session, quantity=1)
    sign_in(client, staff)
    original = TestProvider.refund

    def down(self, payment, amount, *, idempotency_key):
        raise ConnectionError("provider unreachable")

    monkeypatch.setattr(TestProvider, "refund", down)
    cancelled = client.post(f"/seller/orders/{seller_order.id}/cancel", data={"reason": "out_of_stock"},
                            follow_redirects=True)
    assert "the refund could not be made now" in cancelled.text and "Refund the buyer now" in cancelled.text

    monkeypatch.setattr(TestProvider, "refund", original)
    retried = client.post(f"/seller/orders/{seller_order.id}/refund", follow_redirects=True)

    assert "The buyer is refunded." in retried.text and "Refunded to the buyer: €300.00" in retried.text
    assert client.post(f"/seller/orders/{seller_order.id}/refund").status_code == 303       # already done: no-op


def test_bad_input_from_signed_in_staff_is_never_a_500(app, client, session, shop):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.test_bad_input import NASTY

    seller_order = make_seller_order(session, shop["listing"], quantity=2)
    session.commit()
    sign_in(client, shop["staff"])
    line_id = seller_order.lines[0].id
    fields = ["carrier", "carrier_other", "tracking_number", f"unit-{line_id}-0", f"unit-{line_id}-1", "reason",
              "note", "status", "page"]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(action=st.sampled_from(["ship", "cancel", "accept", "refund", "list", "csv"]),
           values=st.dictionaries(st.sampled_from(fields), NASTY, max_size=6), htmx=st.booleans())
    def check(action, values, htmx):
        headers = HX | {"HX-Target": "section%23order-panel"} if htmx else {}
        if action == "list":
            response = client.get("/seller/orders", query_string=values, headers=headers)
        elif action == "csv":
            response = client.get(f"/seller/payouts/{values.get('page', '2026-11').replace('/', '_')}.csv")
        else:
            response = client.post(f"/seller/orders/{seller_order.id}/{action}", data=values, headers=headers)
        assert response.status_code < 500, (action, values, response.text[:300])
        assert "Traceback" not in response.text

    check()
