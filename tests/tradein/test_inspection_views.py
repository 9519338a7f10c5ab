"""The seller's queue and inspection form, and the shopper's answer to a counter-offer, over HTTP."""
import io

from sqlalchemy import select

from app.extensions import db
from app.tradein import quotes
from app.tradein.models import TradeIn, TradeInPhoto
from tests.builders import make_user, market, sign_in
from tests.tradein.helpers import ALL_GOOD, VALID_IMEI, make_bidder, make_phone, make_trade_in, photo_bytes

HX = {"HX-Request": "true"}
BENCH = {"imei_or_serial": VALID_IMEI, "activation_lock": "off", "blacklist": "clean", "functions": "ok"}
COUNTER = BENCH | {"condition_found": "damaged", "decision": "counter", "counter_amount": "90,00",
                   "counter_reasons": "screen", "notes": "Écran fêlé en haut à gauche"}


def _world(app):
    with app.test_request_context():
        variant = make_phone(db.session).variants[0]
        seller = make_bidder(db.session, variant, {("good", "FR"): 20000}, name="Atelier Un", ships_to=("FR",))
        staff = make_user(db.session, email="bench@atelier.example", seller=seller, language="fr")
        other_staff = make_user(db.session, email="other@seller.example", seller=make_bidder(
            db.session, variant, {("good", "FR"): 19000}, name="Atelier Deux", ships_to=("FR",)))
        shopper = make_user(db.session, email="camille@shop.example", language="fr")
        quote = quotes.create_quote(db.session, market(db.session, "FR"), variant, ALL_GOOD)
        trade_in = make_trade_in(db.session, quote, seller=seller, user=shopper)
        db.session.commit()
        return trade_in.reference, staff.email, other_staff.email, shopper.email


def _photo():
    return (io.BytesIO(photo_bytes()), "screen.jpg")


def test_the_seller_receives_inspects_and_counter_offers(app, client):
    reference, staff, other_staff, _ = _world(app)
    device = f"/seller/trade-in/devices/{reference}"

    # when: another seller's staff looks, then the winning seller works the device
    sign_in(client, other_staff, edition="fr-fr")
    foreign = client.get(device)
    client.post("/fr-fr/account/sign-out")
    sign_in(client, staff, edition="fr-fr")
    queue = client.get("/seller/trade-in/devices")
    received = client.post(f"{device}/received")
    again = client.post(f"{device}/received")
    bad_imei = client.post(f"{device}/inspection", data=COUNTER | {"imei_or_serial": "490154203237519",
                                                                    "photos": _photo()},
                           content_type="multipart/form-data")
    too_high = client.post(f"{device}/inspection", data=COUNTER | {"counter_amount": "250", "photos": _photo()},
                           content_type="multipart/form-data")
    done = client.post(f"{device}/inspection", data=COUNTER | {"photos": _photo()},
                       content_type="multipart/form-data")
    stale = client.post(f"{device}/inspection", data=COUNTER | {"photos": _photo()},
                        content_type="multipart/form-data")

    # then
    assert foreign.status_code == 404
    assert queue.status_code == 200 and reference in queue.text
    assert received.status_code == 303 and again.status_code == 409 and "a changé" in again.text
    assert bad_imei.status_code == 422 and "15 chiffres" in bad_imei.text
    assert too_high.status_code == 422 and "inférieure au prix" in too_high.text
    assert done.status_code == 303 and stale.status_code == 409
    page = client.get(device)
    assert "90,00" in page.text and "Écran fêlé" in page.text
    with app.app_context():
        trade_in = db.session.scalar(select(TradeIn))
        assert trade_in.status == "counter_offered" and trade_in.inspection.counter_amount == 9000
        photo_id = db.session.scalar(select(TradeInPhoto.id))
    assert client.get(f"{device}/photos/{photo_id}").mimetype == "image/webp"


def _counter_offered(app, client):
    reference, staff, other_staff, shopper = _world(app)
    device = f"/seller/trade-in/devices/{reference}"
    sign_in(client, staff, edition="fr-fr")
    client.post(f"{device}/received")
    client.post(f"{device}/inspection", data=COUNTER | {"photos": _photo()}, content_type="multipart/form-data")
    client.post("/fr-fr/account/sign-out")
    return reference, shopper


def test_the_shopper_accepts_the_counter_offer_once_with_htmx(app, client):
    reference, shopper = _counter_offered(app, client)
    detail = f"/fr-fr/trade-in/mine/{reference}"
    sign_in(client, shopper, edition="fr-fr")

    page = client.get(detail)
    fragment = client.post(f"{detail}/counter-offer", data={"answer": "accept"},
                           headers=HX | {"HX-Target": "counter-offer"})
    again = client.post(f"{detail}/counter-offer", data={"answer": "refuse"})

    assert page.status_code == 200 and "Contre-offre" in page.text and "90,00" in page.text
    with app.app_context():
        photo_id = db.session.scalar(select(TradeInPhoto.id))
    assert client.get(f"{detail}/photos/{photo_id}").status_code == 200
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert fragment.headers["HX-Push-Url"] == detail
    assert again.status_code == 409 and "ne peut plus" in again.text
    with app.app_context():
        trade_in = db.session.scalar(select(TradeIn))
        assert trade_in.status == "to_pay" and trade_in.final_amount == 9000


def test_the_shopper_refuses_without_javascript(app, client):
    reference, shopper = _counter_offered(app, client)
    detail = f"/fr-fr/trade-in/mine/{reference}"
    sign_in(client, shopper, edition="fr-fr")

    bad = client.post(f"{detail}/counter-offer", data={"answer": "maybe"})
    refused = client.post(f"{detail}/counter-offer", data={"answer": "refuse"})

    assert bad.status_code == 422
    assert refused.status_code == 303
    assert "renvoyé gratuitement" in client.get(detail).text
    with app.app_context():
        assert db.session.scalar(select(TradeIn.status)) == "returning"


def test_someone_else_cannot_answer_or_see_the_photos(app, client):
    reference, _ = _counter_offered(app, client)
    with app.app_context():
        intruder = make_user(db.session, email="intruder@shop.example").email
        db.session.commit()
        photo_id = db.session.scalar(select(TradeInPhoto.id))
    sign_in(client, intruder, edition="fr-fr")
    detail = f"/fr-fr/trade-in/mine/{reference}"

    assert client.post(f"{detail}/counter-offer", data={"answer": "accept"}).status_code == 404
    assert client.get(f"{detail}/photos/{photo_id}").status_code == 404
    assert client.get("/media/tradein/1/x.photo").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(TradeIn.status)) == "counter_offered"
