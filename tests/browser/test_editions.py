import re

from playwright.sync_api import Page, expect


def test_a_french_visitor_switches_to_german_and_gets_the_german_shop(page: Page, live_server, console_errors):
    # given: a visitor on the French home page
    page.goto(f"{live_server}/fr-fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-FR")
    expect(page.get_by_role("heading", name="Populaires en ce moment")).to_be_visible()
    french_price = page.locator(".product-card .price").first.inner_text()
    assert re.search(r"à partir de [\d\u202f]+,\d\d\xa0€", french_price), french_price

    # when: they open the country/language menu and choose Germany
    page.locator(".switcher summary").click()
    page.get_by_role("link", name=re.compile(r"^Deutschland · Deutsch")).click()

    # then: the German edition, in German, with German number formatting
    expect(page).to_have_url(f"{live_server}/de-de/")
    expect(page.locator("html")).to_have_attribute("lang", "de-DE")
    expect(page.get_by_role("heading", name="Gerade beliebt")).to_be_visible()
    german_price = page.locator(".product-card .price").first.inner_text()
    assert re.search(r"^ab [\d.]+,\d\d\xa0€$", german_price), german_price
    expect(page.locator('link[rel="canonical"]')).to_have_attribute("href", re.compile(r"/de-de/$"))
    assert console_errors == []


def test_switching_on_a_product_page_keeps_the_product(page: Page, live_server, console_errors):
    # given: the French page of a product reached from the home page
    page.goto(f"{live_server}/fr-fr/")
    page.locator(".product-card a").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "fr-FR")
    italian_url = page.locator('link[rel="alternate"][hreflang="it-IT"]').get_attribute("href")
    brand = page.locator(".product-summary .brand").text_content()
    # a grade picked with htmx (the page does not reload): the switcher follows the pick
    other_grade = page.locator(".picker-grade a.option:not([aria-current]):not(.unavailable)").first
    picked = re.search(r"grade=([a-z]+)", other_grade.get_attribute("href")).group(1)
    other_grade.click()
    expect(page).to_have_url(re.compile(f"grade={picked}"))

    # when
    page.locator(".switcher summary").click()
    page.get_by_role("link", name=re.compile(r"^Italia · Italiano")).click()

    # then: same product and selection, Italian edition, Italian labels
    expect(page).to_have_url(re.compile("^" + re.escape(italian_url) + rf"\?(.+&)?grade={picked}(&|$)"))
    assert "/it-it/p/" in italian_url
    expect(page.locator(".product-summary .brand")).to_have_text(brand)
    expect(page.get_by_role("heading", name="Confronta le condizioni")).to_be_visible()
    assert console_errors == []


def test_category_pages_swap_with_htmx_and_keep_the_url_in_step(page: Page, live_server, console_errors):
    # given: the smartphones category, which has several pages
    page.goto(f"{live_server}/en-gb/c/smartphones")
    first_card = page.locator(".product-card .name").first.inner_text()
    page.evaluate("window.__marker = 'same document'")

    # when: the shopper goes to page 2
    with page.expect_response(re.compile(r"page=2")) as response:
        page.get_by_role("link", name="Page 2").click()

    # then: only the grid was swapped, the URL says page 2, and Back restores page 1
    assert response.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"/en-gb/c/smartphones\?page=2$"))
    expect(page.locator('.pagination [aria-current="page"]')).to_have_text("2")
    assert page.evaluate("window.__marker") == "same document"
    expect(page.locator(".site-header")).to_have_count(1)
    expect(page.locator("#search-results #search-results")).to_have_count(0)
    assert page.locator(".product-card .name").first.inner_text() != first_card
    page.go_back()
    expect(page).to_have_url(re.compile(r"/en-gb/c/smartphones$"))
    expect(page.locator(".product-card .name").first).to_have_text(first_card)
    assert console_errors == []


def test_the_shop_works_without_javascript(browser, live_server):
    # given
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    # when: browse from the Spanish home page to a category, its page 2 and a product
    page.goto(f"{live_server}/es-es/")
    page.locator(".category-tile").first.click()
    page.get_by_role("link", name="Página 2").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    page.locator(".product-card a").first.click()

    # then
    expect(page.locator("html")).to_have_attribute("lang", "es-ES")
    expect(page.get_by_role("heading", name="Comparar los estados")).to_be_visible()
    context.close()
