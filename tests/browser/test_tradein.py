"""Trade-in journeys in a real browser: the quote flow with htmx (steps swapped in one document, the
URL kept in step), the same flow with JavaScript off, accepting a bid; axe and a 390 px phone."""
import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from app.accounts.demo import DEMO_PASSWORD


def _answer_questions(page: Page) -> None:
    for question, answer in (("allume-t-il", "Oui"), ("l'écran", "Légères rayures"),
                             ("la coque", "Légères traces d'usage"), ("batterie", "De 80 à 89 %"),
                             ("Le déconnecterez-vous", "Oui, avant de l'envoyer")):
        group = page.get_by_role("group", name=re.compile(question))
        group.get_by_role("radio", name=answer, exact=True).check()


def test_a_french_shopper_gets_a_quote_for_an_iphone_11_with_htmx(page: Page, live_server, console_errors):
    # given: the French shop's trade-in page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/fr-fr/trade-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vendez votre ancien appareil")
    page.evaluate("window.__marker = 'same document'")

    # when: category, model and configuration are picked, each step swapped in by htmx
    with page.expect_response(re.compile(r"category=smartphones")) as step:
        page.get_by_role("link", name="Smartphones", exact=True).click()
    assert step.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"/fr-fr/trade-in/\?category=smartphones$"))
    page.get_by_role("link", name="iPhone 11", exact=True).click()
    expect(page).to_have_url(re.compile(r"model=apple-iphone-11$"))
    page.locator(".tradein-choice").first.click()
    expect(page).to_have_url(re.compile(r"sku="))
    _answer_questions(page)
    page.get_by_role("button", name="Voir les offres").click()

    # then: the quote, best bid first, in the same document, at its own URL
    expect(page).to_have_url(re.compile(r"/fr-fr/trade-in/quote/[\w-]+$"))
    expect(page.get_by_text("Meilleure offre")).to_be_visible()
    expect(page.get_by_text("État d'après vos réponses : Bon")).to_be_visible()
    amounts = page.locator(".tradein-bids tbody td:nth-child(2)").all_inner_texts()
    values = [int(re.sub(r"\D", "", a)) for a in amounts]
    assert len(values) >= 2 and values == sorted(values, reverse=True)
    assert page.evaluate("window.__marker") == "same document"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    # when: the shopper accepts the best bid, signing in on the way
    page.locator(".tradein-bids tbody tr").first.get_by_role("link", name="Accepter").click()
    expect(page).to_have_url(re.compile(r"/account/sign-in"))
    page.get_by_label("Adresse e-mail").fill("customer@refurb.example")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("Se connecter")).click()
    expect(page).to_have_url(re.compile(r"/accept\?seller=\d+$"))
    page.get_by_label("Nom complet du titulaire du compte").fill("Camille Martin")
    page.get_by_label("Adresse", exact=True).fill("3 rue des Lilas")
    page.get_by_label("Code postal").fill("69003")
    page.get_by_label("Ville").fill("Lyon")
    page.get_by_label("IBAN").fill("FR76 3000 6000 0112 3456 7890 188")
    page.get_by_role("button", name="Accepter et obtenir l'étiquette d'envoi").click()
    expect(page.get_by_text("Cet IBAN n'est pas valide")).to_be_visible()
    page.get_by_label("IBAN").fill("FR76 3000 6000 0112 3456 7890 189")
    page.get_by_role("button", name="Accepter et obtenir l'étiquette d'envoi").click()

    # then: the trade-in, with its label to download
    expect(page).to_have_url(re.compile(r"/fr-fr/trade-in/mine/TI-\w+$"))
    expect(page.get_by_text("compte se terminant par 0189")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l'étiquette d'envoi (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    # The bad IBAN's answer was a 422 on purpose; anything else in the console is a fault.
    assert [e for e in console_errors if "status of 422" not in e] == []


def test_the_quote_flow_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/fr-fr/trade-in/")
    page.get_by_role("link", name="Smartphones", exact=True).click()
    expect(page).to_have_url(re.compile(r"category=smartphones$"))
    page.get_by_role("link", name="iPhone 11", exact=True).click()
    page.locator(".tradein-choice").first.click()
    page.get_by_role("button", name="Voir les offres").click()          # nothing answered: told so, kept
    expect(page.get_by_text("Répondez à chaque question.")).to_be_visible()
    _answer_questions(page)
    page.get_by_role("button", name="Voir les offres").click()
    expect(page).to_have_url(re.compile(r"/fr-fr/trade-in/quote/[\w-]+$"))
    expect(page.get_by_text("Meilleure offre")).to_be_visible()
    context.close()
