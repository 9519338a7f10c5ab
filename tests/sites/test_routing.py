import re

import pytest

from tests.builders import make_category, make_listing, make_markets, make_product

EDITIONS = ["fr-fr", "fr-be", "de-be", "es-es", "de-de", "it-it", "en-gb", "en-us"]


@pytest.fixture
def shop(app):
    with app.test_request_context():
        from app.extensions import db
        make_markets(db.session)
        db.session.commit()
    return app


@pytest.mark.parametrize("header, expected", [
    ("fr-BE,fr;q=0.9", "/fr-be/"),
    ("de-BE", "/de-be/"),
    ("de", "/de-de/"),
    ("de-AT,de;q=0.8", "/de-de/"),
    ("es-MX,es;q=0.9", "/es-es/"),
    ("en-US,en;q=0.5", "/en-us/"),
    ("en", "/en-gb/"),
    ("it-IT", "/it-it/"),
    ("ja-JP,ja;q=0.9", "/en-gb/"),
    ("ja-JP, it;q=0.5", "/it-it/"),
])
def test_root_redirects_to_the_best_edition_for_the_language(shop, header, expected):
    # when
    response = shop.test_client().get("/", headers={"Accept-Language": header})

    # then
    assert response.status_code == 302
    assert response.headers["Location"].endswith(expected)
    assert "Accept-Language" in response.headers["Vary"]


def test_root_prefers_the_remembered_edition(shop):
    # given: the visitor last browsed the Belgian German edition
    client = shop.test_client()
    client.get("/de-be/")

    # when
    response = client.get("/", headers={"Accept-Language": "fr-FR"})

    # then
    assert response.headers["Location"].endswith("/de-be/")


def test_an_unknown_edition_is_a_localized_404(shop):
    # when
    response = shop.test_client().get("/xx-yy/", headers={"Accept-Language": "de-DE"})

    # then
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="de-DE"' in html
    assert "Seite nicht gefunden" in html
    assert 'href="http://shop.test/fr-fr/"' in html or 'href="/fr-fr/"' in html


@pytest.mark.parametrize("code", EDITIONS)
def test_every_edition_has_its_lang_canonical_and_hreflang_alternates(shop, code):
    # when
    html = shop.test_client().get(f"/{code}/").get_data(as_text=True)

    # then
    language, country = code.split("-")
    assert f'<html lang="{language}-{country.upper()}"' in html
    assert f'<link rel="canonical" href="http://shop.test/{code}/">' in html
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert alternates == {**{f"{e.split('-')[0]}-{e.split('-')[1].upper()}": f"http://shop.test/{e}/" for e in EDITIONS},
                          "x-default": "http://shop.test/"}


def test_switcher_keeps_the_visitor_on_the_same_product_with_its_localized_slug(app, session):
    # given
    make_markets(session)
    product = make_product(session, key="iphone", names={"fr": "iPhone 13 FR", "de": "iPhone 13 DE"})
    make_listing(session, variant=product.variants[0], prices={"FR": 50000, "DE": 51000})
    session.commit()

    # when
    html = app.test_client().get("/fr-fr/p/iphone-fr").get_data(as_text=True)

    # then: the German link points at the German slug with the selection shown, and hreflang agrees
    assert 'href="/de-de/p/iphone-de?grade=good" hreflang="de-DE"' in html
    assert '<link rel="alternate" hreflang="de-DE" href="http://shop.test/de-de/p/iphone-de">' in html
    assert 'href="/en-us/p/iphone-en?grade=good"' in html


def test_switcher_keeps_the_query_string(app, session):
    # given
    make_markets(session)
    category = make_category(session, key="phones")
    make_listing(session, variant=make_product(session, category=category).variants[0], prices={"FR": 1000})
    session.commit()

    # when
    html = app.test_client().get("/fr-fr/c/phones-fr?page=1").get_data(as_text=True)

    # then
    assert 'href="/it-it/c/phones-it?page=1"' in html


def test_edition_choice_is_remembered_in_a_cookie(shop):
    # when
    response = shop.test_client().get("/es-es/")

    # then
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("edition=es-es;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_missing_page_under_an_edition_answers_in_that_editions_language(shop):
    # when
    response = shop.test_client().get("/de-be/nothing-here", headers={"Accept-Language": "en-US"})

    # then
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="de-BE"' in html and "Seite nicht gefunden" in html
