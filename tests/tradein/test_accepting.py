"""Accepting a quote: bank details checked and sealed, one trade-in per quote, a 14-day ship clock."""
from datetime import timedelta

import pytest

from app.mail.models import OutboxMessage
from app.models_base import utcnow
from app.tradein import bank, quotes
from app.tradein.accepting import accept_quote
from app.tradein.errors import AlreadyAccepted, QuoteExpired, UnknownOffer
from app.tradein.models import TradeIn
from tests.builders import make_user, market
from tests.tradein.helpers import ALL_GOOD, identity, make_bidder, make_phone


@pytest.mark.parametrize("currency, fields", [
    ("EUR", {"iban": "FR76 3000 6000 0112 3456 7890 189"}),
    ("EUR", {"iban": "de89370400440532013000"}),
    ("GBP", {"sort_code": "12-34-56", "account": "12345678"}),
    ("USD", {"routing": "021000021", "account": "000123456789"}),
])
def test_valid_bank_details_are_accepted(app, currency, fields):
    account = bank.parse(currency, fields)
    with app.app_context():
        assert bank.unseal(bank.seal(account)) == account
        assert bank.seal(account) != bank.seal(account)            # a fresh IV each time: nothing to compare
    assert len(account.last_digits) == 4


@pytest.mark.parametrize("currency, fields, field", [
    ("EUR", {"iban": "FR76 3000 6000 0112 3456 7890 188"}, "iban"),    # one digit off: the check fails
    ("EUR", {"iban": "FR76 3000 6000 0112 3456 7890"}, "iban"),        # too short for France
    ("EUR", {"iban": ""}, "iban"),
    ("GBP", {"sort_code": "12-34-5", "account": "12345678"}, "sort_code"),
    ("GBP", {"sort_code": "123456", "account": "1234567"}, "account"),
    ("USD", {"routing": "021000022", "account": "1234"}, "routing"),
    ("USD", {"routing": "021000021", "account": "12"}, "account"),
])
def test_bad_bank_details_name_the_wrong_field(currency, fields, field):
    with pytest.raises(bank.BankDetailsInvalid) as caught:
        bank.parse(currency, fields)
    assert caught.value.field == field


def test_accepting_makes_one_trade_in_with_a_ship_clock_and_an_email(session, request_ctx):
    # given
    variant = make_phone(session).variants[0]
    best = make_bidder(session, variant, {("good", "FR"): 21000})
    other = make_bidder(session, variant, {("good", "FR"): 20000})
    quote = quotes.create_quote(session, market(session, "FR"), variant, ALL_GOOD)
    shopper = make_user(session, language="fr")
    now = utcnow()

    # when: the shopper picks the second bid
    trade_in = accept_quote(session, quote, seller_id=other.id, user=shopper, identity=identity(), language="fr",
                            now=now)

    # then
    assert (trade_in.seller_id, trade_in.amount, trade_in.currency) == (other.id, 20000, "EUR")
    assert trade_in.ship_by == now + timedelta(days=14) and trade_in.status == "awaiting_device"
    assert trade_in.bank_last_digits == "0189" and "7890" not in trade_in.bank_sealed
    assert trade_in.reference.startswith("TI-")
    mail = session.query(OutboxMessage).filter_by(reference=trade_in.reference).one()
    assert mail.recipient == shopper.email and mail.language == "fr" and "/fr-fr/trade-in/mine/TI-" in mail.body_text
    with pytest.raises(AlreadyAccepted):
        accept_quote(session, quote, seller_id=best.id, user=shopper, identity=identity(), language="fr")
    assert session.query(TradeIn).count() == 1


def test_an_expired_quote_or_a_seller_not_in_it_cannot_be_accepted(session, request_ctx):
    variant = make_phone(session).variants[0]
    make_bidder(session, variant, {("good", "FR"): 21000})
    quote = quotes.create_quote(session, market(session, "FR"), variant, ALL_GOOD)
    shopper = make_user(session)
    with pytest.raises(QuoteExpired):
        accept_quote(session, quote, seller_id=quote.best.seller_id, user=shopper, identity=identity(), language="fr",
                     now=utcnow() + timedelta(days=15))
    with pytest.raises(UnknownOffer):
        accept_quote(session, quote, seller_id=-1, user=shopper, identity=identity(), language="fr")
    assert session.query(TradeIn).count() == 0
