"""The storefront trade-in: every step as a full page and as the htmx fragment, and bad input."""
import re

from flask_babel import force_locale

from app.extensions import db
from app.tradein import bids
from app.tradein.models import TradeInQuote
from app.web.jinja import money
from tests.builders import market
from tests.conftest import HX, HX_BOOSTED
from tests.tradein.helpers import ALL_GOOD, make_bidder, make_phone

STEP = HX | {"HX-Target": "div#tradein-step"}


def _world(app):
    with app.app_context():
        phone = make_phone(db.session, names={"fr": "iPhone 11", "en": "iPhone 11"})
        make_bidder(db.session, phone.variants[0], {("good", "FR"): 21000, ("good", "GB"): 18000}, name="Atelier Un",
                    ships_to=("FR", "GB"))
        make_bidder(db.session, phone.variants[0], {("good", "FR"): 19000}, name="Atelier Deux", payout_days=1)
        db.session.commit()
        return {"category": phone.category.key, "model": phone.key, "sku": phone.variants[0].sku}


def test_each_step_is_a_full_page_and_a_fragment(app, client):
    keys = _world(app)
    urls = ["/fr-fr/trade-in/", f"/fr-fr/trade-in/?category={keys['category']}",
            f"/fr-fr/trade-in/?category={keys['category']}&model={keys['model']}",
            f"/fr-fr/trade-in/?category={keys['category']}&model={keys['model']}&sku={keys['sku']}"]
    expected = [keys["category"] + " fr", "iPhone 11", "64", "allume-t-il"]
    for url, text in zip(urls, expected, strict=True):
        page, fragment, boosted = client.get(url), client.get(url, headers=STEP), client.get(url, headers=HX_BOOSTED)
        assert page.status_code == fragment.status_code == boosted.status_code == 200
        assert "<html" in page.text and "<html" in boosted.text and "<html" not in fragment.text
        assert text in page.text and text in fragment.text
        assert "HX-Request" in fragment.headers["Vary"]


def test_answers_give_a_quote_with_the_best_bid_first(app, client):
    # given
    keys = _world(app)

    # when: without JavaScript, the form posts and is redirected to the quote
    response = client.post("/fr-fr/trade-in/quote", data=keys | ALL_GOOD)

    # then
    assert response.status_code == 303
    quote_url = response.headers["Location"]
    page = client.get(quote_url)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    with app.test_request_context("/fr-fr/"), force_locale("fr_FR"):
        best, other, voucher = money(21000, "EUR"), money(19000, "EUR"), money(23100, "EUR")
    assert page.text.index("Atelier Un") < page.text.index("Atelier Deux")
    assert best in page.text and other in page.text and voucher in page.text      # +10 % as a voucher
    assert "Bon" in page.text


def test_htmx_gets_the_quote_fragment_and_its_url(app, client):
    keys = _world(app)
    response = client.post("/fr-fr/trade-in/quote", data=keys | ALL_GOOD, headers=STEP)
    assert response.status_code == 200 and "<html" not in response.text
    assert re.fullmatch(r"/fr-fr/trade-in/quote/[\w-]+", response.headers["HX-Push-Url"])
    assert client.get(response.headers["HX-Push-Url"]).status_code == 200


def test_quotes_are_in_the_market_currency(app, client):
    keys = _world(app)
    response = client.post("/en-gb/trade-in/quote", data=keys | ALL_GOOD)
    page = client.get(response.headers["Location"]).text
    assert "£180.00" in page and "Atelier Deux" not in page


def test_unanswered_questions_and_a_locked_device_answer_422_and_save_nothing(app, client):
    keys = _world(app)
    missing = client.post("/fr-fr/trade-in/quote", data=keys | {"powers_on": "yes"}, headers=STEP)
    locked = client.post("/fr-fr/trade-in/quote", data=keys | ALL_GOOD | {"signed_out": "no"})
    assert missing.status_code == 422 and "Répondez à chaque question" in missing.text
    assert 'value="yes" checked' in missing.text                     # what was answered is kept
    assert locked.status_code == 422 and "compte" in locked.text
    with app.app_context():
        assert db.session.query(TradeInQuote).count() == 0


def test_no_bid_for_the_condition_is_a_409(app, client):
    keys = _world(app)
    response = client.post("/fr-fr/trade-in/quote", data=keys | ALL_GOOD | {"screen": "cracked"})
    assert response.status_code == 409


def test_unknown_devices_and_quotes_are_404(app, client):
    keys = _world(app)
    assert client.get("/fr-fr/trade-in/?category=nope").status_code == 404
    assert client.get(f"/fr-fr/trade-in/?category={keys['category']}&model=nope").status_code == 404
    assert client.get(f"/fr-fr/trade-in/?category={keys['category']}&model={keys['model']}&sku=x").status_code == 404
    assert client.post("/fr-fr/trade-in/quote", data=keys | {"sku": "x"} | ALL_GOOD).status_code == 404
    assert client.get("/fr-fr/trade-in/quote/nothing-here").status_code == 404
    quote_url = client.post("/fr-fr/trade-in/quote", data=keys | ALL_GOOD).headers["Location"]
    assert client.get(quote_url.replace("/fr-fr/", "/en-gb/")).status_code == 404      # another market's quote


def test_a_market_without_trade_in_has_no_pages_and_no_footer_link(app, client):
    _world(app)
    assert 'href="/de-de/trade-in/"' in client.get("/de-de/").text
    with app.app_context():
        bids.set_market_terms(db.session, market(db.session, "DE"), is_offered=False, voucher_bonus_bp=1000)
        db.session.commit()
    assert client.get("/de-de/trade-in/").status_code == 404
    assert 'href="/de-de/trade-in/"' not in client.get("/de-de/").text


def test_every_edition_answers_in_its_language(app, client):
    _world(app)
    for edition, word in (("fr-fr", "Vendez"), ("fr-be", "Vendez"), ("de-be", "Verkaufen"), ("de-de", "Verkaufen"),
                          ("es-es", "Vende"), ("it-it", "Vendi"), ("en-gb", "Sell"), ("en-us", "Sell")):
        page = client.get(f"/{edition}/trade-in/")
        assert page.status_code == 200 and word in page.text, edition
