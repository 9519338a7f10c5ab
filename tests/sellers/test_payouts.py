"""Payouts: per month of shipment and per currency, sales − commission − refunds, never mixing
currencies; the CSV statement of a month; a fixed number of queries."""
import csv
import io
from datetime import UTC, datetime

import pytest

from tests.builders import make_listing, make_seller, make_user, sign_in
from tests.orders.helpers import make_seller_order

NOV = datetime(2026, 11, 10, 12, tzinfo=UTC)
OCT = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)


@pytest.fixture
def shop(session):
    seller = make_seller(session, name="Mine", ships_to=("FR", "GB"))
    listing = make_listing(session, seller=seller, prices={"FR": 30000, "GB": 25000}, quantity=50)
    staff = make_user(session, seller=seller, language="fr")
    rival = make_listing(session, prices={"FR": 10000})
    session.commit()
    return {"seller": seller, "listing": listing, "staff": staff, "rival": rival}


def test_each_month_and_currency_has_its_own_sales_commission_and_net(session, shop):
    # given: November: two EUR orders and one GBP order shipped, one EUR order cancelled; October: one
    listing = shop["listing"]
    make_seller_order(session, listing, quantity=2, status="shipped", shipped_at=NOV, shipping=990)
    make_seller_order(session, listing, status="shipped", shipped_at=NOV)
    make_seller_order(session, listing, status="shipped", shipped_at=NOV, market_code="GB")
    make_seller_order(session, listing, status="cancelled", cancelled_at=NOV, refund=30000)
    make_seller_order(session, listing, status="shipped", shipped_at=OCT)
    make_seller_order(session, listing, status="to_ship")                            # not shipped: not counted
    make_seller_order(session, shop["rival"], status="shipped", shipped_at=NOV)       # another seller's
    session.commit()

    # when
    from app.sellers import payouts  # imported once the app has wired its packages together
    rows = payouts.monthly(session, shop["seller"])

    # then
    got = [(r.month, r.currency, r.orders, r.sales, r.commission, r.refunds, r.net, r.cancelled, r.cancelled_refunds)
           for r in rows]
    assert got == [
        ("2026-11", "GBP", 1, 25000, 2500, 0, 22500, 0, 0),
        ("2026-11", "EUR", 2, 90990, 9000, 0, 81990, 1, 30000),
        ("2026-10", "EUR", 1, 30000, 3000, 0, 27000, 0, 0),
    ]


def test_the_page_formats_money_for_the_staff_locale_and_the_csv_lists_the_month(client, session, shop):
    listing = shop["listing"]
    shipped = make_seller_order(session, listing, quantity=2, status="shipped", shipped_at=NOV, shipping=990)
    cancelled = make_seller_order(session, listing, status="cancelled", cancelled_at=NOV, refund=30000)
    make_seller_order(session, listing, status="shipped", shipped_at=OCT)
    session.commit()
    sign_in(client, shop["staff"])

    page = client.get("/seller/payouts").text
    statement = client.get("/seller/payouts/2026-11.csv")

    assert "novembre 2026" in page and "609,90\u00a0€" in page and "549,90\u00a0€" in page
    assert statement.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(statement.text)))
    assert list(rows[0]) == ["order", "seller_order", "status", "shipped_on", "cancelled_on", "currency", "goods",
                             "shipping", "sales", "commission", "refund", "net"]
    assert [(r["seller_order"], r["status"], r["sales"], r["commission"], r["refund"], r["net"]) for r in rows] == [
        (str(shipped.id), "shipped", "609.90", "60.00", "0.00", "549.90"),
        (str(cancelled.id), "cancelled", "0.00", "0.00", "300.00", "0.00"),
    ]
    assert client.get("/seller/payouts/2026-13.csv").status_code == 404
    assert client.get("/seller/payouts/nonsense.csv").status_code == 404


def test_payouts_run_the_same_number_of_queries_for_1_or_40_orders(client, session, shop, count_queries):
    sign_in(client, shop["staff"])
    make_seller_order(session, shop["listing"], status="shipped", shipped_at=NOV)
    session.commit()
    client.get("/seller/payouts")
    client.get("/seller/")
    count_queries.n = 0
    client.get("/seller/payouts")
    client.get("/seller/payouts/2026-11.csv")
    client.get("/seller/")
    one = count_queries.n

    for month in (NOV, OCT) * 20:
        make_seller_order(session, shop["listing"], status="shipped", shipped_at=month)
    session.commit()
    count_queries.n = 0
    client.get("/seller/payouts")
    client.get("/seller/payouts/2026-11.csv")
    client.get("/seller/")

    assert count_queries.n == one
