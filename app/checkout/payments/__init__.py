"""Payment providers behind one interface; `provider_for(app)` picks Stripe when its keys are set.

Without them the built-in test provider answers, but only where TEST_PAYMENTS allows it (development
by default): in production it would mark real orders paid with a documented card number, so there
`provider_for` gives `NoProvider`, and checkout refuses to place an order, saying why.
"""
from __future__ import annotations

from flask import Flask, current_app

from .base import CardDetails, Outcome, PaymentProvider
from .stripe_provider import StripeProvider
from .test_provider import TestProvider

__all__ = ["CardDetails", "NoProvider", "Outcome", "PaymentProvider", "PaymentsUnavailable", "provider_for",
           "provider_of"]

UNCONFIGURED = ("APP_ENV=production without STRIPE_SECRET_KEY: the shop takes no payment and places no order. "
                "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (or FLASK_TEST_PAYMENTS=true on a server that "
                "takes no real orders).")


class PaymentsUnavailable(RuntimeError):
    """No real payment provider is configured, and test payments are not allowed here."""


class NoProvider:
    """Production without a real provider: nothing can be paid (checkout says so and places nothing)."""
    name = "none"
    collects_card = False
    available = False

    def start(self, *_args, **_kwargs):
        raise PaymentsUnavailable(UNCONFIGURED)

    def refund(self, *_args, **_kwargs):
        raise PaymentsUnavailable(UNCONFIGURED)


def provider_for(app: Flask | None = None) -> PaymentProvider:
    config = (app or current_app).config
    if config.get("STRIPE_SECRET_KEY"):
        return StripeProvider(config["STRIPE_SECRET_KEY"], config.get("STRIPE_WEBHOOK_SECRET") or "")
    if not config.get("TEST_PAYMENTS"):
        return NoProvider()
    return TestProvider()


def provider_of(name: str, app: Flask | None = None) -> PaymentProvider:
    """The provider that took a payment (`Payment.provider`): a refund goes back the same way."""
    config = (app or current_app).config
    if name == "stripe":
        return StripeProvider(config.get("STRIPE_SECRET_KEY") or "", config.get("STRIPE_WEBHOOK_SECRET") or "")
    return TestProvider()
