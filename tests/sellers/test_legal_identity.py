"""The seller's legal identity: kept in its back office (owner edits, staff read, bad input refused),
printed on its invoices and in the buyer's order confirmation with the market's legal mentions."""
from sqlalchemy import select

from app.mail.models import OutboxMessage
from app.sellers.models import Seller
from tests.builders import make_seller, make_user, sign_in
from tests.checkout.helpers import fill_cart, orders, place, stock

IDENTITY = {"legal_name": "Atelier Lyonnais du Réemploi SAS", "street": "12 rue de la Soie", "postcode": "69002",
            "city": "Lyon", "vat_number": "fr 40 303 265 045"}


def test_the_owner_saves_the_legal_identity_normalised(client, session):
    seller = make_seller(session, name="Réemploi Lyon")
    owner = make_user(session, seller=seller)
    session.commit()
    sign_in(client, owner)

    page = client.get("/seller/legal")
    response = client.post("/seller/legal", data=IDENTITY)

    assert page.status_code == 200 and 'name="legal_name"' in page.text and 'value="Réemploi Lyon"' in page.text
    assert response.status_code == 303 and response.location.endswith("/seller/legal")
    session.expire_all()
    saved = session.get(Seller, seller.id)
    assert (saved.legal_name, saved.street, saved.postcode, saved.vat_number) == (
        "Atelier Lyonnais du Réemploi SAS", "12 rue de la Soie", "69002", "FR40303265045")


def test_a_bad_vat_number_or_postcode_is_refused_beside_its_field_in_the_owners_language(client, session):
    seller = make_seller(session, country="DE")
    owner = make_user(session, seller=seller, language="de")
    session.commit()
    sign_in(client, owner, edition="de-de")

    response = client.post("/seller/legal", data=dict(IDENTITY, vat_number="FR40303265045", postcode="123", city=""))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Beispiel: DE136695976" in page and "Diese Postleitzahl ist ungültig. Beispiel: 10115" in page
    assert 'id="city-error"' in page
    session.expire_all()
    assert session.get(Seller, seller.id).legal_name is None


def test_staff_read_the_legal_identity_and_only_the_owner_changes_it(client, session):
    seller = make_seller(session)
    seller.legal_name, seller.street, seller.postcode, seller.vat_number = "Atelier SAS", "1 quai", "69001", "FR40303265045"
    helper = make_user(session, seller=seller, owner=False)
    session.commit()
    sign_in(client, helper)

    page = client.get("/seller/legal").get_data(as_text=True)
    refused = client.post("/seller/legal", data=IDENTITY)

    assert "Atelier SAS" in page and "1 quai, 69001 Lyon, France" in page and 'name="legal_name"' not in page
    assert refused.status_code == 403
    session.expire_all()
    assert session.get(Seller, seller.id).legal_name == "Atelier SAS"


def _legal_seller(session, **listing):
    found = stock(session, **listing)
    seller = found.seller
    seller.name = "Réemploi Lyon"
    for name, value in dict(IDENTITY, vat_number="FR40303265045").items():
        setattr(seller, name, value)
    session.commit()
    return found


def test_the_invoice_names_the_seller_by_its_registered_name_address_and_vat_number(client, session):
    listing = _legal_seller(session, vat_scheme="standard")
    place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id))
    order, = orders(session)
    seller_order, = order.seller_orders

    pdf = client.get(f"/fr-fr/orders/{order.number}/invoice/{seller_order.id}.pdf?token={order.access_token}").data

    for text in ("Atelier Lyonnais du R", "Nom commercial : R", "12 rue de la Soie", "69002 Lyon, France",
                 "FR40303265045", "TVA"):
        assert text.encode("latin-1", "replace") in pdf or text.encode() in pdf, text


def test_the_confirmation_email_gives_the_vat_the_seller_the_guarantee_and_the_withdrawal_form(client, session):
    listing = _legal_seller(session, amount=30000, vat_scheme="standard")
    place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id))
    order, = orders(session)

    mail, = session.scalars(select(OutboxMessage))

    for body in (mail.body_text, mail.body_html.replace("&#39;", "'")):
        body = body.replace("\u202f", " ")          # French typography: a narrow space before the colon
        assert "dont TVA : 50,00\u00a0€" in body
        assert "Vendu par Atelier Lyonnais du Réemploi SAS, vendeur professionnel" in body
        assert "12 rue de la Soie" in body and "69002 Lyon, France" in body and "FR40303265045" in body
        assert "garantie légale de conformité couvre vos articles pendant 24 mois" in body
        assert "Droit de rétractation" in body and "dans un délai de 14 jours" in body
        assert "Formulaire de rétractation" in body and "(*) Rayez la mention inutile." in body
        assert "À l'attention de Atelier Lyonnais du Réemploi SAS" in body
        assert f"/fr-fr/orders/{order.number}/withdraw?token={order.access_token}" in body.replace("&amp;", "&")


def test_a_margin_scheme_order_gets_the_mention_instead_of_a_vat_amount(client, session):
    listing = _legal_seller(session, vat_scheme="margin")
    place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id))

    mail, = session.scalars(select(OutboxMessage))

    assert "dont TVA" not in mail.body_text
    assert "Régime particulier – biens d'occasion. TVA non apparente." in mail.body_text


def test_a_us_confirmation_has_no_eu_mentions(client, session):
    listing = stock(session, amount=40000, market="US", vat_scheme="standard")
    place(client, "en-us", fill_cart(client, "en-us", listing.id))

    mail, = session.scalars(select(OutboxMessage))

    assert "Sales tax" in mail.body_text and "a professional seller" in mail.body_text
    for eu_only in ("VAT", "Margin scheme", "withdraw", "Model withdrawal form", "legal guarantee"):
        assert eu_only not in mail.body_text and eu_only not in mail.body_html, eu_only
