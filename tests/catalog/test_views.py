from tests.builders import make_category, make_listing, make_markets, make_product, make_seller
from tests.conftest import HX, HX_BOOSTED


def stock(session, count, *, category=None, market="FR"):
    category = category or make_category(session, key="phones")
    seller = make_seller(session)
    for n in range(count):
        product = make_product(session, category=category, key=f"{category.key}-{n}")
        make_listing(session, variant=product.variants[0], seller=seller, prices={market: 10000 + n})
    return category


def test_home_lists_categories_and_featured_products(client, session):
    # given
    make_markets(session)
    stock(session, 3)
    session.commit()

    # when
    html = client.get("/fr-fr/").get_data(as_text=True)

    # then
    assert "phones fr" in html
    assert html.count('class="product-card"') == 3


def test_home_shows_only_what_can_be_bought_in_the_market(client, session):
    # given: one product sold in the UK only, one out of stock, one from a suspended seller
    make_markets(session)
    category = make_category(session)
    uk_only = make_product(session, category=category, names={"fr": "UK only"})
    make_listing(session, variant=uk_only.variants[0], prices={"GB": 1000})
    empty = make_product(session, category=category, names={"fr": "Sold out"})
    make_listing(session, variant=empty.variants[0], quantity=0, prices={"FR": 1000})
    suspended = make_product(session, category=category, names={"fr": "Suspended"})
    make_listing(session, variant=suspended.variants[0], seller=make_seller(session, status="suspended"),
                 prices={"FR": 1000})
    session.commit()

    # when
    html = client.get("/fr-fr/").get_data(as_text=True)

    # then
    assert "UK only" not in html and "Sold out" not in html and "Suspended" not in html


def test_query_count_does_not_grow_with_the_products_shown(client, session, count_queries):
    # given
    make_markets(session)
    stock(session, 2)
    session.commit()
    few, _ = count_queries.of(lambda: client.get("/fr-fr/c/phones-fr"))
    stock(session, 20, category=make_category(session, key="tablets"))
    session.commit()

    # when
    many, _ = count_queries.of(lambda: client.get("/fr-fr/c/tablets-fr"))
    home, _ = count_queries.of(lambda: client.get("/fr-fr/"))

    # then
    assert many == few
    assert home <= few


def test_home_query_count_does_not_grow_with_the_featured_products(client, session, count_queries):
    # given: two products in stock, then more than the home page features
    make_markets(session)
    stock(session, 2)
    session.commit()
    few, _ = count_queries.of(lambda: client.get("/fr-fr/"))
    stock(session, 20, category=make_category(session, key="tablets"))
    session.commit()

    # when
    many, response = count_queries.of(lambda: client.get("/fr-fr/"))
    html = response.get_data(as_text=True)

    # then
    assert html.count('class="product-card"') == client.application.config["FEATURED_PRODUCTS_ON_HOME"]
    assert many == few


def test_category_page_full_fragment_and_boosted(client, session):
    # given: two pages of products
    make_markets(session)
    stock(session, 30)
    session.commit()
    url = "/fr-fr/c/phones-fr?page=2"

    # when
    page = client.get(url)
    fragment = client.get(url, headers=HX | {"HX-Target": "div#search-results"})
    boosted = client.get(url, headers=HX_BOOSTED | {"HX-Target": "body"})
    restore = client.get(url, headers=HX | {"HX-Target": "body", "HX-History-Restore-Request": "true"})
    unmapped = client.get(url, headers=HX | {"HX-Target": "div#somewhere-else"})

    # then
    assert page.status_code == fragment.status_code == boosted.status_code == 200
    assert b"<html" in page.data and b"<html" in boosted.data
    assert b"<html" in restore.data and b"<html" in unmapped.data
    assert b"<html" not in fragment.data and fragment.data.count(b'class="product-card"') == 6
    assert "HX-Request" in fragment.headers["Vary"]


def test_category_page_past_the_end_is_a_404(client, session):
    make_markets(session)
    stock(session, 2)
    session.commit()
    assert client.get("/fr-fr/c/phones-fr?page=9").status_code == 404
    assert client.get("/fr-fr/c/phones-fr?page=abc").status_code == 200


def test_a_slug_from_another_language_redirects_to_the_canonical_one(client, session):
    # given
    make_markets(session)
    product = make_product(session, key="watch")
    make_listing(session, variant=product.variants[0], prices={"DE": 1000})
    session.commit()

    # when
    product_page = client.get("/de-de/p/watch-fr")
    category_page = client.get("/de-de/c/" + product.category.key + "-it?page=1")

    # then
    assert product_page.status_code == 301 and product_page.headers["Location"] == "/de-de/p/watch-de"
    assert category_page.status_code == 301
    assert category_page.headers["Location"] == f"/de-de/c/{product.category.key}-de?page=1"


def test_unknown_product_is_a_404_page(client, session):
    make_markets(session)
    session.commit()
    response = client.get("/it-it/p/does-not-exist")
    assert response.status_code == 404 and '<html lang="it-IT"' in response.get_data(as_text=True)
