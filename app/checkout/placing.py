"""Placing an order, and settling its payment. Each step is one transaction (the caller commits).

1. `place_order` re-reads prices and stock from the database (never from the form), holds the stock
   with conditional UPDATEs that can never take it below zero, and writes the order, one seller
   order per seller, the lines as sold and a pending payment. The cart's checkout key is the order's
   idempotency key: a double click, a reload or a retried POST finds the same order.
2. The provider is called outside that transaction (no lock held during a network call).
3. `settle` records how the payment ended: paid (seller orders go to "to ship", the confirmation
   e-mail is written to the outbox in the same transaction, the cart is emptied) or failed (the
   stock is given back). `expire_abandoned` gives back the stock of payments never finished.
"""
from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.cart.models import Cart
from app.cart.services import CartView, review
from app.catalog.models import Category
from app.models_base import utcnow
from app.offers.models import Listing
from app.orders.models import (
    CommissionRate,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentStatus,
    SellerOrder,
    SellerOrderEvent,
    SellerOrderStatus,
)
from app.sites.models import Market

from .summary import Summary, summarise
from .taxes import divide_half_up, line_vat

T = TypeVar("T")
HOLD = timedelta(minutes=30)
NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class CheckoutError(Exception):
    """The order cannot be placed as shown; `code` says why, `view` carries the re-checked cart."""
    def __init__(self, code: str, view: CartView | None = None):
        super().__init__(code)
        self.code = code
        self.view = view


def new_checkout_key() -> str:
    return secrets.token_urlsafe(24)


def place_order(session: Session, cart: Cart, market: Market, *, locale: str, languages: Sequence[str],
                method: str, key: str, today: date) -> Order:
    """The order for this cart and key: the existing one, or a new one with its stock held."""
    existing = order_for_key(session, key)
    if existing is not None:
        return existing
    view = review(session, cart, market, languages)
    if view.changes:
        raise CheckoutError("changed", view)
    if not view.lines:
        raise CheckoutError("empty", view)
    contact = cart.contact or {}
    summary = summarise(view, market, cart.delivery, contact.get("region"), today)
    order = Order(
        number=_order_number(today), access_token=secrets.token_urlsafe(32), idempotency_key=key,
        market_id=market.id, locale=locale, currency=market.currency, email=contact["email"],
        phone=contact["phone"], address={k: v for k, v in contact.items() if k not in ("email", "phone")},
        goods_amount=summary.goods_amount, shipping_amount=summary.shipping_amount,
        sales_tax_amount=summary.sales_tax_amount, sales_tax_rate=summary.sales_tax_rate,
        total_amount=summary.total_amount, payment_method=method, hold_until=utcnow() + HOLD, cart_id=cart.id,
        user_id=cart.user_id)
    try:
        # The order is added inside the savepoint: begin_nested() flushes what is pending before it
        # emits SAVEPOINT, so an order added before it would fail outside the savepoint and leave
        # the whole transaction to be rolled back (PendingRollbackError on the lookup below).
        with session.begin_nested():
            session.add(order)
            session.flush()
    except IntegrityError:
        # The same key, placed at the same moment by another request: that order is this one.
        found = order_for_key(session, key)
        if found is None:
            raise
        return found
    _hold_stock(session, view)
    _seller_orders(session, order, summary, market)
    order.payments.append(Payment(method=method, amount=order.total_amount, currency=order.currency,
                                  provider="pending"))
    session.flush()
    return order


RETRIED_SQLSTATES = {"40P01", "40001"}      # deadlock detected, serialization failure
ATTEMPTS = 3


def committed(session: Session, work: Callable[[], T]) -> T:
    """`work()` then commit, in a transaction run again (up to ATTEMPTS times) when PostgreSQL aborts
    it to break a deadlock or a serialization conflict, as PostgreSQL asks of its clients: a checkout
    beside a reindex or an import can wait on rows in the opposite order. Each attempt starts from a
    rolled-back session; `work` re-reads what it needs."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            result = work()
            session.commit()
            return result
        except OperationalError as exc:
            session.rollback()
            if getattr(exc.orig, "sqlstate", None) not in RETRIED_SQLSTATES or attempt == ATTEMPTS:
                raise
            time.sleep(0.02 * attempt * (1 + secrets.randbelow(100) / 100))
    raise AssertionError("unreachable")


def order_for_key(session: Session, key: str) -> Order | None:
    return session.scalar(select(Order).where(Order.idempotency_key == key)) if key else None


def resumable(order: Order, cart: Cart) -> bool:
    """True when this cart's order holds its stock but its payment never started: the request that
    placed it died between the two transactions (a worker killed, a lost connection). The same form
    posted again starts the payment then, instead of leaving the stock held until it expires."""
    payment = order.payments[-1] if order.payments else None
    return (order.cart_id == cart.id and order.status == OrderStatus.AWAITING_PAYMENT and payment is not None
            and payment.status == PaymentStatus.PENDING and payment.provider == "pending")


def _order_number(today: date) -> str:
    return f"{today:%y%m}-" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))


def _hold_stock(session: Session, view: CartView) -> None:
    """Take the stock, line by line, only where enough is left; otherwise the whole order fails."""
    for line in view.lines:
        taken = session.execute(
            update(Listing)
            .where(Listing.id == line.line.listing_id, Listing.quantity >= line.line.quantity,
                   Listing.is_active.is_(True))
            .values(quantity=Listing.quantity - line.line.quantity)
            .execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            raise CheckoutError("stock")


def _seller_orders(session: Session, order: Order, summary: Summary, market: Market) -> None:
    rates = commission_rates(session, market, [line.line.listing.variant.product.category
                                               for planned in summary.shipments for line in planned.shipment.lines])
    for planned in summary.shipments:
        shipment = planned.shipment
        seller_order = SellerOrder(
            seller_id=shipment.seller_id, delivery_method=planned.chosen.method,
            shipping_amount=planned.chosen.amount, delivery_from=planned.chosen.window[0],
            delivery_to=planned.chosen.window[1], goods_amount=shipment.goods_amount, commission_amount=0,
            status=SellerOrderStatus.AWAITING_PAYMENT)
        for line in shipment.lines:
            offer = line.offer
            category = line.line.listing.variant.product.category
            rate_bp = rates[category.id]
            vat_rate, vat_amount = line_vat(line.amount, offer.vat_scheme, market)
            commission = divide_half_up(line.amount * rate_bp, 10000)
            seller_order.lines.append(OrderLine(
                listing_id=offer.listing_id, product_id=offer.product_id, title=line.title, options=line.options,
                grade=offer.grade, has_new_battery=offer.has_new_battery, warranty_months=offer.warranty_months,
                quantity=line.line.quantity, unit_amount=offer.amount, vat_scheme=offer.vat_scheme,
                vat_rate_bp=vat_rate, vat_amount=vat_amount, commission_rate_bp=rate_bp,
                commission_amount=commission))
            seller_order.commission_amount += commission
        seller_order.events.append(SellerOrderEvent(status=SellerOrderStatus.AWAITING_PAYMENT))
        order.seller_orders.append(seller_order)


def commission_rates(session: Session, market: Market, categories: Sequence[Category]) -> dict[int, int]:
    """Per category id, the commission in basis points: the most specific configured rate wins."""
    chains: dict[int, list[int]] = {}
    for category in categories:
        chain, node = [], category
        while node is not None:
            chain.append(node.id)
            node = node.parent
        chains[category.id] = chain
    wanted = {cid for chain in chains.values() for cid in chain}
    rows = session.scalars(select(CommissionRate).where(
        (CommissionRate.category_id.in_(wanted) | CommissionRate.category_id.is_(None)),
        (CommissionRate.market_id == market.id) | CommissionRate.market_id.is_(None))).all()
    default = current_app.config["COMMISSION_DEFAULT_BP"]
    found = {}
    for category_id, chain in chains.items():
        def specificity(row: CommissionRate) -> tuple[int, int]:
            depth = chain.index(row.category_id) if row.category_id in chain else len(chain)
            return depth, 0 if row.market_id else 1
        candidates = [r for r in rows if r.category_id is None or r.category_id in chain]
        found[category_id] = min(candidates, key=specificity).rate_bp if candidates else default
    return found


def record_start(session: Session, payment: Payment, provider: str, status: PaymentStatus, *,
                 reference: str | None, card_last4: str | None) -> bool:
    """What the provider said when the payment started, while it is not settled yet; once: False
    when another request recorded it first (the same form posted twice at once: both asked the
    provider, which answers the same for the same payment, and the first to record it goes on)."""
    values = {"provider": provider, "provider_reference": reference, "card_last4": card_last4}
    if status == PaymentStatus.REQUIRES_ACTION:
        values["status"] = status
    claimed = session.execute(update(Payment).where(
        Payment.id == payment.id, Payment.provider == "pending", Payment.status == PaymentStatus.PENDING)
        .values(**values).execution_options(synchronize_session=False)).rowcount
    session.refresh(payment)
    return claimed == 1


def settle(session: Session, payment: Payment, status: PaymentStatus, *, reference: str | None = None,
           failure_code: str | None = None) -> bool:
    """Record how a payment ended, once: False when it was already settled (a replayed webhook, a
    second click). The conditional UPDATE makes two concurrent settlements impossible."""
    changed = session.execute(update(Payment).where(
        Payment.id == payment.id, Payment.status.in_([PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION]))
        .values(status=status, failure_code=failure_code,
                provider_reference=reference or payment.provider_reference)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        return False
    session.refresh(payment)
    order = payment.order
    if status == PaymentStatus.SUCCEEDED:
        _paid(session, order)
    else:
        _release(session, order, OrderStatus.FAILED if status == PaymentStatus.FAILED else OrderStatus.ABANDONED)
    return True


def _paid(session: Session, order: Order) -> None:
    from app.mail.outbox import enqueue_order_confirmation  # mail renders pages; imported late on purpose
    order.status = OrderStatus.PAID
    order.hold_until = None
    paid_at = utcnow()
    for seller_order in order.seller_orders:
        seller_order.status = SellerOrderStatus.TO_SHIP
        seller_order.paid_at = paid_at          # the seller's dispatch promise counts from here
        seller_order.events.append(SellerOrderEvent(status=SellerOrderStatus.TO_SHIP))
    if order.cart_id:
        cart = session.get(Cart, order.cart_id)
        if cart is not None:
            cart.lines.clear()
            cart.checkout_key = None
    enqueue_order_confirmation(session, order)
    session.flush()


def _release(session: Session, order: Order, status: OrderStatus) -> None:
    order.status = status
    order.hold_until = None
    for seller_order in order.seller_orders:
        for line in seller_order.lines:
            if line.listing_id is not None:
                session.execute(update(Listing).where(Listing.id == line.listing_id)
                                .values(quantity=Listing.quantity + line.quantity)
                                .execution_options(synchronize_session=False))
        seller_order.status = SellerOrderStatus.CANCELLED
        seller_order.events.append(SellerOrderEvent(status=SellerOrderStatus.CANCELLED, note=status.value))
    session.flush()


def expire_abandoned(session: Session, now: datetime | None = None) -> int:
    """Give back the stock of orders whose payment was not finished in time. Returns how many."""
    now = now or utcnow()
    stale = session.scalars(select(Payment).join(Order).where(
        Order.status == OrderStatus.AWAITING_PAYMENT, Order.hold_until < now,
        Payment.status.in_([PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION]))).all()
    return sum(settle(session, payment, PaymentStatus.CANCELLED, failure_code="abandoned") for payment in stale)
