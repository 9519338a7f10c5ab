"""A seller lowers a price in the back office; the shop's product page shows it as the new best offer."""
import re

from playwright.sync_api import Page, expect

from app.accounts.demo import DEMO_PASSWORD


def test_a_seller_changes_a_price_and_the_product_page_shows_the_new_best_offer(page: Page, live_server,
                                                                                   console_errors):
    # given: Les Ateliers Phénix's owner signs in (French back office)
    page.goto(f"{live_server}/fr-fr/account/sign-in?next=/seller/listings")
    page.get_by_label("Adresse e-mail").fill("phenix@refurb.example")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{live_server}/seller/listings")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    # and: one of their listings is not the best offer in France
    behind = page.locator("li.standing-behind", has=page.locator("abbr", has_text=re.compile("^FR$"))).first
    expect(behind).to_contain_text("gagne à")
    winning = re.search(r"gagne à ([\d\s\u202f\xa0.]+,\d\d)", behind.inner_text()).group(1)
    winning = re.sub(r"[\s\u202f\xa0.]", "", winning)            # "1 299,99" → "1299,99"
    behind.locator("xpath=ancestor::tr").get_by_role("link").first.click()

    # when: they set the French price to the price that wins
    page.get_by_label(re.compile(r"^France")).fill(winning)
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    # then: the back office says it is the best offer in France
    expect(page.locator(".flash")).to_have_text("L’annonce est enregistrée.")
    best_fr = page.locator("li.standing-best", has=page.locator("abbr", has_text=re.compile("^FR$")))
    expect(best_fr).to_contain_text("Meilleure offre")

    # and: the French product page, in that configuration, sells their offer at that price
    best_fr.get_by_role("link", name="Voir dans la boutique").click()
    expect(page).to_have_url(re.compile(r"/fr-fr/p/"))
    expect(page.locator(".buybox .price-now")).to_have_text(re.compile(winning.replace(",", ",") + r"\xa0€$"))
    expect(page.locator(".buybox .facts")).to_contain_text("Les Ateliers Phénix")
    assert console_errors == []


def test_a_seller_exports_and_imports_back_their_listings_in_the_browser(page: Page, live_server, console_errors):
    # given: Werkbank Kreislauf's owner (German back office) and their exported file
    page.goto(f"{live_server}/de-de/account/sign-in?next=/seller/listings/import")
    page.get_by_label("E-Mail-Adresse").fill("werkbank@refurb.example")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(f"{live_server}/seller/listings/import")
    exported = page.request.get(f"{live_server}/seller/listings/export.csv").body()
    lines = exported.decode().strip().splitlines()

    # when: the same file is imported back through the form
    page.get_by_label("CSV-Datei").set_input_files(
        files=[{"name": "angebote.csv", "mimeType": "text/csv", "buffer": exported}])
    page.get_by_role("button", name="Prüfen und importieren").click()

    # then: every line was checked and applied, nothing created
    updated = f"{len(lines) - 1:,}".replace(",", ".")
    expect(page.locator(".flash")).to_have_text(f"Import abgeschlossen: 0 Angebote erstellt, {updated} aktualisiert.")
    assert console_errors == []
