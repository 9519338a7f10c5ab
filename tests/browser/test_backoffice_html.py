"""The account pages and both back offices pass the Nu Html Checker, as their users see them."""
import re

from playwright.sync_api import Page

from app.accounts.demo import DEMO_PASSWORD
from tests.browser.test_valid_html import save, validate

PAGES = {
    None: ["/fr-fr/account/sign-in", "/de-de/account/sign-up", "/it-it/account/password/forgot"],
    "customer@refurb.example": ["/en-gb/account/", "/en-gb/account/addresses", "/en-gb/account/security",
                                "/es-es/sell/"],
    "werkbank@refurb.example": ["/seller/", "/seller/listings", "/seller/listings/new?q=iphone",
                                "/seller/listings/import", "/seller/staff", "/seller/orders", "/seller/orders?status=all",
                                "/seller/payouts", "/seller/reviews/"],
    "admin@refurb.example": ["/manage/", "/manage/operations/", "/manage/reviews/", "/manage/markets", "/manage/markets/fr",
                             "/manage/markets/fr/settings",
                             "/manage/categories", "/manage/commissions", "/manage/applications", "/manage/sellers",
                             "/manage/users",
                             "/manage/content/", "/manage/content/be", "/manage/content/fr/fr/shared/home-hero",
                             "/manage/content/fr/fr/shared/about/history", "/manage/content/fr/fr/shared/about/draft",
                             "/manage/content/fr/fr/shared/home-promotion-1/draft",
                             "/manage/content/fr/translations", "/manage/content/fr/audit", "/manage/content/fr/fr/import",
                             "/manage/content/fr/fr/categories/smartphones", "/manage/content/be/fr/market/faq"],
}


def test_account_and_back_office_pages_are_valid_html(page: Page, live_server, tmp_path, werkbank_order):
    files = []
    for email, paths in PAGES.items():
        page.context.clear_cookies()
        if email:
            response = page.request.post(f"{live_server}/en-gb/account/sign-in", form={
                "email": email, "password": DEMO_PASSWORD,
                "csrf_token": page.request.get(f"{live_server}/en-gb/account/sign-in").text()
                .split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]})
            assert response.ok, response.status
        files += [save(page, live_server + path, tmp_path, f"{len(files)}") for path in paths]
        if email and email.startswith("werkbank"):       # and a listing's edit page, reached from the list
            listing = re.search(r'href="(/seller/listings/\d+)"', page.request.get(f"{live_server}/seller/listings").text())
            files.append(save(page, live_server + listing.group(1), tmp_path, "listing"))
            files.append(save(page, live_server + werkbank_order, tmp_path, "seller-order"))
    assert validate(files) == ""
