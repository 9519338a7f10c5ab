"""Buyers at the same moment, over HTTP against `gunicorn wsgi:app` (2 sync workers): the last
units, the same form posted ten times, and a worker killed with SIGKILL in the middle of a burst."""
from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select, update

from app.orders.models import Order, OrderStatus, Payment, PaymentStatus

from .shop import Buyer, flask, order_link

pytestmark = pytest.mark.reliability


def _ready_buyers(server, slug, count):
    """`count` buyers, each with its own cookies, waiting on the review page of one product."""
    buyers = [Buyer(server) for _ in range(count)]
    with ThreadPoolExecutor(8) as pool:
        reviews = list(pool.map(lambda buyer: buyer.fill_cart(slug), buyers))
    return buyers, reviews


def _all_at_once(calls):
    """Run every call in its own thread, released together; returns their results (or exceptions)."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(n):
        start.wait()
        try:
            results[n] = calls[n]()
        except requests.RequestException as exc:
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _orders(shop, listing_id=None):
    from app.orders.models import OrderLine, SellerOrder
    with shop.session() as session:
        query = select(Order).order_by(Order.id)
        if listing_id is not None:
            query = query.join(SellerOrder).join(OrderLine).where(OrderLine.listing_id == listing_id)
        return [(o.id, o.status, o.cart_id, o.idempotency_key) for o in session.scalars(query)]


def test_fifty_buyers_for_the_last_five_units_give_five_orders_and_no_error(shop, server):
    slug, listing_id = shop.product(quantity=5)
    buyers, reviews = _ready_buyers(server, slug, 50)

    answers = _all_at_once([lambda b=b, r=r: b.pay(r) for b, r in zip(buyers, reviews)])

    assert all(isinstance(a, requests.Response) and a.status_code == 303 for a in answers), answers
    paid = [a for a in answers if order_link(a)]
    # The others are told politely: back to the cart (sold out) or to the review page (cart changed).
    refused = [a for a in answers if a.headers["Location"].endswith(("/cart/", "/checkout/review"))]
    assert len(paid) == 5 and len(refused) == 45
    assert [status for _, status, _, _ in _orders(shop, listing_id)] == [OrderStatus.PAID] * 5
    assert shop.quantity(listing_id) == 0
    for buyer, answer in zip(buyers, answers):       # every answer leads to a page, never an error
        page = buyer.get(answer.headers["Location"])
        assert page.status_code == 200


def test_ten_posts_of_one_place_order_form_give_one_order_and_ten_order_pages(shop, server):
    slug, listing_id = shop.product(quantity=3)
    buyer = Buyer(server)
    review = buyer.fill_cart(slug)

    answers = _all_at_once([lambda: buyer.pay(review) for _ in range(10)])

    assert [a.status_code for a in answers] == [303] * 10, [getattr(a, "status_code", a) for a in answers]
    links = {order_link(a) for a in answers}
    assert len(links) == 1 and None not in links
    orders = _orders(shop, listing_id)
    assert len(orders) == 1 and orders[0][1] == OrderStatus.PAID
    assert shop.quantity(listing_id) == 2
    assert buyer.get(links.pop()).status_code == 200


def test_a_worker_killed_in_a_checkout_burst_loses_no_stock_and_is_replaced(shop, server, report):
    units, count = 40, 24
    slug, listing_id = shop.product(quantity=units)
    buyers, reviews = _ready_buyers(server, slug, count)
    before = server.worker_pids()
    victim = before[0]

    def kill_soon():
        time.sleep(0.15)
        os.kill(victim, signal.SIGKILL)
        return None

    answers = _all_at_once([lambda b=b, r=r: b.pay(r) for b, r in zip(buyers, reviews)] + [kill_soon])[:count]

    after = server.wait_for_workers()
    assert victim not in after and len(after) == 2          # the master forked a new worker
    assert all(isinstance(a, requests.RequestException) or a.status_code == 303 for a in answers), answers
    # Every order is whole: paid with its stock held, or awaiting a payment that never started.
    orders = _orders(shop, listing_id)
    assert len({key for *_, key in orders}) == len(orders) and len({cart for _, _, cart, _ in orders}) == len(orders)
    assert {status for _, status, _, _ in orders} <= {OrderStatus.PAID, OrderStatus.AWAITING_PAYMENT}
    assert shop.quantity(listing_id) == units - len(orders)
    # The buyers whose answer was lost post the same form again (a reload): their order is paid.
    lost = [n for n, a in enumerate(answers) if isinstance(a, requests.RequestException)]
    retried = lost[: len(lost) // 2 + 1]
    for n in retried:
        again = buyers[n].pay(reviews[n])
        assert again.status_code == 303, again.status_code
        assert buyers[n].get(again.headers["Location"]).status_code == 200
    # The others never come back: once their hold has run out, `flask worker` gives the stock back.
    stuck = [order_id for order_id, status, *_ in _orders(shop, listing_id) if status == OrderStatus.AWAITING_PAYMENT]
    with shop.session() as session:
        session.execute(update(Order).where(Order.id.in_(stuck)).values(hold_until=Order.created_at))
        session.commit()
    result = flask(shop.env, "worker", "--once")
    assert result.returncode == 0, result.stderr
    final = _orders(shop, listing_id)
    paid = [o for o in final if o[1] == OrderStatus.PAID]
    assert {o[1] for o in final} <= {OrderStatus.PAID, OrderStatus.ABANDONED}
    assert len(paid) >= count - len(lost) and shop.quantity(listing_id) == units - len(paid)
    with shop.session() as session:
        unsettled = session.scalars(select(Payment).join(Order).where(
            Order.id.in_([o[0] for o in final]),
            Payment.status.in_([PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION]))).all()
        assert unsettled == []
    report(f"killed worker {victim}: {len(lost)} answers lost, {len(retried)} retried, "
          f"{len(stuck)} released by flask worker, {len(paid)} paid")
