"""Orders paid through the real checkout and shipped by the seller, ready for after-sales."""
from __future__ import annotations

from app.orders import fulfilment
from app.orders.models import SellerOrder
from tests.orders.helpers import imei, paid_seller_order

IMEIS = [imei("35694508123456"), imei("49015420323751"), imei("35332011112222")]


def shipped_seller_order(app, client, session, *, quantity=2, edition="fr-fr", market="FR", **listing):
    """A buyer pays for `quantity` phones; the seller ships them with their IMEIs. Returns
    (seller order, listing, staff member)."""
    seller_order, found, staff = paid_seller_order(client, session, quantity=quantity, edition=edition, market=market,
                                                   **listing)
    with app.test_request_context():
        line = seller_order.lines[0]
        fulfilment.ship(session, seller_order, carrier="dhl", tracking_number="JD0001234567",
                        units={line.id: IMEIS[:quantity]})
        session.commit()
    return fresh(session, seller_order), found, staff


def fresh(session, seller_order) -> SellerOrder:
    session.expire_all()
    return session.get(SellerOrder, seller_order.id)
