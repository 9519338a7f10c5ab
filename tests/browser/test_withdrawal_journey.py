"""A German guest withdraws from one of the two phones of a shipped order, from the order page's
secret link, in two steps; with JavaScript (htmx swaps the step) and without (plain forms)."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from tests.aftersales.helpers import IMEIS
from tests.browser.conftest import LIVE_APPS


def shipped_german_order() -> str:
    """A guest's paid order of two phones from Werkbank Kreislauf, shipped; returns its secret link."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models_base import utcnow
    from app.offers.models import Listing, ListingPrice
    from app.sellers.models import Seller
    from app.sites.models import Market
    from tests.orders.helpers import make_seller_order

    app = LIVE_APPS["app"]
    with app.test_request_context():
        listing = db.session.scalar(
            select(Listing).join(Seller).join(ListingPrice).join(Market, Market.id == ListingPrice.market_id)
            .where(Seller.name == "Werkbank Kreislauf", Market.code == "DE", Listing.quantity > 1)
            .order_by(Listing.id).limit(1))
        seller_order = make_seller_order(db.session, listing, quantity=2, market_code="DE", status="shipped",
                                         shipped_at=utcnow())
        seller_order.carrier, seller_order.tracking_number = "dhl", "JJD000390007715499"
        seller_order.lines[0].unit_identifiers = IMEIS[:2]
        seller_order.order.locale = "de_DE"
        db.session.commit()
        return f"/de-de/orders/{seller_order.order.number}?token={seller_order.order.access_token}"


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_a_german_guest_withdraws_from_one_of_two_units(browser: Browser, live_server, javascript):
    # given: the order page, on a phone-sized screen
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server + shipped_german_order())
    expect(page.locator(".aftersales")).to_contain_text("Sie können den Vertrag")

    # when: step one, one of the two units
    page.locator(".aftersales").get_by_role("link", name="Vom Vertrag zurücktreten").click()
    expect(page.get_by_role("heading", name="Schritt 1 von 2: Geräte wählen")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if javascript:
        assert Axe().run(page).violations_count == 0
    page.get_by_label(IMEIS[0], exact=False).check()
    page.get_by_role("button", name="Vom Vertrag zurücktreten").click()

    # then: step two lists that unit only; confirming records and refunds it
    expect(page.get_by_role("heading", name="Schritt 2 von 2: Widerruf bestätigen")).to_be_visible()
    expect(page.locator(".withdrawal-confirm")).to_contain_text(IMEIS[0])
    expect(page.locator(".withdrawal-confirm")).not_to_contain_text(IMEIS[1])
    page.get_by_role("button", name="Widerruf bestätigen").click()
    expect(page.locator(".flash")).to_contain_text("Ihr Widerruf ist eingegangen")
    record = page.locator(".withdrawal-record")
    expect(record).to_contain_text(IMEIS[0])
    expect(record).to_contain_text("Erstattet")
    # the other unit can still be withdrawn
    expect(page.locator(".aftersales").get_by_role("link", name="Vom Vertrag zurücktreten")).to_be_visible()
    # (the order page's own line amounts overflow at 390 px today; the after-sales part must not)
    assert page.locator(".aftersales").evaluate("e => e.scrollWidth <= e.clientWidth")
    context.close()
