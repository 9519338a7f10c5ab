"""A Spanish buyer reviews a delivered phone from their order page; an admin publishes it from the
moderation queue; it shows on the /es-es/ product page with its "verified purchase" badge and in
the model's count."""
import re

from playwright.sync_api import Browser, expect

from app.accounts.demo import DEMO_PASSWORD
from tests.browser.conftest import LIVE_APPS


def delivered_spanish_order():
    """A guest's phone order in Spain, delivered ten days ago; returns (its secret link, the
    product page's path)."""
    from datetime import date, timedelta

    from sqlalchemy import select

    from app.aftersales.models import Delivery
    from app.catalog.models import ProductTranslation, Variant
    from app.extensions import db
    from app.models_base import utcnow
    from app.offers.models import Listing, ListingPrice
    from app.sites.models import Market
    from tests.orders.helpers import make_seller_order

    app = LIVE_APPS["app"]
    with app.test_request_context():
        listing = db.session.scalar(
            select(Listing).join(ListingPrice).join(Market, Market.id == ListingPrice.market_id)
            .join(Variant, Variant.id == Listing.variant_id)
            .join(ProductTranslation, ProductTranslation.product_id == Variant.product_id)
            .where(Market.code == "ES", Listing.grade == "good", Listing.quantity > 0,
                   ProductTranslation.slug.like("%iphone%"), ProductTranslation.language == "es")
            .order_by(Listing.id).limit(1))
        seller_order = make_seller_order(db.session, listing, quantity=1, market_code="ES", status="delivered",
                                         shipped_at=utcnow())
        order = seller_order.order
        order.locale = "es_ES"
        order.address = {**order.address, "first_name": "Lucía", "last_name": "García"}
        seller_order.lines[0].title = "iPhone"
        db.session.add(Delivery(seller_order_id=seller_order.id, delivered_on=date.today() - timedelta(days=10),
                                source="carrier"))
        db.session.commit()
        slug = db.session.scalar(select(ProductTranslation.slug).where(
            ProductTranslation.product_id == listing.variant.product_id, ProductTranslation.language == "es"))
        return f"/es-es/orders/{order.number}?token={order.access_token}", f"/es-es/p/{slug}"


def review_count(page) -> int:
    text = page.locator(".rating-average").inner_text() if page.locator(".rating-average").count() else "0"
    found = re.search(r"(\d[\d.\s]*) opini", text)
    return int(re.sub(r"\D", "", found.group(1))) if found else 0


def test_a_spanish_buyer_reviews_a_phone_and_an_admin_publishes_it(browser: Browser, live_server):
    link, product = delivered_spanish_order()
    shopper = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    shopper.goto(live_server + product)
    before = review_count(shopper)

    # when: the buyer writes the review from the order page (a 390 px phone)
    buyer = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    buyer.goto(live_server + link)
    buyer.get_by_role("link", name="Opinar sobre iPhone").click()
    expect(buyer.get_by_role("heading", name="Opina sobre tu dispositivo")).to_be_visible()
    assert buyer.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    buyer.get_by_role("button", name="Enviar mi opinión").click()          # empty: every field is marked
    expect(buyer.locator("#title-error")).to_have_text("Rellena este campo.")
    buyer.get_by_label("5 estrellas").check()
    buyer.get_by_label("Sí, como se describía").check()
    buyer.get_by_label("Estado de la batería").fill("92")
    buyer.get_by_label("Título").fill("Perfecto para el día a día")
    buyer.get_by_label("Tu opinión").fill("Llegó en dos días, <b>sin</b> arañazos: https://example.com")
    buyer.get_by_role("button", name="Enviar mi opinión").click()
    expect(buyer.locator("#body-error")).to_contain_text("HTML")           # markup refused, nothing stored
    buyer.get_by_label("Tu opinión").fill("Llegó en dos días, sin arañazos. Batería al 92 %.")
    buyer.get_by_role("button", name="Enviar mi opinión").click()
    expect(buyer.locator(".flash")).to_contain_text("Nuestro equipo revisa tu opinión")
    expect(buyer.locator(".review-record")).to_contain_text("pendiente de moderación")

    # and: the admin publishes it from the moderation queue
    admin = browser.new_context().new_page()
    admin.goto(f"{live_server}/en-gb/account/sign-in?next=/manage/reviews/")
    admin.get_by_label("E-mail address").fill("admin@refurb.example")
    admin.get_by_label("Password").fill(DEMO_PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    expect(admin).to_have_url(f"{live_server}/manage/reviews/")
    card = admin.locator("article.moderation", has_text="Perfecto para el día a día")
    card.get_by_role("button", name="Publish").click()
    expect(admin.locator("#review-queue .notice")).to_have_text("The review is moderated.")
    expect(admin.locator("article.moderation", has_text="Perfecto para el día a día")).to_have_count(0)

    # then: the product page in Spanish shows it first, badged, and counts it
    shopper.goto(live_server + product)
    review = shopper.locator("article.review").first
    expect(review).to_contain_text("Perfecto para el día a día")
    expect(review.locator(".badge.verified")).to_have_text("Compra verificada")
    expect(review).to_contain_text("Conforme a su grado")
    assert review_count(shopper) == before + 1
    assert shopper.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
