"""Checkout through the views: guest address rules, delivery, review, payment outcomes, idempotency."""
import re

from sqlalchemy import select

from app.mail.models import OutboxMessage
from app.offers.models import Listing
from app.orders.models import OrderStatus, PaymentStatus, SellerOrderStatus
from tests.checkout.helpers import ADDRESSES, CARD, fill_cart, orders, place, stock


def test_a_guest_buys_with_a_test_card_and_gets_an_order_page_and_an_email(client, session):
    listing = stock(session, quantity=3, amount=30000)
    key = fill_cart(client, "fr-fr", listing.id, quantity=2)

    response = place(client, "fr-fr", key)

    order, = orders(session)
    assert response.status_code == 303 and f"/fr-fr/orders/{order.number}?token=" in response.location
    assert order.status == OrderStatus.PAID and order.total_amount == 60000 and order.locale == "fr_FR"
    assert order.payments[0].status == PaymentStatus.SUCCEEDED and order.payments[0].card_last4 == "4242"
    seller_order, = order.seller_orders
    assert seller_order.status == SellerOrderStatus.TO_SHIP and seller_order.commission_amount == 6000
    assert session.get(Listing, listing.id).quantity == 1
    mail, = session.scalars(select(OutboxMessage))
    assert mail.recipient == "lea@example.fr" and order.number in mail.subject and mail.sent_at is None
    page = client.get(response.location).get_data(as_text=True)
    assert order.number in page and "600,00" in page
    assert client.get("/fr-fr/cart/").get_data(as_text=True).count("cart-line") == 0   # emptied


def test_the_order_page_needs_its_secret_link(client, session):
    listing = stock(session)
    place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id))
    order, = orders(session)

    assert client.get(f"/fr-fr/orders/{order.number}").status_code == 404
    assert client.get(f"/fr-fr/orders/{order.number}?token=guess").status_code == 404
    assert client.get(f"/fr-fr/orders/{order.number}?token={order.access_token}").status_code == 200


def test_a_replayed_place_order_post_creates_one_order(client, session):
    listing = stock(session, quantity=5)
    key = fill_cart(client, "fr-fr", listing.id)

    first = place(client, "fr-fr", key)
    second = place(client, "fr-fr", key)

    assert len(orders(session)) == 1
    assert first.location == second.location
    assert session.get(Listing, listing.id).quantity == 4


def test_a_declined_card_gives_the_stock_back_and_keeps_the_cart(client, session):
    listing = stock(session, quantity=1)
    key = fill_cart(client, "fr-fr", listing.id)

    response = place(client, "fr-fr", key, card=dict(CARD, card_number="4000 0000 0000 9995"))

    order, = orders(session)
    assert order.status == OrderStatus.FAILED and order.payments[0].failure_code == "insufficient_funds"
    assert session.get(Listing, listing.id).quantity == 1
    page = client.get(response.location).get_data(as_text=True)
    assert "Fonds insuffisants" in page
    new_key = page.split('name="key" value="', 1)[1].split('"', 1)[0]
    assert new_key != key
    assert place(client, "fr-fr", new_key).status_code == 303
    assert [o.status for o in orders(session)] == [OrderStatus.FAILED, OrderStatus.PAID]


def test_a_3d_secure_challenge_then_approval(client, session):
    listing = stock(session, quantity=2)
    key = fill_cart(client, "fr-fr", listing.id)

    challenge = place(client, "fr-fr", key, card=dict(CARD, card_number="4000000000003220"))
    order, = orders(session)
    assert "/checkout/challenge/" in challenge.location and order.status == OrderStatus.AWAITING_PAYMENT
    assert session.get(Listing, listing.id).quantity == 1           # held while the bank asks

    approved = client.post(challenge.location, data={"decision": "approve"})

    order, = orders(session)
    assert order.status == OrderStatus.PAID and "/orders/" in approved.location


def test_tampering_with_the_form_changes_nothing(client, session):
    listing = stock(session, quantity=2, amount=30000)
    key = fill_cart(client, "fr-fr", listing.id)

    response = client.post("/fr-fr/checkout/place", data={"key": key, "method": "card", "amount": "1",
                                                          "price": "1", "listing_id": "999", **CARD})
    order, = orders(session)
    assert response.status_code == 303 and order.total_amount == 30000

    forged = client.post("/fr-fr/checkout/place", data={"key": "made-up", "method": "card", **CARD})
    assert forged.status_code == 303 and len(orders(session)) == 1
    other_market = client.post("/de-de/checkout/place", data={"key": key, "method": "card", **CARD})
    assert other_market.status_code == 303 and len(orders(session)) == 1     # no German cart: nothing placed
    assert client.post("/fr-fr/checkout/place", data={"key": key, "method": "bitcoin", **CARD}).status_code in (303, 422)


def test_address_errors_are_shown_beside_their_field_in_the_shoppers_language(client, session):
    listing = stock(session)
    client.post("/fr-fr/cart/add", data={"listing_id": listing.id})

    response = client.post("/fr-fr/checkout/address", data=dict(ADDRESSES["fr-fr"], postcode="7500", phone="12",
                                                                 email="not-an-email"))
    html = response.get_data(as_text=True)

    assert response.status_code == 422
    assert re.search(r'id="postcode-error" class="field-error">[^<]*75011', html)
    assert 'aria-invalid="true"' in html and 'id="phone-error"' in html and 'id="email-error"' in html


def test_us_checkout_adds_the_states_sales_tax_and_express_delivery(client, session):
    listing = stock(session, quantity=2, amount=40000, market="US")
    key = fill_cart(client, "en-us", listing.id, delivery={f"delivery-{listing.seller_id}": "express"})

    review = client.get("/en-us/checkout/review").get_data(as_text=True)
    place(client, "en-us", key)

    order, = orders(session)
    assert order.sales_tax_rate == 4000 and order.sales_tax_amount == 1600          # New York: 4 %
    assert order.shipping_amount == 1499 and order.total_amount == 40000 + 1600 + 1499
    assert "$16.00" in review and "$14.99" in review and "$430.99" in review
    assert order.address["region"] == "NY" and order.phone == "+12125550123"


def test_each_seller_order_has_a_pdf_invoice_in_the_buyers_language(client, session):
    listing = stock(session, vat_scheme="margin")
    listing.seller.vat_number = "FR40303265045"
    session.commit()
    place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id))
    order, = orders(session)
    seller_order, = order.seller_orders
    url = f"/fr-fr/orders/{order.number}/invoice/{seller_order.id}.pdf"

    pdf = client.get(f"{url}?token={order.access_token}")

    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert b"Facture" in pdf.data and b"particulier" in pdf.data
    assert b"Workshop" in pdf.data and b"FR40303265045" in pdf.data  # the seller's name and VAT number
    assert client.get(f"{url}?token=wrong").status_code == 404


def test_a_bad_card_form_shows_every_field_error_at_once(client, session):
    listing = stock(session, quantity=3, amount=30000)
    key = fill_cart(client, "fr-fr", listing.id)

    response = place(client, "fr-fr", key, card={"card_number": "4242 4242 4242 4241", "card_expiry": "13/20",
                                                  "card_cvc": "12"})

    html = response.get_data(as_text=True)
    assert response.status_code == 422 and orders(session) == []
    for message in ("Ce numéro de carte n", "MM/AA", "3 ou 4 chiffres"):
        assert message in html, message
