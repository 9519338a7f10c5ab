"""Bid grid CSV files: export, import, and a wrong file that changes nothing."""
from sqlalchemy import select

from app.tradein import bid_csv, bids
from app.tradein.models import TradeInBid
from tests.builders import make_seller, market
from tests.tradein.helpers import make_phone


def test_export_then_import_round_trips_and_empty_cells_remove_bids(session):
    # given
    phone = make_phone(session)
    seller = make_seller(session, ships_to=("FR", "GB"))
    bids.set_bid(session, seller, phone.variants[0], "good", market(session, "FR"), 20050)
    bids.set_bid(session, seller, phone.variants[0], "good", market(session, "GB"), 17000)
    exported = bid_csv.export_csv(session, seller)
    assert exported.splitlines() == ["sku,condition,bid_fr,bid_gb", f"{phone.variants[0].sku},good,200.50,170.00"]

    # when: the GB bid is cleared, a new line added
    data = (f"sku,condition,bid_fr,bid_gb\n{phone.variants[0].sku},good,210,\n"
            f"{phone.variants[1].sku},BROKEN,15.5,12\n").encode()
    result = bid_csv.import_csv(session, seller, data)

    # then
    assert result.ok and (result.created, result.updated) == (2, 2)
    rows = {(b.variant_id, b.condition, b.currency): b.amount for b in session.scalars(select(TradeInBid))}
    assert rows == {(phone.variants[0].id, "good", "EUR"): 21000, (phone.variants[1].id, "broken", "EUR"): 1550,
                    (phone.variants[1].id, "broken", "GBP"): 1200}


def test_a_file_with_one_bad_line_applies_nothing(session):
    phone = make_phone(session)
    seller = make_seller(session, ships_to=("FR",))
    data = (f"sku,condition,bid_fr\n{phone.variants[0].sku},good,210\nnope,good,10\n"
            f"{phone.variants[0].sku},mint,-3\n{phone.variants[0].sku},good,99\n").encode()

    result = bid_csv.import_csv(session, seller, data)

    assert not result.ok
    assert [e.line for e in result.errors] == [3, 4, 5]
    assert "nope" in result.errors[0].message and "negative" in result.errors[1].message
    assert session.scalar(select(TradeInBid.id)) is None


def test_wrong_columns_and_encoding_are_reported_on_line_one(session):
    seller = make_seller(session, ships_to=("FR",))
    assert "bid_fr" in bid_csv.import_csv(session, seller, b"sku,condition\n").errors[0].message
    assert bid_csv.import_csv(session, seller, b"sku,condition,bid_fr\n\xff,good,1\n").errors[0].line == 2
    assert not bid_csv.import_csv(session, seller, b"").ok
