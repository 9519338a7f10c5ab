"""The real-device demo catalog: big enough, complete in five languages, and idempotent."""
import pytest
from sqlalchemy import func, select

from app.catalog.models import Category, Product, ProductImage, ProductTranslation, Variant
from app.demo.loader import load_demo
from app.extensions import db
from app.i18n import LANGUAGES
from app.offers.models import GradeDescription, Listing, ListingPrice
from app.sellers.models import Seller
from app.sites.models import Market
from tests.conftest import make_test_app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    # Loading the catalog takes seconds: do it once for the module.
    yield from make_test_app(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def loaded(app):
    with app.test_request_context():
        report = load_demo(db.session)
        db.session.commit()
        yield db.session, report


def count(session, stmt):
    return session.scalar(select(func.count()).select_from(stmt.subquery()))


def test_demo_catalog_is_big_enough(loaded):
    session, report = loaded
    leaves = session.scalars(select(Category).where(~Category.children.any())).all()
    assert report.products >= 150 and session.scalar(select(func.count(Product.id))) >= 150
    assert len(leaves) >= 8
    assert session.scalar(select(func.count(Seller.id))) >= 20
    assert {s.country_code for s in session.scalars(select(Seller))} >= {"FR", "BE", "ES", "DE", "IT", "GB", "US"}
    for leaf in leaves:
        assert session.scalar(select(func.count(Product.id)).where(Product.category_id == leaf.id)) >= 5, leaf.key


def test_every_product_has_text_in_five_languages_variants_pictures_and_new_prices(loaded):
    session, _ = loaded
    per_product = dict(session.execute(select(ProductTranslation.product_id, func.count())
                                       .group_by(ProductTranslation.product_id)).all())
    products = session.scalars(select(Product)).all()
    assert all(per_product[p.id] == len(LANGUAGES) for p in products)
    with_images = set(session.scalars(select(ProductImage.product_id).distinct()))
    assert {p.id for p in products} == with_images
    for variant in session.scalars(select(Variant)):
        assert {p.currency for p in variant.new_prices} == {"EUR", "GBP", "USD"}
        assert all(isinstance(p.amount, int) and p.amount > 0 for p in variant.new_prices)


def test_every_market_has_listings_in_all_four_grades(loaded):
    session, _ = loaded
    rows = session.execute(
        select(Market.code, Listing.grade, func.count())
        .join(ListingPrice, ListingPrice.market_id == Market.id)
        .join(Listing, Listing.id == ListingPrice.listing_id)
        .where(Listing.quantity > 0)
        .group_by(Market.code, Listing.grade)).all()
    grades = {}
    for code, grade, n in rows:
        grades.setdefault(code, {})[grade] = n
    assert set(grades) == {"FR", "BE", "ES", "DE", "IT", "GB", "US"}
    for code, by_grade in grades.items():
        assert set(by_grade) == {"fair", "good", "excellent", "premium"}, code
        assert sum(by_grade.values()) >= 300, code


def test_prices_are_in_the_markets_currency_and_below_the_new_price(loaded):
    session, _ = loaded
    wrong_currency = count(session, select(ListingPrice.id).join(Market, Market.id == ListingPrice.market_id)
                           .where(ListingPrice.currency != Market.currency))
    assert wrong_currency == 0
    for price in session.scalars(select(ListingPrice).limit(500)):
        new = price.listing.variant.new_price(price.currency)
        assert 0 < price.amount < new


def test_grade_descriptions_cover_every_grade_in_five_languages(loaded):
    session, _ = loaded
    defaults = session.scalars(select(GradeDescription).where(GradeDescription.category_id.is_(None))).all()
    assert {g.grade for g in defaults} == {"fair", "good", "excellent", "premium"}
    assert all({t.language for t in g.translations} == set(LANGUAGES) for g in defaults)


def test_loading_again_changes_nothing(loaded, app):
    # given
    session, first = loaded
    before = (count(session, select(Listing.id)), count(session, select(ListingPrice.id)),
              count(session, select(Product.id)), count(session, select(ProductImage.id)))
    sample = session.execute(select(Listing.id, Listing.quantity, ListingPrice.amount)
                             .join(ListingPrice).order_by(Listing.id).limit(50)).all()

    # when
    with app.test_request_context():
        again = load_demo(db.session)
        db.session.commit()

    # then
    session.expire_all()
    assert again.listings_created == 0 and again.prices_created == 0
    assert again.listings_total == first.listings_total
    assert before == (count(session, select(Listing.id)), count(session, select(ListingPrice.id)),
                      count(session, select(Product.id)), count(session, select(ProductImage.id)))
    assert sample == session.execute(select(Listing.id, Listing.quantity, ListingPrice.amount)
                                     .join(ListingPrice).order_by(Listing.id).limit(50)).all()


def test_demo_refurbishers_bid_on_an_iphone_11_in_every_market_and_again_adds_nothing(loaded):
    from app.tradein import quotes
    from app.tradein.demo import load_demo_bids
    from app.tradein.models import TradeInSellerProfile
    session, _ = loaded
    variant = session.scalar(select(Product).where(Product.key == "apple-iphone-11")).variants[0]
    for market in session.scalars(select(Market)):
        ranked = quotes.current_bids(session, market, variant, "good")
        assert len(ranked) >= 2, market.code
        assert ranked[0].amount >= ranked[-1].amount
    assert session.scalar(select(func.count()).select_from(TradeInSellerProfile)) >= 10
    assert load_demo_bids(session) == 0


def test_demo_reviews_are_published_in_five_languages_with_their_figures_and_again_adds_nothing(loaded, app):
    from app.reviews.demo import load_demo_reviews
    from app.reviews.models import ProductRating, Review
    from app.reviews.rules import policy
    session, _ = loaded
    languages = dict(session.execute(select(Review.language, func.count()).group_by(Review.language)).all())
    assert set(languages) == {"fr", "es", "de", "it", "en"} and sum(languages.values()) >= 2000
    assert session.scalar(select(func.sum(ProductRating.count))) == session.scalar(
        select(func.count()).select_from(Review).where(Review.kind == "product", Review.status == "published"))
    sample = session.execute(select(Review.title, Review.rating, Review.model).order_by(Review.id).limit(20)).all()
    with app.test_request_context():
        assert load_demo_reviews(db.session, policy()) == 0
    assert sample == session.execute(select(Review.title, Review.rating, Review.model).order_by(Review.id)
                                     .limit(20)).all()
