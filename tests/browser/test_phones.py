"""Phones first: every page type at phone, tablet and desktop widths, in the five languages where the
text length matters. A phone is emulated (`is_mobile`): a page wider than the screen would make the
browser widen its layout viewport and zoom out, so innerWidth must stay the device's width too.

Screenshots of each page type at 390 px are kept under test-results/phones/ (CI artifacts)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import SCREENSHOTS

PHONES = {"360": {"width": 360, "height": 740}, "390": {"width": 390, "height": 844}}
WIDER = {"768": {"width": 768, "height": 1024}, "1280": {"width": 1280, "height": 800}}
EDITIONS = ("fr-fr", "es-es", "de-de", "it-it", "en-us")
SLUGS = {"fr-fr": ("smartphones", "electromenager"), "es-es": ("smartphones", "electrodomesticos"),
         "de-de": ("smartphones", "haushaltsgeraete"), "it-it": ("smartphone", "elettrodomestici"),
         "en-us": ("smartphones", "home-appliances")}
# Page types without a product list, each in two languages; (path, what must be on the first screen).
OTHER_PAGES = [
    ("/es-es/compare/?products=apple-iphone-13,apple-iphone-12", "h1"),
    ("/de-de/compare/?products=apple-iphone-13,samsung-galaxy-s22", "h1"),
    ("/fr-fr/cart/", "h1"), ("/en-us/cart/", "h1"),
    ("/it-it/account/sign-in", "form"), ("/de-de/account/sign-up", "form"),
    ("/fr-fr/info/grades", "h1"), ("/it-it/info/delivery-returns", "h1"),
    ("/es-es/sell/", "h1"), ("/en-gb/no-such-page", "h1"),
]

MEASURE = """() => {
  const first = document.querySelector(%s);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          innerHeight: window.innerHeight, firstTop: first ? first.getBoundingClientRect().top : null};
}"""


@pytest.fixture(scope="module")
def phones(browser: Browser):
    """A phone context per width (mobile emulation, touch), shared by the module's tests."""
    contexts = {name: browser.new_context(viewport=size, is_mobile=True, has_touch=True, device_scale_factor=2)
                for name, size in PHONES.items()}
    yield {name: context.new_page() for name, context in contexts.items()}
    for context in contexts.values():
        context.close()


def check(page: Page, url: str, first: str, *, shot: str | None = None) -> None:
    """No horizontal overflow, the layout viewport is the screen, `first` starts on the first screen."""
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    found = page.evaluate(MEASURE % repr(first))
    width = page.viewport_size["width"]
    assert found["innerWidth"] == width, f"{url}: the layout widened to {found['innerWidth']} px"
    assert found["scrollWidth"] <= found["innerWidth"], f"{url}: {found['scrollWidth']} px wide at {width} px"
    assert found["firstTop"] is not None, f"{url}: no {first}"
    assert 0 <= found["firstTop"] < found["innerHeight"], f"{url}: {first} starts at {found['firstTop']:.0f} px"
    if shot:
        folder = Path(SCREENSHOTS) / "phones"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{shot}.png")


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_shop_pages_fit_a_phone_in_every_language(phones, live_server, edition):
    phones_slug, appliances_slug = SLUGS[edition]
    for name, page in phones.items():
        shot = (lambda kind: f"{kind}-{edition}") if name == "390" else (lambda kind: None)
        check(page, f"{live_server}/{edition}/", "h1", shot=shot("home"))
        check(page, f"{live_server}/{edition}/c/{phones_slug}", ".product-card", shot=shot("category"))
        check(page, f"{live_server}/{edition}/c/{appliances_slug}", ".product-card")
        check(page, f"{live_server}/{edition}/search?q=galaxy", ".product-card", shot=shot("search"))
        check(page, f"{live_server}/{edition}/p/apple-iphone-13", "h1", shot=shot("product"))
        check(page, f"{live_server}/{edition}/p/apple-iphone-13?storage=512&grade=premium", "h1")


def test_home_page_category_names_stay_inside_their_cards(phones, live_server):
    for page in phones.values():
        for edition in EDITIONS:
            page.goto(f"{live_server}/{edition}/")
            outside = page.evaluate("""() => [...document.querySelectorAll('.category-tile')].filter(tile => {
                const text = tile.querySelector('span'), box = tile.getBoundingClientRect(), r = text.getBoundingClientRect();
                return text.scrollWidth > text.clientWidth || r.left < box.left + 4 || r.right > box.right - 4;
              }).map(tile => tile.textContent.trim())""")
            assert outside == [], f"{edition} at {page.viewport_size['width']} px: {outside}"


@pytest.mark.parametrize("path, first", OTHER_PAGES)
def test_the_other_page_types_fit_a_phone(phones, live_server, path, first):
    for name, page in phones.items():
        check(page, live_server + path, first, shot=re.sub(r"[^a-z0-9]+", "-", path).strip("-") if name == "390" else None)


def test_the_grade_table_reads_on_a_phone(phones, live_server):
    page = phones["390"]
    page.goto(f"{live_server}/de-de/p/apple-iphone-13")
    table = page.locator(".grade-comparison")
    table.scroll_into_view_if_needed()
    # every grade's price is on the screen, side by side two by two, each cell naming its grade
    prices = page.locator(".grade-comparison tbody tr").first.locator("td")
    expect(prices).to_have_count(4)
    for index in range(4):
        box = prices.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    labels = prices.evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert labels == ['"Akzeptabel"', '"Gut"', '"Sehr gut"', '"Premium"']


def test_the_filters_fold_on_a_phone_and_open_without_javascript(browser: Browser, live_server):
    context = browser.new_context(viewport=PHONES["390"], is_mobile=True, has_touch=True, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/fr-fr/c/smartphones")
    facet = page.locator(".facet").first
    expect(facet).to_be_hidden()
    page.locator(".filters-panel > summary").click()
    expect(facet).to_be_visible()
    page.get_by_label(re.compile(r"^Samsung")).check()
    page.locator(".filters .apply").click()
    expect(page).to_have_url(re.compile(r"brand=samsung"))
    context.close()


@pytest.mark.parametrize("size", WIDER.values(), ids=WIDER.keys())
def test_tablets_and_desktops_show_the_filters_and_do_not_overflow(browser: Browser, live_server, size):
    context = browser.new_context(viewport=size)
    page = context.new_page()
    for path, first in [("/de-de/c/smartphones", ".product-card"), ("/it-it/p/apple-iphone-13", "h1"),
                        ("/es-es/", "h1"), ("/fr-fr/search?q=iphone", ".product-card")]:
        check(page, live_server + path, first)
    page.goto(f"{live_server}/de-de/c/smartphones")
    facet = page.locator(".facet").first
    if size["width"] >= 832:                              # 52rem: the filters sit beside the results
        expect(facet).to_be_visible()
    else:
        expect(facet).to_be_hidden()
    context.close()
