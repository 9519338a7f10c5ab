"""Keyboard only: a shopper who never touches a mouse picks a grade, adds to the cart and checks out.

Every step moves focus with Tab (never by clicking) and acts with Enter or Space, and each focused
control shows the focus ring.
"""
import re

from playwright.sync_api import Locator, Page, expect

TAB_LIMIT = 150


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus; fail if it is not reachable by keyboard."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            outline = target.evaluate("element => getComputedStyle(element).outlineStyle")
            assert outline != "none", "the focused control shows no focus ring"
            return
    raise AssertionError(f"not reachable with Tab: {target}")


def test_a_shopper_picks_a_grade_and_checks_out_with_the_keyboard_alone(page: Page, live_server, console_errors):
    # given: the product page, focus at the top of the document
    page.goto(f"{live_server}/en-gb/p/apple-iphone-13")

    # when: a storage size and a grade are chosen with Tab and Enter
    storage = page.locator(".picker a.option:not(.unavailable)", has_text="256 GB").first
    tab_to(page, storage)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"storage=256"))
    grade = page.locator(".picker-grade a.option:not(.unavailable)").last
    tab_to(page, grade)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"storage=256.*grade=|grade=.*storage=256"))

    # and: added to the cart with Space on the button
    tab_to(page, page.locator(".add-to-cart button"))
    page.keyboard.press("Space")
    expect(page.locator("#cart-badge .count")).to_have_text("1")

    # and: the cart, then the address form, filled field by field with Tab
    tab_to(page, page.locator("#cart-badge a"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en-gb/cart/$"))
    tab_to(page, page.locator(".cart-total .button"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en-gb/checkout/address"))
    for field, value in {"email": "ada@example.co.uk", "phone": "020 7946 0958", "first_name": "Ada",
                         "last_name": "Lovelace", "line1": "12 Baker Street", "postcode": "NW1 6XE",
                         "city": "London"}.items():
        tab_to(page, page.locator(f"#{field}"))
        page.keyboard.type(value)
    page.keyboard.press("Enter")                                        # submits the form from its last field

    # and: standard delivery, then the test card
    expect(page).to_have_url(re.compile(r"/en-gb/checkout/delivery"))
    tab_to(page, page.locator(".checkout-form button[type=submit]"))
    page.keyboard.press("Enter")
    for field, value in {"card_number": "4242 4242 4242 4242", "card_expiry": "12/39", "card_cvc": "123"}.items():
        tab_to(page, page.locator(f"#{field}"))
        page.keyboard.type(value)
    tab_to(page, page.locator(".checkout-form button[type=submit]"))
    page.keyboard.press("Enter")

    # then
    expect(page.locator(".confirmation")).to_be_visible()
    assert console_errors == []
