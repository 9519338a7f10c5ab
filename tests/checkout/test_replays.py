"""The same place-order form posted several times at once (a double click on "Pay", a retrying
proxy), and posted again after the request that placed the order died: one order, its stock held
once, every answer the same page, never an error.

Real threads with their own test client and connection, on a database every connection shares
(a WAL-mode SQLite file, or PostgreSQL in the PG run). tests/reliability drives the same over HTTP.
"""
import threading
from datetime import date

from sqlalchemy import select

from app.cart.models import Cart
from app.checkout.placing import place_order
from app.extensions import db
from app.offers.models import Listing
from app.orders.models import OrderStatus, PaymentStatus
from app.sites.models import Market
from tests.checkout.helpers import CARD, fill_cart, orders, place, stock

POSTS = 10


def _copies(app, client, count):
    """Test clients holding the same cookies as `client`: the same browser, `count` connections."""
    copies = []
    for _ in range(count):
        copy = app.test_client()
        for cookie in client._cookies.values():
            copy.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
        copies.append(copy)
    return copies


def _post_at_once(app, client, key, card=CARD):
    copies = _copies(app, client, POSTS)
    start = threading.Barrier(POSTS)
    answers = [None] * POSTS

    def post(n):
        start.wait()
        answers[n] = place(copies[n], "fr-fr", key, card=card)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_ten_posts_of_one_form_at_once_give_one_paid_order_and_ten_order_pages(shared_app, shared_session):
    app, session = shared_app, shared_session
    listing = stock(session, quantity=3)
    client = app.test_client()
    key = fill_cart(client, "fr-fr", listing.id)

    answers = _post_at_once(app, client, key)

    order, = orders(session)
    assert order.status == OrderStatus.PAID and len(order.payments) == 1
    assert [a.status_code for a in answers] == [303] * POSTS
    assert {a.location.split("://shop.test", 1)[-1] for a in answers} == {
        f"/fr-fr/orders/{order.number}?token={order.access_token}"}
    assert session.get(Listing, listing.id).quantity == 2


def test_ten_posts_of_a_challenged_card_all_answer_the_same_challenge(shared_app, shared_session):
    app, session = shared_app, shared_session
    listing = stock(session, quantity=1)
    client = app.test_client()
    key = fill_cart(client, "fr-fr", listing.id)

    answers = _post_at_once(app, client, key, card=dict(CARD, card_number="4000 0000 0000 3220"))

    order, = orders(session)
    payment, = order.payments
    assert payment.status == PaymentStatus.REQUIRES_ACTION
    assert [a.status_code for a in answers] == [303] * POSTS
    assert {a.location.split("://shop.test", 1)[-1] for a in answers} == {
        f"/fr-fr/checkout/challenge/{payment.provider_reference}"}
    assert session.get(Listing, listing.id).quantity == 0


def _died_after_placing(app, cart_id, key):
    """What a worker killed between the order's commit and the payment's start leaves behind."""
    with app.test_request_context("/fr-fr/"):
        cart = db.session.get(Cart, cart_id)
        market = db.session.get(Market, cart.market_id)
        order = place_order(db.session, cart, market, locale="fr_FR", languages=("fr", "en"), method="card",
                            key=key, today=date(2026, 11, 23))
        db.session.commit()
        number = order.number
        db.session.remove()
    return number


def test_the_same_form_posted_again_resumes_an_order_whose_request_died(shared_app, shared_session):
    app, session = shared_app, shared_session
    listing = stock(session, quantity=1)          # the last unit: the order holds it
    client = app.test_client()
    key = fill_cart(client, "fr-fr", listing.id)
    cart = session.scalar(select(Cart))
    number = _died_after_placing(app, cart.id, key)
    session.expire_all()
    assert session.get(Listing, listing.id).quantity == 0

    answer = place(client, "fr-fr", key)

    order, = orders(session)
    assert order.number == number and order.status == OrderStatus.PAID
    assert order.payments[0].status == PaymentStatus.SUCCEEDED and order.payments[0].provider == "test"
    assert answer.status_code == 303 and f"/fr-fr/orders/{number}?token=" in answer.location
    session.expire_all()
    assert session.get(Listing, listing.id).quantity == 0 and not session.get(Cart, cart.id).lines


def test_another_cart_cannot_resume_an_order_it_did_not_place(shared_app, shared_session):
    app, session = shared_app, shared_session
    listing = stock(session, quantity=2)
    owner, stranger = app.test_client(), app.test_client()
    key = fill_cart(owner, "fr-fr", listing.id)
    fill_cart(stranger, "fr-fr", listing.id)
    cart = session.scalar(select(Cart).where(Cart.checkout_key == key))
    _died_after_placing(app, cart.id, key)

    answer = place(stranger, "fr-fr", key)

    order, = orders(session)
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.payments[0].provider == "pending"
    assert answer.status_code == 303
