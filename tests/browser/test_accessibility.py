"""axe-core (bundled by axe-playwright-python) on the storefront's page types, in two languages."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

PAGES = ["/fr-fr/", "/de-de/c/smartphones", "/en-us/p/apple-iphone-13", "/fr-fr/p/apple-iphone-13?storage=512&grade=premium",
         "/es-es/compare/?products=apple-iphone-13,apple-iphone-12", "/it-it/no-such-page", "/xx-yy/",
         "/fr-fr/info/about", "/de-be/info/faq", "/it-it/info/grades"]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(page: Page, live_server, path):
    # when
    page.goto(live_server + path)
    results = Axe().run(page)

    # then
    assert results.violations_count == 0, results.generate_report()
