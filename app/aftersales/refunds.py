"""Refunds after shipment, made exactly once through the provider that took the payment.

`owe` writes what is owed in the caller's transaction; `pay` makes the provider call after that is
committed (a network call holds no lock). Exactly once, even when retried or killed mid-way:

- the provider gets the refund's own `idempotency_key` on every attempt, so a second call with the
  same key returns the first refund (Stripe's idempotency keys; the test provider's references);
- the move pending → done is a conditional UPDATE, and only the call that wins it adds the amount
  to the seller order's `refund_amount` (what the payout statement deducts).
"""
from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models_base import utcnow
from app.orders.models import Payment, PaymentStatus, SellerOrder

from .errors import RefundFailed
from .models import (
    ClaimStatus,
    Refund,
    RefundStatus,
    ReturnRequest,
    ReturnStatus,
    WarrantyClaim,
    Withdrawal,
    WithdrawalStatus,
)


def owe(session: Session, seller_order: SellerOrder, *, kind: str, key: str, amount: int, commission_reversed: int,
        due_on: date) -> Refund:
    refund = Refund(seller_order_id=seller_order.id, kind=kind, amount=amount, commission_reversed=commission_reversed,
                    currency=seller_order.order.currency, idempotency_key=key, due_on=due_on)
    session.add(refund)
    session.flush()
    return refund


def pay(session: Session, refund: Refund, provider=None) -> Refund:
    """Pay `refund` through the provider of the order's payment; flushes, the caller commits.

    Raises `RefundFailed` when the provider refuses or cannot be reached (the refund stays pending
    and `flask worker` tries again).
    """
    if refund.status == RefundStatus.DONE:
        return refund
    seller_order = refund.seller_order
    payment = session.scalar(select(Payment).where(Payment.order_id == seller_order.order_id,
                                                   Payment.status == PaymentStatus.SUCCEEDED))
    refund.attempts += 1
    if payment is None:
        refund.last_error = "no succeeded payment"
        session.flush()
        raise RefundFailed()
    if provider is None:
        from app.checkout.payments import provider_of
        provider = provider_of(payment.provider)
    try:
        reference = provider.refund(payment, refund.amount, idempotency_key=refund.idempotency_key)
    except Exception as exc:   # any provider or network failure: the refund stays owed
        refund.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        session.flush()
        raise RefundFailed() from exc
    won = session.execute(
        update(Refund).where(Refund.id == refund.id, Refund.status == RefundStatus.PENDING)
        .values(status=RefundStatus.DONE, provider_reference=reference, refunded_at=utcnow(), last_error=None)
        .execution_options(synchronize_session=False)).rowcount
    if won == 1:
        session.execute(update(SellerOrder).where(SellerOrder.id == refund.seller_order_id)
                        .values(refund_amount=SellerOrder.refund_amount + refund.amount)
                        .execution_options(synchronize_session=False))
        session.execute(update(Withdrawal).where(Withdrawal.refund_id == refund.id,
                                                 Withdrawal.status == WithdrawalStatus.CONFIRMED)
                        .values(status=WithdrawalStatus.REFUNDED).execution_options(synchronize_session=False))
        session.execute(update(ReturnRequest).where(ReturnRequest.refund_id == refund.id,
                                                    ReturnRequest.status == ReturnStatus.INSPECTED)
                        .values(status=ReturnStatus.REFUNDED, closed_at=utcnow())
                        .execution_options(synchronize_session=False))
        session.execute(update(WarrantyClaim).where(WarrantyClaim.refund_id == refund.id,
                                                    WarrantyClaim.status == ClaimStatus.REFUNDING)
                        .values(status=ClaimStatus.REFUNDED, closed_at=utcnow())
                        .execution_options(synchronize_session=False))
    session.flush()
    session.refresh(refund)
    return refund


def pay_pending(session: Session, *, limit: int = 50) -> int:
    """`flask worker`: try every pending refund once, committing each on its own; returns how many were paid."""
    ids = list(session.scalars(select(Refund.id).where(Refund.status == RefundStatus.PENDING)
                               .order_by(Refund.due_on, Refund.id).limit(limit)))
    paid = 0
    for refund_id in ids:
        refund = session.get(Refund, refund_id)
        try:
            pay(session, refund)
        except RefundFailed:
            session.commit()         # keeps the attempt count and the error
            current_app.logger.warning("refund %s failed, will retry", refund_id)
            continue
        session.commit()
        paid += 1
    return paid
