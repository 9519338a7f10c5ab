"""The authorization walk: every non-public route, for every kind of person, answers as DESIGN's
"People and what they may touch" says. A new route fails this test until it is placed in ROUTES."""
import pytest
from sqlalchemy import select

from app.accounts.models import Address
from app.catalog.models import Category
from app.content.services import save_text
from app.offers.models import GradeDescription
from app.orders.models import CommissionRate
from app.sellers.models import ApplicationStatus, ListingImport, SellerApplication
from tests.aftersales.helpers import make_attachment, make_claim, make_return
from tests.builders import make_listing, make_seller, make_user, sign_in
from tests.orders.helpers import make_seller_order
from tests.reviews.helpers import make_review

PUBLIC = {"static", "sites.root", "sites.healthz", "health.readyz", "catalog.home", "catalog.category", "catalog.product", "content.page",
          "catalog_assets.illustration", "media.file", "compare.page", "compare.add", "compare.remove",
          "compare.clear", "accounts.sign_in", "accounts.sign_up", "accounts.sign_out", "accounts.forgot_password",
          "accounts.reset_password", "accounts.verify",
          # Trade-in quotes are open to anyone; a quote is reached through its unguessable reference.
          "tradein.start", "tradein.create_quote", "tradein.quote",
          # Reviews: the disclosure page, a seller's reviews, abuse reports and "helpful" votes are anyone's.
          "reviews.how_they_work", "reviews.seller_reviews", "reviews.vote",
          # Quality: the public seller page and the ranking disclosure, per edition.
          "quality.seller_page", "quality.ranking"}
# Search and guest shopping: search, carts and checkout are open to anyone, an order is reached through its secret link
# (tested with the orders), and the payment webhook is authenticated by its signature. After-sales on the order page
# ("aftersales") is reached like the order page (tests/aftersales), the carrier webhook by its signature.
# Writing a review ("reviews_buyer") is reached like the order page too (tests/reviews).
PUBLIC_BLUEPRINTS = {"cart", "checkout", "orders", "payment_webhooks", "search", "aftersales", "carrier_webhooks",
                     "reviews_buyer"}

PERSONAS = ("anonymous", "customer", "staff_a", "staff_b", "manager_fr", "manager_de", "admin")
SIGNED_IN = set(PERSONAS) - {"anonymous"}
STAFF = {"staff_a", "staff_b"}
FR_CONTENT = {"admin", "manager_fr"}          # France's content: the German manager gets a 403

# endpoint, method, path, who may (everyone else signed in: 403), who gets 404 (it is outside their scope)
ROUTES = [
    ("accounts.profile", "GET", "/fr-fr/account/", SIGNED_IN, set()),
    ("accounts.profile", "POST", "/fr-fr/account/", SIGNED_IN, set()),
    ("accounts.confirm", "GET", "/fr-fr/account/confirm", SIGNED_IN, set()),
    ("accounts.confirm", "POST", "/fr-fr/account/confirm", SIGNED_IN, set()),
    ("accounts.resend_verification", "POST", "/fr-fr/account/verify", SIGNED_IN, set()),
    ("accounts.security", "GET", "/fr-fr/account/security", SIGNED_IN, set()),
    ("accounts.change_email", "POST", "/fr-fr/account/security/email", SIGNED_IN, set()),
    ("accounts.change_password", "POST", "/fr-fr/account/security/password", SIGNED_IN, set()),
    ("accounts.orders", "GET", "/fr-fr/account/orders", SIGNED_IN, set()),
    ("accounts.addresses", "GET", "/fr-fr/account/addresses", SIGNED_IN, set()),
    ("accounts.addresses", "POST", "/fr-fr/account/addresses", SIGNED_IN, set()),
    ("accounts.edit_address", "GET", "/fr-fr/account/addresses/{address}", {"customer"}, SIGNED_IN - {"customer"}),
    ("accounts.edit_address", "POST", "/fr-fr/account/addresses/{address}", {"customer"}, SIGNED_IN - {"customer"}),
    ("accounts.delete_address", "POST", "/fr-fr/account/addresses/{address}/delete", {"customer"},
     SIGNED_IN - {"customer"}),
    ("onboarding.apply", "GET", "/fr-fr/sell/", SIGNED_IN, set()),
    ("onboarding.apply", "POST", "/fr-fr/sell/", SIGNED_IN, set()),
    ("seller.dashboard", "GET", "/seller/", STAFF, set()),
    ("seller.listings_page", "GET", "/seller/listings", STAFF, set()),
    ("seller.new_listing", "GET", "/seller/listings/new?q=model", STAFF, set()),
    ("seller.new_listing", "POST", "/seller/listings/new?variant={variant}", STAFF, set()),
    ("seller.edit_listing", "GET", "/seller/listings/{listing_a}", {"staff_a"}, {"staff_b"}),
    ("seller.edit_listing", "POST", "/seller/listings/{listing_a}", {"staff_a"}, {"staff_b"}),
    ("seller.toggle_listing", "POST", "/seller/listings/{listing_a}/pause", {"staff_a"}, {"staff_b"}),
    ("seller.export_listings", "GET", "/seller/listings/export.csv", STAFF, set()),
    ("seller.import_listings", "GET", "/seller/listings/import", STAFF, set()),
    ("seller.import_listings", "POST", "/seller/listings/import", STAFF, set()),
    ("seller.import_status", "GET", "/seller/imports/{import_a}", STAFF, set()),
    ("seller.staff", "GET", "/seller/staff", STAFF, set()),
    ("seller.add_staff", "POST", "/seller/staff", STAFF, set()),
    ("seller.remove_staff", "POST", "/seller/staff/{helper_a}/remove", {"staff_a"}, {"staff_b"}),
    ("seller.legal_identity", "GET", "/seller/legal", STAFF, set()),
    ("seller.legal_identity", "POST", "/seller/legal", STAFF, set()),
    # Last: accepting joins the customer to seller A's staff. The invitation is the customer's; anyone else: 403.
    ("onboarding.staff_invitation", "GET", "/fr-fr/sell/staff-invitation/{invitation}", {"customer"}, set()),
    ("onboarding.staff_invitation", "POST", "/fr-fr/sell/staff-invitation/{invitation}", {"customer"}, set()),
    ("seller_sales.orders", "GET", "/seller/orders", STAFF, set()),
    ("seller_sales.order", "GET", "/seller/orders/{seller_order_a}", {"staff_a"}, {"staff_b"}),
    ("seller_sales.accept", "POST", "/seller/orders/{seller_order_a}/accept", {"staff_a"}, {"staff_b"}),
    ("seller_sales.ship", "POST", "/seller/orders/{seller_order_a}/ship", {"staff_a"}, {"staff_b"}),
    ("seller_sales.cancel", "POST", "/seller/orders/{seller_order_a}/cancel", {"staff_a"}, {"staff_b"}),
    ("seller_sales.retry_refund", "POST", "/seller/orders/{seller_order_a}/refund", {"staff_a"}, {"staff_b"}),
    ("seller_sales.payouts_page", "GET", "/seller/payouts", STAFF, set()),
    ("seller_quality.figures", "GET", "/seller/quality/", STAFF, set()),
    ("aftersales_seller.mark_delivered", "POST", "/seller/aftersales/orders/{seller_order_a}/delivered", {"staff_a"},
     {"staff_b"}),
    ("aftersales_seller.seller_returns", "GET", "/seller/aftersales/returns", STAFF, set()),
    ("aftersales_seller.seller_return", "GET", "/seller/aftersales/returns/{return_a}", {"staff_a"}, {"staff_b"}),
    ("aftersales_seller.seller_return_action", "POST", "/seller/aftersales/returns/{return_a}/receive", {"staff_a"},
     {"staff_b"}),
    ("aftersales_seller.seller_claims", "GET", "/seller/aftersales/claims", STAFF, set()),
    ("aftersales_seller.seller_claim", "GET", "/seller/aftersales/claims/{claim_a}", {"staff_a"}, {"staff_b"}),
    ("aftersales_seller.seller_claim_photo", "GET", "/seller/aftersales/claims/{claim_a}/photos/{claim_photo_a}",
     {"staff_a"}, {"staff_b"}),
    ("aftersales_seller.seller_claim_action", "POST", "/seller/aftersales/claims/{claim_a}/decide", {"staff_a"},
     {"staff_b"}),
    ("aftersales_admin.claims_list", "GET", "/manage/aftersales/claims", {"admin"}, set()),
    ("aftersales_admin.claim", "GET", "/manage/aftersales/claims/{claim_a}", {"admin"}, set()),
    ("aftersales_admin.claim_photo", "GET", "/manage/aftersales/claims/{claim_a}/photos/{claim_photo_a}", {"admin"},
     set()),
    ("aftersales_admin.decide_claim", "POST", "/manage/aftersales/claims/{claim_a}/decide", {"admin"}, set()),
    ("reviews_admin.queue", "GET", "/manage/reviews/", {"admin", "manager_fr", "manager_de"}, set()),
    ("reviews_admin.moderate", "POST", "/manage/reviews/{review_a}/moderate", FR_CONTENT, {"manager_de"}),
    ("reviews_admin.moderate_reply", "POST", "/manage/reviews/{review_a}/reply", FR_CONTENT, {"manager_de"}),
    ("reviews_seller.seller_list", "GET", "/seller/reviews/", STAFF, set()),
    ("reviews_seller.seller_reply", "POST", "/seller/reviews/{review_a}/reply", {"staff_a"}, {"staff_b"}),
    ("aftersales_seller.case_message", "POST", "/seller/aftersales/claims/{claim_a}/messages", {"staff_a"}, {"staff_b"}),
    ("aftersales_seller.case_attachment", "GET", "/seller/aftersales/claims/{claim_a}/attachments/{attachment_a}",
     {"staff_a"}, {"staff_b"}),
    ("aftersales_admin.return_case", "GET", "/manage/aftersales/returns/{return_a}", {"admin"}, set()),
    ("aftersales_admin.case_message", "POST", "/manage/aftersales/returns/{return_a}/messages", {"admin"}, set()),
    ("aftersales_admin.case_attachment", "GET", "/manage/aftersales/claims/{claim_a}/attachments/{attachment_a}",
     {"admin"}, set()),
    ("seller_sales.payout_csv", "GET", "/seller/payouts/2026-11.csv", STAFF, set()),
    ("seller_tradein.grid", "GET", "/seller/trade-in/", STAFF, set()),
    ("seller_tradein.grid", "POST", "/seller/trade-in/", STAFF, set()),
    ("seller_tradein.export_bids", "GET", "/seller/trade-in/bids.csv", STAFF, set()),
    ("seller_tradein.import_bids", "POST", "/seller/trade-in/bids", STAFF, set()),
    ("tradein.accept", "GET", "/fr-fr/trade-in/quote/{quote}/accept?seller={seller_a}", SIGNED_IN, set()),
    ("tradein.accept", "POST", "/fr-fr/trade-in/quote/{quote}/accept?seller={seller_a}", SIGNED_IN, set()),
    ("tradein.mine", "GET", "/fr-fr/trade-in/mine", SIGNED_IN, set()),
    ("tradein.detail", "GET", "/fr-fr/trade-in/mine/{trade_in}", {"customer"}, SIGNED_IN - {"customer"}),
    ("tradein.shipping_label", "GET", "/fr-fr/trade-in/mine/{trade_in}/label.pdf", {"customer"},
     SIGNED_IN - {"customer"}),
    ("tradein.answer_counter_offer", "POST", "/fr-fr/trade-in/mine/{trade_in}/counter-offer", {"customer"},
     SIGNED_IN - {"customer"}),
    ("tradein.photo", "GET", "/fr-fr/trade-in/mine/{trade_in}/photos/{tradein_photo}", {"customer"},
     SIGNED_IN - {"customer"}),
    ("seller_tradein.queue", "GET", "/seller/trade-in/devices", STAFF, set()),
    ("seller_tradein.device", "GET", "/seller/trade-in/devices/{trade_in}", {"staff_a"}, {"staff_b"}),
    ("seller_tradein.photo", "GET", "/seller/trade-in/devices/{trade_in}/photos/{tradein_photo}", {"staff_a"},
     {"staff_b"}),
    ("seller_tradein.inspect", "POST", "/seller/trade-in/devices/{trade_in}/inspection", {"staff_a"}, {"staff_b"}),
    ("seller_tradein.mark_received", "POST", "/seller/trade-in/devices/{trade_in}/received", {"staff_a"},
     {"staff_b"}),
    ("tradein_admin.overview", "GET", "/manage/trade-in/", {"admin"}, set()),
    ("tradein_admin.market_terms", "POST", "/manage/trade-in/markets/fr", {"admin"}, set()),
    ("manage.home", "GET", "/manage/", {"admin", "manager_fr", "manager_de"}, set()),
    ("manage.markets", "GET", "/manage/markets", {"admin", "manager_fr", "manager_de"}, set()),
    ("manage.market", "GET", "/manage/markets/fr", {"admin", "manager_fr"}, set()),
    ("manage.market_settings", "GET", "/manage/markets/fr/settings", {"admin"}, set()),
    ("manage.market_settings", "POST", "/manage/markets/fr/settings", {"admin"}, set()),
    ("manage.categories", "GET", "/manage/categories", {"admin"}, set()),
    ("manage.category", "GET", "/manage/categories/{category}", {"admin"}, set()),
    ("manage.category", "POST", "/manage/categories/{category}", {"admin"}, set()),
    ("manage.commissions", "GET", "/manage/commissions", {"admin"}, set()),
    ("manage.commissions", "POST", "/manage/commissions", {"admin"}, set()),
    ("manage.delete_commission", "POST", "/manage/commissions/{commission}/delete", {"admin"}, set()),
    ("manage.applications", "GET", "/manage/applications", {"admin"}, set()),
    ("manage.application", "GET", "/manage/applications/{application}", {"admin"}, set()),
    ("manage.decide", "POST", "/manage/applications/{application}/reject", {"admin"}, set()),
    ("manage.sellers", "GET", "/manage/sellers", {"admin"}, set()),
    ("manage.seller_standing", "POST", "/manage/sellers/{seller_b}/suspend", {"admin"}, set()),
    ("manage.users", "GET", "/manage/users", {"admin"}, set()),
    ("manage.user", "GET", "/manage/users/{target}", {"admin"}, set()),
    ("manage.user_roles", "POST", "/manage/users/{target}", {"admin"}, set()),
    ("operations.page", "GET", "/manage/operations/", {"admin"}, set()),
    ("content_admin.index", "GET", "/manage/content/", {"admin", "manager_fr", "manager_de"}, set()),
    ("content_admin.market", "GET", "/manage/content/fr", FR_CONTENT, set()),
    ("content_admin.edit", "GET", "/manage/content/fr/fr/market/about", FR_CONTENT, set()),
    ("content_admin.edit", "POST", "/manage/content/fr/fr/shared/about", FR_CONTENT, set()),
    ("content_admin.preview", "POST", "/manage/content/fr/fr/market/about/preview", FR_CONTENT, set()),
    ("content_admin.draft", "GET", "/manage/content/fr/fr/shared/about/draft", FR_CONTENT, set()),
    ("content_admin.history", "GET", "/manage/content/fr/fr/shared/about/history", FR_CONTENT, set()),
    ("content_admin.restore", "POST", "/manage/content/fr/fr/shared/about/revisions/1/restore", FR_CONTENT, set()),
    ("content_admin.audit", "GET", "/manage/content/fr/audit", FR_CONTENT, set()),
    ("content_admin.translations", "GET", "/manage/content/fr/translations", FR_CONTENT, set()),
    ("content_admin.translate_category", "GET", "/manage/content/fr/fr/categories/{category_key}", FR_CONTENT, set()),
    ("content_admin.translate_category", "POST", "/manage/content/fr/fr/categories/{category_key}", FR_CONTENT,
     set()),
    ("content_admin.translate_product", "GET", "/manage/content/fr/fr/products/{product_key}", FR_CONTENT, set()),
    ("content_admin.translate_product", "POST", "/manage/content/fr/fr/products/{product_key}", FR_CONTENT, set()),
    ("content_admin.translate_grade", "GET", "/manage/content/fr/fr/grades/{grade}", FR_CONTENT, set()),
    ("content_admin.translate_grade", "POST", "/manage/content/fr/fr/grades/{grade}", FR_CONTENT, set()),
    ("content_admin.export", "GET", "/manage/content/fr/fr/export.csv", FR_CONTENT, set()),
    ("content_admin.import_texts", "GET", "/manage/content/fr/fr/import", FR_CONTENT, set()),
    ("content_admin.import_texts", "POST", "/manage/content/fr/fr/import", FR_CONTENT, set()),
]


def build_world(session, app=None):
    seller_a, seller_b = make_seller(session, name="Seller A"), make_seller(session, name="Seller B")
    listing_a = make_listing(session, seller=seller_a, prices={"FR": 30000})
    make_listing(session, seller=seller_b, variant=listing_a.variant, prices={"FR": 31000})
    people = {
        "customer": make_user(session, email="customer@shop.example"),
        "staff_a": make_user(session, email="a@shop.example", seller=seller_a),
        "staff_b": make_user(session, email="b@shop.example", seller=seller_b),
        "manager_fr": make_user(session, email="fr@shop.example", markets=("FR",)),
        "manager_de": make_user(session, email="de@shop.example", markets=("DE",)),
        "admin": make_user(session, email="admin@shop.example", admin=True),
    }
    helper = make_user(session, seller=seller_a, owner=False)
    target = make_user(session)
    session.add(Address(user=people["customer"], full_name="C", line1="1 rue", postcode="75001", city="Paris",
                        country_code="FR"))
    session.add(SellerApplication(applicant_id=target.id, company_name="New Co", country_code="FR", city="Lille",
                                  vat_number="FR40303265045", refurbishes="Phones", ships_to=["FR"],
                                  status=ApplicationStatus.PENDING))
    session.add(CommissionRate(category_id=None, market_id=listing_a.prices[0].market_id, rate_bp=1200))
    session.add(ListingImport(key="import-of-seller-a", seller_id=seller_a.id, status="done", total_lines=7))
    seller_order_a = make_seller_order(session, listing_a)
    return_a = make_return(session, make_seller_order(session, listing_a, status="delivered"))
    claim_a, claim_photo_a = make_claim(session, make_seller_order(session, listing_a, status="delivered"),
                                        media_root=app.config["MEDIA_ROOT"] if app else None)
    review_a = make_review(session, make_seller_order(session, listing_a, status="delivered"))
    attachment_a = make_attachment(session, claim_a, media_root=app.config["MEDIA_ROOT"] if app else None)
    grade = GradeDescription(grade="good")
    session.add(grade)
    save_text(session, key="about", language="fr", expected_version=0, title="Qui sommes-nous", body="Texte")
    session.flush()
    trade_in = _trade_in(session, listing_a, seller_a, people["customer"])
    tradein_photo = _trade_in_photo(session, trade_in, app.config["MEDIA_ROOT"] if app else None)
    ids = {"address": session.scalar(select(Address.id)), "variant": listing_a.variant_id,
           "quote": trade_in.quote.reference, "trade_in": trade_in.reference,
           "tradein_photo": tradein_photo.id, "seller_a": seller_a.id,
           "seller_order_a": seller_order_a.id, "return_a": return_a.id, "claim_a": claim_a.id,
           "claim_photo_a": claim_photo_a.id, "review_a": review_a.id, "attachment_a": attachment_a.id,
           "listing_a": listing_a.id, "import_a": "import-of-seller-a", "helper_a": helper.id,
           "category": session.scalar(select(Category.id)), "seller_b": seller_b.id, "target": target.id,
           "application": session.scalar(select(SellerApplication.id)),
           "commission": session.scalar(select(CommissionRate.id)), "grade": grade.id,
           "category_key": listing_a.variant.product.category.key, "product_key": listing_a.variant.product.key}
    session.commit()
    return people, ids


def _trade_in(session, listing, seller, customer):
    """A quote with seller A's bid, accepted by the customer (rows made directly: no request here)."""
    from datetime import timedelta

    from app.models_base import utcnow
    from app.tradein import bids, quotes
    from app.tradein.models import TradeIn
    from tests.builders import market
    from tests.tradein.helpers import ALL_GOOD
    fr = market(session, "FR")
    bids.save_profile(session, seller, is_active=True, payout_days=2)
    bids.set_bid(session, seller, listing.variant, "good", fr, 15000)
    quote = quotes.create_quote(session, fr, listing.variant, ALL_GOOD)
    trade_in = TradeIn(reference="TI-WALK0001", quote=quote, seller_id=seller.id, user_id=customer.id,
                       market_id=fr.id, language="fr", amount=15000, currency="EUR",
                       ship_by=utcnow() + timedelta(days=14), holder_name="C", address_line1="1 rue",
                       address_postcode="75001", address_city="Paris", address_country="FR", bank_scheme="iban",
                       bank_last_digits="0189", bank_sealed="sealed")
    session.add(trade_in)
    session.flush()
    return trade_in


def _trade_in_photo(session, trade_in, media_root):
    """An inspection photo of the walk's trade-in (its file written under `media_root` when given)."""
    from pathlib import Path

    from app.tradein.models import TradeInPhoto
    photo = TradeInPhoto(trade_in_id=trade_in.id, storage_key=f"tradein/{trade_in.id}/walk")
    session.add(photo)
    session.flush()
    if media_root is not None:
        path = Path(media_root) / f"{photo.storage_key}.photo"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"RIFF-walk-photo")
    return photo


def expected(persona, allowed, hidden) -> str:
    if persona == "anonymous":
        return "sign-in"
    if persona in allowed:
        return "ok"
    return "404" if persona in hidden else "403"


def outcome(response, method) -> str:
    code = response.status_code
    if code == 302 and "/account/sign-in?next=" in response.headers.get("Location", ""):
        return "sign-in"
    if code in (403, 404):
        return str(code)
    if code == 200 or (method == "POST" and code in (303, 400, 409, 422)):   # 409: let in, wrong state
        return "ok"
    return f"unexpected {code}"


def test_every_non_public_route_is_in_the_walk(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              if rule.endpoint not in PUBLIC and rule.endpoint.split(".")[0] not in PUBLIC_BLUEPRINTS
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == {(endpoint, method) for endpoint, method, *_ in ROUTES}


@pytest.mark.parametrize("persona", PERSONAS)
def test_authorization_walk(persona, app, client, session):
    # given: two sellers with a listing each, a customer, two country managers, an admin
    people, ids = build_world(session, app)
    with app.test_request_context():
        from app.sellers.onboarding import invitation_token
        ids["invitation"] = invitation_token(people["customer"], people["staff_a"].seller, people["staff_a"])
    if persona != "anonymous":
        assert sign_in(client, people[persona], edition="fr-fr").status_code == 303

    # when: the person requests every non-public route
    wrong = []
    for _endpoint, method, path, allowed, hidden in ROUTES:
        url = path.format(**ids)
        response = client.open(url, method=method, data={} if method == "POST" else None)
        got, want = outcome(response, method), expected(persona, allowed, hidden)
        if got != want:
            wrong.append(f"{method} {url}: {got}, expected {want}")

    # then
    assert wrong == []


def test_scoped_pages_show_only_what_belongs_to_the_viewer(app, client, session):
    people, ids = build_world(session)
    sign_in(client, people["staff_b"])
    listings = client.get("/seller/listings").text
    assert "Seller B" in listings and f"/seller/listings/{ids['listing_a']}\"" not in listings
    assert len(client.get("/seller/listings/export.csv").text.strip().splitlines()) == 2   # header + B's own
    assert "7" not in client.get("/seller/imports/import-of-seller-a").text                # A's import, unseen
    assert f"/seller/orders/{ids['seller_order_a']}\"" not in client.get("/seller/orders?status=all").text
    assert client.get("/seller/payouts").status_code == 200

    client.post("/en-gb/account/sign-out")
    sign_in(client, people["manager_fr"])
    markets = client.get("/manage/markets").text
    assert "/manage/markets/fr" in markets and "/manage/markets/de" not in markets
