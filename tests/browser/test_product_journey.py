"""The product-page journey: pick storage, colour and grade; the price, the URL and Back follow.

Once with JavaScript (htmx swaps, one document) and once without (plain links, full pages).
"""
import re

from playwright.sync_api import Page, expect

PRODUCT = "/de-de/p/apple-iphone-13"


def pick(page: Page, picker: str) -> tuple[str, str]:
    """Click an available, not yet chosen option of a picker; returns its label and shown price."""
    option = page.locator(f".picker-{picker} a.option:not(.unavailable):not([aria-current])").first
    label = option.locator(".option-label").inner_text()
    price = option.locator(".option-price").inner_text()
    option.click()
    return label, price


def expect_selected(page: Page, picker: str, label: str, price: str) -> None:
    expect(page.locator(f".picker-{picker} a[aria-current] .option-label")).to_have_text(label)
    expect(page.locator(".price-now")).to_have_text(price)


def test_picking_options_swaps_panels_keeps_the_url_and_back_works(page: Page, live_server, console_errors):
    # given: the German iPhone 13 page, marked so a full reload would show
    page.goto(live_server + PRODUCT)
    page.evaluate("window.__marker = 'same document'")

    # when: storage, then colour, then grade
    storage, storage_price = pick(page, "storage")
    expect(page).to_have_url(re.compile(r"storage=\d+"))
    expect_selected(page, "storage", storage, storage_price)
    after_storage = page.url

    color, color_price = pick(page, "color")
    expect(page).to_have_url(re.compile(r"color="))
    expect_selected(page, "color", color, color_price)
    expect(page.locator(".gallery img").first).to_have_attribute("alt", re.compile(re.escape(color)))
    after_color = page.url

    grade, grade_price = pick(page, "grade")

    # then: price and URL follow each pick, in the same document
    expect(page).to_have_url(re.compile(r"grade="))
    expect_selected(page, "grade", grade, grade_price)
    assert re.fullmatch(r"[\d.]+,\d\d\xa0€", grade_price), grade_price
    assert page.evaluate("window.__marker") == "same document"
    expect(page.locator(".compare-table th.selected")).to_have_text(grade)

    # and Back restores the previous selections
    page.go_back()
    expect(page).to_have_url(after_color)
    expect_selected(page, "color", color, color_price)
    page.go_back()
    expect(page).to_have_url(after_storage)
    expect_selected(page, "storage", storage, storage_price)
    assert console_errors == []


def test_the_same_journey_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + PRODUCT)

        storage, storage_price = pick(page, "storage")
        expect(page).to_have_url(re.compile(r"storage=\d+"))
        expect_selected(page, "storage", storage, storage_price)
        after_storage = page.url

        grade, grade_price = pick(page, "grade")
        expect(page).to_have_url(re.compile(r"grade="))
        expect_selected(page, "grade", grade, grade_price)

        page.go_back()
        expect(page).to_have_url(after_storage)
        expect_selected(page, "storage", storage, storage_price)
    finally:
        context.close()


def test_two_models_compared_side_by_side(page: Page, live_server, console_errors):
    # given: two product pages, each added to the comparison with htmx
    page.goto(live_server + PRODUCT)
    page.locator(".product-summary .compare-toggle").click()
    expect(page.locator(".product-summary .compare-toggle")).to_have_attribute("aria-pressed", "true")
    page.goto(live_server + "/de-de/p/apple-iphone-12")
    page.locator(".product-summary .compare-toggle").click()
    expect(page.locator("#compare-tray a")).to_have_text("2 Modelle vergleichen")

    # when
    page.locator("#compare-tray a").click()

    # then
    expect(page.get_by_role("heading", name="Modelle vergleichen")).to_be_visible()
    expect(page.locator(".compare-table.models thead th")).to_have_count(2)
    assert console_errors == []
