"""Carts and orders of signed-in customers: the visitor's cart joins the account's at sign-in, orders
are listed in the account and reachable without the secret link only by their owner."""
from app.cart.models import Cart
from tests.builders import make_user, sign_in
from tests.checkout.helpers import fill_cart, orders, place, stock


def cart_lines(client, edition="fr-fr") -> int:
    return client.get(f"/{edition}/cart/").get_data(as_text=True).count('class="cart-line"')


def test_signing_in_merges_the_visitors_cart_into_the_accounts(app, client, session):
    first = stock(session, quantity=5)
    second = stock(session, quantity=5)
    user = make_user(session, email="lea@example.fr")
    session.commit()
    other_browser = app.test_client()
    sign_in(other_browser, user, edition="fr-fr")
    other_browser.post("/fr-fr/cart/add", data={"listing_id": first.id})        # saved on the account

    client.post("/fr-fr/cart/add", data={"listing_id": first.id})               # as a visitor
    client.post("/fr-fr/cart/add", data={"listing_id": second.id})
    assert sign_in(client, user, edition="fr-fr").status_code == 303

    assert cart_lines(client) == 2 and cart_lines(other_browser) == 2
    session.expire_all()
    carts = session.query(Cart).all()
    assert len(carts) == 1 and carts[0].user_id == user.id
    assert sorted(line.quantity for line in carts[0].lines) == [1, 2]
    client.post("/fr-fr/account/sign-out")
    assert cart_lines(client) == 0                     # signed out, the browser no longer opens it


def test_a_customers_orders_are_in_their_account_and_nobody_elses(app, client, session):
    listing = stock(session, quantity=5)
    owner, stranger = make_user(session, email="owner@example.fr"), make_user(session, email="x@example.fr")
    session.commit()
    sign_in(client, owner, edition="fr-fr")
    place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id))
    order, = orders(session)

    mine = client.get("/fr-fr/account/orders").get_data(as_text=True)
    detail = client.get(f"/fr-fr/orders/{order.number}")
    other = app.test_client()
    sign_in(other, stranger, edition="fr-fr")

    assert order.user_id == owner.id and order.number in mine and detail.status_code == 200
    assert order.number not in other.get("/fr-fr/account/orders").get_data(as_text=True)
    assert other.get(f"/fr-fr/orders/{order.number}").status_code == 404
