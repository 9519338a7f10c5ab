"""The listing engine through its service interface: eligibility, prices, facets, sorts, pages."""
from __future__ import annotations

import pytest
from flask import g, request
from werkzeug.datastructures import MultiDict

from app.catalog.queries import category_tree
from app.extensions import db
from app.search.service import Catalog, listing_page
from tests.builders import make_listing, make_product, make_seller


def listing(app, edition="fr-fr", *, scope_key=None, per_page=24, **args):
    with app.test_request_context(f"/{edition}/search", query_string=MultiDict(
            [(k, v) for k, values in args.items() for v in (values if isinstance(values, list) else [values])])):
        app.preprocess_request()
        catalog = Catalog(db.session, category_tree(db.session, g.languages))
        scope = catalog.nodes[scope_key] if scope_key else None
        return listing_page(db.session, market=g.market, languages=g.languages, args=request.args,
                            catalog=catalog, scope=scope, per_page=per_page)


def names(page) -> list[str]:
    return [card.name for card in page.cards]


def counts(page, facet: str) -> dict[str, int]:
    return {v.code: v.count for f in page.facets if f.code == facet for v in f.values}


def test_only_products_purchasable_in_the_market_are_listed(app, session, shop):
    # given: a UK-only product, a sold-out one, one from a suspended seller, one paused
    category = shop.categories["smartphones"]
    uk_only = make_product(session, category=category, names={"fr": "UK only", "en": "UK only"})
    make_listing(session, variant=uk_only.variants[0], seller=shop.sellers["main"], prices={"GB": 1000})
    sold_out = make_product(session, category=category, names={"fr": "Sold out"})
    make_listing(session, variant=sold_out.variants[0], quantity=0, prices={"FR": 1000})
    suspended = make_product(session, category=category, names={"fr": "Suspended"})
    make_listing(session, variant=suspended.variants[0], seller=make_seller(session, status="suspended"),
                 prices={"FR": 1000})
    paused = make_product(session, category=category, names={"fr": "Paused"})
    make_listing(session, variant=paused.variants[0], is_active=False, prices={"FR": 1000})
    session.commit()

    # when
    french = listing(app, "fr-fr")
    british = listing(app, "en-gb")

    # then
    assert french.total == 9 and not {"UK only", "Sold out", "Suspended", "Paused"} & set(names(french))
    assert "UK only" in names(british) and british.total == 10


def test_from_prices_are_the_lowest_offer_in_the_market_currency(app, shop):
    cards = {card.name: card for card in listing(app, "fr-fr", q="iphone 13").cards}
    assert cards["iPhone 13"].from_amount == 43000 and cards["iPhone 13"].currency == "EUR"
    assert cards["iPhone 13"].offers_count == 3
    uk = {card.name: card for card in listing(app, "en-gb", q="iphone 13").cards}
    assert uk["iPhone 13"].from_amount == 40000 and uk["iPhone 13"].currency == "GBP"


def test_a_grade_filter_prices_the_products_by_that_grade(app, shop):
    page = listing(app, q="iphone 13", grade="excellent")
    assert [(c.name, c.from_amount) for c in page.cards] == [("iPhone 13", 52000)]


def test_facets_count_with_every_other_filter(app, shop):
    # when
    everything = listing(app)
    excellent = listing(app, grade="excellent")
    apple_excellent = listing(app, grade="excellent", brand="apple")

    # then: a facet never counts its own filter, and always counts the others
    assert counts(everything, "grade") == {"fair": 1, "good": 6, "excellent": 3, "premium": 1}
    assert excellent.total == 3 and counts(excellent, "grade") == counts(everything, "grade")
    assert counts(excellent, "brand") == {"apple": 1, "samsung": 1, "dell": 1}
    assert apple_excellent.total == 1 and names(apple_excellent) == ["iPhone 13"]
    assert counts(apple_excellent, "grade") == {"fair": 1, "good": 2, "excellent": 1, "premium": 1}
    assert counts(apple_excellent, "brand") == {"apple": 1, "samsung": 1, "dell": 1}
    assert counts(apple_excellent, "category") == {"smartphones": 1}


def test_values_of_one_facet_add_up_and_facets_narrow_each_other(app, shop):
    both = listing(app, grade=["fair", "premium"])
    assert sorted(names(both)) == ["iPhone 12", "iPhone 13 Pro"]
    assert listing(app, grade=["fair", "premium"], storage="256").total == 1


def test_offer_facets(app, shop):
    page = listing(app)
    assert counts(page, "storage")["256"] == 4 and counts(page, "storage")["825"] == 1
    assert counts(page, "color") == {"black": 7, "blue": 2}
    assert counts(page, "battery") == {"new": 1}
    assert names(listing(app, battery="new")) == ["iPhone 13"]
    assert sorted(names(listing(app, color="blue"))) == ["iPhone 12", "iPhone 13"]


def test_price_bands_follow_the_selected_grades(app, shop):
    assert counts(listing(app, q="iphone 13"), "price") == {"300-500": 1, "500-750": 1}
    page = listing(app, grade="excellent", price="500-750")
    assert sorted(names(page)) == ["Galaxy S22 Ultra", "iPhone 13"]
    assert counts(page, "price") == {"500-750": 2, "750-1000": 1}


def test_categories_facet_and_category_scope(app, shop):
    page = listing(app, q="sony")
    assert counts(page, "category") == {"tvs": 1, "consoles": 1}
    laptops = listing(app, scope_key="laptops")
    assert laptops.total == 2 and "category" not in [f.code for f in laptops.facets]
    assert names(listing(app, category="tvs")) == ["BRAVIA XR A80J"]


@pytest.mark.parametrize("sort, expected", [
    ("price_asc", ["iPhone 12", "Galaxy S22", "iPhone 13", "Galaxy S22 Ultra", "iPhone 13 Pro"]),
    ("price_desc", ["iPhone 13 Pro", "Galaxy S22 Ultra", "iPhone 13", "Galaxy S22", "iPhone 12"]),
])
def test_sorts(app, shop, sort, expected):
    assert names(listing(app, scope_key="smartphones", sort=sort)) == expected


def test_newest_first_and_pages(app, shop):
    newest = listing(app, scope_key="smartphones", sort="newest")
    assert sorted(names(newest)[:2]) == ["Galaxy S22", "Galaxy S22 Ultra"]
    first, second, third = (listing(app, scope_key="smartphones", sort="price_asc", per_page=2, page=n)
                            for n in (1, 2, 3))
    assert (first.pages, names(first), names(second), names(third)) == (
        3, ["iPhone 12", "Galaxy S22"], ["iPhone 13", "Galaxy S22 Ultra"], ["iPhone 13 Pro"])
    assert listing(app, per_page=2, page=99).out_of_range


def test_live_counts_equal_the_precomputed_ones(app, shop):
    # given: the unfiltered page reads precomputed counts; selecting every price band makes every
    # other facet count live, over the same products
    precomputed = listing(app)
    everything = [v.code for f in precomputed.facets if f.code == "price" for v in f.values]

    # when
    live = listing(app, price=everything)

    # then
    assert live.total == precomputed.total
    for facet in ("category", "brand", "grade", "storage", "color", "battery"):
        assert counts(live, facet) == counts(precomputed, facet), facet


def test_bad_values_are_ignored_and_reported(app, shop):
    page = listing(app, brand=["apple", "nokia"], grade="mint", storage=["abc", "256"], price="1-2", sort="cheapest",
                   page="-4", battery="old", category="nope")
    assert page.params.filters.brands == ("apple",) and page.params.filters.storages == (256,)
    assert page.params.sort == "relevance" and page.page == 1 and len(page.params.ignored) == 7
    assert names(page)


@pytest.mark.parametrize("edition, text, expected", [
    ("en-gb", "samsung", ["Galaxy S22", "Galaxy S22 Ultra"]),
    ("de-de", "fernseher", ["BRAVIA XR A80J"]),
    ("de-de", "sony fernseher", ["BRAVIA XR A80J"]),
    ("fr-fr", "télé SONY", ["BRAVIA XR A80J"]),
    ("de-de", "apple notebook", ['MacBook Air 13" (M1, 2020)']),
])
def test_brand_and_category_words_are_read_as_those_filters(app, shop, edition, text, expected):
    # when: the words name only brands and categories
    page = listing(app, edition, q=text)

    # then: the same products as the text would find, every count within them
    assert sorted(names(page)) == sorted(expected) and page.total == len(expected)
    assert sum(counts(page, "brand").values()) == len(expected)


def test_two_brands_are_not_a_filter_but_text(app, shop):
    # when: no product has both brands' words
    page = listing(app, "en-gb", q="apple samsung")

    # then: not read as two brand filters; the text matched nothing, so the last word was let go, and said so
    assert page.params.filters.brands == () and page.relaxed is not None and page.relaxed.text == "apple"
    assert set(names(page)) == {"iPhone 13", "iPhone 13 Pro", "iPhone 12", 'MacBook Air 13" (M1, 2020)'}
