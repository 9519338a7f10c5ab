import pytest
from flask_babel import force_locale, format_currency, gettext

from app.web.jinja import money, to_decimal
from tests.builders import make_category, make_listing, make_markets, make_product, make_seller


@pytest.mark.parametrize("edition, currency, expected", [
    ("de-de", "EUR", "1.299,00\xa0€"),
    ("fr-fr", "EUR", "1\u202f299,00\xa0€"),
    ("fr-be", "EUR", "1\u202f299,00\xa0€"),
    ("es-es", "EUR", "1.299,00\xa0€"),
    ("it-it", "EUR", "1.299,00\xa0€"),
    ("en-gb", "GBP", "£1,299.00"),
    ("en-us", "USD", "$1,299.00"),
])
def test_money_is_formatted_for_the_editions_locale(app, edition, currency, expected):
    # given
    with app.test_request_context(f"/{edition}/"):
        from app.extensions import db
        make_markets(db.session)
        app.preprocess_request()

        # when
        formatted = money(129900, currency)

        # then
        assert formatted == expected
        assert formatted == format_currency(to_decimal(129900, currency), currency)


def test_money_never_goes_through_floats():
    assert str(to_decimal(129999, "EUR")) == "1299.99"
    assert str(to_decimal(1000, "JPY")) == "1000"


def test_home_page_shows_from_prices_in_the_markets_currency_and_language(client, session):
    # given
    make_markets(session)
    product = make_product(session, names={"de": "Galaxy S22", "en": "Galaxy S22"}, category=make_category(session))
    seller = make_seller(session, ships_to=("DE", "GB", "US"))
    make_listing(session, variant=product.variants[0], seller=seller, prices={"DE": 34900, "GB": 31900, "US": 39900})
    session.commit()

    # when
    german = client.get("/de-de/").get_data(as_text=True)
    british = client.get("/en-gb/").get_data(as_text=True)
    american = client.get("/en-us/").get_data(as_text=True)

    # then
    with client.application.app_context(), force_locale("de_DE"):
        popular = gettext("Popular right now")
    assert popular != "Popular right now" and popular in german
    assert "ab 349,00\xa0€" in german
    assert "from £319.00" in british
    assert "from $399.00" in american and "before sales tax" in american
