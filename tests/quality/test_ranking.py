"""Reliability in the best offer: the SQL ordering, its Python mirror and the price that would win."""
import itertools
from datetime import date

from app.offers.best import Reason, best_offer, price_to_win, rank_key, ranked_offers, reason
from app.quality.models import Cut, MarketQuality, QualityRate, SellerStanding
from tests.builders import make_listing, make_product, make_seller, market


def cell(session, listing, *, excess_ppm, reliable=False):
    session.add(QualityRate(cut=Cut.CELL, horizon_days=90, seller_id=listing.seller_id,
                            product_id=listing.variant.product_id, grade=listing.grade, units=100, failures=5,
                            returns=0, claims=5, denials=0, rate_ppm=50_000, low_ppm=20_000, high_ppm=90_000,
                            raw_ppm=50_000, peer_median_ppm=90_000 - excess_ppm, excess_ppm=excess_ppm,
                            is_published=True, is_reliable=reliable, computed_on=date(2026, 12, 1)))
    session.flush()


def standing(session, seller, code, value):
    session.add(SellerStanding(seller_id=seller.id, market_id=market(session, code).id, standing=value,
                               computed_on=date(2026, 12, 1)))
    session.flush()


def test_a_cheaper_offer_with_a_worse_failure_rate_loses_and_the_page_can_say_why(session):
    variant = make_product(session).variants[0]
    fr = market(session, "FR")
    reliable = make_listing(session, variant=variant, prices={"FR": 30000})
    risky = make_listing(session, variant=variant, prices={"FR": 29000})
    cell(session, risky, excess_ppm=100_000)          # 10 points over the median: × 1.10 at λ = 1
    cell(session, reliable, excess_ppm=0, reliable=True)
    ranked = ranked_offers(session, fr, variant_ids=[variant.id])
    assert [o.listing_id for o in ranked] == [reliable.id, risky.id]
    assert reason(ranked) is Reason.RELIABILITY
    assert ranked[0].reliable and not ranked[1].reliable
    # 30000 / 1.10 = 27272.7...: 27272 wins, 27273 would not
    to_win = price_to_win(ranked[1], ranked[0])
    assert to_win == 27272
    risky.prices[0].amount = to_win + 1
    session.flush()
    assert best_offer(session, fr, variant.id, "good").listing_id == reliable.id
    risky.prices[0].amount = to_win
    session.flush()
    assert best_offer(session, fr, variant.id, "good").listing_id == risky.id
    assert reason(ranked_offers(session, fr, variant_ids=[variant.id])) is Reason.PRICE


def test_lambda_is_per_market_and_zero_turns_the_term_off(session):
    variant = make_product(session).variants[0]
    reliable = make_listing(session, variant=variant, prices={"FR": 30000, "BE": 30000})
    risky = make_listing(session, variant=variant, prices={"FR": 29000, "BE": 29000})
    cell(session, risky, excess_ppm=100_000)
    session.add(MarketQuality(market_id=market(session, "BE").id, reliability_weight=0, at_risk_ineligible=False,
                              at_risk_ppm=10_000, review_ppm=20_000, review_min_buyers=5))
    session.flush()
    assert best_offer(session, market(session, "FR"), variant.id, "good").listing_id == reliable.id
    assert best_offer(session, market(session, "BE"), variant.id, "good").listing_id == risky.id


def test_an_at_risk_seller_loses_ties_and_can_be_made_ineligible_per_market(session):
    variant = make_product(session).variants[0]
    fr, be = market(session, "FR"), market(session, "BE")
    at_risk = make_seller(session, rating=49)
    good = make_seller(session, rating=40)
    risky = make_listing(session, variant=variant, seller=at_risk, prices={"FR": 30000, "BE": 25000})
    steady = make_listing(session, variant=variant, seller=good, prices={"FR": 30000, "BE": 30000})
    standing(session, at_risk, "FR", "at_risk")
    standing(session, at_risk, "BE", "at_risk")
    ranked = ranked_offers(session, fr, variant_ids=[variant.id])
    assert [o.listing_id for o in ranked] == [steady.id, risky.id] and reason(ranked) is Reason.STANDING
    assert ranked_offers(session, be, variant_ids=[variant.id])[0].listing_id == risky.id   # cheaper: wins
    session.add(MarketQuality(market_id=be.id, reliability_weight=100, at_risk_ineligible=True,
                              at_risk_ppm=10_000, review_ppm=20_000, review_min_buyers=5))
    session.flush()
    ranked = ranked_offers(session, be, variant_ids=[variant.id])
    assert [o.listing_id for o in ranked] == [steady.id, risky.id] and reason(ranked) is Reason.ELIGIBILITY
    assert ranked[1].ineligible and price_to_win(ranked[1], ranked[0]) is None


def test_rank_key_and_price_to_win_mirror_the_sql_ordering(session):
    variant = make_product(session).variants[0]
    fr = market(session, "FR")
    session.add(MarketQuality(market_id=fr.id, reliability_weight=250, at_risk_ineligible=False,
                              at_risk_ppm=10_000, review_ppm=20_000, review_min_buyers=5))
    listings = []
    combos = itertools.product((29000, 30000, 31500), (0, 20_000, 80_000), (None, "at_risk", "review"), (41, 48))
    for n, (amount, excess, risk, rating) in enumerate(combos):
        if n % 3:                          # a spread of 18 of the 54 combinations
            continue
        seller = make_seller(session, rating=rating, dispatch_days=n % 2)
        listing = make_listing(session, variant=variant, seller=seller, prices={"FR": amount},
                               warranty_months=12 + 12 * (n % 2))
        if excess:
            cell(session, listing, excess_ppm=excess)
        if risk:
            standing(session, seller, "FR", risk)
        listings.append(listing)
    ranked = ranked_offers(session, fr, variant_ids=[variant.id])
    assert len(ranked) == len(listings)
    assert sorted(ranked, key=rank_key) == ranked
    assert len({o.effective for o in ranked}) > 3 and any(o.at_risk for o in ranked)
    # every price it names wins in the database, and one minor unit more does not
    winner = ranked[0]
    for loser in ranked[1:4]:
        to_win = price_to_win(loser, winner)
        listing = next(item for item in listings if item.id == loser.listing_id)
        listing.prices[0].amount = to_win
        session.flush()
        assert best_offer(session, fr, variant.id, "good").listing_id == loser.listing_id
        listing.prices[0].amount = to_win + 1
        session.flush()
        assert best_offer(session, fr, variant.id, "good").listing_id == winner.listing_id
        listing.prices[0].amount = loser.amount
        session.flush()
