"""`flask demo generate`: a tiny benchmark catalog through the real CLI, on a real database.

SQLite file under tmp_path by default; set TEST_DATABASE_URL=postgresql://… to run the same tests
against PostgreSQL (that database's tables are dropped and recreated by every test).
"""
import os
from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select

from app import create_app
from app.catalog.models import Brand, Category, Color, Product, ProductTranslation, Variant, VariantNewPrice
from app.extensions import db
from app.i18n import LANGUAGES
from app.offers.models import Listing, ListingPrice
from app.sellers.models import Seller, SellerStatus, seller_market
from app.sites.models import Market
from tests.conftest import empty_database

EU = {"FR", "BE", "ES", "DE", "IT"}
TINY = ["--products", "300", "--listings", "1500", "--sellers", "200", "--seed", "7"]


@pytest.fixture
def make_app(tmp_path):
    """An app on a new, empty schema: a new SQLite file per name, or the PostgreSQL test database emptied."""
    apps = []

    def make(name="g"):
        url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / f'{name}.db'}"
        app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": url,
                          "MEDIA_ROOT": str(tmp_path / name / "media")})
        with app.app_context():
            if db.engine.dialect.name != "sqlite":
                db.drop_all()
            db.create_all()
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            empty_database()      # PostgreSQL is shared with the rest of the suite
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


def generate(app, *args):
    result = app.test_cli_runner().invoke(args=["demo", "generate", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def scalar(app, statement):
    with app.app_context():
        return db.session.scalar(statement)


def generated(column):
    return column.like("gen-%")


def first_names(app, count=20):
    with app.app_context():
        return list(db.session.scalars(
            select(ProductTranslation.name).join(Product)
            .where(generated(Product.key), ProductTranslation.language == "en")
            .order_by(Product.key).limit(count)))


def test_tiny_run_fills_every_table_consistently(app):
    # Given an empty schema (no demo catalog), when a tiny catalog is generated
    out = generate(app, *TINY)

    # Then the counts are exactly those asked for, and the summary says so on one line
    assert "added 300 products" in out and "1500 listings" in out
    assert scalar(app, select(func.count()).where(generated(Product.key))) == 300
    assert scalar(app, select(func.count()).where(generated(Seller.slug))) == 200
    assert scalar(app, select(func.count()).select_from(Listing)) == 1500
    # and the minimal reference set was created for it
    assert scalar(app, select(func.count()).select_from(Category)) > 0
    assert scalar(app, select(func.count()).select_from(Brand)) > 0
    assert scalar(app, select(func.count()).select_from(Color)) > 0

    with app.app_context():
        session = db.session
        # every product has all five languages, and slugs are unique per language
        languages = defaultdict(set)
        for product_id, language in session.execute(
                select(ProductTranslation.product_id, ProductTranslation.language)):
            languages[product_id].add(language)
        assert len(languages) == 300 and all(langs == set(LANGUAGES) for langs in languages.values())
        slugs = session.execute(select(ProductTranslation.language, ProductTranslation.slug)).all()
        assert len(slugs) == len(set(slugs)) == 1500

        # 2–8 variants per product, each with a launch price in EUR, GBP and USD
        per_product = Counter(session.scalars(select(Variant.product_id)))
        assert set(per_product) == set(languages) and min(per_product.values()) >= 2
        assert max(per_product.values()) <= 8
        currencies = defaultdict(set)
        for variant_id, currency, amount in session.execute(
                select(VariantNewPrice.variant_id, VariantNewPrice.currency, VariantNewPrice.amount)):
            assert isinstance(amount, int) and amount > 0
            currencies[variant_id].add(currency)
        assert len(currencies) == sum(per_product.values())
        assert all(c == {"EUR", "GBP", "USD"} for c in currencies.values())

        # every listing has a price, in each market its seller ships to and only there, in its currency
        reach = defaultdict(set)
        for seller_id, market_id in session.execute(select(seller_market.c.seller_id, seller_market.c.market_id)):
            reach[seller_id].add(market_id)
        priced = defaultdict(set)
        for listing_id, seller_id, market_id, amount, currency, market_currency in session.execute(
                select(ListingPrice.listing_id, Listing.seller_id, ListingPrice.market_id, ListingPrice.amount,
                       ListingPrice.currency, Market.currency)
                .join(Listing, Listing.id == ListingPrice.listing_id).join(Market)):
            assert isinstance(amount, int) and amount > 0
            assert currency == market_currency
            assert market_id in reach[seller_id]
            priced[listing_id].add(market_id)
        listings = session.execute(select(Listing.id, Listing.seller_id)).all()
        assert all(priced[listing_id] == reach[seller_id] for listing_id, seller_id in listings)

        # sellers are approved and ship within their region only (EU inside the EU, GB to GB, US to US)
        codes = dict(session.execute(select(Market.id, Market.code)).all())
        for seller in session.scalars(select(Seller).where(generated(Seller.slug))):
            assert seller.status == SellerStatus.APPROVED
            ships = {codes[m] for m in reach[seller.id]}
            assert seller.country_code in ships
            assert ships <= (EU if seller.country_code in EU else {seller.country_code})

        # the ids the generator took do not stand in the way of rows the shop adds afterwards
        # (on PostgreSQL they were drawn from the id sequences)
        product = Product(key="added-later", category_id=session.scalar(select(Category.id).limit(1)),
                          brand_id=session.scalar(select(Brand.id).limit(1)), specs={})
        session.add_all([product, Seller(slug="added-later", name="Later", country_code="FR", city="Lyon")])
        session.flush()
        session.rollback()


def test_second_run_tops_up_without_duplicates_then_stops(app):
    generate(app, *TINY)
    names_before = first_names(app, 300)

    # When asked for more, only the difference is added
    out = generate(app, "--products", "400", "--listings", "2000", "--sellers", "200", "--seed", "7")
    assert "added 100 products" in out and "500 listings" in out and "0 sellers" in out
    with app.app_context():
        session = db.session
        assert session.scalar(select(func.count()).where(generated(Product.key))) == 400
        assert session.scalar(select(func.count(func.distinct(Product.key)))) == 400
        assert session.scalar(select(func.count(func.distinct(Variant.sku)))) == \
            session.scalar(select(func.count()).select_from(Variant))
        assert session.scalar(select(func.count()).select_from(Listing)) == 2000
        # the new listings went to the new products: every product has some
        unlisted = select(Product.id).where(~select(Listing.id).join(Variant)
                                            .where(Variant.product_id == Product.id).exists())
        assert session.scalar(select(func.count()).select_from(unlisted.subquery())) == 0
    assert first_names(app, 300) == names_before

    # When asked for listings only, they are spread over the existing products
    generate(app, "--products", "400", "--listings", "2300", "--sellers", "200")
    assert scalar(app, select(func.count()).select_from(Listing)) == 2300

    # When the catalog is already that size, nothing is added and the message says so
    out = generate(app, "--products", "400", "--listings", "2300", "--sellers", "200")
    assert "already at the size asked" in out
    assert scalar(app, select(func.count()).select_from(Listing)) == 2300
    assert scalar(app, select(func.count()).where(generated(Product.key))) == 400


def test_same_seed_same_catalog(make_app):
    small = ["--products", "40", "--listings", "120", "--sellers", "30"]

    def run(name, seed):
        app = make_app(name)
        generate(app, *small, "--seed", str(seed))
        with app.app_context():
            prices = db.session.scalars(select(ListingPrice.amount).order_by(ListingPrice.id)).all()
        return first_names(app), prices

    first = run("a", 11)
    assert run("b", 11) == first
    assert run("c", 12)[0] != first[0]


def test_generated_products_vary_the_demo_devices(app):
    # Given the real-device demo catalog
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        brands = db.session.scalar(select(func.count()).select_from(Brand))
        categories = db.session.scalar(select(func.count()).select_from(Category))
        demo_names = set(db.session.scalars(select(ProductTranslation.name).where(
            ProductTranslation.language == "en")))
        demo_listings = db.session.scalar(select(func.count()).select_from(Listing))

    # When generating on top of it
    generate(app, "--products", "50", "--listings", "250", "--sellers", "40")

    # Then brands and categories are reused, and each name is a demo name plus an edition suffix
    with app.app_context():
        session = db.session
        assert session.scalar(select(func.count()).select_from(Brand)) == brands
        assert session.scalar(select(func.count()).select_from(Category)) == categories
        assert session.scalar(select(func.count()).select_from(Listing)) == demo_listings + 250
        for name in first_names(app, 50):
            assert any(name.startswith(f"{demo} ") for demo in demo_names), name
            assert name.split()[-1].isdigit()
