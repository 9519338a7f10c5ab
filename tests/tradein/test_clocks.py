"""The ship-by clock: `flask worker` expires a trade-in whose device was not shipped in 14 days."""
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.models_base import utcnow
from app.tradein import quotes
from app.tradein.clocks import expire_unshipped
from app.tradein.models import TradeIn
from tests.builders import make_user, market
from tests.tradein.helpers import ALL_GOOD, make_bidder, make_phone, make_trade_in


def test_an_unshipped_trade_in_expires_once_with_an_email(session, request_ctx):
    variant = make_phone(session).variants[0]
    make_bidder(session, variant, {("good", "DE"): 20000})
    quote = quotes.create_quote(session, market(session, "DE"), variant, ALL_GOOD)
    trade_in = make_trade_in(session, quote, user=make_user(session, language="de"), language="de")

    assert expire_unshipped(session, now=utcnow() + timedelta(days=13)) == 0
    assert expire_unshipped(session, now=utcnow() + timedelta(days=14, minutes=1)) == 1
    assert expire_unshipped(session, now=utcnow() + timedelta(days=15)) == 0

    session.refresh(trade_in)
    assert trade_in.status == "expired"
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "tradein_expired"))
    assert mail.language == "de" and trade_in.reference in mail.subject


def test_the_worker_runs_the_clock(app):
    with app.test_request_context():
        variant = make_phone(db.session).variants[0]
        make_bidder(db.session, variant, {("good", "FR"): 20000})
        quote = quotes.create_quote(db.session, market(db.session, "FR"), variant, ALL_GOOD)
        trade_in = make_trade_in(db.session, quote)
        trade_in.ship_by = utcnow() - timedelta(minutes=1)
        db.session.commit()

    with app.app_context():        # as `flask worker` runs it: in the app's context
        result = app.test_cli_runner().invoke(args=["worker", "--once"])

    assert result.exit_code == 0 and "expired 1 unshipped trade-in(s)" in result.output
    with app.app_context():
        assert db.session.scalar(select(TradeIn.status)) == "expired"
