"""axe-core (bundled by axe-playwright-python) on the storefront's page types, in two languages."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# Every public page type, each in two languages at least.
PAGES = ["/fr-fr/", "/de-de/",
         "/de-de/c/smartphones", "/it-it/c/smartphones?grade=excellent&sort=price_asc",
         "/fr-fr/search?q=iphone", "/de-de/search?q=galaxi&grade=good",
         "/en-us/p/apple-iphone-13", "/fr-fr/p/apple-iphone-13?storage=512&grade=premium",
         "/es-es/compare/?products=apple-iphone-13,apple-iphone-12", "/en-gb/compare/?products=apple-iphone-13,apple-iphone-12",
         "/fr-fr/account/sign-in", "/de-de/account/sign-up", "/es-es/account/password/forgot",
         "/it-it/sell/", "/en-gb/sell/",
         "/fr-fr/info/about", "/de-be/info/faq", "/it-it/info/grades",
         "/it-it/no-such-page", "/en-gb/no-such-page", "/xx-yy/",
         "/fr-fr/reviews/how-they-work", "/de-de/reviews/how-they-work",
         "/es-es/sellers/ateliers-phenix-lille/reviews/", "/en-gb/p/apple-iphone-13?review_grade=good&review_sort=helpful",
         "/fr-fr/trade-in/", "/de-de/trade-in/?category=smartphones", "/en-us/trade-in/?category=smartphones&model=apple-iphone-11",
         "/es-es/trade-in/?category=smartphones&model=apple-iphone-11&sku=apple-iphone-11-64gb-apple-purple-11"]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(page: Page, live_server, path):
    # when
    page.goto(live_server + path)
    results = Axe().run(page)

    # then
    assert results.violations_count == 0, results.generate_report()
