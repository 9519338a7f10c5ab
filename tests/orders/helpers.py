"""Paid orders made through the real checkout, and valid IMEIs for the shipping forms."""
from __future__ import annotations

import itertools

from sqlalchemy import select

from app.orders.models import SellerOrder
from tests.builders import make_user
from tests.checkout.helpers import fill_cart, orders, place, stock

_numbers = itertools.count(1)


def imei(body: str) -> str:
    """`body` (14 digits) followed by its Luhn check digit: a valid IMEI."""
    total = 0
    for i, d in enumerate(int(c) for c in reversed(body)):
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def paid_seller_order(client, session, *, quantity=2, amount=30000, edition="fr-fr", market="FR", seller=None,
                      staff_language="en", **listing):
    """A buyer pays for `quantity` units of one listing (through the real checkout, with `client`);
    returns (the seller order, the listing, a staff member of its seller)."""
    found = stock(session, quantity=quantity + 3, amount=amount, market=market, seller=seller, **listing)
    key = fill_cart(client, edition, found.id, quantity=quantity)
    assert place(client, edition, key).status_code == 303
    order = orders(session)[-1]
    seller_order = session.scalar(select(SellerOrder).where(SellerOrder.order_id == order.id))
    staff = make_user(session, seller=found.seller, language=staff_language)
    session.commit()
    return seller_order, found, staff


def make_seller_order(session, listing, *, quantity=1, status="to_ship", paid_at=None, shipped_at=None,
                      cancelled_at=None, market_code="FR", shipping=0, refund=0, commission_bp=1000):
    """A paid order of `quantity` units of `listing` written straight to the database (for pages and
    figures that need many orders; the rules themselves are tested through the real checkout)."""
    import secrets
    from datetime import date, timedelta

    from app.models_base import utcnow
    from app.orders.models import Order, OrderLine, Payment, SellerOrderEvent
    from tests.builders import market

    m = market(session, market_code)
    unit = next(p.amount for p in listing.prices if p.market_id == m.id)
    goods = unit * quantity
    commission = goods * commission_bp // 10000
    n = next(_numbers)
    order = Order(number=f"T-{n:06d}", access_token=secrets.token_urlsafe(16), idempotency_key=f"k-{n}",
                  market_id=m.id, locale="fr_FR", currency=m.currency, status="paid", email=f"buyer{n}@example.fr",
                  phone="06 12 34 56 78", address={"first_name": "Léa", "last_name": "Martin", "line1": "1 rue Nord",
                                                   "line2": "", "postcode": "75002", "city": "Paris", "region": ""},
                  goods_amount=goods, shipping_amount=shipping, total_amount=goods + shipping, payment_method="card")
    order.payments.append(Payment(provider="test", method="card", amount=goods + shipping, currency=m.currency,
                                  status="succeeded", provider_reference=f"test_{n}"))
    seller_order = SellerOrder(seller_id=listing.seller_id, status=status, delivery_method="standard",
                               shipping_amount=shipping, delivery_from=date.today() + timedelta(days=2),
                               delivery_to=date.today() + timedelta(days=4), goods_amount=goods,
                               commission_amount=commission, paid_at=paid_at or utcnow(), shipped_at=shipped_at,
                               cancelled_at=cancelled_at, refund_amount=refund)
    seller_order.lines.append(OrderLine(
        listing_id=listing.id, product_id=listing.variant.product_id, title="Model phone", options="128 GB",
        grade=listing.grade, warranty_months=12, quantity=quantity, unit_amount=unit, vat_scheme="margin",
        commission_rate_bp=commission_bp, commission_amount=commission))
    seller_order.events.append(SellerOrderEvent(status="to_ship"))
    order.seller_orders.append(seller_order)
    session.add(order)
    session.flush()
    return seller_order

