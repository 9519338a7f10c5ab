"""What every payment provider does: start a payment, report how it ended, and refund part of it."""
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
    available: bool            # False: nothing can be paid here (see NoProvider)

    def start(self, order: Order, payment: Payment, *, card: CardDetails | None, return_url: str,
              cancel_url: str) -> Outcome: ...

    def refund(self, payment: Payment, amount: int, *, idempotency_key: str) -> str:
        """Give `amount` (minor units, the payment's currency) back to the payer; returns the provider's
        reference of the refund. The same key never refunds twice. Raises on refusal or failure."""
        ...
