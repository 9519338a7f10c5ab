"""Questionnaire, bid grids and quotes, on the real database."""
from datetime import timedelta

import pytest

from app.models_base import utcnow
from app.tradein import bids, questionnaire, quotes
from app.tradein.errors import BidError, DeviceLocked, NoBids, NotOffered, QuoteExpired, UnknownDevice
from app.tradein.models import Condition, TradeInBid
from app.tradein.questionnaire import IncompleteAnswers
from tests.builders import make_seller, market
from tests.tradein.helpers import ALL_GOOD, make_bidder, make_inspected, make_phone


@pytest.mark.parametrize("answers, condition", [
    ({"powers_on": "yes", "screen": "flawless", "body": "flawless", "battery": "high", "signed_out": "yes"},
     Condition.EXCELLENT),
    (ALL_GOOD, Condition.GOOD),
    (ALL_GOOD | {"battery": "low"}, Condition.FAIR),
    (ALL_GOOD | {"screen": "cracked"}, Condition.DAMAGED),
    ({"powers_on": "no", "signed_out": "yes"}, Condition.BROKEN),
])
def test_answers_give_the_worst_condition_they_state(answers, condition):
    assert questionnaire.grade("phone", answers)[0] == condition


def test_a_device_that_does_not_switch_on_keeps_only_the_answers_that_matter():
    condition, kept = questionnaire.grade("phone", {"powers_on": "no", "screen": "flawless", "signed_out": "yes"})
    assert (condition, kept) == (Condition.BROKEN, {"powers_on": "no", "signed_out": "yes"})


def test_missing_or_unknown_answers_are_named():
    with pytest.raises(IncompleteAnswers) as caught:
        questionnaire.grade("phone", ALL_GOOD | {"screen": "shattered", "battery": ""})
    assert caught.value.missing == ["screen", "battery"]


def test_a_device_that_stays_locked_to_its_account_gets_no_condition():
    with pytest.raises(DeviceLocked):
        questionnaire.grade("phone", ALL_GOOD | {"signed_out": "no"})


def test_consoles_have_their_own_shorter_questionnaire():
    assert [q.key for q in questionnaire.questions_for("console")] == ["powers_on", "body", "signed_out"]
    assert questionnaire.grade("console", {"powers_on": "yes", "body": "worn", "signed_out": "yes"})[0] == "fair"


def test_best_bid_is_the_highest_and_ties_go_to_the_lower_counter_offer_rate(session, request_ctx):
    # given: three sellers; B and C bid the same, C counter-offers less often than B
    variant = make_phone(session).variants[0]
    a = make_bidder(session, variant, {("good", "FR"): 18000}, name="A")
    b = make_bidder(session, variant, {("good", "FR"): 21000}, name="B")
    c = make_bidder(session, variant, {("good", "FR"): 21000}, name="C")
    fr = market(session, "FR")
    first = quotes.create_quote(session, fr, variant, ALL_GOOD)
    make_inspected(session, b, first, countered=True, count=3)
    make_inspected(session, b, first, countered=False, count=3)
    make_inspected(session, c, first, countered=False, count=6)

    # when
    quote = quotes.create_quote(session, fr, variant, ALL_GOOD)

    # then
    assert [(o.seller_id, o.amount, o.rank) for o in quote.offers] == [(c.id, 21000, 0), (b.id, 21000, 1),
                                                                         (a.id, 18000, 2)]
    assert quote.best.seller_id == c.id and quote.currency == "EUR" and quote.condition == "good"
    assert bids.counter_offer_rates(session, [b.id, c.id, a.id])[b.id].basis_points == 5000
    assert bids.counter_offer_rates(session, [a.id])[a.id].basis_points is None     # nothing inspected yet


def test_quote_is_valid_fourteen_days_and_keeps_its_prices(session):
    variant = make_phone(session).variants[0]
    seller = make_bidder(session, variant, {("good", "FR"): 20000})
    now = utcnow()
    quote = quotes.create_quote(session, market(session, "FR"), variant, ALL_GOOD, now=now)

    bids.set_bid(session, seller, variant, "good", market(session, "FR"), 5000)     # the grid changes later

    assert quote.expires_at == now + timedelta(days=14)
    assert quote.best.amount == 20000
    assert quotes.require_current(quote, now + timedelta(days=13, hours=23)) is quote
    with pytest.raises(QuoteExpired):
        quotes.require_current(quote, now + timedelta(days=14))


def test_only_approved_opted_in_sellers_serving_the_market_are_quoted(session):
    variant = make_phone(session).variants[0]
    make_bidder(session, variant, {("good", "GB"): 15000}, ships_to=("GB",))
    paused = make_bidder(session, variant, {("good", "FR"): 30000})
    bids.save_profile(session, paused, is_active=False, payout_days=2)
    suspended = make_bidder(session, variant, {("good", "FR"): 40000})
    suspended.status = "suspended"
    kept = make_bidder(session, variant, {("good", "FR"): 10000})
    session.flush()

    quote = quotes.create_quote(session, market(session, "FR"), variant, ALL_GOOD)
    assert [o.seller_id for o in quote.offers] == [kept.id]
    gb = quotes.create_quote(session, market(session, "GB"), variant, ALL_GOOD)
    assert gb.currency == "GBP" and gb.best.amount == 15000


def test_no_bid_in_that_condition_saves_no_quote(session):
    variant = make_phone(session).variants[0]
    make_bidder(session, variant, {("excellent", "FR"): 20000})
    with pytest.raises(NoBids):
        quotes.create_quote(session, market(session, "FR"), variant, ALL_GOOD)
    assert session.query(quotes.TradeInQuote).count() == 0


def test_a_market_can_stop_offering_trade_in(session):
    variant = make_phone(session).variants[0]
    make_bidder(session, variant, {("good", "DE"): 20000})
    de = market(session, "DE")
    assert bids.market_terms(session, de) == bids.MarketTerms(True, 1000)       # default: offered, +10 %
    bids.set_market_terms(session, de, is_offered=False, voucher_bonus_bp=1500)
    with pytest.raises(NotOffered):
        quotes.create_quote(session, de, variant, ALL_GOOD)


def test_bids_are_in_the_market_currency_and_only_where_the_seller_serves(session):
    variant = make_phone(session).variants[0]
    seller = make_seller(session, ships_to=("FR", "GB"))
    bid = bids.set_bid(session, seller, variant, "fair", market(session, "GB"), 9900)
    assert bid.currency == "GBP"
    with pytest.raises(BidError):
        bids.set_bid(session, seller, variant, "fair", market(session, "US"), 9900)
    with pytest.raises(BidError):
        bids.set_bid(session, seller, variant, "mint", market(session, "FR"), 9900)
    bids.set_bid(session, seller, variant, "fair", market(session, "GB"), None)
    assert session.query(TradeInBid).count() == 0


def test_pickers_list_only_what_has_bids(session):
    phone = make_phone(session, names={"en": "Phone One"})
    make_phone(session, names={"en": "Phone Without Bids"})
    make_bidder(session, phone.variants[1], {("good", "FR"): 20000})
    fr = market(session, "FR")

    categories = quotes.list_categories(session, fr, ("en",))
    assert [c.key for c in categories] == [phone.category.key]
    assert [m.name for m in quotes.list_models(session, fr, phone.category, ("en",))] == ["Phone One"]
    assert quotes.list_configurations(session, fr, phone) == [phone.variants[1]]
    with pytest.raises(UnknownDevice):
        quotes.find_configuration(session, fr, phone, phone.variants[0].sku)
    with pytest.raises(UnknownDevice):
        quotes.find_model(session, phone.category, "no-such-model")
