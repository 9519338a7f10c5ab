"""What every payment provider does: start a payment, and report how it ended."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.orders.models import Order, Payment, PaymentStatus


@dataclass(frozen=True)
class CardDetails:
    number: str
    expiry: str
    cvc: str


@dataclass(frozen=True)
class Outcome:
    """Where a payment stands after a provider call. `redirect_url`: send the shopper there next
    (a 3-D Secure challenge, a hosted payment page)."""
    status: PaymentStatus
    reference: str | None = None
    failure_code: str | None = None
    redirect_url: str | None = None
    card_last4: str | None = None


class PaymentProvider(Protocol):
    name: str
    collects_card: bool        # True: our review page asks for the card (the test provider only)

    def start(self, order: Order, payment: Payment, *, card: CardDetails | None, return_url: str,
              cancel_url: str) -> Outcome: ...
