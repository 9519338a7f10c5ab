"""axe-core on the main page types at every width the storefront is checked at (phones, tablet, desktop):
a layout that folds (filters, grade table, checkout summary) must stay accessible at each width."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

WIDTHS = {360: True, 390: True, 768: False, 1280: False}      # width: emulated as a phone
MAIN_PAGES = ["/fr-fr/", "/de-de/c/smartphones", "/es-es/search?q=iphone", "/it-it/p/apple-iphone-13",
              "/en-us/compare/?products=apple-iphone-13,apple-iphone-12", "/fr-fr/cart/", "/de-de/info/grades"]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_main_pages_have_no_accessibility_violations_at_each_width(browser: Browser, live_server, width):
    phone = WIDTHS[width]
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    try:
        for path in MAIN_PAGES:
            page.goto(live_server + path)
            results = Axe().run(page)
            assert results.violations_count == 0, f"{path} at {width} px\n" + results.generate_report()
    finally:
        context.close()
