"""The cart: kept by cookie per market, htmx badge, prices and stock re-checked with explanations."""
from datetime import timedelta

from sqlalchemy import update

from app.checkout.placing import commission_rates, expire_abandoned
from app.offers.models import Listing, ListingPrice
from app.orders.models import CommissionRate, OrderStatus
from app.sellers.models import Seller, SellerStatus
from tests.builders import make_category, make_listing, make_markets, make_product, make_seller, market
from tests.checkout.helpers import fill_cart, orders, place, stock
from tests.conftest import HX


def test_add_with_htmx_answers_a_confirmation_and_the_new_badge(client, session):
    listing = stock(session, quantity=3)

    response = client.post("/fr-fr/cart/add", data={"listing_id": listing.id}, headers=HX)
    html = response.get_data(as_text=True)

    assert response.status_code == 200 and "<html" not in html
    assert 'hx-swap-oob="innerHTML:#cart-badge"' in html and '<span class="count">1</span>' in html
    assert "cart=" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert '<span class="count">1</span>' in client.get("/fr-fr/").get_data(as_text=True)


def test_a_cart_belongs_to_one_market(client, session):
    listing = stock(session, quantity=3)
    client.post("/fr-fr/cart/add", data={"listing_id": listing.id})

    assert "cart-line" in client.get("/fr-fr/cart/").get_data(as_text=True)
    assert "cart-line" not in client.get("/de-de/cart/").get_data(as_text=True)
    refused = client.post("/de-de/cart/add", data={"listing_id": listing.id}, headers=HX)
    assert refused.status_code == 409          # the seller does not ship to Germany


def test_more_than_the_stock_is_refused_with_a_message(client, session):
    listing = stock(session, quantity=2)

    response = client.post("/fr-fr/cart/add", data={"listing_id": listing.id, "quantity": 3}, headers=HX)

    assert response.status_code == 409 and "stock" in response.get_data(as_text=True)


def test_price_and_stock_changes_are_explained_then_applied(client, session):
    listing = stock(session, quantity=5, amount=30000)
    client.post("/fr-fr/cart/add", data={"listing_id": listing.id, "quantity": 4})
    session.execute(update(ListingPrice).where(ListingPrice.listing_id == listing.id).values(amount=27000))
    session.execute(update(Listing).where(Listing.id == listing.id).values(quantity=2))
    session.commit()

    first = client.get("/fr-fr/cart/").get_data(as_text=True)
    second = client.get("/fr-fr/cart/").get_data(as_text=True)

    assert "300,00" in first and "270,00" in first and "notice" in first
    assert 'class="notice"' not in second and "540,00" in second        # 2 × 270 €, told once


def test_a_suspended_sellers_line_is_removed_with_a_notice(client, session):
    listing = stock(session, quantity=5)
    client.post("/fr-fr/cart/add", data={"listing_id": listing.id})
    session.execute(update(Seller).values(status=SellerStatus.SUSPENDED))
    session.commit()

    html = client.get("/fr-fr/cart/").get_data(as_text=True)

    assert 'class="notice"' in html and "cart-line" not in html


def test_quantity_and_removal_through_htmx(client, session):
    listing = stock(session, quantity=5)
    client.post("/fr-fr/cart/add", data={"listing_id": listing.id})
    line_id = client.get("/fr-fr/cart/").get_data(as_text=True).split("/cart/lines/", 1)[1].split('"', 1)[0]

    swap = HX | {"HX-Target": "div#cart-body"}
    changed = client.post(f"/fr-fr/cart/lines/{line_id}", data={"quantity": 3}, headers=swap).get_data(as_text=True)
    too_many = client.post(f"/fr-fr/cart/lines/{line_id}", data={"quantity": 99}, headers=swap)
    removed = client.post(f"/fr-fr/cart/lines/{line_id}/remove", headers=swap).get_data(as_text=True)

    assert "900,00" in changed and '<span class="count">3</span>' in changed and "<html" not in changed
    assert too_many.status_code == 409
    assert "cart-line" not in removed


def test_commission_is_the_most_specific_configured_rate(app, session):
    parent = make_category(session, key="phones-root")
    child = make_category(session, key="phones-child", parent=parent)
    fr, de = market(session, "FR"), market(session, "DE")
    session.add_all([CommissionRate(category_id=parent.id, market_id=None, rate_bp=800),
                     CommissionRate(category_id=child.id, market_id=de.id, rate_bp=1200)])
    session.flush()

    with app.app_context():
        assert commission_rates(session, fr, [child]) == {child.id: 800}
        assert commission_rates(session, de, [child]) == {child.id: 1200}
        assert commission_rates(session, fr, [make_category(session, key="other")]) != {}


def test_an_abandoned_payment_gives_the_stock_back(app, client, session):
    listing = stock(session, quantity=2)
    place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id),
          card={"card_number": "4000000000003220", "card_expiry": "12/39", "card_cvc": "123"})
    session.expire_all()
    assert session.get(Listing, listing.id).quantity == 1

    with app.test_request_context():
        order, = orders(session)
        assert expire_abandoned(session, now=order.hold_until - timedelta(minutes=1)) == 0
        assert expire_abandoned(session, now=order.hold_until + timedelta(minutes=1)) == 1
        session.commit()

    order, = orders(session)
    assert order.status == OrderStatus.ABANDONED and session.get(Listing, listing.id).quantity == 2



def cart_of(client, session, lines: int):
    """A visitor's cart (client cookie) in France holding `lines` different listings; returns one more listing."""
    make_markets(session)
    sellers = [make_seller(session, ships_to=("FR",)) for _ in range(2)]
    listings = [make_listing(session, variant=make_product(session).variants[0], seller=sellers[n % 2],
                             prices={"FR": 20000 + n * 100}) for n in range(lines + 1)]
    session.commit()
    for listing in listings[:lines]:
        assert client.post("/fr-fr/cart/add", data={"listing_id": listing.id}, headers=HX).status_code == 200
    return listings[-1]


def queries_of(count_queries, request):
    n, response = count_queries.of(request)
    assert response.status_code == 200
    return n, response.get_data(as_text=True)


def test_cart_page_runs_as_many_queries_with_many_lines(app, session, count_queries):
    # given: a cart of one line and a cart of seven, in two browsers
    one, seven = app.test_client(), app.test_client()
    cart_of(one, session, 1)
    cart_of(seven, session, 7)

    # when
    few, _ = queries_of(count_queries, lambda: one.get("/fr-fr/cart/"))
    many, html = queries_of(count_queries, lambda: seven.get("/fr-fr/cart/"))

    # then
    assert html.count('<li class="cart-line">') == 7
    assert many == few


def test_add_to_cart_runs_as_many_queries_with_many_lines(app, session, count_queries):
    # given: a cart of one line and a cart of seven, in two browsers
    one, seven = app.test_client(), app.test_client()
    spare_one = cart_of(one, session, 1)
    spare_seven = cart_of(seven, session, 7)

    # when: each adds one listing more (the warm-up adds it once, the measured request once again)
    few, _ = queries_of(count_queries, lambda: one.post("/fr-fr/cart/add", data={"listing_id": spare_one.id},
                                                        headers=HX))
    many, html = queries_of(count_queries, lambda: seven.post("/fr-fr/cart/add",
                                                              data={"listing_id": spare_seven.id}, headers=HX))

    # then
    assert '<span class="count">9</span>' in html
    assert many == few
