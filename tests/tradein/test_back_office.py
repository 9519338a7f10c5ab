"""The seller's trade-in screen (settings, bid CSV) and the platform's trade-in overview."""
from sqlalchemy import select

from app.extensions import db
from app.tradein import bids
from app.tradein.models import TradeInBid, TradeInMarketSetting, TradeInSellerProfile
from tests.builders import make_seller, make_user, market, sign_in
from tests.conftest import HX
from tests.tradein.helpers import make_bidder, make_phone


def _staff(app, ships_to=("FR",)):
    with app.app_context():
        seller = make_seller(db.session, name="Atelier Grille", ships_to=ships_to)
        user = make_user(db.session, seller=seller)
        phone = make_phone(db.session)
        db.session.commit()
        return seller.id, user.email, phone.variants[0].sku


def test_seller_opts_in_with_a_payout_speed(app, client):
    seller_id, email, _ = _staff(app)
    sign_in(client, email)
    assert "Trade-in" in client.get("/seller/trade-in/").text
    assert client.post("/seller/trade-in/", data={"is_active": "y", "payout_days": "3"}).status_code == 303
    bad = client.post("/seller/trade-in/", data={"is_active": "y", "payout_days": "30"})
    assert bad.status_code == 422 and "From 1 to 10" in bad.text
    with app.app_context():
        profile = db.session.get(TradeInSellerProfile, seller_id)
        assert (profile.is_active, profile.payout_days) == (True, 3)


def test_seller_imports_and_exports_its_grid(app, client):
    seller_id, email, sku = _staff(app)
    sign_in(client, email)
    upload = {"file": (__import__("io").BytesIO(f"sku,condition,bid_fr\n{sku},good,210.50\n".encode()), "b.csv")}
    response = client.post("/seller/trade-in/bids", data=upload, headers=HX | {"HX-Target": "div#import-panel"},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "<html" not in response.text
    assert client.get("/seller/trade-in/bids.csv").text.splitlines()[1] == f"{sku},good,210.50"
    bad = {"file": (__import__("io").BytesIO(f"sku,condition,bid_fr\n{sku},good,abc\n".encode()), "b.csv")}
    response = client.post("/seller/trade-in/bids", data=bad, content_type="multipart/form-data")
    assert response.status_code == 422 and "Line 2" in response.text
    with app.app_context():
        assert db.session.scalars(select(TradeInBid.amount)).all() == [21050]


def test_a_seller_sees_only_its_own_bids(app, client):
    _, email, sku = _staff(app)
    with app.app_context():
        phone = make_phone(db.session)
        make_bidder(db.session, phone.variants[0], {("good", "FR"): 9900})
        db.session.commit()
    sign_in(client, email)
    assert client.get("/seller/trade-in/bids.csv").text.splitlines() == ["sku,condition,bid_fr"]


def test_admin_sets_where_trade_in_is_offered_and_sees_counter_offer_rates(app, client):
    with app.app_context():
        admin = make_user(db.session, admin=True).email
        phone = make_phone(db.session)
        make_bidder(db.session, phone.variants[0], {("good", "FR"): 9900}, name="Atelier Taux")
        db.session.commit()
    sign_in(client, admin)
    page = client.get("/manage/trade-in/")
    assert page.status_code == 200 and "Atelier Taux" in page.text
    assert client.post("/manage/trade-in/markets/es", data={"es-voucher_bonus": "12.5"}).status_code == 303
    assert client.post("/manage/trade-in/markets/es", data={"es-voucher_bonus": "250"}).status_code == 422
    assert client.post("/manage/trade-in/markets/es", data={"es-voucher_bonus": "ten"}).status_code == 422
    assert client.post("/manage/trade-in/markets/zz", data={"zz-voucher_bonus": "5"}).status_code == 404
    with app.app_context():
        row = db.session.get(TradeInMarketSetting, market(db.session, "ES").id)
        assert (row.is_offered, row.voucher_bonus_bp) == (False, 1250)
        assert bids.market_terms(db.session, market(db.session, "FR")).is_offered
