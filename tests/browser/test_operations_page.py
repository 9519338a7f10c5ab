"""The operations page on a phone: nothing wider than the screen, even with long archive names."""
from playwright.sync_api import Page

from app.accounts.demo import DEMO_PASSWORD
from app.extensions import db
from app.operations.models import beat
from tests.browser.conftest import LIVE_APPS


def test_the_operations_page_fits_a_390_px_phone(page: Page, live_server, console_errors):
    app = LIVE_APPS["app"]
    with app.app_context():
        beat(db.session, "drill", detail="refurb-20261203T060326Z.tar.gz: 137369 rows in 74 tables, 550 media files, "
                                         "home page 200")
        db.session.commit()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/en-gb/account/sign-in")
    page.get_by_label("E-mail address").fill("admin@refurb.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")

    page.goto(f"{live_server}/manage/operations/")

    assert page.get_by_role("heading", name="Operations", level=1).is_visible()
    assert page.get_by_text("refurb-20261203T060326Z.tar.gz: 137369 rows").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert console_errors == []
