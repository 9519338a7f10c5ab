"""Invalidation as fine as what a page shows (app/data_versions.py, app/web/page_cache.py): one product's
price change leaves every other product's page cached, shows on its own page on the next request on
every worker, and reaches list pages within their staleness bound; tables are marked, not listed."""
import re
import time

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app import create_app, data_versions
from app.data_versions import ALL, PRODUCT, DataVersion, current_versions, shown_on_pages
from app.extensions import db
from app.offers.models import Listing, ListingPrice
from app.settings import normalise_database_url
from tests.builders import make_listing, make_markets, make_product
from tests.conftest import TEST_DATABASE_URL, make_test_app, test_config

PHONE, TABLET = "/fr-fr/p/phone-fr", "/fr-fr/p/tablet-fr"
SEARCH = "/fr-fr/search?q=phone"


def price_shown(response) -> str:
    return re.search(r"(\d+),00\xa0€", response.get_data(as_text=True)).group(1)


def prices_shown(response) -> list[str]:
    return re.findall(r"(\d+),00\xa0€", response.get_data(as_text=True))


def build(session) -> dict[str, Listing]:
    make_markets(session)
    phone = make_product(session, key="phone", names={"fr": "Phone Un"})
    tablet = make_product(session, key="tablet", names={"fr": "Tablet Deux"})
    found = {"phone": make_listing(session, variant=phone.variants[0], prices={"FR": 34900}),
             "tablet": make_listing(session, variant=tablet.variants[0], prices={"FR": 51900})}
    session.commit()
    return found


def reprice(session, listing: Listing, amount: int) -> None:
    """As a seller does in the back office: the ORM object's price, then commit."""
    price = session.scalar(select(ListingPrice).where(ListingPrice.listing_id == listing.id))
    price.amount = amount
    session.commit()


@pytest.fixture
def listings(session):
    return build(session)


def cache_of(app):
    return app.extensions["page_cache"]


def test_one_products_price_change_leaves_the_other_products_page_cached(app, client, session, listings):
    # given: both product pages drawn
    client.get(PHONE)
    client.get(TABLET)
    misses = cache_of(app).misses

    # when: the phone is repriced
    reprice(session, listings["phone"], 29900)

    # then: the tablet's page is still served from the cache, the phone's is drawn again
    tablet = client.get(TABLET)
    assert cache_of(app).misses == misses and price_shown(tablet) == "519"
    assert price_shown(client.get(PHONE)) == "299"
    assert cache_of(app).misses == misses + 1


def test_a_stock_change_shows_on_the_next_request_and_leaves_the_other_page(app, client, session, listings):
    # given
    assert "Ajouter au panier" in client.get(PHONE).get_data(as_text=True)
    client.get(TABLET)
    misses = cache_of(app).misses

    # when: the phone sells out
    session.get(Listing, listings["phone"].id).quantity = 0
    session.commit()

    # then
    assert "Ajouter au panier" not in client.get(PHONE).get_data(as_text=True)
    client.get(TABLET)
    assert cache_of(app).misses == misses + 1


def test_a_price_change_moves_the_change_sequence_but_not_the_shop_version(app, session, listings):
    # given
    before = current_versions(session)
    session.rollback()

    # when
    reprice(session, listings["phone"], 29900)

    # then: the products' version moved, every other page keeps its key
    after = current_versions(session)
    assert after[0] == before[0] + 1 and after[1] == before[1]
    assert data_versions.product_version(session, listings["phone"].variant.product_id) == after[0]
    assert data_versions.product_version(session, listings["tablet"].variant.product_id) < after[0]


def test_a_catalog_text_change_empties_every_page(app, client, session, listings):
    from app.catalog.models import ProductTranslation

    # given
    client.get(TABLET)
    misses = cache_of(app).misses
    before = current_versions(session)
    session.rollback()

    # when: a text every page may show changes (a table marked EVERY_PAGE)
    row = session.scalar(select(ProductTranslation).where(ProductTranslation.slug == "phone-fr"))
    row.name = "Phone Un Renamed"
    session.commit()

    # then
    assert current_versions(session)[1] == before[1] + 1
    client.get(TABLET)
    assert cache_of(app).misses == misses + 1


def test_an_unmarked_table_moves_no_version(app, client, session, listings):
    # given: a visitor's cart is a table no shop page shows, so it is not marked
    from app.cart.models import Cart
    assert shown_on_pages(Cart.__table__) is None
    before = current_versions(session)
    session.rollback()

    # when
    added = client.post("/fr-fr/cart/add", data={"listing_id": listings["phone"].id})

    # then
    assert added.status_code in (200, 303)
    assert current_versions(session) == before


def test_tables_are_marked_where_they_are_declared(app):
    # Every table is either unmarked or marked with one of the two known values.
    marks = {table.name: shown_on_pages(table) for table in db.metadata.tables.values()}
    assert set(marks.values()) <= {ALL, PRODUCT, None}
    assert marks["listing_price"] == PRODUCT and marks["product_translation"] == ALL
    assert marks["order"] is None and marks["data_version"] is None


def test_the_versions_are_64_bit(app, session, listings):
    # given: a version beyond 32 bits
    session.execute(update(DataVersion).where(DataVersion.id == 1).values(value=2**40, shop=2**40))
    session.commit()

    # when
    reprice(session, listings["phone"], 29900)

    # then
    assert current_versions(session) == (2**40 + 1, 2**40)
    assert data_versions.product_version(session, listings["phone"].variant.product_id) == 2**40 + 1


def test_a_list_page_is_stale_at_most_for_its_bound(app, client, session, listings):
    # given: list pages may be 3 s stale (wide enough for a loaded machine's commit in between)
    cache_of(app).listing_stale_seconds = 3.0
    assert "349" in prices_shown(client.get(SEARCH))
    drawn = time.monotonic()

    # when: the phone is repriced
    reprice(session, listings["phone"], 29900)

    # then: within the bound the list may still show the old price, its product page never does
    soon = client.get(SEARCH)
    assert price_shown(client.get(PHONE)) == "299"
    time.sleep(max(0.0, drawn + 3.1 - time.monotonic()))
    later = client.get(SEARCH)
    assert "349" in prices_shown(soon)
    assert "299" in prices_shown(later) and "349" not in prices_shown(later)


def test_a_list_page_with_no_change_since_lives_its_whole_life(app, client, session, listings):
    # given
    cache_of(app).listing_stale_seconds = 0.05
    client.get(SEARCH)
    hits = cache_of(app).hits

    # when: time passes beyond the bound, with no write
    time.sleep(0.1)
    client.get(SEARCH)

    # then
    assert cache_of(app).hits == hits + 1


def test_sql_on_a_bare_connection_is_seen_once_it_bumps(app, client, listings):
    # given
    client.get(PHONE)
    with app.app_context():
        engine = db.engine

    # when
    with engine.begin() as connection:
        connection.execute(text("UPDATE listing_price SET amount = 19900"))
        data_versions.bump(connection)

    # then
    assert price_shown(client.get(PHONE)) == "199"


def test_a_price_change_shows_on_its_page_on_every_worker(tmp_path):
    # given: two apps on one database file (or the PostgreSQL test database), as two gunicorn
    # workers, each with its own page cache, and both product pages drawn on both
    url = TEST_DATABASE_URL and normalise_database_url(TEST_DATABASE_URL) or f"sqlite:///{tmp_path / 'shop.db'}"
    workers = make_test_app(tmp_path, SQLALCHEMY_DATABASE_URI=url)
    first = next(workers)
    second = create_app(test_config(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    try:
        with first.app_context(), Session(db.engine) as session:
            found = build(session)
            phone_listing = found["phone"].id
        clients = {"first": first.test_client(), "second": second.test_client()}
        for client in clients.values():
            assert price_shown(client.get(PHONE)) == "349"
            client.get(TABLET)
        misses = {name: app.extensions["page_cache"].misses for name, app in (("first", first), ("second", second))}

        # when: a seller on the second worker reprices the phone and commits
        with second.app_context():
            db.session.get(Listing, phone_listing).prices[0].amount = 29900
            db.session.commit()
            db.session.remove()

        # then: the next request on either worker shows the new price; the tablet stays cached on both
        for name, app in (("first", first), ("second", second)):
            assert price_shown(clients[name].get(PHONE)) == "299"
            assert price_shown(clients[name].get(TABLET)) == "519"
            assert app.extensions["page_cache"].misses == misses[name] + 1
    finally:
        with second.app_context():
            db.engine.dispose()
        next(workers, None)
