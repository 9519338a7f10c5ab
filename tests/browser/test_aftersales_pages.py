"""The after-sales pages (order page section, withdrawal, return request and return pages, claim
form and claim page, the seller's returns and claims queues, return and claim pages, the admins'
escalated claims and claim page) pass axe and the Nu Html Checker."""
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, expect

from app.accounts.demo import DEMO_PASSWORD
from tests.browser.test_return_journey import delivered_french_order
from tests.browser.test_valid_html import save, validate


def test_aftersales_pages_pass_axe_and_vnu(browser: Browser, live_server, tmp_path):
    link, _, _ = delivered_french_order()
    buyer = browser.new_context().new_page()
    base = link.split("?")[0]
    token = link.split("token=")[1]
    buyer.goto(live_server + link)
    buyer.get_by_role("link", name="Faire une réclamation sous garantie").click()
    claim_form = buyer.url
    buyer.locator("input[name=unit]").first.check()
    buyer.locator("#kind").select_option("defect")
    buyer.locator("#description").fill("Le haut-parleur grésille")
    buyer.get_by_role("button", name="Envoyer la réclamation").click()
    expect(buyer.locator(".claim-status")).to_be_visible()
    claim_url = buyer.url
    buyer.goto(live_server + link)
    buyer.get_by_role("link", name="Retourner un article").click()
    buyer.locator("input[name=unit]").first.check()
    buyer.locator("#reason").select_option("changed_mind:no_longer_needed")
    buyer.get_by_role("button", name="Demander le retour").click()
    expect(buyer.locator(".return-status")).to_be_visible()
    return_url = buyer.url

    buyer_pages = [live_server + link, f"{live_server}{base}/withdraw?token={token}",
                   f"{live_server}{base}/returns/new?token={token}", return_url, claim_form, claim_url]
    files, violations = [], []
    for n, url in enumerate(buyer_pages):
        files.append(save(buyer, url, tmp_path, f"buyer{n}"))
        buyer.goto(url)
        result = Axe().run(buyer)
        if result.violations_count:
            violations.append(result.generate_report())

    seller = browser.new_context().new_page()
    seller.goto(f"{live_server}/fr-fr/account/sign-in?next=/seller/aftersales/returns")
    seller.get_by_label("Adresse e-mail").fill("phenix@refurb.example")
    seller.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    seller.get_by_role("button", name="Se connecter").click()
    expect(seller).to_have_url(f"{live_server}/seller/aftersales/returns")
    seller_pages = [seller.url]
    seller.locator("#return-results a").first.click()
    seller_pages.append(seller.url)
    seller.goto(f"{live_server}/seller/aftersales/claims")
    seller_pages.append(seller.url)
    seller.locator("#claim-results a").first.click()
    seller_pages.append(seller.url)
    for n, url in enumerate(seller_pages):
        files.append(save(seller, url, tmp_path, f"seller{n}"))
        seller.goto(url)
        result = Axe().run(seller)
        if result.violations_count:
            violations.append(result.generate_report())

    # the seller denies the claim with a test report, the buyer escalates it, an admin opens it
    seller.goto(seller_pages[-1])
    seller.locator("#outcome-denied").check()
    seller.locator("#seller_note").fill("Aucun défaut constaté")
    seller.locator("#test_report").fill("Haut-parleur testé 10 minutes à plein volume : aucun grésillement")
    seller.locator("form[aria-labelledby=decide-title] button[type=submit]").click()
    expect(seller.locator("#decide-title")).to_have_count(0)
    buyer.goto(claim_url)
    buyer.locator("#claim-panel form button").click()
    expect(buyer.locator(".claim-status")).to_contain_text("transmise à la plateforme")
    admin = browser.new_context().new_page()
    admin.goto(f"{live_server}/fr-fr/account/sign-in?next=/manage/aftersales/claims")
    admin.get_by_label("Adresse e-mail").fill("admin@refurb.example")
    admin.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    admin.get_by_role("button", name="Se connecter").click()
    expect(admin).to_have_url(f"{live_server}/manage/aftersales/claims")
    admin_pages = [admin.url]
    admin.locator("table a").first.click()
    admin_pages.append(admin.url)
    for n, url in enumerate(admin_pages):
        files.append(save(admin, url, tmp_path, f"admin{n}"))
        admin.goto(url)
        result = Axe().run(admin)
        if result.violations_count:
            violations.append(result.generate_report())
    admin.context.close()

    # the claim pages fit a 390 px phone
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    wide = []
    for url in (claim_form, claim_url):
        phone.goto(url)
        if not phone.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"):
            wide.append(url)
    phone.context.close()

    assert violations == []
    assert wide == []
    assert validate(files) == ""
    buyer.context.close()
    seller.context.close()
