"""Shared steps of the checkout tests: stock a listing, fill a cart through the real views."""
from __future__ import annotations

from sqlalchemy import select

from app.orders.models import Order
from tests.builders import make_listing, make_markets, make_product, make_seller

ADDRESSES = {
    "fr-fr": {"email": "lea@example.fr", "phone": "06 12 34 56 78", "first_name": "Léa", "last_name": "Martin",
              "line1": "12 rue de la Paix", "line2": "", "postcode": "75002", "city": "Paris"},
    "de-de": {"email": "jonas@example.de", "phone": "030 1234567", "first_name": "Jonas", "last_name": "Becker",
              "line1": "Hauptstraße 5", "line2": "", "postcode": "10115", "city": "Berlin"},
    "it-it": {"email": "giulia@example.it", "phone": "06 1234 5678", "first_name": "Giulia", "last_name": "Rossi",
              "line1": "Via Roma 10", "line2": "", "postcode": "00184", "city": "Roma"},
    "en-us": {"email": "sam@example.com", "phone": "(212) 555-0123", "first_name": "Sam", "last_name": "Lee",
              "line1": "350 Fifth Avenue", "line2": "", "postcode": "10118", "city": "New York", "region": "NY"},
}
CARD = {"card_number": "4242 4242 4242 4242", "card_expiry": "12/39", "card_cvc": "123"}


def stock(session, *, quantity=3, amount=30000, market="FR", seller=None, **listing):
    make_markets(session)
    product = make_product(session)
    seller = seller or make_seller(session, ships_to=(market,))
    found = make_listing(session, variant=product.variants[0], seller=seller, quantity=quantity,
                         prices={market: amount}, **listing)
    session.commit()
    return found


def fill_cart(client, edition, listing_id, quantity=1, delivery=None):
    """Add to cart, give an address and a delivery choice; returns the review page's idempotency key."""
    client.post(f"/{edition}/cart/add", data={"listing_id": listing_id, "quantity": quantity})
    client.post(f"/{edition}/checkout/address", data=ADDRESSES[edition])
    client.post(f"/{edition}/checkout/delivery", data=delivery or {})
    html = client.get(f"/{edition}/checkout/review").get_data(as_text=True)
    return html.split('name="key" value="', 1)[1].split('"', 1)[0]


def place(client, edition, key, card=None, method="card"):
    return client.post(f"/{edition}/checkout/place", data={"key": key, "method": method, **(card or CARD)})


def orders(session):
    session.expire_all()
    return list(session.scalars(select(Order).order_by(Order.id)))
