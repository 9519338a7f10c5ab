"""The order summary beside every checkout step, the htmx refresh of its total, the VAT on the review step."""
from app.cart.models import Cart
from tests.checkout.helpers import ADDRESSES, stock

HTMX_SUMMARY = {"HX-Request": "true", "HX-Target": "div#checkout-summary"}


def _summary(html: str) -> str:
    return html.split('id="checkout-summary"', 1)[1].split("</details>", 1)[0]


def test_the_address_and_delivery_steps_show_the_order_summary_without_the_category_bar(client, session):
    listing = stock(session, amount=30000, vat_scheme="standard")
    client.post("/fr-fr/cart/add", data={"listing_id": listing.id, "quantity": 2})

    address = client.get("/fr-fr/checkout/address").get_data(as_text=True)
    client.post("/fr-fr/checkout/address", data=ADDRESSES["fr-fr"])
    delivery = client.get("/fr-fr/checkout/delivery").get_data(as_text=True)

    for page in (address, delivery):
        summary = _summary(page)
        assert "Récapitulatif de la commande" in summary and "600,00\u00a0€" in summary
        assert "dont TVA" in summary and "100,00\u00a0€" in summary     # 20 % included in 600 €
        assert 'class="category-nav"' not in page


def test_a_bad_address_keeps_the_summary_beside_the_errors(client, session):
    listing = stock(session, amount=30000)
    client.post("/fr-fr/cart/add", data={"listing_id": listing.id})

    response = client.post("/fr-fr/checkout/address", data=dict(ADDRESSES["fr-fr"], postcode="7500"))

    assert response.status_code == 422
    assert "300,00\u00a0€" in _summary(response.get_data(as_text=True))


def test_choosing_express_with_htmx_saves_it_and_answers_the_summary_alone(client, session):
    listing = stock(session, quantity=2, amount=40000, market="US")
    client.post("/en-us/cart/add", data={"listing_id": listing.id})
    client.post("/en-us/checkout/address", data=ADDRESSES["en-us"])

    response = client.post("/en-us/checkout/delivery", data={f"delivery-{listing.seller_id}": "express"},
                           headers=HTMX_SUMMARY)

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<details class="checkout-summary"')
    assert "$14.99" in html and "$16.00" in html and "$430.99" in html and "<html" not in html
    session.expire_all()
    assert session.query(Cart).one().delivery == {str(listing.seller_id): "express"}
    # Without htmx the same post goes on to the review step, as before.
    plain = client.post("/en-us/checkout/delivery", data={f"delivery-{listing.seller_id}": "standard"})
    assert plain.status_code == 303 and plain.location.endswith("/en-us/checkout/review")


def test_the_review_step_shows_the_vat_included_or_the_margin_scheme_mention(client, session):
    standard = stock(session, amount=30000, vat_scheme="standard")
    client.post("/fr-fr/cart/add", data={"listing_id": standard.id})
    client.post("/fr-fr/checkout/address", data=ADDRESSES["fr-fr"])

    review = client.get("/fr-fr/checkout/review").get_data(as_text=True)

    assert "dont TVA" in review and "50,00\u00a0€" in review
    assert "TVA non apparente" not in review


def test_the_review_step_under_the_margin_scheme_says_the_vat_is_not_shown(client, session):
    margin = stock(session, amount=30000, vat_scheme="margin")
    client.post("/fr-fr/cart/add", data={"listing_id": margin.id})
    client.post("/fr-fr/checkout/address", data=ADDRESSES["fr-fr"])

    review = client.get("/fr-fr/checkout/review").get_data(as_text=True)

    assert "dont TVA" not in review
    assert "Régime particulier – biens d'occasion. TVA non apparente." in review.replace("&#39;", "'")


def test_us_review_shows_no_vat(client, session):
    listing = stock(session, amount=40000, market="US", vat_scheme="standard")
    client.post("/en-us/cart/add", data={"listing_id": listing.id})
    client.post("/en-us/checkout/address", data=ADDRESSES["en-us"])

    review = client.get("/en-us/checkout/review").get_data(as_text=True)

    assert "Including VAT" not in review and "Margin scheme" not in review
