"""Checkout on a phone: the order summary on every step, its total refreshed by htmx when the delivery
changes, and no step (nor the order page after it) wider than the screen."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_checkout_journey import TEST_CARD

FITS = """() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  innerHeight: window.innerHeight,
  summaryTop: (document.querySelector('.checkout-summary') || {getBoundingClientRect: () => ({top: -1})})
    .getBoundingClientRect().top})"""


def fits(page: Page, width: int, *, summary: bool = True, shot: str = "") -> None:
    if shot and width == 390:                 # the page type's phone screenshot, kept as a CI artifact
        folder = Path(SCREENSHOTS) / "phones"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{shot}.png")
    found = page.evaluate(FITS)
    assert found["innerWidth"] == width, f"{page.url}: the layout widened to {found['innerWidth']} px"
    assert found["scrollWidth"] <= width, f"{page.url}: {found['scrollWidth']} px wide at {width} px"
    if summary:
        assert 0 <= found["summaryTop"] < found["innerHeight"], f"{page.url}: summary at {found['summaryTop']} px"


@pytest.mark.parametrize("width", [360, 390, 768, 1280])
def test_a_phone_checkout_keeps_its_summary_and_the_order_page_fits(browser: Browser, live_server, width):
    phone = width < 768
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=phone, has_touch=phone,
                                  device_scale_factor=2 if phone else 1)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/de-de/p/apple-iphone-13")
        page.locator(".add-to-cart button").click()
        expect(page.locator("#cart-badge .count")).to_have_text("1")
        page.goto(f"{live_server}/de-de/checkout/address")
        expect(page.locator(".checkout-summary")).to_contain_text("Bestellübersicht")
        expect(page.locator(".category-nav")).to_have_count(0)
        fits(page, width, shot="checkout-address")
        for name, value in {"email": "jonas@example.de", "phone": "030 1234567", "first_name": "Jonas",
                            "last_name": "Becker", "line1": "Hauptstraße 5", "postcode": "10115",
                            "city": "Berlin"}.items():
            page.locator(f"#{name}").fill(value)
        page.locator(".checkout-form button[type=submit]").click()

        expect(page.locator("h1")).to_have_text("Lieferung")
        fits(page, width, shot="checkout-delivery")
        total = page.locator(".checkout-summary .grand dd")
        before = total.inner_text()
        page.locator("input[value=express]").first.check()             # htmx saves it, the summary follows
        expect(total).not_to_have_text(before)
        expect(page).to_have_url(f"{live_server}/de-de/checkout/delivery")
        after = total.inner_text()
        page.locator(".checkout-form button[type=submit]").click()

        expect(page.locator(".review-layout")).to_contain_text("Expresslieferung")
        expect(page.locator(".review-layout .totals .grand dd")).to_have_text(after)
        fits(page, width, summary=False, shot="checkout-review")
        page.locator("#card_number").fill(TEST_CARD)
        page.locator("#card_expiry").fill("12/39")
        page.locator("#card_cvc").fill("123")
        page.locator(".checkout-form button[type=submit]").click()
        expect(page.locator(".confirmation")).to_be_visible()
        fits(page, width, summary=False, shot="order")                 # the order page's amounts stay on screen
    finally:
        context.close()


def test_a_visually_hidden_text_in_a_scrolled_table_does_not_widen_the_page(browser: Browser, live_server):
    """Site-wide rule: `.visually-hidden` is absolutely positioned; left at its static place past a wide
    table's right edge, in a scroller with no positioned parent, it widened the page from the initial
    containing block (and a phone zoomed the whole page out)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/fr-fr/info/about")
        found = page.evaluate("""() => {
          const scroller = document.createElement('div');
          scroller.style.overflowX = 'auto';                     // a scroller that is not positioned
          const table = document.createElement('table');
          const cell = table.insertRow().insertCell();
          cell.style.whiteSpace = 'nowrap';
          cell.textContent = 'Montant de la ligne '.repeat(12);
          const hidden = document.createElement('span');
          hidden.className = 'visually-hidden';
          hidden.textContent = 'Texte pour les lecteurs d’écran';
          cell.append(hidden);
          scroller.append(table);
          document.querySelector('main').append(scroller);
          return {table: table.getBoundingClientRect().width, scrollWidth: document.documentElement.scrollWidth,
                  innerWidth: window.innerWidth};
        }""")
        assert found["table"] > 390                              # the table itself is wider than the screen
        assert found["innerWidth"] == 390 and found["scrollWidth"] <= 390, found
    finally:
        context.close()
