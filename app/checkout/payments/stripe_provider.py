"""Stripe, through the official `stripe` package: a hosted Checkout Session (the card never reaches
this server) creating a PaymentIntent, and signed webhooks that say how it ended.

Used when STRIPE_SECRET_KEY is set; STRIPE_WEBHOOK_SECRET verifies `/stripe/webhook` calls.
"""
from __future__ import annotations

from dataclasses import dataclass

import stripe

from app.orders.models import Order, Payment, PaymentStatus

from .base import CardDetails, Outcome

# Stripe takes Klarna for pay-in-3/4 where it is offered; cards otherwise.
METHOD_TYPES = {"card": ["card"], "pay_in_3": ["klarna"], "pay_in_4": ["klarna"]}


@dataclass(frozen=True)
class WebhookResult:
    payment_id: int
    status: PaymentStatus
    reference: str | None
    failure_code: str | None


class StripeProvider:
    name = "stripe"
    collects_card = False
    available = True

    def __init__(self, secret_key: str, webhook_secret: str, http_client=None):
        self.client = stripe.StripeClient(secret_key, http_client=http_client)
        self.webhook_secret = webhook_secret

    def start(self, order: Order, payment: Payment, *, card: CardDetails | None, return_url: str,
              cancel_url: str) -> Outcome:
        session = self.client.v1.checkout.sessions.create(params={
            "mode": "payment",
            "success_url": return_url,
            "cancel_url": cancel_url,
            "customer_email": order.email,
            "client_reference_id": order.number,
            "payment_method_types": METHOD_TYPES.get(payment.method, ["card"]),
            "line_items": [{"quantity": 1, "price_data": {
                "currency": order.currency.lower(), "unit_amount": order.total_amount,
                "product_data": {"name": order.number}}}],
            "metadata": {"payment_id": str(payment.id), "order": order.number},
            "payment_intent_data": {"metadata": {"payment_id": str(payment.id), "order": order.number}},
        }, options={"idempotency_key": f"payment-{payment.id}"})
        return Outcome(PaymentStatus.PENDING, session.id, redirect_url=session.url)

    def refund(self, payment: Payment, amount: int, *, idempotency_key: str) -> str:
        """A Stripe Refund (`POST /v1/refunds`, what `stripe.Refund.create` calls) of part of the
        payment's PaymentIntent; Stripe's idempotency key makes a retried call refund once."""
        refund = self.client.v1.refunds.create(params={
            "payment_intent": payment.provider_reference,
            "amount": amount,
            "metadata": {"payment_id": str(payment.id), "order": payment.order.number},
        }, options={"idempotency_key": idempotency_key})
        return refund.id

    def parse_webhook(self, payload: bytes, signature: str) -> WebhookResult | None:
        """The payment a verified webhook event settles, or None for events we do not act on.

        Raises `stripe.SignatureVerificationError` (or ValueError) for a forged or broken payload.
        """
        event = stripe.Webhook.construct_event(payload, signature, self.webhook_secret).to_dict()
        data = event["data"]["object"]
        payment_id = int((data.get("metadata") or {}).get("payment_id") or 0)
        if not payment_id:
            return None
        kind = event["type"]
        if kind == "checkout.session.completed" and data.get("payment_status") == "paid":
            return WebhookResult(payment_id, PaymentStatus.SUCCEEDED, data.get("payment_intent"), None)
        if kind == "payment_intent.succeeded":
            return WebhookResult(payment_id, PaymentStatus.SUCCEEDED, data.get("id"), None)
        if kind == "payment_intent.payment_failed":
            error = data.get("last_payment_error") or {}
            return WebhookResult(payment_id, PaymentStatus.FAILED, data.get("id"),
                                 error.get("decline_code") or error.get("code") or "declined")
        if kind == "checkout.session.expired":
            return WebhookResult(payment_id, PaymentStatus.CANCELLED, data.get("id"), "expired")
        return None
