"""Search journeys in a real browser: suggestions while typing (keyboard combobox), narrowing by
facets without reloading, and the back button bringing the same results back."""
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect


def test_type_narrow_by_two_facets_open_a_product_and_come_back(page: Page, live_server, console_errors):
    # given: the English shop
    page.goto(f"{live_server}/en-gb/")
    box = page.get_by_role("combobox", name="Search for a device")

    # when: the shopper types, suggestions appear, and Enter submits the query
    box.fill("iphone 1")
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option", name=re.compile(r"iPhone 1\d"))).not_to_have_count(0)
    box.fill("iphone")
    expect(listbox.get_by_role("option", name=re.compile("All results"))).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    box.press("Enter")

    # then: the results page of the query
    expect(page).to_have_url(re.compile(r"/en-gb/search\?q=iphone$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “iphone”")
    all_count = page.locator("#results-count").inner_text()
    page.evaluate("window.__marker = 'same document'")

    # when: two facets narrow it, each swapped in without a reload
    with page.expect_response(re.compile(r"grade=excellent")) as first:
        page.get_by_role("checkbox", name=re.compile(r"^Excellent")).check()
    assert first.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"grade=excellent"))
    with page.expect_response(re.compile(r"storage=128")):
        page.get_by_role("checkbox", name=re.compile(r"^128 GB")).check()
    expect(page).to_have_url(re.compile(r"q=iphone&grade=excellent&storage=128$"))
    expect(page.get_by_role("checkbox", name=re.compile(r"^Excellent"))).to_be_checked()
    narrowed_count = page.locator("#results-count").inner_text()
    assert narrowed_count != all_count
    assert page.evaluate("window.__marker") == "same document"
    names = page.locator(".product-card .name").all_inner_texts()
    assert names and all("iPhone" in name for name in names)

    # when: a product is opened, then the shopper goes back
    page.locator(".product-card a").first.click()
    expect(page).to_have_url(re.compile(r"/en-gb/p/"))
    page.go_back()

    # then: the same narrowed results, filters still ticked
    expect(page).to_have_url(re.compile(r"q=iphone&grade=excellent&storage=128$"))
    expect(page.locator("#results-count")).to_have_text(narrowed_count)
    expect(page.locator(".product-card .name")).to_have_text(names)
    expect(page.get_by_role("checkbox", name=re.compile(r"^128 GB"))).to_be_checked()
    assert console_errors == []


def test_suggestions_work_with_the_keyboard(page: Page, live_server, console_errors):
    # given
    page.goto(f"{live_server}/fr-fr/")
    box = page.get_by_role("combobox", name="Rechercher un appareil")

    # when: typing a typo, then moving down the options and choosing one with Enter
    box.press_sequentially("televi", delay=30)
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option", name="Téléviseurs")).to_be_visible()
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    expect(page.locator(f"#{active}")).to_have_text("Téléviseurs")
    box.press("Enter")

    # then
    expect(page).to_have_url(re.compile(r"/fr-fr/c/televiseurs"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Téléviseurs")
    assert console_errors == []


def test_the_listing_swaps_sort_and_pages_and_the_back_button_restores_them(page: Page, live_server, console_errors):
    # given
    page.goto(f"{live_server}/de-de/c/smartphones")
    first_card = page.locator(".product-card .name").first.inner_text()

    # when
    with page.expect_response(re.compile(r"sort=price_asc")):
        page.get_by_label("Sortieren nach").select_option("price_asc")
    expect(page).to_have_url(re.compile(r"/de-de/c/smartphones\?sort=price_asc$"))
    cheapest = page.locator(".product-card .name").first.inner_text()
    with page.expect_response(re.compile(r"brand=apple")):
        page.get_by_role("checkbox", name=re.compile(r"^Apple")).check()
    expect(page).to_have_url(re.compile(r"\?brand=apple&sort=price_asc$"))
    page.get_by_role("link", name="Seite 2").click()
    expect(page).to_have_url(re.compile(r"brand=apple&sort=price_asc&page=2$"))
    expect(page.locator('.pagination [aria-current="page"]')).to_have_text("2")

    # then: back, each state comes back
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?brand=apple&sort=price_asc$"))
    expect(page.get_by_role("checkbox", name=re.compile(r"^Apple"))).to_be_checked()
    page.go_back()
    expect(page).to_have_url(re.compile(r"sort=price_asc$"))
    expect(page.locator(".product-card .name").first).to_have_text(cheapest)
    page.go_back()
    expect(page.locator(".product-card .name").first).to_have_text(first_card)
    assert console_errors == []


def test_search_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/it-it/")
    page.get_by_role("combobox", name="Cerca un dispositivo").fill("galaxi s22")
    page.get_by_role("button", name="Cerca", exact=True).click()
    expect(page).to_have_url(re.compile(r"/it-it/search\?q=galaxi"))
    expect(page.get_by_text("Risultati mostrati per «galaxy s22».")).to_be_visible()
    page.get_by_role("checkbox", name=re.compile(r"^Ottimo")).check()
    page.get_by_role("button", name="Applica i filtri").click()
    expect(page).to_have_url(re.compile(r"grade=excellent"))
    expect(page.locator(".product-card").first).to_be_visible()
    context.close()


def test_search_pages_have_no_accessibility_violations(page: Page, live_server):
    page.goto(f"{live_server}/en-gb/search?q=iphone&grade=good")
    assert Axe().run(page).violations_count == 0, Axe().run(page).generate_report()
    page.get_by_role("combobox", name="Search for a device").fill("galaxy")
    expect(page.get_by_role("listbox")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_configuration_words_become_chips_that_remove_with_htmx(page: Page, live_server, console_errors):
    # given: the German shop
    page.goto(f"{live_server}/de-de/")

    # when: a model is typed with its storage and colour
    page.get_by_role("combobox", name="Gerät suchen").fill("iphone 14 256gb schwarz")
    page.get_by_role("combobox", name="Gerät suchen").press("Enter")

    # then: the model first, storage and colour as chips, the model's product link selecting both
    chips = page.locator(".active-filters a")
    expect(chips.filter(has_text="256 GB")).to_be_visible()
    expect(chips.filter(has_text="Schwarz")).to_be_visible()
    expect(page.locator(".product-card .name").first).to_have_text("iPhone 14")
    expect(page.locator(".product-card a").first).to_have_attribute("href", re.compile(r"storage=256&color=apple-midnight"))
    page.evaluate("window.__marker = 'same document'")

    # when: the storage chip is removed
    with page.expect_response(re.compile(r"color=black")) as removed:
        chips.filter(has_text="256 GB").click()
    assert removed.value.request.headers.get("hx-request") == "true"

    # then: swapped in place, the colour kept, the address the page's own
    expect(page).to_have_url(re.compile(r"/de-de/search\?q=iphone\+14&color=black$"))
    expect(chips.filter(has_text="256 GB")).to_have_count(0)
    expect(chips.filter(has_text="Schwarz")).to_be_visible()
    assert page.evaluate("window.__marker") == "same document"

    # when: the model is opened
    page.locator(".product-card a").first.click()

    # then: its page opens on the colour asked for
    expect(page).to_have_url(re.compile(r"/de-de/p/.*color=apple-midnight"))
    expect(page.locator('[aria-current="true"]').filter(has_text="Mitternacht")).not_to_have_count(0)
    assert console_errors == []


def test_chips_and_relaxed_matches_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    # when: a French shopper types a kind of device with a feature
    page.goto(f"{live_server}/fr-fr/")
    page.get_by_role("combobox", name="Rechercher un appareil").fill("casque reduction de bruit")
    page.get_by_role("button", name="Rechercher", exact=True).click()

    # then: headphones with the feature, the feature a chip; removing it is a plain link
    chip = page.locator(".active-filters a").filter(has_text="Réduction de bruit")
    expect(chip).to_be_visible()
    expect(page.locator(".product-card").first).to_be_visible()
    page.get_by_role("checkbox", name=re.compile(r"^Sony")).check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"brand=sony.*feature=noise-cancelling|feature=noise-cancelling.*brand=sony"))      # the form keeps the chip
    with_feature = page.locator(".product-card").count()
    page.locator(".active-filters a").filter(has_text="Réduction de bruit").click()
    expect(page).to_have_url(re.compile(r"/fr-fr/search\?q=casque&brand=sony$"))
    assert page.locator(".product-card").count() >= with_feature > 0

    # when: a query nothing matches exactly
    page.goto(f"{live_server}/fr-fr/search?q=iphone+8+1to")

    # then: it says what it shows instead
    expect(page.get_by_text("Aucun résultat exact pour « iphone 8 1to » ; voici les résultats pour « iphone 8 ».")).to_be_visible()
    expect(page.locator(".product-card .name").first).to_have_text("iPhone 8")
    context.close()
