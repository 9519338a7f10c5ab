"""Kept price history and the EU Omnibus rule: a reduction is only shown against the lowest price of
the 30 days before it."""
from datetime import timedelta

from sqlalchemy import insert, select, update

from app.models_base import utcnow
from app.offers.history import open_missing_periods, reductions
from app.offers.models import ListingPrice, ListingPricePeriod
from tests.builders import make_listing


def periods(session, price_id):
    return session.execute(select(ListingPricePeriod.amount, ListingPricePeriod.ended_at)
                           .where(ListingPricePeriod.listing_price_id == price_id)
                           .order_by(ListingPricePeriod.id)).all()


def backdate(session, price_id, rows):
    """Replace a price's history with (amount, days ago started, days ago ended or None)."""
    now = utcnow()
    session.execute(ListingPricePeriod.__table__.delete().where(ListingPricePeriod.listing_price_id == price_id))
    session.execute(insert(ListingPricePeriod), [
        {"listing_price_id": price_id, "amount": amount, "started_at": now - timedelta(days=start),
         "ended_at": None if end is None else now - timedelta(days=end)} for amount, start, end in rows])
    session.execute(update(ListingPrice).where(ListingPrice.id == price_id).values(amount=rows[-1][0]))


def test_creating_and_changing_a_price_keeps_its_history(session):
    price = make_listing(session, prices={"FR": 30000}).prices[0]
    assert [p.amount for p in periods(session, price.id)] == [30000]

    price.amount = 27000
    session.flush()
    price.amount = 27000       # not a change
    session.flush()

    rows = periods(session, price.id)
    assert [r.amount for r in rows] == [30000, 27000]
    assert rows[0].ended_at is not None and rows[1].ended_at is None


def test_a_cut_is_announced_against_the_lowest_price_of_the_30_days_before(session):
    price = make_listing(session, prices={"FR": 30000}).prices[0]
    backdate(session, price.id, [(32000, 60, 20), (30000, 20, 5), (27000, 5, None)])

    cut = reductions(session, [price.id])[price.id]

    assert (cut.reference, cut.amount, cut.percent) == (30000, 27000, 10)


def test_no_cut_is_announced_when_the_price_was_lower_within_the_30_days(session):
    price = make_listing(session, prices={"FR": 30000}).prices[0]
    # 26,000 ten days ago, raised to 33,000, then "cut" to 28,000: not a reduction under Omnibus.
    backdate(session, price.id, [(30000, 50, 12), (26000, 12, 8), (33000, 8, 3), (28000, 3, None)])

    assert reductions(session, [price.id]) == {}


def test_no_cut_without_history_for_a_new_price_or_an_old_cut(session):
    fresh = make_listing(session, prices={"FR": 30000}).prices[0]
    old = make_listing(session, prices={"FR": 30000}).prices[0]
    backdate(session, old.id, [(40000, 90, 45), (30000, 45, None)])   # cut 45 days ago: no longer news

    assert reductions(session, [fresh.id, old.id]) == {}


def test_prices_inserted_in_bulk_get_their_first_period(session):
    price = make_listing(session, prices={"FR": 30000}).prices[0]
    session.execute(ListingPricePeriod.__table__.delete())

    assert open_missing_periods(session) == 1
    assert open_missing_periods(session) == 0
    assert [p.amount for p in periods(session, price.id)] == [30000]
