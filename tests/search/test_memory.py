"""The listing engine in memory (app/search/memory.py): the same answers as the SQL engine, kept in
step with every commit, never holding what is not committed."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from flask import g, request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app import create_app
from app.catalog.models import Product
from app.catalog.queries import category_tree
from app.extensions import db
from app.offers.models import Listing, ListingPrice
from app.search import index, memory, summary
from app.search.models import SearchChange
from app.search.service import Catalog, listing_page
from app.settings import normalise_database_url
from app.sites.models import Market
from tests.builders import make_listing, make_product
from tests.conftest import TEST_DATABASE_URL, make_test_app, test_config
from tests.search.conftest import build_shop

TEXTS = [None, "iphone", "iphone 13", "samsung galaxy", "samsung", "portable", "ipone 13", "télé", "sony"]
FILTERS = [
    {}, {"grade": "excellent"}, {"grade": ["good", "excellent"]}, {"storage": "256"}, {"color": "black"},
    {"battery": "new"}, {"price": "300-500"}, {"brand": "apple"}, {"category": "smartphones"},
    {"grade": "good", "storage": "128"}, {"brand": ["apple", "samsung"], "price": ["300-500", "500-750"]},
    {"color": ["black", "blue"], "grade": "premium"}, {"category": ["smartphones", "laptops"], "brand": "sony"},
    {"grade": ["excellent", "premium"], "price": ["500-750", "750-1000"]},      # bands of the selected grades' price
    {"battery": "new", "storage": ["128", "256"], "color": "blue", "price": "300-500"},
]
SORTS = ["relevance", "price_asc", "price_desc", "newest"]
EDITIONS = ["fr-fr", "de-de", "en-gb"]


def listing(app, edition, *, scope_key=None, per_page=24, in_memory=True, **args):
    app.config["SEARCH_IN_MEMORY"] = in_memory
    try:
        with app.test_request_context(f"/{edition}/search", query_string=MultiDict(
                [(k, v) for k, values in args.items() if values is not None
                 for v in (values if isinstance(values, list) else [values])])):
            app.preprocess_request()
            catalog = Catalog(db.session, category_tree(db.session, g.languages))
            scope = catalog.nodes[scope_key] if scope_key else None
            assert memory.usable(db.session) is in_memory      # each side really is the engine it claims
            return listing_page(db.session, market=g.market, languages=g.languages, args=request.args,
                                catalog=catalog, scope=scope, per_page=per_page)
    finally:
        app.config["SEARCH_IN_MEMORY"] = True


def answer(page) -> tuple:
    """Everything a listing page shows that the engine decides."""
    return ([(card.name, card.from_amount, card.offers_count) for card in page.cards], page.total,
            {facet.code: [(v.code, v.count, v.selected) for v in facet.values] for facet in page.facets})


def test_both_engines_give_the_same_pages(app, shop):
    cases = found = 0
    for (text, filters), sort, edition, scope_key in zip(
            itertools.product(TEXTS, FILTERS), itertools.cycle(SORTS), itertools.cycle(EDITIONS),
            itertools.cycle([None, None, "smartphones"])):
        arguments = {"q": text, "sort": sort, **filters}
        in_sql = listing(app, edition, scope_key=scope_key, in_memory=False, **arguments)
        in_memory = listing(app, edition, scope_key=scope_key, **arguments)
        assert answer(in_memory) == answer(in_sql), (edition, scope_key, arguments)
        cases += 1
        found += bool(in_memory.total)
    assert cases == len(TEXTS) * len(FILTERS) == 135
    assert found > cases / 2          # most cases compare real results, not two empty pages


@pytest.mark.parametrize("sort", SORTS)
def test_both_engines_order_and_page_alike(app, shop, sort):
    for text, page in [(None, 1), (None, 2), (None, 5), ("iphone", 1), ("iphone", 2), ("apple", 2)]:
        in_sql = listing(app, "fr-fr", per_page=2, in_memory=False, q=text, sort=sort, page=str(page))
        in_memory = listing(app, "fr-fr", per_page=2, q=text, sort=sort, page=str(page))
        assert answer(in_memory) == answer(in_sql), (text, page)
        assert in_memory.cards or page == 5


def price_of(session, product_key, shop) -> int:
    return session.scalar(select(func.min(ListingPrice.amount)).join(Listing).join(Market)
                          .where(Market.code == "FR", Listing.variant.has(product_id=shop[product_key])))


def test_a_committed_change_is_read_back_for_the_products_it_touched(app, session, shop):
    # given: the French columns in memory
    before = listing(app, "fr-fr", q="galaxy")
    mirror = memory.mirror_for(session)
    columns = mirror.markets[session.scalar(select(Market.id).where(Market.code == "FR"))]
    seen = mirror.seen

    # when: another session sells out the Galaxy S22 and makes the S22 Ultra cheaper, and commits
    s22, ultra = shop["galaxy-s22"], shop["galaxy-s22-ultra"]
    session.execute(update(Listing).where(Listing.variant.has(product_id=s22)).values(quantity=0))
    ultra_listings = select(Listing.id).where(Listing.variant.has(product_id=ultra))
    session.execute(update(ListingPrice).where(ListingPrice.listing_id.in_(ultra_listings))
                    .values(amount=ListingPrice.amount - 20000))
    session.commit()
    after = listing(app, "fr-fr", q="galaxy")

    # then: the same columns, brought up to date for just those two products
    assert [c.name for c in before.cards] == ["Galaxy S22", "Galaxy S22 Ultra"]
    assert [(c.name, c.from_amount) for c in after.cards] == [("Galaxy S22 Ultra", 40000)]
    assert mirror.markets[columns_id(session)] is columns and mirror.seen > seen
    logged = set(session.scalars(select(SearchChange.product_id).where(SearchChange.version > seen)))
    assert logged == {s22, ultra}
    assert answer(after) == answer(listing(app, "fr-fr", in_memory=False, q="galaxy"))


def columns_id(session) -> int:
    return session.scalar(select(Market.id).where(Market.code == "FR"))


def test_a_new_product_is_listed_on_the_next_request(app, session, shop):
    listing(app, "fr-fr")
    product = make_product(session, key="pixel-7", brand="Google", names={"fr": "Pixel 7", "en": "Pixel 7"},
                           category=shop.categories["smartphones"])
    make_listing(session, variant=product.variants[0], seller=shop.sellers["main"], prices={"FR": 29900})
    session.commit()
    page = listing(app, "fr-fr", q="pixel")
    assert [(c.name, c.from_amount) for c in page.cards] == [("Pixel 7", 29900)]
    assert listing(app, "fr-fr").total == 10


def test_uncommitted_writes_are_answered_in_sql_and_never_reach_the_columns(app, shop):
    listing(app, "fr-fr", q="ps5")
    app.config["SEARCH_IN_MEMORY"] = True
    with app.test_request_context("/fr-fr/search?q=ps5"):
        app.preprocess_request()
        db.session.execute(update(ListingPrice).where(ListingPrice.listing_id.in_(
            select(Listing.id).where(Listing.variant.has(product_id=shop["ps5"])))).values(amount=1000))
        index.refresh(db.session, summaries=[shop["ps5"]])        # what the commit would do first
        assert not memory.usable(db.session)
        catalog = Catalog(db.session, category_tree(db.session, g.languages))
        page = listing_page(db.session, market=g.market, languages=g.languages, args=request.args,
                            catalog=catalog)
        assert [(c.name, c.from_amount) for c in page.cards] == [("PlayStation 5", 1000)]
        db.session.rollback()
    assert [(c.name, c.from_amount) for c in listing(app, "fr-fr", q="ps5").cards] == [("PlayStation 5", 38000)]


def test_restrictions_in_memory_follow_committed_changes_of_variants_and_specs(app, session, shop):
    # given: the products with 16 GB of memory and the robot ones, held in memory (none yet)
    assert listing(app, "fr-fr", ram="16").total == 0
    assert listing(app, "fr-fr", feature="robot", q="iphone").total == 0
    held = memory.mirror_for(session).keys.ids
    assert ("ram", 16) in held and ("feature", "robot") in held

    # when: a variant gets 16 GB and a product becomes a robot, committed
    variant = session.get(Product, shop["iphone-13"]).variants[0]
    variant.ram_gb = 16
    product = session.get(Product, shop["iphone-12"])
    product.specs = {**product.specs, "form": "robot"}
    session.commit()

    # then: the next pages find them, from the keys read again for just those products
    assert [c.name for c in listing(app, "fr-fr", ram="16").cards] == ["iPhone 13"]
    assert [c.name for c in listing(app, "fr-fr", feature="robot", q="iphone").cards] == ["iPhone 12"]
    for arguments in ({"ram": "16"}, {"feature": "robot", "q": "iphone"}, {"ram": ["8", "16"], "q": "iphone"}):
        assert answer(listing(app, "fr-fr", **arguments)) == answer(listing(app, "fr-fr", in_memory=False,
                                                                            **arguments))

    # and a change back is followed too
    variant.ram_gb = None
    session.commit()
    assert listing(app, "fr-fr", ram="16").total == 0


def test_a_rebuild_makes_every_market_read_again(app, session, shop):
    listing(app, "fr-fr")
    listing(app, "de-de")
    mirror = memory.mirror_for(session)
    assert len(mirror.markets) == 2

    index.rebuild(session)
    session.commit()
    page = listing(app, "fr-fr")

    assert set(session.scalars(select(SearchChange.product_id))) == {summary.EVERYTHING}
    assert list(mirror.markets) == [columns_id(session)]
    assert answer(page) == answer(listing(app, "fr-fr", in_memory=False))


def test_old_versions_are_pruned_and_a_process_too_far_behind_reads_everything(app, session, shop, monkeypatch):
    listing(app, "fr-fr")
    mirror = memory.mirror_for(session)
    monkeypatch.setattr(summary, "LOG_VERSIONS", 1)
    monkeypatch.setattr(summary, "PRUNE_EVERY", 1)
    monkeypatch.setattr(memory, "MAX_VERSIONS_BEHIND", 1)
    for amount in (50000, 51000):
        session.execute(update(ListingPrice).where(ListingPrice.listing_id.in_(
            select(Listing.id).where(Listing.variant.has(product_id=shop["ps5"])))).values(amount=amount))
        session.commit()

    assert len(set(session.scalars(select(SearchChange.version)))) == 1
    columns = mirror.markets[columns_id(session)]
    page = listing(app, "fr-fr", q="ps5")
    assert [(c.name, c.from_amount) for c in page.cards] == [("PlayStation 5", 51000)]
    assert mirror.markets[columns_id(session)] is not columns


@pytest.mark.parametrize("sort", SORTS)
def test_the_packed_sort_key_orders_as_the_plain_sort(sort):
    # Many ties on purpose: few prices, years and offer counts.
    rng = np.random.default_rng(7)
    n = 5_000
    ids = rng.permutation(np.arange(1, n + 1))
    price, offers = rng.integers(1, 20, n) * 1000, rng.integers(1, 6, n)
    year, rank = rng.integers(0, 4, n) + 2019, rng.integers(0, 3, n) * 1000 + rng.integers(1, 4, n)
    for wanted in (0, 1, 24, 480, n, n + 10):
        expected = memory._lexsorted(sort, ids, price, offers, year, rank if sort == "relevance" else None)
        packed = memory._order(sort, ids, price, offers, year, rank if sort == "relevance" else None, wanted)
        assert packed.tolist() == expected[:wanted].tolist()


def test_a_change_committed_by_another_process_shows_on_the_next_request(tmp_path):
    # given: two apps on one database file (or the PostgreSQL test database), as two gunicorn workers
    url = TEST_DATABASE_URL and normalise_database_url(TEST_DATABASE_URL) or f"sqlite:///{tmp_path / 'shop.db'}"
    workers = make_test_app(tmp_path, SQLALCHEMY_DATABASE_URI=url)
    first = next(workers)
    second = create_app(test_config(tmp_path, SQLALCHEMY_DATABASE_URI=url))
    try:
        with first.app_context(), Session(db.engine) as session:
            shop = build_shop(session)
        assert [(c.name, c.from_amount) for c in listing(first, "fr-fr", q="ps5").cards] == [("PlayStation 5", 38000)]

        # when: the other worker reprices the PlayStation and commits
        with second.app_context():
            db.session.execute(update(ListingPrice).where(ListingPrice.listing_id.in_(
                select(Listing.id).where(Listing.variant.has(product_id=shop["ps5"])))).values(amount=35000))
            db.session.commit()
            db.session.remove()

        # then: the first worker's next page has the new price, from its own columns
        page = listing(first, "fr-fr", q="ps5")
        assert [(c.name, c.from_amount) for c in page.cards] == [("PlayStation 5", 35000)]
        with first.app_context():
            assert memory.mirror_for(db.session).markets
    finally:
        with second.app_context():
            db.engine.dispose()
        next(workers, None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.sampled_from(TEXTS), edition=st.sampled_from(EDITIONS), sort=st.sampled_from(SORTS),
       scope_key=st.sampled_from([None, "smartphones", "laptops"]),
       grade=st.lists(st.sampled_from(["fair", "good", "excellent", "premium"]), unique=True, max_size=3),
       storage=st.lists(st.sampled_from(["64", "128", "256", "512", "825"]), unique=True, max_size=2),
       color=st.lists(st.sampled_from(["black", "blue", "red"]), unique=True, max_size=2),
       brand=st.lists(st.sampled_from(["apple", "samsung", "sony", "dell"]), unique=True, max_size=2),
       price=st.lists(st.sampled_from(["0-100", "300-500", "500-750", "750-1000", "1000-1500"]), unique=True,
                      max_size=2),
       battery=st.sampled_from([None, "new"]), page=st.sampled_from(["1", "2"]))
def test_both_engines_agree_on_any_mix_of_filters(app, shop, text, edition, sort, scope_key, page, **filters):
    arguments = {"q": text, "sort": sort, "page": page, **{k: v for k, v in filters.items() if v}}
    in_sql = listing(app, edition, scope_key=scope_key, per_page=2, in_memory=False, **arguments)
    in_memory = listing(app, edition, scope_key=scope_key, per_page=2, **arguments)
    assert answer(in_memory) == answer(in_sql)
