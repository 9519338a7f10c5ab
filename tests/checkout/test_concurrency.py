"""Many buyers at once for the last units: exactly that many orders, stock ends at zero, never below.

Real threads, each with its own session and connection, on the configured database (SQLite in WAL
mode, or PostgreSQL in the PG run).
"""
import threading
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cart.models import Cart
from app.cart.services import add, cart_for
from app.checkout.placing import CheckoutError, new_checkout_key, place_order
from app.extensions import db
from app.offers.models import Listing
from app.orders.models import Order
from app.sites.models import Market
from tests.checkout.helpers import ADDRESSES, stock

BUYERS = 12
UNITS = 3


def test_the_last_units_go_to_exactly_as_many_buyers(shared_app, shared_session):
    app, session = shared_app, shared_session
    listing = stock(session, quantity=UNITS)
    with app.app_context():
        engine = db.engine
    carts = []
    with Session(engine) as setup:
        fr = setup.scalar(select(Market).where(Market.code == "FR"))
        for n in range(BUYERS):
            cart = cart_for(setup, f"buyer-{n}", fr)
            add(setup, cart, fr, listing.id)
            cart.contact = dict(ADDRESSES["fr-fr"], phone="+33612345678", region="")
            carts.append(cart.id)
        setup.commit()

    outcomes: list[str] = []
    start = threading.Barrier(BUYERS)

    def buy(cart_id: int) -> None:
        with app.test_request_context("/fr-fr/"), Session(engine) as own:
            cart = own.get(Cart, cart_id)
            market = own.get(Market, cart.market_id)
            start.wait()
            try:
                place_order(own, cart, market, locale="fr_FR", languages=("fr", "en"), method="card",
                            key=new_checkout_key(), today=date(2026, 11, 23))
                own.commit()
                outcomes.append("ordered")
            except CheckoutError as problem:
                own.rollback()
                outcomes.append(problem.code)

    threads = [threading.Thread(target=buy, args=(cart_id,)) for cart_id in carts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    session.expire_all()
    assert sorted(outcomes) == sorted(["ordered"] * UNITS + ["stock"] * (BUYERS - UNITS))
    assert session.get(Listing, listing.id).quantity == 0
    assert len(session.scalars(select(Order)).all()) == UNITS
