"""US English: a regional catalog merged over English, a US address form, and its checks."""
import re

from app.checkout.addresses import COUNTRIES
from app.config import PROJECT_ROOT
from app.i18n.checks import check_regional
from tests.builders import make_color, make_listing, make_markets, make_product
from tests.checkout.helpers import ADDRESSES, stock

TRANSLATIONS = PROJECT_ROOT / "translations"
REGIONAL = TRANSLATIONS / "regional"


def test_the_us_catalog_is_current_and_complete():
    assert check_regional(REGIONAL, TRANSLATIONS / "messages.pot") == []


def test_a_stale_or_broken_us_entry_is_reported(tmp_path):
    target = tmp_path / "en_US" / "LC_MESSAGES"
    target.mkdir(parents=True)
    text = (REGIONAL / "en_US" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    text += '\nmsgid "Colourful gone string"\nmsgstr "Colorful"\n'
    text = text.replace('msgstr "This ZIP code is not valid here (example: %(example)s)."',
                        'msgstr "This ZIP code is not valid here (example: %(sample)s)."')
    (target / "messages.po").write_text(text, encoding="utf-8")

    problems = check_regional(tmp_path, TRANSLATIONS / "messages.pot")

    assert "en_US: 'Colourful gone string' is no longer a UI string: remove it" in problems
    assert any("This postcode is not valid here" in p and "placeholder" in p for p in problems)


def test_us_pages_spell_the_american_way_and_british_pages_do_not(client, session):
    make_markets(session)
    colors = [make_color(session, code="blue"), make_color(session, code="black")]
    product = make_product(session, key="phone", colors=colors, storages=(128,))
    for variant in product.variants:
        make_listing(session, variant=variant, prices={"US": 30000, "GB": 25000})
    session.commit()
    american = client.get("/en-us/p/phone-en").get_data(as_text=True)
    british = client.get("/en-gb/p/phone-en").get_data(as_text=True)

    assert ">Color<" in american and "Colour" not in american
    assert ">Colour<" in british and ">Color<" not in british


def test_the_us_address_form_asks_city_state_then_zip_code(client, session):
    listing = stock(session, market="US")
    client.post("/en-us/cart/add", data={"listing_id": listing.id, "quantity": 1})

    form = client.get("/en-us/checkout/address").get_data(as_text=True)
    client.post("/en-us/checkout/address", data=ADDRESSES["en-us"] | {"postcode": "1011"})
    wrong = client.post("/en-us/checkout/address", data=ADDRESSES["en-us"] | {"postcode": "1011"}).get_data(as_text=True)
    client.post("/en-us/checkout/address", data=ADDRESSES["en-us"])
    client.post("/en-us/checkout/delivery", data={})
    review = re.sub(r"\s+", " ", client.get("/en-us/checkout/review").get_data(as_text=True))

    assert ">ZIP code<" in form and "Postcode" not in form
    order = [form.index(f'name="{name}"') for name in ("city", "region", "postcode")]
    assert order == sorted(order)                                  # city, state, ZIP: the US order
    assert "This ZIP code is not valid here (example: 10001)." in wrong
    assert "New York, NY 10118" in review


def test_each_country_writes_the_last_address_line_its_own_way():
    address = {"postcode": "94103", "city": "San Francisco", "region": "CA"}

    assert COUNTRIES["US"].locality_line(address) == "San Francisco, CA 94103"
    assert COUNTRIES["FR"].locality_line({"postcode": "75011", "city": "Paris", "region": ""}) == "75011 Paris"
    assert COUNTRIES["GB"].locality == ("postcode", "city")
