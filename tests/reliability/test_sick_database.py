"""The database stops answering under a running server (PostgreSQL stopped in the PG run; on SQLite,
the disk holding the file fills up): pages answer the localized 503 page with Retry-After, never a
500 or a traceback, and the shop serves again by itself once the database is back."""
from __future__ import annotations

import os
import sqlite3

import pytest
from sqlalchemy import create_engine, text

from app.extensions import db
from app.web.errors import RETRY_AFTER_SECONDS

from .conftest import build_shop, close_shop
from .shop import Buyer, Cluster, fill_disk, mount_small_disk, unmount

pytestmark = pytest.mark.reliability


@pytest.fixture
def sick_shop(tmp_path, request):
    """(shop, make it sick, make it well, what happens)."""
    if os.environ.get("TEST_DATABASE_URL"):
        cluster = Cluster()
        base = cluster.init()
        request.addfinalizer(cluster.remove)
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE shop"))
        admin.dispose()
        shop = build_shop(tmp_path, "sick", url=base.rsplit("/", 1)[0] + "/shop")
        request.addfinalizer(lambda: close_shop(shop))
        return shop, cluster.stop, cluster.start, "PostgreSQL stopped"
    disk = tmp_path / "disk"
    if mount_small_disk(disk, "48m"):
        request.addfinalizer(lambda: unmount(disk))
        shop = build_shop(tmp_path, "sick", db_folder=disk)
        request.addfinalizer(lambda: close_shop(shop))
        path = disk / "sick.db"
        ballast = []

        def full():
            with sqlite3.connect(path) as connection:        # an empty write-ahead log: the next write needs space
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            ballast.append(fill_disk(disk))

        return shop, full, lambda: ballast.pop().unlink(), "the disk under SQLite full"
    # No right to mount a small disk here: another process holds SQLite's write lock past the busy timeout.
    shop = build_shop(tmp_path, "sick")
    request.addfinalizer(lambda: close_shop(shop))
    holder = sqlite3.connect(tmp_path / "sick.db", isolation_level=None, check_same_thread=False)
    request.addfinalizer(holder.close)
    return shop, lambda: holder.execute("BEGIN IMMEDIATE"), lambda: holder.execute("ROLLBACK"), \
        "SQLite's write lock held by another process"


def _assert_503(answer, lang, title):
    assert answer.status_code == 503, (answer.status_code, answer.text[:300])
    assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert f'<html lang="{lang}"' in answer.text and title in answer.text
    assert "Traceback" not in answer.text


def test_a_sick_database_answers_the_503_page_and_the_shop_recovers_by_itself(sick_shop):
    shop, make_sick, make_well, what = sick_shop
    slug, listing_id = shop.product(quantity=5)
    server = shop.server("gunicorn")
    buyer, other = Buyer(server), Buyer(server, "de-de")
    product = buyer.get(f"/fr-fr/p/{slug}")
    assert product.status_code == 200 and other.get("/de-de/").status_code == 200

    make_sick()
    try:
        _assert_503(buyer.submit(product, "/cart/add"), "fr-fr", "Temporairement indisponible")
        page = other.get("/de-de/search?q=model")
        assert page.status_code in (200, 503)                   # reads may still work (SQLite); never a 500
        if page.status_code == 503:
            _assert_503(page, "de-de", "Vorübergehend nicht verfügbar")
    finally:
        make_well()

    # No restart, no warm-up: the very first request after recovery is served (on PostgreSQL every
    # pooled connection died with the server; each is tested on checkout and replaced, never used dead).
    answer = buyer.submit(product, "/cart/add")
    assert answer.status_code == 200, (what, answer.status_code)
    review = buyer.fill_cart(slug)
    paid = buyer.pay(review)
    assert paid.status_code == 303 and "/orders/" in paid.headers["Location"]
    with shop.app.app_context():
        db.engine.dispose()                                    # the test's own connections died too
    assert shop.quantity(listing_id) == 5 - 2                  # the cart held two by then: added twice
    assert "unhandled error" not in server.output()          # every failure was answered as a 503
