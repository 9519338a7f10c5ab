"""The page cache: a second visit is served from memory, and never shows anything stale or anyone else's."""
import re
import time

import pytest
from sqlalchemy import text, update

from app.data_versions import bump, current_version
from app.extensions import db
from app.offers.models import Listing, ListingPrice
from tests.builders import make_listing, make_markets, make_product
from tests.conftest import HX, make_test_app

PAGE = "/fr-fr/p/phone-fr"


@pytest.fixture
def app(tmp_path):
    # CSRF on, as in production: the tokens in a shared page must each be the visitor's own.
    yield from make_test_app(tmp_path, WTF_CSRF_ENABLED=True)


@pytest.fixture
def listing(session):
    make_markets(session)
    product = make_product(session, key="phone", names={"fr": "Téléphone 13"})
    listing = make_listing(session, variant=product.variants[0], prices={"FR": 34900})
    session.commit()
    return listing


def cache_of(app):
    return app.extensions["page_cache"]


def price_shown(response) -> str:
    return re.search(r"(\d+),00\xa0€", response.get_data(as_text=True)).group(1)


def token_in(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_a_second_visit_is_served_from_the_cache_with_a_constant_handful_of_queries(app, client, listing):
    from sqlalchemy import event

    # given: a first visit renders the page
    first = client.get(PAGE)
    assert first.status_code == 200 and cache_of(app).misses == 1
    with app.app_context():
        engine = db.engine
    statements = []

    def note(_connection, _cursor, statement, *_args):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", note)

    # when
    second = client.get(PAGE)

    # then: the same page, from memory: the version, and the visitor's own header parts
    event.remove(engine, "before_cursor_execute", note)
    assert second.status_code == 200 and cache_of(app).hits == 1
    assert second.get_data(as_text=True).replace(token_in(second), "") == \
        first.get_data(as_text=True).replace(token_in(first), "")
    assert len(statements) <= 3, statements


def test_a_price_change_shows_on_the_next_request(app, client, session, listing):
    # given
    assert price_shown(client.get(PAGE)) == "349"

    # when: the seller changes the price (any committed write through a session)
    session.execute(update(ListingPrice).where(ListingPrice.listing_id == listing.id).values(amount=29900))
    session.commit()

    # then
    assert price_shown(client.get(PAGE)) == "299"


def test_selling_out_shows_on_the_next_request(app, client, session, listing):
    # given
    assert "Ajouter au panier" in client.get(PAGE).get_data(as_text=True)

    # when
    session.get(Listing, listing.id).quantity = 0
    session.commit()

    # then
    assert "Ajouter au panier" not in client.get(PAGE).get_data(as_text=True)


def test_sql_run_outside_a_session_is_seen_once_it_bumps_the_version(app, client, listing):
    # given
    client.get(PAGE)
    with app.app_context():
        engine = db.engine

    # when: a raw write on a connection, which no session hook sees, then the same with a bump
    with engine.begin() as connection:
        connection.execute(text("UPDATE listing_price SET amount = 19900"))
    stale = client.get(PAGE)
    with engine.begin() as connection:
        bump(connection)

    # then: what the README says: such writes must bump
    assert price_shown(stale) == "349"
    assert price_shown(client.get(PAGE)) == "199"


def test_a_cart_or_an_order_does_not_empty_the_cache(app, client, session, listing):
    # given
    with app.app_context():
        before = current_version(db.session)

    # when: a visitor fills a cart (rows no shop page shows)
    token = token_in(client.get(PAGE))
    client.post("/fr-fr/cart/add", data={"listing_id": listing.id, "csrf_token": token}, headers=HX)

    # then
    with app.app_context():
        assert current_version(db.session) == before


def test_each_visitor_gets_their_own_token_and_cart_badge(app, listing):
    # given: Alice renders the page and puts the phone in her cart
    alice, bob = app.test_client(), app.test_client()
    page = alice.get(PAGE)
    added = alice.post("/fr-fr/cart/add", data={"listing_id": listing.id, "csrf_token": token_in(page)}, headers=HX)
    assert added.status_code == 200

    # when: Alice and Bob are both served the cached page
    hits = cache_of(app).hits
    alices, bobs = alice.get(PAGE), bob.get(PAGE)

    # then: each with their own token that works for them, and their own cart count
    assert cache_of(app).hits == hits + 2
    assert token_in(alices) != token_in(bobs)
    assert re.search(r'class="count">1<', alices.get_data(as_text=True))
    assert 'class="count"' not in bobs.get_data(as_text=True)
    assert bob.post("/fr-fr/cart/add", data={"listing_id": listing.id, "csrf_token": token_in(bobs)},
                    headers=HX).status_code == 200


def test_a_page_first_drawn_for_a_shopper_with_a_cart_serves_a_newcomer_right(app, listing):
    # given: a shopper with a cart is the first to see the page
    shopper, newcomer = app.test_client(), app.test_client()
    token = token_in(shopper.get("/fr-fr/"))
    shopper.post("/fr-fr/cart/add", data={"listing_id": listing.id, "csrf_token": token}, headers=HX)
    cache_of(app).clear()
    shopper.get(PAGE)

    # when
    page = newcomer.get(PAGE).get_data(as_text=True)

    # then: the newcomer's page, with their own empty badge
    assert cache_of(app).hits == 1
    assert "Téléphone 13" in page and 'class="count"' not in page


def test_a_visitor_comparing_models_gets_a_fresh_page(app, client, listing):
    # given: the page is cached for everyone
    client.get(PAGE)
    product_id = listing.variant.product_id

    # when
    token = token_in(client.get(PAGE))
    client.post("/fr-fr/compare/add", data={"product_id": product_id, "product_name": "Téléphone 13",
                                            "csrf_token": token, "next": PAGE})
    misses = cache_of(app).misses
    page = client.get(PAGE).get_data(as_text=True)

    # then: rendered for them, the model marked as compared
    assert cache_of(app).misses == misses
    assert 'aria-pressed="true"' in page


def test_a_fragment_and_the_full_page_are_kept_apart(app, client, listing):
    # given
    full = client.get(PAGE).get_data(as_text=True)

    # when
    fragment = client.get(PAGE, headers={**HX, "HX-Target": "div#purchase"}).get_data(as_text=True)
    full_again = client.get(PAGE).get_data(as_text=True)

    # then
    assert "<html" in full and "<html" not in fragment and "<html" in full_again


def test_entries_expire_for_what_changes_with_the_clock(app, client, listing):
    # given: entries that live a tenth of a second
    cache_of(app).seconds = 0.1
    client.get(PAGE)
    client.get(PAGE)
    assert cache_of(app).hits == 1

    # when
    time.sleep(0.15)
    client.get(PAGE)

    # then
    assert cache_of(app).misses == 2


def test_a_country_manager_never_gets_nor_leaves_a_shared_page(app, listing, session):
    from tests.builders import make_user, sign_in

    # given: the French manager, signed in, and a shopper
    manager = make_user(session, email="fr@shop.example", markets=("FR",))
    session.commit()
    staff, shopper = app.test_client(), app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False           # the sign-in helper posts no token
    sign_in(staff, manager)
    app.config["WTF_CSRF_ENABLED"] = True

    # when: the manager opens the page first, then the shopper twice
    staff.get(PAGE)
    misses_after_manager = cache_of(app).misses
    shopper.get(PAGE)
    shopper.get(PAGE)

    # then: nothing was stored or served for the manager; the shopper's first visit drew the page
    assert (cache_of(app).hits, cache_of(app).misses) == (1, misses_after_manager + 1)
    assert misses_after_manager == 0
