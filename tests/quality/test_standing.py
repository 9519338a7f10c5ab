"""Seller standing: the thresholds, the 90-day defect rate, the log and the e-mail in the seller's language."""
from datetime import date, timedelta

from sqlalchemy import select

from app.mail.models import OutboxMessage
from app.quality import standing
from app.quality.models import MarketQuality, SellerStanding, StandingChange
from tests.builders import make_listing, make_seller, make_user, market
from tests.orders.helpers import make_seller_order
from tests.quality.helpers import claim, sold_units

TODAY = date.today()
RULES = standing.Rules(at_risk_ppm=10_000, review_ppm=20_000, review_min_buyers=5)


def test_thresholds_are_exact():
    assert standing.classify(9_999, 50, RULES) == "good"
    assert standing.classify(10_000, 0, RULES) == "at_risk"
    assert standing.classify(20_000, 50, RULES) == "at_risk"
    assert standing.classify(20_001, 4, RULES) == "at_risk"       # too few distinct buyers to review
    assert standing.classify(20_001, 5, RULES) == "review"


def orders(session, listing, count, *, claimed=0, delivered_on=TODAY - timedelta(days=10)):
    for n in range(count):
        unit, = sold_units(session, listing, delivered_on=delivered_on)
        if n < claimed:
            claim(session, unit, on=delivered_on + timedelta(days=1), status="open")


def state(session, seller, code="FR"):
    return session.get(SellerStanding, (seller.id, market(session, code).id))


def test_standing_follows_the_90_day_defect_rate_and_every_change_is_logged_and_emailed(app, session):
    seller = make_seller(session)
    make_user(session, seller=seller, language="de", email="chef@werkstatt.example")
    listing = make_listing(session, seller=seller)
    orders(session, listing, 18, claimed=1)
    orders(session, listing, 10, claimed=10, delivered_on=TODAY - timedelta(days=91))   # outside the window
    make_seller_order(session, listing, status="cancelled", cancelled_at=TODAY - timedelta(days=3))
    with app.test_request_context():
        changes = standing.recompute(session, TODAY)
    row = state(session, seller)
    assert (row.orders, row.defective, row.buyers) == (19, 2, 2)             # 18 delivered + 1 cancelled
    assert row.standing == "at_risk" and row.defect_ppm == 105_263
    assert [(c.old, c.new) for c in changes] == [("good", "at_risk")]
    assert "2/19 defective orders" in changes[0].reason
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "seller_standing"))
    assert mail.recipient == "chef@werkstatt.example" and mail.language == "de"
    assert "Frankreich" in mail.subject and "gefährdet" in mail.subject
    assert "10,5" in mail.body_text and "2 Ihrer 19 Bestellungen" in mail.body_text

    orders(session, listing, 5, claimed=5)
    with app.test_request_context():
        standing.recompute(session, TODAY)
    assert state(session, seller).standing == "review"
    with app.test_request_context():
        assert standing.recompute(session, TODAY) == []                  # no change, no log, no e-mail
    assert len(session.scalars(select(StandingChange)).all()) == 2


def test_thresholds_are_per_market(app, session):
    seller = make_seller(session)
    listing = make_listing(session, seller=seller, prices={"FR": 30000, "BE": 30000})
    orders(session, listing, 20, claimed=1)
    for n in range(20):
        unit, = sold_units(session, listing, delivered_on=TODAY - timedelta(days=5), market_code="BE")
        if n == 0:
            claim(session, unit, on=TODAY - timedelta(days=4), status="open")
    session.add(MarketQuality(market_id=market(session, "BE").id, reliability_weight=100, at_risk_ineligible=False,
                              at_risk_ppm=60_000, review_ppm=90_000, review_min_buyers=5))
    session.flush()
    with app.test_request_context():
        standing.recompute(session, TODAY)
    assert state(session, seller, "FR").standing == "at_risk"      # 5 % over the default 1 %
    assert state(session, seller, "BE").standing == "good"         # 5 % under Belgium's 6 %
