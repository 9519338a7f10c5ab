"""axe-core on the account pages and the back offices, signed in as the demo people who use them."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from app.accounts.demo import DEMO_PASSWORD

PAGES = [
    (None, "/en-gb/account/sign-in"),
    (None, "/de-de/account/sign-up"),
    ("customer@refurb.example", "/en-gb/account/addresses"),
    ("customer@refurb.example", "/es-es/sell/"),
    ("werkbank@refurb.example", "/seller/"),
    ("werkbank@refurb.example", "/seller/listings"),
    ("werkbank@refurb.example", "/seller/listings/import"),
    ("werkbank@refurb.example", "/seller/orders"),
    ("werkbank@refurb.example", "werkbank_order"),
    ("werkbank@refurb.example", "/seller/payouts"),
    ("admin@refurb.example", "/manage/users"),
    ("admin@refurb.example", "/manage/commissions"),
    ("manager-fr@refurb.example", "/manage/markets/fr"),
    ("manager-fr@refurb.example", "/manage/content/fr"),
    ("manager-fr@refurb.example", "/manage/content/fr/fr/shared/home-hero"),
    ("manager-fr@refurb.example", "/manage/content/fr/fr/shared/faq/history"),
    ("manager-fr@refurb.example", "/manage/content/fr/translations"),
    ("manager-fr@refurb.example", "/manage/content/fr/fr/import"),
    ("manager-be@refurb.example", "/manage/content/be/de/market/about"),
    ("admin@refurb.example", "/manage/content/fr/audit"),
    ("admin@refurb.example", "/manage/operations/"),
    ("admin@refurb.example", "/manage/reviews/"),
    ("manager-fr@refurb.example", "/manage/reviews/"),
    ("werkbank@refurb.example", "/seller/reviews/"),
]


@pytest.mark.parametrize("email, path", PAGES)
def test_page_has_no_accessibility_violations(page: Page, live_server, email, path, console_errors, request):
    if email and email.startswith("werkbank"):
        order_page = request.getfixturevalue("werkbank_order")    # the seller's pages with orders on them
        path = order_page if path == "werkbank_order" else path
    if email:
        page.goto(f"{live_server}/en-gb/account/sign-in")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/account/")
    page.goto(live_server + path)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert console_errors == []
