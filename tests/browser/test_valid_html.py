"""Every page type, in two languages, passes the Nu Html Checker (vnu.jar from npm, the system's Java).

The HTML is fetched as served (the browser context's request client shares its cookies, so the cart
and checkout pages have content), written to files (vnu refuses loopback URLs) and checked in one run.
`hx-*` attributes are not HTML5 and are filtered, as htmx documents them.
"""
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.config import PROJECT_ROOT

VNU = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HX_FILTER = r".*Attribute “hx-[a-z:-]+” not allowed.*"
PAGES = ["/fr-fr/", "/de-de/", "/fr-fr/c/smartphones", "/de-de/c/smartphones", "/fr-fr/p/apple-iphone-13",
         "/de-de/p/apple-iphone-13?storage=512&grade=premium", "/it-it/compare/?products=apple-iphone-13,apple-iphone-12",
         "/en-us/compare/", "/en-us/p/apple-iphone-13", "/es-es/no-such-page", "/xx-yy/",
         "/fr-fr/search?q=iphone", "/it-it/search?q=galaxi&grade=good", "/fr-fr/account/sign-in",
         "/de-de/account/sign-up", "/es-es/account/password/forgot", "/it-it/sell/", "/en-gb/sell/",
         "/fr-fr/info/about", "/de-de/info/grades", "/en-us/info/faq",
         "/it-it/reviews/how-they-work", "/fr-fr/sellers/ateliers-phenix-lille/reviews/",
         "/fr-fr/trade-in/", "/de-de/trade-in/?category=smartphones", "/en-us/trade-in/?category=smartphones&model=apple-iphone-11",
         "/es-es/trade-in/?category=smartphones&model=apple-iphone-11&sku=apple-iphone-11-64gb-apple-purple-11"]


def validate(files: list[Path]) -> str:
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "gnu",
                             "--filterpattern", HX_FILTER, *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    return result.stderr + result.stdout if result.returncode else ""


@pytest.fixture
def pages_dir(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    return folder


def save(page: Page, url: str, folder: Path, name: str) -> Path:
    response = page.request.get(url)
    path = folder / f"{name}.html"
    path.write_bytes(response.body())
    return path


def test_storefront_pages_are_valid_html(page: Page, live_server, pages_dir):
    files = [save(page, live_server + path, pages_dir, f"page{n}") for n, path in enumerate(PAGES)]
    assert validate(files) == ""


def test_cart_and_checkout_pages_are_valid_html(page: Page, live_server, pages_dir):
    page.goto(f"{live_server}/de-de/p/apple-iphone-13")
    page.locator(".add-to-cart button").click()
    expect(page.locator("#cart-badge .count")).to_have_text("1")
    files = [save(page, f"{live_server}/de-de/cart/", pages_dir, "cart"),
             save(page, f"{live_server}/de-de/checkout/address", pages_dir, "address")]
    page.goto(f"{live_server}/de-de/checkout/address")
    page.locator(".checkout-form button[type=submit]").click()
    (pages_dir / "address-errors.html").write_text(page.content())
    files.append(pages_dir / "address-errors.html")
    for name, value in {"email": "jonas@example.de", "phone": "030 1234567", "first_name": "Jonas",
                        "last_name": "Becker", "line1": "Hauptstraße 5", "postcode": "10115", "city": "Berlin"}.items():
        page.locator(f"#{name}").fill(value)
    page.locator(".checkout-form button[type=submit]").click()
    files.append(save(page, f"{live_server}/de-de/checkout/delivery", pages_dir, "delivery"))
    page.locator(".checkout-form button[type=submit]").click()
    files.append(save(page, f"{live_server}/de-de/checkout/review", pages_dir, "review"))
    page.locator("#card_number").fill("4242 4242 4242 4242")
    page.locator("#card_expiry").fill("12/39")
    page.locator("#card_cvc").fill("123")
    page.locator(".checkout-form button[type=submit]").click()
    expect(page.locator(".confirmation")).to_be_visible()
    files.append(save(page, page.url, pages_dir, "order"))

    assert validate(files) == ""
