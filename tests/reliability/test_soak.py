"""A soak of mixed traffic against the real server: browsing, search, carts, checkouts and a seller
changing a price, from 16 connections at once (the benchmark's concurrency), with no error.

RELIABILITY_SOAK_SECONDS sets how long: 10 s in `make test`, 60 s in `make reliability`."""
from __future__ import annotations

import itertools
import os
import random
import threading
import time

import pytest
import requests

from .shop import Buyer

pytestmark = pytest.mark.reliability

CONNECTIONS = 16
SECONDS = float(os.environ.get("RELIABILITY_SOAK_SECONDS", "10"))


def test_a_soak_of_mixed_traffic_answers_every_request_without_error(shop, server, report):
    slugs = [shop.product(quantity=100000, amount=20000 + 1000 * n) for n in range(4)]
    email, password = shop.seller_staff()
    record: list[tuple[float, int]] = []
    failures: list[str] = []
    deadline = time.monotonic() + SECONDS
    prices = itertools.count(1)

    def browse(buyer: Buyer, rnd: random.Random) -> None:
        slug, _ = rnd.choice(slugs)
        for path in ("/fr-fr/", "/fr-fr/c/rel-phones-fr", f"/fr-fr/p/{slug}"):
            buyer.get(path)

    def search(buyer: Buyer, rnd: random.Random) -> None:
        buyer.get(f"/fr-fr/search?q={rnd.choice(['model', 'apple', 'phone', 'rel'])}")

    def checkout(buyer: Buyer, rnd: random.Random) -> None:
        slug, _ = rnd.choice(slugs)
        buyer.http.cookies.clear()                     # a new visitor each time
        review = buyer.fill_cart(slug)
        assert buyer.pay(review).status_code == 303

    def change_price(buyer: Buyer, rnd: random.Random) -> None:
        _, listing_id = rnd.choice(slugs)
        page = buyer.get(f"/seller/listings/{listing_id}")
        form = buyer.form(page, f"/seller/listings/{listing_id}")
        price = next(name for name in form["fields"] if name.startswith("price"))
        saved = buyer.submit(page, f"/seller/listings/{listing_id}", {price: f"{200 + next(prices) % 50},00"})
        assert saved.status_code == 200 and saved.history, saved.status_code      # saved, then redirected

    def user(n: int) -> None:
        rnd = random.Random(n)
        buyer = Buyer(server, record=record)
        if n == 0:
            buyer.sign_in(email, password)
        steps = [change_price] if n == 0 else [browse, browse, search, search, checkout]
        while time.monotonic() < deadline:
            step = rnd.choice(steps)
            try:
                step(buyer, rnd)
            except (requests.RequestException, AssertionError) as exc:
                failures.append(f"{step.__name__}: {exc!r}")

    threads = [threading.Thread(target=user, args=(n,)) for n in range(CONNECTIONS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 120)
    elapsed = time.monotonic() - started

    times = sorted(seconds for seconds, _ in record)
    errors = [status for _, status in record if status >= 500]
    p95 = times[int(len(times) * 0.95)] * 1000 if times else 0
    report(f"soak: {len(record)} requests in {elapsed:.0f} s ({len(record) / elapsed:.0f}/s) from {CONNECTIONS} "
          f"connections, {len(errors)} errors, {len(failures)} failed steps, p95 {p95:.0f} ms, "
          f"slowest {times[-1] * 1000 if times else 0:.0f} ms")
    assert not any(thread.is_alive() for thread in threads)
    assert record and errors == [] and failures == [], (errors[:5], failures[:5])
    assert times[-1] < 30                               # no answer waited for the server's timeout
