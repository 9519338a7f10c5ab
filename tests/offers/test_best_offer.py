"""The best-offer rule (DESIGN): cheapest eligible listing for a variant, grade and market; ties to the
better seller. Real database, real session."""
from app.offers.best import Reason, best_by_key, best_offer, price_to_win, rank_key, ranked_offers, reason
from app.sellers.models import SellerStatus
from tests.builders import make_listing, make_product, make_seller, market


def test_the_cheapest_eligible_listing_wins(session):
    variant = make_product(session).variants[0]
    make_listing(session, variant=variant, prices={"FR": 30000})
    cheap = make_listing(session, variant=variant, prices={"FR": 28000})

    best = best_offer(session, market(session, "FR"), variant.id, "good")

    assert best.listing_id == cheap.id
    assert best.amount == 28000
    assert best.currency == "EUR"


def test_a_tie_goes_to_the_better_rated_seller_then_the_longer_warranty_then_faster_dispatch(session):
    variant = make_product(session).variants[0]
    fr = market(session, "FR")
    make_listing(session, variant=variant, seller=make_seller(session, rating=41), prices={"FR": 30000})
    rated = make_listing(session, variant=variant, seller=make_seller(session, rating=48), prices={"FR": 30000})
    assert best_offer(session, fr, variant.id, "good").listing_id == rated.id

    other = make_seller(session, rating=48)
    longer = make_listing(session, variant=variant, seller=other, prices={"FR": 30000}, warranty_months=24)
    assert best_offer(session, fr, variant.id, "good").listing_id == longer.id

    quick = make_seller(session, rating=48, dispatch_days=0)
    faster = make_listing(session, variant=variant, seller=quick, prices={"FR": 30000}, warranty_months=24)
    ranked = ranked_offers(session, fr, variant_ids=[variant.id], grade="good")
    assert [o.listing_id for o in ranked[:3]] == [faster.id, longer.id, rated.id]
    assert reason(ranked) is Reason.DISPATCH
    assert reason(ranked[1:]) is Reason.WARRANTY
    assert reason(ranked[2:]) is Reason.RATING


def test_out_of_stock_paused_suspended_and_unshipped_listings_never_win(session):
    variant = make_product(session).variants[0]
    fr = market(session, "FR")
    make_listing(session, variant=variant, quantity=0, prices={"FR": 10000})
    make_listing(session, variant=variant, is_active=False, prices={"FR": 11000})
    make_listing(session, variant=variant, seller=make_seller(session, status=SellerStatus.SUSPENDED),
                 prices={"FR": 12000})
    make_listing(session, variant=variant, seller=make_seller(session, status=SellerStatus.PENDING),
                 prices={"FR": 13000})
    make_listing(session, variant=variant, seller=make_seller(session, ships_to=("DE",)), prices={"FR": 14000})
    eligible = make_listing(session, variant=variant, prices={"FR": 50000})

    assert best_offer(session, fr, variant.id, "good").listing_id == eligible.id
    assert len(ranked_offers(session, fr, variant_ids=[variant.id])) == 1


def test_a_market_the_listing_has_no_price_in_has_no_offer(session):
    variant = make_product(session).variants[0]
    make_listing(session, variant=variant, prices={"FR": 30000})

    assert best_offer(session, market(session, "DE"), variant.id, "good") is None
    assert best_offer(session, market(session, "GB"), variant.id, "good") is None


def test_a_price_change_or_a_sell_out_moves_the_best_offer_at_once(session):
    variant = make_product(session).variants[0]
    fr = market(session, "FR")
    first = make_listing(session, variant=variant, prices={"FR": 30000})
    second = make_listing(session, variant=variant, prices={"FR": 31000})
    assert best_offer(session, fr, variant.id, "good").listing_id == first.id

    second.prices[0].amount = 29000
    session.flush()
    assert best_offer(session, fr, variant.id, "good").listing_id == second.id

    second.quantity = 0
    session.flush()
    assert best_offer(session, fr, variant.id, "good").listing_id == first.id


def test_best_is_per_grade_and_battery_option(session):
    variant = make_product(session).variants[0]
    fr = market(session, "FR")
    good = make_listing(session, variant=variant, grade="good", prices={"FR": 30000})
    fresh = make_listing(session, variant=variant, grade="good", has_new_battery=True, prices={"FR": 33000})
    fair = make_listing(session, variant=variant, grade="fair", prices={"FR": 25000})

    best = best_by_key(ranked_offers(session, fr, product_id=variant.product_id))

    assert best[(variant.id, "good", False)].listing_id == good.id
    assert best[(variant.id, "good", True)].listing_id == fresh.id
    assert best[(variant.id, "fair", False)].listing_id == fair.id
    assert best_offer(session, fr, variant.id, "good", new_battery=True).listing_id == fresh.id
    assert reason([best[(variant.id, "good", False)]]) is Reason.ONLY


def test_rank_key_orders_offers_exactly_as_the_database_does(session):
    variant = make_product(session).variants[0]
    fr = market(session, "FR")
    for rating, warranty, dispatch, amount in ((41, 12, 1, 30000), (48, 12, 1, 30000), (48, 24, 1, 30000),
                                               (48, 24, 0, 30000), (None, 36, 0, 30000), (30, 6, 3, 29999)):
        seller = make_seller(session, rating=rating, dispatch_days=dispatch)
        make_listing(session, variant=variant, seller=seller, prices={"FR": amount}, warranty_months=warranty)
    ranked = ranked_offers(session, fr, variant_ids=[variant.id])
    assert sorted(ranked, key=rank_key) == ranked


def test_price_to_win_is_the_rivals_price_when_the_tie_breaks_favour_us_else_one_cent_less(session):
    variant = make_product(session).variants[0]
    fr = market(session, "FR")
    rival = make_listing(session, variant=variant, seller=make_seller(session, rating=45), prices={"FR": 30000})
    better = make_listing(session, variant=variant, seller=make_seller(session, rating=48), prices={"FR": 35000})
    worse = make_listing(session, variant=variant, seller=make_seller(session, rating=40), prices={"FR": 36000})
    offers = {o.listing_id: o for o in ranked_offers(session, fr, variant_ids=[variant.id])}

    assert price_to_win(offers[better.id], offers[rival.id]) == 30000
    assert price_to_win(offers[worse.id], offers[rival.id]) == 29999

    # and the prices it names do win
    worse.prices[0].amount = 29999
    session.flush()
    assert best_offer(session, fr, variant.id, "good").listing_id == worse.id
