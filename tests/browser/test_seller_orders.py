"""A buyer orders from a seller; the seller's staff accept and ship it in the back office (htmx
swaps the order panel); the buyer's order page then shows it shipped, with the tracking number."""
import re

from playwright.sync_api import Browser, Page, expect

from app.accounts.demo import DEMO_PASSWORD
from tests.browser.test_checkout_journey import TEST_CARD
from tests.orders.helpers import imei

TRACKING = "JJD000390007715480"


def test_seller_staff_accept_and_ship_and_the_buyer_sees_the_tracking_number(page: Page, browser: Browser,
                                                                               live_server, console_errors):
    # given: Werkbank Kreislauf's owner (German back office) finds one of their best offers in Germany
    page.goto(f"{live_server}/de-de/account/sign-in?next=/seller/listings")
    page.get_by_label("E-Mail-Adresse").fill("werkbank@refurb.example")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(f"{live_server}/seller/listings")
    best_de = page.locator("li.standing-best", has=page.locator("abbr", has_text=re.compile("^DE$"))).first
    best_de.locator("xpath=ancestor::tr").get_by_role("link").first.click()
    shop_link = page.locator("li.standing-best", has=page.locator("abbr", has_text=re.compile("^DE$"))) \
        .get_by_role("link", name="Im Shop ansehen")
    product_url = shop_link.get_attribute("href")

    # and: a buyer (a browser of their own) buys it in the German shop
    buyer = browser.new_context().new_page()
    buyer.goto(live_server + product_url)
    expect(buyer.locator(".buybox .facts")).to_contain_text("Werkbank Kreislauf")
    buyer.locator(".add-to-cart button").click()
    expect(buyer.locator("#cart-badge .count")).to_have_text("1")
    buyer.goto(f"{live_server}/de-de/checkout/address")
    for name, value in {"email": "mia@example.de", "phone": "030 1234567", "first_name": "Mia",
                        "last_name": "Schulz", "line1": "Torstraße 1", "postcode": "10119", "city": "Berlin"}.items():
        buyer.locator(f"#{name}").fill(value)
    buyer.locator(".checkout-form button[type=submit]").click()
    buyer.locator(".checkout-form button[type=submit]").click()          # standard delivery
    buyer.locator("#card_number").fill(TEST_CARD)
    buyer.locator("#card_expiry").fill("12/39")
    buyer.locator("#card_cvc").fill("123")
    buyer.locator(".checkout-form button[type=submit]").click()
    expect(buyer.locator(".confirmation")).to_be_visible()
    number = re.search(r"\d{4}-[A-Z0-9]{6}", buyer.locator("h1").inner_text()).group(0)
    order_page = buyer.url

    # when: the seller opens the order from the list and accepts it
    page.goto(f"{live_server}/seller/orders")
    page.get_by_role("link", name=number).click()
    expect(page.locator(".order-status")).to_have_text("zu versenden")
    page.get_by_role("button", name="Bestellung annehmen").click()
    expect(page.locator("#order-panel .flash")).to_contain_text("Die Bestellung ist angenommen")
    expect(page.locator(".order-status")).to_have_text("angenommen")

    # and: ships it with DHL, a tracking number and the identifier of the unit
    page.get_by_label("Versanddienstleister", exact=True).select_option("dhl")
    page.get_by_label("Sendungsnummer").fill(TRACKING)
    for n, field in enumerate(page.locator("input[name^=unit-]").all()):
        field.fill(imei(f"3569450812345{n}"))
    page.get_by_role("button", name="Als versandt markieren").click()

    # then: the panel says shipped, without a page load
    expect(page.locator("#order-panel .flash")).to_contain_text("als versandt markiert")
    expect(page.locator(".order-status")).to_have_text("versandt")
    expect(page.locator(".shipment-facts")).to_contain_text(TRACKING)

    # and: the buyer's order page shows it shipped, with carrier and tracking number
    buyer.goto(order_page)
    shipment = buyer.locator(".shipment-status")
    expect(shipment).to_contain_text("Versandt")
    expect(shipment).to_contain_text("DHL")
    expect(shipment).to_contain_text(TRACKING)
    buyer.context.close()
    assert console_errors == []
