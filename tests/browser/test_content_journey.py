"""A Belgian country manager overrides a French page for Belgium only, with the live preview."""
from playwright.sync_api import Page, expect

from app.accounts.demo import DEMO_PASSWORD


def sign_in(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/en-gb/account/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")


def test_belgian_manager_overrides_a_french_page_for_belgium_only(page: Page, live_server, console_errors):
    # given: both French-speaking editions show the shared French text
    page.goto(f"{live_server}/fr-be/info/delivery-returns")
    expect(page.get_by_role("heading", level=1)).to_have_text("Livraison et retours")
    page.goto(f"{live_server}/fr-fr/info/delivery-returns")
    expect(page.get_by_role("heading", level=1)).to_have_text("Livraison et retours")

    # when: Belgium's manager opens the Belgian French text from the content overview
    sign_in(page, live_server, "manager-be@refurb.example")
    page.goto(f"{live_server}/manage/content/be")
    page.get_by_role("link", name="Modifier Livraison et retours (fr-be, Belgique)").click()
    expect(page.locator("#title")).to_have_value("Livraison et retours")      # starts from the shared text

    # and types: the preview follows (htmx), script typed in stays text
    page.locator("#title").fill("Livraison en Belgique")
    page.locator("#body").fill("Livraison **gratuite** partout en Belgique. <script>alert(1)</script>")
    expect(page.locator("#preview strong")).to_have_text("gratuite")
    expect(page.locator("#preview")).to_contain_text("<script>alert(1)</script>")
    page.get_by_role("button", name="Publier maintenant").click()
    expect(page.locator(".flash")).to_contain_text("Publié")

    # then: Belgium shows its own text, France still the shared one
    page.goto(f"{live_server}/fr-be/info/delivery-returns")
    expect(page.get_by_role("heading", level=1)).to_have_text("Livraison en Belgique")
    expect(page.locator(".prose strong")).to_have_text("gratuite")
    page.goto(f"{live_server}/fr-fr/info/delivery-returns")
    expect(page.get_by_role("heading", level=1)).to_have_text("Livraison et retours")
    expect(page.locator(".prose")).not_to_contain_text("Belgique")

    # and the history and the audit log say who did it
    page.goto(f"{live_server}/manage/content/be/audit")
    expect(page.locator("tbody")).to_contain_text("manager-be@refurb.example")
    assert console_errors == []
