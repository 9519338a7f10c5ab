"""The order page in the market's own terms: its time zone, and no EU-only mention on a US order."""
from datetime import UTC, datetime

from app.orders.models import SellerOrderEvent
from tests.checkout.helpers import stock
from tests.orders.helpers import make_seller_order

MENTION_FR = "Régime particulier – biens d'occasion"
MENTION_EN = "Margin scheme"


def order_page(client, session, market: str, edition: str) -> str:
    listing = stock(session, market=market)
    seller_order = make_seller_order(session, listing, market_code=market)     # a margin-scheme line
    order = seller_order.order
    order.created_at = datetime(2026, 7, 1, 10, 30, tzinfo=UTC)
    seller_order.events[:] = [SellerOrderEvent(status="to_ship", created_at=datetime(2026, 7, 1, 23, 15, tzinfo=UTC))]
    session.commit()
    response = client.get(f"/{edition}/orders/{order.number}?token={order.access_token}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_french_order_shows_paris_time_and_the_margin_scheme_mention(client, session):
    html = order_page(client, session, "FR", "fr-fr")

    assert "1 juil. 2026, 12:30:00" in html           # 10:30 UTC is 12:30 in Paris in summer
    assert "02/07/2026 01:15" in html                 # and 23:15 UTC is already the next day there
    assert "10:30" not in html
    assert MENTION_FR in html


def test_an_american_order_shows_new_york_time_and_no_vat_mention(client, session):
    html = order_page(client, session, "US", "en-us")

    assert "Jul 1, 2026, 6:30:00\u202fAM" in html     # New York, four hours behind UTC in summer
    assert "7/1/26, 7:15\u202fPM" in html
    assert MENTION_EN not in html and "VAT" not in html


def test_the_us_footer_claims_no_legal_guarantee_period(client, session):
    stock(session, market="US")
    american = client.get("/en-us/").get_data(as_text=True)
    british = client.get("/en-gb/").get_data(as_text=True)

    assert "Legal guarantee of conformity" not in american and "0 months" not in american
    assert "Legal guarantee of conformity: 12 months." in british
