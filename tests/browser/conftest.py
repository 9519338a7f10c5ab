"""Browser journeys: Playwright driving Debian's Chromium against the real app served in-process.

The server runs on a migrated SQLite file with the demo catalog, exactly as `make run` sets it up.
Nothing is downloaded: Playwright is pointed at /usr/bin/chromium.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-results"))
CSP_MESSAGE = re.compile(r"Content Security Policy|Content-Security-Policy", re.IGNORECASE)
LIVE_APPS: dict = {}       # the app behind `live_server`, for fixtures that write rows into its database
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


class Watch:
    """The browser contexts a test opened and the CSP violations their pages reported."""

    def __init__(self):
        self.contexts: list[BrowserContext] = []
        self.violations: list[str] = []

    def attach(self, context: BrowserContext) -> None:
        self.contexts.append(context)
        context.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if CSP_MESSAGE.search(message.text):
            self.violations.append(f"{message.page.url if message.page else '?'}: {message.text}")


@pytest.fixture(autouse=True)
def browser_watch(request, monkeypatch):
    """Every browser context a journey opens, its own or pytest-playwright's, is watched: a Content
    Security Policy violation on any page fails the test, and a failing test leaves a screenshot of
    each open page (see `pytest_runtest_makereport`)."""
    watch = Watch()
    new_context = Browser.new_context

    def watched_new_context(self, *args, **kwargs):
        context = new_context(self, *args, **kwargs)
        watch.attach(context)
        return context

    monkeypatch.setattr(Browser, "new_context", watched_new_context)
    request.node.browser_watch = watch
    yield watch
    assert watch.violations == [], "Content Security Policy violations:\n" + "\n".join(watch.violations)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        saved = []
        for number, context in enumerate(getattr(getattr(item, "browser_watch", None), "contexts", [])):
            for index, page in enumerate(context.pages):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', item.nodeid)}-{number}-{index}.png"
                try:
                    page.screenshot(path=path, full_page=True)
                except PlaywrightError as exc:           # a crashed page: say so rather than hide the failure
                    saved.append(f"{path}: not saved ({exc})")
                else:
                    saved.append(f"{path} ({page.url})")
        if saved:
            report.sections.append(("screenshots of the failing journey", "\n".join(saved)))
    return report


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from flask_migrate import upgrade

    from app import create_app
    from app.accounts.demo import load_demo_accounts
    from app.demo.loader import load_demo
    from app.extensions import db

    folder = tmp_path_factory.mktemp("e2e")
    app = create_app({"TESTING": True, "SECRET_KEY": "e2e", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'shop.db'}",
                      "MEDIA_ROOT": str(folder / "media"), "MAIL_FILE_DIR": str(folder / "mail"),
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1})
    with app.app_context():
        upgrade()
    with app.test_request_context():
        load_demo(db.session)
        load_demo_accounts(db.session)
        db.session.commit()
    LIVE_APPS["app"] = app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def console_errors(page):
    """Console errors and failed requests of the page; a journey ends by asserting there are none."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture(scope="session")
def werkbank_order(live_server):
    """A paid order to ship for Werkbank Kreislauf (the German demo seller), written to the live
    database; returns its page in the seller back office."""
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
        seller_order = make_seller_order(db.session, listing, quantity=2, market_code="DE")
        shipped = make_seller_order(db.session, listing, market_code="DE", status="shipped", shipped_at=utcnow())
        shipped.carrier, shipped.tracking_number = "dhl", "JJD000390007715481"   # payouts and the sales chart
        db.session.commit()
        return f"/seller/orders/{seller_order.id}"
