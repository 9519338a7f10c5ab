"""A French buyer returns an Excellent phone; the seller receives it as Good, and it goes back into
stock as Good (a new paused listing), never as Excellent."""
from playwright.sync_api import Browser, expect

from app.accounts.demo import DEMO_PASSWORD
from tests.aftersales.helpers import IMEIS
from tests.browser.conftest import LIVE_APPS


def delivered_french_order():
    """A guest's delivered order of one Excellent phone from Ateliers Phénix; returns (its secret
    link, the listing id)."""
    from datetime import date

    from sqlalchemy import select

    from app.aftersales.models import Delivery
    from app.extensions import db
    from app.models_base import utcnow
    from app.offers.models import Listing, ListingPrice
    from app.sellers.models import Seller
    from app.sites.models import Market
    from tests.orders.helpers import make_seller_order

    app = LIVE_APPS["app"]
    with app.test_request_context():
        listing = db.session.scalar(
            select(Listing).join(Seller).join(ListingPrice).join(Market, Market.id == ListingPrice.market_id)
            .where(Seller.slug == "ateliers-phenix-lille", Market.code == "FR", Listing.grade == "excellent",
                   Listing.quantity > 0)
            .order_by(Listing.id).limit(1))
        seller_order = make_seller_order(db.session, listing, quantity=1, market_code="FR", status="delivered",
                                         shipped_at=utcnow())
        seller_order.carrier, seller_order.tracking_number = "colissimo", "6A00000000001"
        seller_order.lines[0].unit_identifiers = [IMEIS[2]]
        db.session.add(Delivery(seller_order_id=seller_order.id, delivered_on=date.today(), source="buyer"))
        db.session.commit()
        order = seller_order.order
        return f"/fr-fr/orders/{order.number}?token={order.access_token}", listing.id, listing.variant_id


def test_a_french_buyer_returns_a_phone_and_it_is_relisted_in_the_grade_received(browser: Browser, live_server):
    from sqlalchemy import select

    from app.extensions import db
    from app.offers.models import Listing

    # given: the buyer's order page
    link, listing_id, variant_id = delivered_french_order()
    buyer = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    buyer.goto(live_server + link)

    # when: the buyer asks for a return, gets the label and sends the phone
    buyer.get_by_role("link", name="Retourner un article").click()
    buyer.get_by_label(IMEIS[2], exact=False).check()
    buyer.locator("#reason").select_option("changed_mind:found_cheaper")
    buyer.get_by_role("button", name="Demander le retour").click()
    expect(buyer.locator(".flash")).to_contain_text("Votre retour est accepté")
    expect(buyer.get_by_role("link", name="Étiquette de retour (PDF)")).to_be_visible()
    assert buyer.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    buyer.get_by_role("button", name="Je l’ai envoyé").click()
    expect(buyer.locator(".return-status")).to_have_text("en cours de retour")
    return_page = buyer.url

    # and: the seller (French back office) receives it and grades it Good, wiped, lock off
    seller = browser.new_context().new_page()
    seller.goto(f"{live_server}/fr-fr/account/sign-in?next=/seller/aftersales/returns")
    seller.get_by_label("Adresse e-mail").fill("phenix@refurb.example")
    seller.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    seller.get_by_role("button", name="Se connecter").click()
    expect(seller).to_have_url(f"{live_server}/seller/aftersales/returns")
    # this buyer's return (other tests on the same live server leave returns in the queue too)
    reference = return_page.split("/returns/")[1].split("?")[0]
    seller.locator("#return-results a", has_text=reference).click()
    seller.get_by_role("button", name="Enregistrer la réception").click()
    expect(seller.locator(".return-status")).to_have_text("reçu par le vendeur")
    seller.locator("#grade_received").select_option("good")
    for box in ("#is_data_wiped", "#is_activation_lock_off", "#is_resellable"):
        seller.locator(box).check()
    seller.get_by_role("button", name="Accepter et rembourser").click()

    # then: refunded, and back in stock as Good
    expect(seller.locator(".return-status")).to_have_text("remboursé")
    expect(seller.get_by_role("link", name="Remis en stock dans cet état")).to_be_visible()
    buyer.goto(return_page)
    expect(buyer.locator(".return-status")).to_have_text("remboursé")
    with LIVE_APPS["app"].app_context():
        good = db.session.scalar(select(Listing).where(Listing.variant_id == variant_id, Listing.grade == "good",
                                                       Listing.seller_id == db.session.get(Listing, listing_id).seller_id))
        assert good is not None and good.quantity >= 1
        assert db.session.get(Listing, listing_id).grade == "excellent"
    buyer.context.close()
    seller.context.close()
