"""The recomputation on a real database: cohort maturity, what counts as a failure, the cuts."""
from datetime import date, timedelta

from sqlalchemy import select

from app.quality import rates
from app.quality.models import Cut, QualityRate
from tests.builders import make_listing, make_product, make_seller
from tests.quality.helpers import claim, goodwill_return, sold_units, withdrawal

TODAY = date(2026, 12, 1)


def stored(session, cut, horizon, *, seller_id=0, product_id=0, grade=""):
    return session.scalar(select(QualityRate).where(
        QualityRate.cut == cut, QualityRate.horizon_days == horizon, QualityRate.seller_id == seller_id,
        QualityRate.product_id == product_id, QualityRate.grade == grade))


def test_a_cohort_counts_only_once_its_horizon_has_passed(session):
    listing = make_listing(session)
    sold_units(session, listing, delivered_on=TODAY - timedelta(days=30), count=2)    # 30 days: mature at 30
    sold_units(session, listing, delivered_on=TODAY - timedelta(days=29), count=5)    # not yet
    sold_units(session, listing, delivered_on=TODAY - timedelta(days=100), count=3)   # mature at 30 and 90
    rates.recompute(session, TODAY)
    key = dict(seller_id=listing.seller_id, product_id=listing.variant.product_id, grade="good")
    assert stored(session, Cut.CELL, 30, **key).units == 5
    assert stored(session, Cut.CELL, 90, **key).units == 3
    assert stored(session, Cut.CELL, 365, **key).units == 0
    assert not stored(session, Cut.CELL, 90, **key).is_published


def test_failures_are_confirmed_technical_events_within_the_horizon_returns_apart(session):
    listing = make_listing(session)
    start = TODAY - timedelta(days=400)
    units = sold_units(session, listing, delivered_on=start, count=8)
    claim(session, units[0], on=start + timedelta(days=2), kind="dead_on_arrival", status="replacement")
    claim(session, units[1], on=start + timedelta(days=60), kind="defect", status="refunded")     # within 90
    claim(session, units[2], on=start + timedelta(days=200), kind="defect", status="resolved")    # within 365
    claim(session, units[3], on=start + timedelta(days=5), kind="defect", status="denied")        # not a failure
    claim(session, units[4], on=start + timedelta(days=5), kind="missing_item", status="refunded")  # not technical
    claim(session, units[5], on=start + timedelta(days=3), kind="defect", status="open")          # not confirmed
    goodwill_return(session, units[6], on=start + timedelta(days=10))
    withdrawal(session, units[7], on=start + timedelta(days=5))
    rates.recompute(session, TODAY)
    key = dict(seller_id=listing.seller_id, product_id=listing.variant.product_id, grade="good")
    by_horizon = {h: stored(session, Cut.CELL, h, **key) for h in (30, 90, 365)}
    assert [by_horizon[h].failures for h in (30, 90, 365)] == [1, 2, 3]
    assert [by_horizon[h].returns for h in (30, 90, 365)] == [2, 2, 2]
    assert [by_horizon[h].claims for h in (30, 90, 365)] == [4, 5, 6]
    assert [by_horizon[h].denials for h in (30, 90, 365)] == [1, 1, 1]
    assert by_horizon[365].raw_ppm == 375_000


def test_cuts_add_up_and_a_cell_is_shrunk_toward_its_model_and_grade(session, app):
    product = make_product(session)
    variant = product.variants[0]
    good, bad = make_seller(session), make_seller(session)
    day = TODAY - timedelta(days=120)
    for seller, failed in ((good, 1), (bad, 9)):
        listing = make_listing(session, variant=variant, seller=seller, grade="good")
        units = sold_units(session, listing, delivered_on=day, count=40)
        for unit in units[:failed]:
            claim(session, unit, on=day + timedelta(days=10))
    fair = make_listing(session, variant=variant, seller=good, grade="fair")
    sold_units(session, fair, delivered_on=day, count=10)
    with app.app_context():
        rates.recompute(session, TODAY)

    model_grade = stored(session, Cut.MODEL_GRADE, 90, product_id=product.id, grade="good")
    assert (model_grade.units, model_grade.failures) == (80, 10)
    assert stored(session, Cut.MODEL, 90, product_id=product.id).units == 90
    assert stored(session, Cut.SELLER, 90, seller_id=good.id).units == 50
    assert stored(session, Cut.GRADE, 90, grade="fair").units == 10
    assert stored(session, Cut.PLATFORM, 90).units == 90

    worse = stored(session, Cut.CELL, 90, seller_id=bad.id, product_id=product.id, grade="good")
    better = stored(session, Cut.CELL, 90, seller_id=good.id, product_id=product.id, grade="good")
    # (9 + 50 × parent) / 90: pulled from the raw 22.5 % toward the model × grade figure
    assert worse.rate_ppm == (2 * (9 * 1_000_000 + 50 * model_grade.rate_ppm) + 90) // 180
    assert better.raw_ppm < better.rate_ppm < model_grade.rate_ppm < worse.rate_ppm < worse.raw_ppm
    assert worse.is_published and better.is_published
    # two published peers: the median is the lower one; only the worse seller's interval exceeds it
    assert worse.peer_median_ppm == better.rate_ppm
    assert worse.excess_ppm == worse.high_ppm - better.rate_ppm > 0
    assert not worse.is_reliable
    # the small fair cell is not published and weighs nothing in the ranking
    small = stored(session, Cut.CELL, 90, seller_id=good.id, product_id=product.id, grade="fair")
    assert not small.is_published and small.excess_ppm == 0


def test_minimum_units_and_pseudo_count_come_from_the_config(session, app):
    listing = make_listing(session)
    units = sold_units(session, listing, delivered_on=TODAY - timedelta(days=100), count=10)
    claim(session, units[0], on=TODAY - timedelta(days=95))
    app.config.update(QUALITY_MIN_UNITS=10, QUALITY_PSEUDO_COUNT=0)
    with app.app_context():
        rates.recompute(session, TODAY)
    cell = stored(session, Cut.CELL, 90, seller_id=listing.seller_id, product_id=listing.variant.product_id,
                  grade="good")
    assert cell.is_published and cell.rate_ppm == cell.raw_ppm == 100_000


def test_recomputation_replaces_and_is_due_once_a_day(session):
    listing = make_listing(session)
    sold_units(session, listing, delivered_on=TODAY - timedelta(days=40))
    assert rates.due(session, TODAY)
    rates.recompute(session, TODAY)
    first = session.scalars(select(QualityRate.id)).all()
    assert not rates.due(session, TODAY) and rates.due(session, TODAY + timedelta(days=1))
    rates.recompute(session, TODAY)
    assert len(session.scalars(select(QualityRate.id)).all()) == len(first)


def test_flask_worker_recomputes_once_a_day_and_moves_the_shop_version_once(app, session):
    from app.data_versions import current_versions
    listing = make_listing(session)
    sold_units(session, listing, delivered_on=date.today() - timedelta(days=40), count=3)
    session.commit()
    before = current_versions(session)
    with app.app_context():
        first = app.test_cli_runner().invoke(args=["worker", "--once"])
        second = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert first.exit_code == 0 and "quality:" in first.output and "rate(s) recomputed" in first.output
    assert second.exit_code == 0 and "quality:" not in second.output
    session.expire_all()
    assert current_versions(session)[1] == before[1] + 1
    assert stored(session, Cut.CELL, 30, seller_id=listing.seller_id, product_id=listing.variant.product_id,
                  grade="good").units == 3


def test_the_quality_tables_are_marked_as_shown_on_every_page(app):
    from app.data_versions import ALL, shown_on_pages
    for name in ("quality_rate", "seller_standing", "market_quality"):
        assert shown_on_pages(name) == ALL
    assert shown_on_pages("seller_standing_change") is None
