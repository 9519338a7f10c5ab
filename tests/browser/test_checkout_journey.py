"""Buying, end to end, in a real browser: product, grade, cart, checkout, test card, confirmation."""
import re

from playwright.sync_api import Page, expect

TEST_CARD = "4242 4242 4242 4242"


def find_the_iphone_13(page: Page, live_server: str, edition: str, query: str) -> None:
    """From the home page, through the search box and its results, to the iPhone 13's page."""
    page.goto(f"{live_server}/{edition}/")
    box = page.locator("#site-search-input")
    box.fill(query)
    box.press("Escape")                                                 # close the suggestions
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{edition}/search\?q="))
    page.locator(".product-card a[href$='/p/apple-iphone-13']").click()
    expect(page).to_have_url(re.compile(rf"/{edition}/p/apple-iphone-13$"))


def buy(page: Page, live_server: str, edition: str, query: str, address: dict) -> str:
    """From the home page to the confirmation; returns the confirmation page's text."""
    find_the_iphone_13(page, live_server, edition, query)
    page.locator(".picker-grade a.option:not(.unavailable)").last.click()
    expect(page).to_have_url(re.compile(r"grade="))
    page.locator(".add-to-cart button").click()
    expect(page.locator("#cart-badge .count")).to_have_text("1")       # swapped by htmx, no reload
    page.locator("#cart-badge a").click()
    page.locator(".cart-total .button").click()

    for name, value in address.items():
        field = page.locator(f"#{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.locator(".checkout-form button[type=submit]").click()
    page.locator(".checkout-form button[type=submit]").click()          # standard delivery
    page.locator("#card_number").fill(TEST_CARD)
    page.locator("#card_expiry").fill("12/39")
    page.locator("#card_cvc").fill("123")
    page.locator(".checkout-form button[type=submit]").click()
    expect(page.locator(".confirmation")).to_be_visible()
    return page.locator("main").inner_text()


def test_a_newcomer_buys_a_phone_in_germany(page: Page, live_server, console_errors):
    text = buy(page, live_server, "de-de", "iphone13 generalüberholt", {
        "email": "jonas@example.de", "phone": "030 1234567", "first_name": "Jonas", "last_name": "Becker",
        "line1": "Hauptstraße 5", "postcode": "10115", "city": "Berlin"})

    assert "Vielen Dank" in text and re.search(r"Gesamt\s+[\d.]+,\d\d\xa0€", text)
    expect(page.locator("html")).to_have_attribute("lang", "de-DE")
    assert console_errors == []


def test_an_american_pays_sales_tax_for_their_state(page: Page, live_server, console_errors):
    text = buy(page, live_server, "en-us", "ipone 13", {
        "email": "sam@example.com", "phone": "(212) 555-0123", "first_name": "Sam", "last_name": "Lee",
        "line1": "350 Fifth Avenue", "postcode": "10118", "city": "New York", "region": "NY"})

    assert "Sales tax" in text and re.search(r"Total\s+\$[\d,]+\.\d\d", text)
    assert console_errors == []


def test_a_newcomer_buys_a_phone_in_france(page: Page, live_server, console_errors):
    text = buy(page, live_server, "fr-fr", "iphone 13 reconditionné", {
        "email": "camille@example.fr", "phone": "06 12 34 56 78", "first_name": "Camille", "last_name": "Durand",
        "line1": "12 rue de la Paix", "postcode": "75002", "city": "Paris"})

    assert "Merci" in text and re.search(r"Total\s+[\d\u202f ]+,\d\d\xa0€", text)
    expect(page.locator("html")).to_have_attribute("lang", "fr-FR")
    assert console_errors == []


def test_errors_appear_beside_their_field_in_french(page: Page, live_server):
    page.goto(f"{live_server}/fr-fr/p/apple-iphone-13")
    page.locator(".add-to-cart button").click()
    expect(page.locator("#cart-badge .count")).to_have_text("1")
    page.goto(f"{live_server}/fr-fr/checkout/address")

    page.locator("#postcode").fill("123")
    page.locator(".checkout-form button[type=submit]").click()

    expect(page.locator("#postcode-error")).to_contain_text("Ce code postal n'est pas valide")
    expect(page.locator("#email-error")).to_contain_text("Veuillez remplir ce champ")
    expect(page.locator("#postcode")).to_have_attribute("aria-invalid", "true")


def test_buying_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        find_the_iphone_13(page, live_server, "it-it", "iphone 13 ricondizionato")
        page.locator(".add-to-cart button").click()
        expect(page).to_have_url(re.compile(r"/it-it/cart/$"))
        page.locator(".cart-total .button").click()
        for name, value in {"email": "giulia@example.it", "phone": "06 1234 5678", "first_name": "Giulia",
                            "last_name": "Rossi", "line1": "Via Roma 1", "postcode": "00184", "city": "Roma"}.items():
            page.locator(f"#{name}").fill(value)
        page.locator(".checkout-form button[type=submit]").click()
        page.locator("input[value=express]").first.check()
        page.locator(".checkout-form button[type=submit]").click()
        page.locator("#card_number").fill(TEST_CARD)
        page.locator("#card_expiry").fill("12/39")
        page.locator("#card_cvc").fill("123")
        page.locator(".checkout-form button[type=submit]").click()
        expect(page.locator(".confirmation")).to_contain_text("Grazie")
        expect(page.locator("main")).to_contain_text("Consegna express")
    finally:
        context.close()


def test_checkout_pages_have_no_accessibility_violations(page: Page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    def check():
        results = Axe().run(page)
        assert results.violations_count == 0, page.url + "\n" + results.generate_report()

    page.goto(f"{live_server}/es-es/p/apple-iphone-13")
    page.locator(".add-to-cart button").click()
    expect(page.locator("#cart-badge .count")).to_have_text("1")
    page.goto(f"{live_server}/es-es/cart/")
    check()
    page.goto(f"{live_server}/es-es/checkout/address")
    page.locator(".checkout-form button[type=submit]").click()           # every error shown
    check()
    for name, value in {"email": "lucia@example.es", "phone": "612 345 678", "first_name": "Lucía",
                        "last_name": "García", "line1": "Calle Mayor 1", "postcode": "28013", "city": "Madrid"}.items():
        page.locator(f"#{name}").fill(value)
    page.locator(".checkout-form button[type=submit]").click()
    check()
    page.locator(".checkout-form button[type=submit]").click()
    check()
    page.locator("#card_number").fill(TEST_CARD)
    page.locator("#card_expiry").fill("12/39")
    page.locator("#card_cvc").fill("123")
    page.locator(".checkout-form button[type=submit]").click()
    expect(page.locator(".confirmation")).to_be_visible()
    check()
