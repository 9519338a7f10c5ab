"""Accepting a bid in the shop: an account is needed, bad bank details answer 422, the label downloads."""
from app.extensions import db
from app.tradein.models import TradeIn
from tests.builders import make_user, sign_in
from tests.tradein.helpers import ALL_GOOD, make_bidder, make_phone

FORM = {"holder_name": "Camille Martin", "address_line1": "3 rue des Lilas", "address_postcode": "69003",
        "address_city": "Lyon"}


def _quote(app, client, edition="fr-fr"):
    with app.app_context():
        phone = make_phone(db.session)
        seller = make_bidder(db.session, phone.variants[0], {("good", "FR"): 21000, ("good", "GB"): 18000},
                             name="Atelier Un", ships_to=("FR", "GB"))
        shopper = make_user(db.session, email=f"shopper-{edition}@shop.example", language="fr")
        db.session.commit()
        keys = {"category": phone.category.key, "model": phone.key, "sku": phone.variants[0].sku}
        seller_id, email = seller.id, shopper.email
    url = client.post(f"/{edition}/trade-in/quote", data=keys | ALL_GOOD).headers["Location"]
    return url, seller_id, email


def test_accepting_needs_an_account_then_gives_a_label(app, client):
    # given
    quote_url, seller_id, email = _quote(app, client)
    accept_url = f"{quote_url}/accept?seller={seller_id}"
    assert accept_url in client.get(quote_url).text.replace("&amp;", "&")

    # when: anonymous, then signed in
    anonymous = client.get(accept_url)
    sign_in(client, email, edition="fr-fr")
    form = client.get(accept_url)
    bad = client.post(f"{quote_url}/accept", data=FORM | {"seller": seller_id, "iban": "FR7630006000011234567890188"})
    good = client.post(f"{quote_url}/accept", data=FORM | {"seller": seller_id, "iban": "FR7630006000011234567890189"})
    again = client.post(f"{quote_url}/accept", data=FORM | {"seller": seller_id, "iban": "FR7630006000011234567890189"})

    # then
    assert anonymous.status_code == 302 and "/account/sign-in" in anonymous.headers["Location"]
    assert form.status_code == 200 and 'name="iban"' in form.text and 'name="sort_code"' not in form.text
    assert bad.status_code == 422 and "IBAN" in bad.text
    assert good.status_code == 303 and again.status_code == 409
    detail = client.get(good.headers["Location"])
    assert detail.status_code == 200 and "0189" in detail.text and "30006000011234567890189" not in detail.text
    label = client.get(good.headers["Location"] + "/label.pdf")
    assert label.status_code == 200 and label.mimetype == "application/pdf"
    with app.app_context():
        reference = db.session.query(TradeIn.reference).scalar()
    assert reference.encode() in label.data and b"Atelier Un" in label.data
    assert reference in client.get("/fr-fr/trade-in/mine").text


def test_british_shoppers_give_a_sort_code(app, client):
    quote_url, seller_id, email = _quote(app, client, edition="en-gb")
    sign_in(client, email, edition="en-gb")
    assert 'name="sort_code"' in client.get(f"{quote_url}/accept?seller={seller_id}").text
    bad = client.post(f"{quote_url}/accept", data=FORM | {"seller": seller_id, "sort_code": "12-34", "account": "1"})
    assert bad.status_code == 422 and "six digits" in bad.text
    good = client.post(f"{quote_url}/accept", data=FORM | {"seller": seller_id, "sort_code": "12-34-56",
                                                            "account": "12345678"})
    assert good.status_code == 303


def test_another_shopper_cannot_see_a_trade_in_and_unknown_bids_are_404(app, client):
    quote_url, seller_id, email = _quote(app, client)
    sign_in(client, email, edition="fr-fr")
    detail_url = client.post(f"{quote_url}/accept", data=FORM | {"seller": seller_id,
                                                                  "iban": "FR7630006000011234567890189"}
                             ).headers["Location"]
    assert client.get(f"{quote_url}/accept?seller=999999").status_code == 404
    assert client.get(f"{quote_url}/accept").status_code == 404
    client.post("/fr-fr/account/sign-out")
    with app.app_context():
        other = make_user(db.session).email
        db.session.commit()
    sign_in(client, other, edition="fr-fr")
    assert client.get(detail_url).status_code == 404
    assert client.get(detail_url + "/label.pdf").status_code == 404
    assert "TI-" not in client.get("/fr-fr/trade-in/mine").text
