"""Payment providers behind one interface; `provider_for(app)` picks Stripe when its keys are set."""
from __future__ import annotations

from flask import Flask, current_app

from .base import CardDetails, Outcome, PaymentProvider
from .stripe_provider import StripeProvider
from .test_provider import TestProvider

__all__ = ["CardDetails", "Outcome", "PaymentProvider", "provider_for", "provider_of"]


def provider_for(app: Flask | None = None) -> PaymentProvider:
    config = (app or current_app).config
    if config.get("STRIPE_SECRET_KEY"):
        return StripeProvider(config["STRIPE_SECRET_KEY"], config.get("STRIPE_WEBHOOK_SECRET") or "")
    return TestProvider()


def provider_of(name: str, app: Flask | None = None) -> PaymentProvider:
    """The provider that took a payment (`Payment.provider`): a refund goes back the same way."""
    config = (app or current_app).config
    if name == "stripe":
        return StripeProvider(config.get("STRIPE_SECRET_KEY") or "", config.get("STRIPE_WEBHOOK_SECRET") or "")
    return TestProvider()
