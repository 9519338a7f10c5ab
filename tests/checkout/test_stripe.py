"""The Stripe provider, offline: the official package talks to a stubbed HTTP client (Stripe's API is
not reachable here), and webhooks carry real signatures computed with the webhook secret."""
import hashlib
import hmac
import json
import time
from urllib.parse import parse_qs

import stripe

from app.checkout.payments.stripe_provider import StripeProvider
from app.offers.models import Listing
from app.orders.models import OrderStatus, PaymentStatus
from tests.checkout.helpers import fill_cart, orders, place, stock

SECRET = "sk_test_offline"
WEBHOOK_SECRET = "whsec_offline"


class StubStripe(stripe.HTTPClient):
    """Answers like Stripe's API for a Checkout Session, and remembers what it was sent."""
    name = "stub"

    def __init__(self):
        super().__init__()
        self.calls = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        form = parse_qs(post_data.decode() if isinstance(post_data, bytes) else (post_data or ""))
        self.calls.append((method, url, form, dict(headers or {})))
        body = {"id": "cs_test_1", "object": "checkout.session", "url": "https://checkout.stripe.test/pay/cs_test_1",
                "payment_status": "unpaid"}
        return json.dumps(body), 200, {}

    def close(self):
        pass


def signed(event: dict, secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    payload = json.dumps(event).encode()
    timestamp = int(time.time())
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={signature}"


def event(kind: str, payment_id: int, **data) -> dict:
    return {"id": f"evt_{kind}", "object": "event", "type": kind, "api_version": "2025-01-01",
            "data": {"object": {"id": "pi_test_1", "metadata": {"payment_id": str(payment_id)}, **data}}}


def stripe_app(app, monkeypatch, stub):
    app.config.update(STRIPE_SECRET_KEY=SECRET, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET)
    original = StripeProvider.__init__
    monkeypatch.setattr(StripeProvider, "__init__",
                        lambda self, key, secret, http_client=None: original(self, key, secret, http_client=stub))


def test_placing_an_order_opens_a_checkout_session_and_a_signed_webhook_settles_it(app, client, session, monkeypatch):
    stub = StubStripe()
    stripe_app(app, monkeypatch, stub)
    listing = stock(session, quantity=2, amount=30000)
    key = fill_cart(client, "fr-fr", listing.id)

    response = place(client, "fr-fr", key, card={})
    order, = orders(session)
    payment = order.payments[0]

    assert response.status_code == 303 and response.location == "https://checkout.stripe.test/pay/cs_test_1"
    method, url, form, headers = stub.calls[0]
    assert method == "post" and url.endswith("/v1/checkout/sessions")
    assert form["line_items[0][price_data][unit_amount]"] == ["30000"]
    assert form["line_items[0][price_data][currency]"] == ["eur"]
    assert form["metadata[payment_id]"] == [str(payment.id)]
    assert headers.get("Idempotency-Key") == f"payment-{payment.id}"
    assert payment.provider == "stripe" and order.status == OrderStatus.AWAITING_PAYMENT
    assert session.get(Listing, listing.id).quantity == 1

    payload, signature = signed(event("payment_intent.succeeded", payment.id))
    answer = client.post("/payments/stripe/webhook", data=payload, headers={"Stripe-Signature": signature},
                         content_type="application/json")
    replay = client.post("/payments/stripe/webhook", data=payload, headers={"Stripe-Signature": signature},
                         content_type="application/json")

    order, = orders(session)
    assert answer.status_code == 200 and replay.status_code == 200
    assert order.status == OrderStatus.PAID and order.payments[0].status == PaymentStatus.SUCCEEDED
    assert len(order.seller_orders[0].events) == 2          # the replay changed nothing


def test_a_forged_webhook_is_refused_and_a_failed_payment_gives_the_stock_back(app, client, session, monkeypatch):
    stripe_app(app, monkeypatch, StubStripe())
    listing = stock(session, quantity=1)
    place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id), card={})
    order, = orders(session)
    payment_id = order.payments[0].id

    forged, bad_signature = signed(event("payment_intent.succeeded", payment_id), secret="whsec_wrong")
    refused = client.post("/payments/stripe/webhook", data=forged, headers={"Stripe-Signature": bad_signature},
                          content_type="application/json")
    failed, signature = signed(event("payment_intent.payment_failed", payment_id,
                                     last_payment_error={"decline_code": "insufficient_funds"}))
    client.post("/payments/stripe/webhook", data=failed, headers={"Stripe-Signature": signature},
                content_type="application/json")

    order, = orders(session)
    assert refused.status_code == 400
    assert order.status == OrderStatus.FAILED and order.payments[0].failure_code == "insufficient_funds"
    assert session.get(Listing, listing.id).quantity == 1
