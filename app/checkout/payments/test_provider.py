"""The built-in test provider: the embedded default, with documented card numbers.

| card number          | result                                   |
| -------------------- | ---------------------------------------- |
| 4242 4242 4242 4242  | paid                                     |
| 4000 0000 0000 0002  | declined                                 |
| 4000 0000 0000 9995  | declined: insufficient funds             |
| 4000 0000 0000 3220  | 3-D Secure challenge page, then paid or refused |

Any expiry date in the future and any 3-digit code. No card number is stored: only its last four
digits, as a real provider would return them.
"""
from __future__ import annotations

import re
import secrets
from datetime import date

from flask import url_for

from app.orders.models import Order, Payment, PaymentStatus

from .base import CardDetails, Outcome

SUCCESS = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"
CHALLENGE = "4000000000003220"


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in number]
    for i in range(len(digits) - 2, -1, -2):
        digits[i] = digits[i] * 2 - 9 if digits[i] > 4 else digits[i] * 2
    return len(digits) >= 12 and sum(digits) % 10 == 0


def card_problems(card: CardDetails | None, today: date) -> list[str]:
    """Every field of these card details that cannot be charged (form errors, all shown at once)."""
    if card is None:
        return ["card_number"]
    problems = []
    number = re.sub(r"[\s-]", "", card.number)
    if not number.isdigit() or not luhn_valid(number):
        problems.append("card_number")
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", card.expiry)
    if not match:
        problems.append("card_expiry")
    else:
        month, year = int(match.group(1)), int(match.group(2))
        year = year + 2000 if year < 100 else year
        if not 1 <= month <= 12 or (year, month) < (today.year, today.month):
            problems.append("card_expiry")
    if not re.fullmatch(r"\d{3,4}", card.cvc.strip()):
        problems.append("card_cvc")
    return problems


class TestProvider:
    name = "test"
    collects_card = True
    available = True

    def start(self, order: Order, payment: Payment, *, card: CardDetails | None, return_url: str,
              cancel_url: str) -> Outcome:
        number = re.sub(r"[\s-]", "", card.number) if card else ""
        # Unguessable: the challenge page is addressed by it (and kept for the browser that started it).
        reference = f"test_{secrets.token_urlsafe(24)}"
        last4 = number[-4:] or None
        if number == CHALLENGE:
            return Outcome(PaymentStatus.REQUIRES_ACTION, reference, card_last4=last4,
                           redirect_url=url_for("checkout.challenge", reference=reference))
        if number == INSUFFICIENT_FUNDS:
            return Outcome(PaymentStatus.FAILED, reference, "insufficient_funds", card_last4=last4)
        if number == SUCCESS:
            return Outcome(PaymentStatus.SUCCEEDED, reference, card_last4=last4)
        return Outcome(PaymentStatus.FAILED, reference, "declined", card_last4=last4)

    def refund(self, payment: Payment, amount: int, *, idempotency_key: str) -> str:
        """Always accepted; the reference names the key, so the same key gives the same refund."""
        if payment.status != PaymentStatus.SUCCEEDED or not 0 < amount <= payment.amount:
            raise ValueError("nothing to refund")
        return f"test_refund_{idempotency_key}"
