"""Paid orders made through the real checkout, and valid IMEIs for the shipping forms."""
from __future__ import annotations

from sqlalchemy import select

from app.orders.models import SellerOrder
from tests.builders import make_user
from tests.checkout.helpers import fill_cart, orders, place, stock


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
