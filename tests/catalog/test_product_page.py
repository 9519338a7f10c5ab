"""The product page: pickers, best offer and why, grade comparison, honest prices, SEO, fragments."""
import json
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import insert, update

from app.models_base import utcnow
from app.offers.models import GradeDescription, GradeDescriptionTranslation, ListingPricePeriod
from tests.builders import make_color, make_listing, make_markets, make_product, make_seller
from tests.conftest import HX, HX_BOOSTED


def phone(session):
    """A phone in blue and black, 128 and 256 GB; variants: 0 128-blue, 1 128-black, 2 256-blue, 3 256-black."""
    make_markets(session)
    blue = make_color(session, code="blue", hex="#2f5d8a", names={"de": "Blau", "fr": "Bleu"})
    black = make_color(session, code="black", names={"de": "Schwarz", "fr": "Noir"})
    product = make_product(session, key="phone", colors=[blue, black], storages=(128, 256),
                           names={"de": "Telefon 13", "fr": "Téléphone 13", "en": "Phone 13"},
                           new_prices={"EUR": 80000, "USD": 79900, "GBP": 69900})
    description = GradeDescription(category_id=product.category_id, grade="good", min_battery_health=85)
    description.translations = [GradeDescriptionTranslation(language=lang, summary=f"Good summary {lang}",
                                                             screen=f"Screen {lang}", body=f"Body {lang}")
                                 for lang in ("de", "fr", "en")]
    session.add(description)
    session.flush()
    return product


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def de(message: str, plural: str | None = None, **values) -> str:
    with force_locale("de_DE"):
        return ngettext(message, plural, values.pop("num"), **values) if plural else gettext(message, **values)


def test_the_page_shows_the_best_offer_of_the_selection_and_why(client, session):
    product = phone(session)
    v = product.variants
    make_listing(session, variant=v[0], grade="good", prices={"DE": 45900}, seller=make_seller(session, rating=41))
    make_listing(session, variant=v[0], grade="good", prices={"DE": 42900},
                        seller=make_seller(session, name="Werkstatt Nord", rating=47))
    make_listing(session, variant=v[3], grade="fair", prices={"DE": 29900})
    session.commit()

    with client.application.app_context():
        html = text_of(client.get("/de-de/p/phone-de?storage=128&color=blue&grade=good"))
        why = de("It has the lowest price of the %(num)s offer in this configuration and condition.",
                 "It has the lowest price of the %(num)s offers in this configuration and condition.", num=2)
        vat = de("VAT included. Free standard delivery.")
        others = de("Other offers in this configuration and condition")

    assert "Telefon 13" in html and "429,00 €" in html and "Werkstatt Nord" in html
    assert why in html and vat in html and others in html and "459,00 €" in html
    assert "4,7 / 5" in html                                   # the rating in German notation
    assert "Good summary de" in html and "Screen de" in html    # the grade explained, in German
    assert "800,00 €" in html and "46 %" in html                # price new and the saving (46.375 → 46)
    # Each picker choice shows the price of its best offer; 256 GB blue has none: unavailable.
    assert re.search(r'id="pick-storage-1" href="[^"]*storage=128[^"]*color=blue[^"]*grade=good"', html)
    assert 'aria-current="true"' in html


def test_an_unavailable_combination_points_to_the_nearest_one_that_can_be_bought(client, session):
    product = phone(session)
    make_listing(session, variant=product.variants[3], grade="fair", prices={"DE": 29900})
    session.commit()

    with client.application.app_context():
        html = text_of(client.get("/de-de/p/phone-de?storage=128&color=blue&grade=premium"))
        unavailable = de("This combination is not available right now.")
        nearest = de("Nearest available:")

    assert unavailable in html and nearest in html
    assert re.search(r'href="[^"]*storage=256&amp;color=black&amp;grade=fair"', html)
    assert "299,00 €" in html


def test_an_unavailable_grade_leads_to_that_grade_in_the_nearest_options(client, session):
    product = phone(session)
    v = product.variants
    make_listing(session, variant=v[0], grade="good", prices={"DE": 40000})        # 128 blue: good
    make_listing(session, variant=v[0], grade="excellent", prices={"DE": 45000})   # 128 blue: very good
    make_listing(session, variant=v[1], grade="premium", prices={"DE": 52000})     # premium only in black
    session.commit()

    html = text_of(client.get("/de-de/p/phone-de?storage=128&color=blue&grade=good"))

    # Premium is not made in blue: its link keeps the grade clicked and changes the colour, rather
    # than keeping the colour and falling back to the nearest grade ("Sehr gut").
    premium = re.search(r'id="pick-grade-premium" href="([^"]*)"', html).group(1)
    assert "grade=premium" in premium and "color=black" in premium and "storage=128" in premium
    # A grade that is nowhere in stock leads nowhere.
    assert re.search(r'<span id="pick-grade-fair" class="option unavailable" aria-disabled="true">', html)


def test_the_new_battery_option_shows_its_price_difference(client, session):
    product = phone(session)
    make_listing(session, variant=product.variants[0], grade="good", prices={"FR": 40000})
    make_listing(session, variant=product.variants[0], grade="good", has_new_battery=True,
                 battery_health_min=100, prices={"FR": 43500})
    session.commit()

    html = text_of(client.get("/fr-fr/p/phone-fr?storage=128&color=blue&grade=good"))
    fresh = text_of(client.get("/fr-fr/p/phone-fr?storage=128&color=blue&grade=good&battery=new"))

    assert "Batterie neuve" in html and "35,00 € de plus" in html
    assert "435,00 €" in fresh and 'id="pick-battery-new"' in fresh


def test_a_reduction_is_shown_only_against_the_30_day_low(client, session):
    product = phone(session)
    listing = make_listing(session, variant=product.variants[0], grade="good", prices={"FR": 40000})
    price_id = listing.prices[0].id
    now = utcnow()
    session.execute(ListingPricePeriod.__table__.delete())
    session.execute(insert(ListingPricePeriod), [
        {"listing_price_id": price_id, "amount": 50000, "started_at": now - timedelta(days=40),
         "ended_at": now - timedelta(days=3)},
        {"listing_price_id": price_id, "amount": 40000, "started_at": now - timedelta(days=3), "ended_at": None}])
    session.commit()

    html = text_of(client.get("/fr-fr/p/phone-fr?storage=128&color=blue&grade=good"))
    assert "<s>500,00 €</s>" in html and "−20 %" in html

    session.execute(update(ListingPricePeriod).where(ListingPricePeriod.amount == 50000)
                    .values(amount=39000))        # it was cheaper within the 30 days: no reduction
    session.commit()
    html = text_of(client.get("/fr-fr/p/phone-fr?storage=128&color=blue&grade=good"))
    assert "<s>" not in html


def test_us_prices_say_they_are_before_sales_tax_and_dates_follow_the_locale(client, session):
    product = phone(session)
    make_listing(session, variant=product.variants[0], grade="good", prices={"US": 39900},
                 seller=make_seller(session, ships_to=("US",)))
    session.commit()

    html = text_of(client.get("/en-us/p/phone-en"))

    assert "$399.00" in html and "Before sales tax" in html
    assert "legal guarantee" not in html                        # the US market has none
    assert re.search(r"(Mon|Tue|Wed|Thu|Fri), (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d+ – ", html)


def test_structured_data_has_an_aggregate_offer_in_refurbished_condition(client, session):
    product = phone(session)
    make_listing(session, variant=product.variants[0], grade="good", prices={"DE": 42900})
    make_listing(session, variant=product.variants[1], grade="fair", prices={"DE": 29900})
    session.commit()

    html = client.get("/de-de/p/phone-de").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))

    assert data["@type"] == "Product" and data["name"] == "Apple Telefon 13"
    assert data["offers"] == {
        "@type": "AggregateOffer", "priceCurrency": "EUR", "offerCount": 2, "lowPrice": "299.00",
        "highPrice": "429.00", "itemCondition": "https://schema.org/RefurbishedCondition",
        "availability": "https://schema.org/InStock"}
    assert '<link rel="canonical" href="http://shop.test/de-de/p/phone-de">' in html
    assert 'hreflang="fr-FR" href="http://shop.test/fr-fr/p/phone-fr"' in html


def test_a_pick_swaps_only_the_purchase_panel_and_brings_the_offers_along(client, session):
    product = phone(session)
    make_listing(session, variant=product.variants[0], grade="good", prices={"DE": 42900})
    make_listing(session, variant=product.variants[2], grade="good", prices={"DE": 47900})
    session.commit()

    purchase = client.get("/de-de/p/phone-de?storage=256&color=blue&grade=good",
                          headers=HX | {"HX-Target": "div#purchase"}).get_data(as_text=True)
    top = client.get("/de-de/p/phone-de?storage=128&color=blue&grade=good",
                     headers=HX | {"HX-Target": "div#product-top"}).get_data(as_text=True)
    boosted = client.get("/de-de/p/phone-de?storage=256&color=blue", headers=HX_BOOSTED).get_data(as_text=True)

    assert "<html" not in purchase and "479,00" in purchase and "<img" not in purchase
    assert 'hx-swap-oob="innerHTML:#offers-detail"' in purchase
    assert "<html" not in top and "class=\"gallery\"" in top and 'id="purchase"' in top
    assert "<html" in boosted


def test_the_edition_switcher_keeps_the_selection_and_follows_each_pick(client, session):
    product = phone(session)
    make_listing(session, variant=product.variants[0], grade="good", prices={"DE": 42900, "FR": 43900})
    make_listing(session, variant=product.variants[3], grade="fair", prices={"DE": 29900, "FR": 30900})
    session.commit()

    page = client.get("/de-de/p/phone-de").get_data(as_text=True)       # no query: the page's own pick
    pick = client.get("/de-de/p/phone-de?storage=256&color=black&grade=fair",
                      headers=HX | {"HX-Target": "div#purchase"}).get_data(as_text=True)

    assert 'href="/fr-fr/p/phone-fr?storage=128&amp;color=blue&amp;grade=good"' in page
    # A pick swaps the purchase panel and the switcher, whose links now name the new selection.
    assert 'hx-swap-oob="innerHTML:#edition-switcher"' in pick
    assert 'href="/fr-fr/p/phone-fr?storage=256&amp;color=black&amp;grade=fair"' in pick
    # Search engines' alternates stay bare.
    assert 'hreflang="fr-FR" href="http://shop.test/fr-fr/p/phone-fr"' in page


def test_slugs_of_other_languages_and_old_slugs_answer_301_with_the_selection(client, session):
    product = phone(session)
    make_listing(session, variant=product.variants[0], grade="good", prices={"DE": 42900})
    german = next(t for t in product.translations if t.language == "de")
    german.slug = "telefon-13"
    session.commit()

    other = client.get("/de-de/p/phone-fr?grade=good")
    old = client.get("/de-de/p/phone-de?storage=128")

    assert other.status_code == 301 and other.location.endswith("/de-de/p/telefon-13?grade=good")
    assert old.status_code == 301 and old.location.endswith("/de-de/p/telefon-13?storage=128")
    assert client.get("/de-de/p/telefon-13").status_code == 200


def test_nonsense_in_the_query_string_falls_back_to_a_real_selection(client, session):
    product = phone(session)
    make_listing(session, variant=product.variants[1], grade="excellent", prices={"DE": 42900})
    session.commit()

    response = client.get("/de-de/p/phone-de?storage=abc&color=%3Cscript%3E&grade=mint&battery=%00")

    assert response.status_code == 200 and "429,00" in response.get_data(as_text=True)


def test_the_query_count_does_not_grow_with_the_number_of_listings(client, session, count_queries):
    product = phone(session)
    make_listing(session, variant=product.variants[0], grade="good", prices={"DE": 42900})
    session.commit()
    few, _ = count_queries.of(lambda: client.get("/de-de/p/phone-de"))

    for n in range(12):
        variant = product.variants[n % 4]
        make_listing(session, variant=variant, grade=("fair", "good", "excellent", "premium")[n % 4],
                     prices={"DE": 30000 + n * 1000}, seller=make_seller(session, rating=40 + n % 5))
    session.commit()
    many, _ = count_queries.of(lambda: client.get("/de-de/p/phone-de"))

    assert many == few


@pytest.mark.parametrize("target, query", [("div#purchase", "storage=128&color=blue&grade=excellent"),
                                           ("div#product-top", "storage=128&color=black&grade=good")],
                         ids=["grade-pick", "colour-pick"])
def test_a_picker_fragment_runs_as_many_queries_with_many_listings(client, session, count_queries, target, query):
    # given: the grade and colour pickers' htmx request, on a product with two listings
    product = phone(session)
    make_listing(session, variant=product.variants[0], grade="good", prices={"DE": 42900})
    make_listing(session, variant=product.variants[1], grade="excellent", prices={"DE": 45900})
    session.commit()
    url, headers = f"/de-de/p/phone-de?{query}", HX | {"HX-Target": target}
    few, _ = count_queries.of(lambda: client.get(url, headers=headers))

    # when: twelve more listings over every variant and grade, from as many sellers
    for n in range(12):
        make_listing(session, variant=product.variants[n % 4], grade=("fair", "good", "excellent", "premium")[n % 4],
                     prices={"DE": 30000 + n * 1000}, seller=make_seller(session, rating=40 + n % 5))
    session.commit()
    many, response = count_queries.of(lambda: client.get(url, headers=headers))

    # then
    assert response.status_code == 200 and b"<html" not in response.data
    assert many == few
