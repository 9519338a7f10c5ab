"""Builders for trade-in tests: a phone model with bidding sellers."""
from __future__ import annotations

from app.tradein import bids
from app.tradein.models import TradeInQuote, TradeInStatus
from tests.builders import make_category, make_product, make_seller, make_user, market

IBAN = "FR76 3000 6000 0112 3456 7890 189"
ALL_GOOD = {"powers_on": "yes", "screen": "scratches", "body": "light", "battery": "medium", "signed_out": "yes"}


def make_phone(session, *, names=None, storages=(64, 128)):
    category = make_category(session, illustration="phone")
    return make_product(session, category=category, names=names, storages=storages)


def make_bidder(session, variant, amounts, *, name=None, payout_days=2, ships_to=("FR", "BE", "ES", "DE", "IT")):
    """A seller opted in to trade-in with bids: amounts={("good", "FR"): 20000, …}."""
    seller = make_seller(session, name=name, ships_to=ships_to)
    bids.save_profile(session, seller, is_active=True, payout_days=payout_days)
    for (condition, code), amount in amounts.items():
        bids.set_bid(session, seller, variant, condition, market(session, code), amount)
    return seller


def identity(**overrides):
    from app.tradein import bank
    from app.tradein.accepting import PayoutIdentity
    values = {"holder_name": "Camille Martin", "address_line1": "3 rue des Lilas", "address_postcode": "69003",
              "address_city": "Lyon", "account": bank.parse("EUR", {"iban": IBAN})} | overrides
    return PayoutIdentity(**values)


def make_trade_in(session, quote: TradeInQuote, *, seller=None, user=None, language="fr"):
    from app.tradein.accepting import accept_quote
    account = None
    if quote.currency == "GBP":
        from app.tradein import bank
        account = bank.parse("GBP", {"sort_code": "12-34-56", "account": "12345678"})
    return accept_quote(session, quote, seller_id=(seller.id if seller else quote.best.seller_id),
                        user=user or make_user(session), identity=identity(**({"account": account} if account else {})),
                        language=language)


def make_inspected(session, seller, quote: TradeInQuote, *, countered: bool, count: int = 1):
    """`count` inspected trade-ins of `seller` (their state set directly: the inspection is not the subject)."""
    from app.tradein import quotes
    for _ in range(count):
        copy = quotes.create_quote(session, quote.market, quote.variant, ALL_GOOD)
        trade_in = make_trade_in(session, copy, seller=seller)
        trade_in.status = TradeInStatus.COUNTER_OFFERED if countered else TradeInStatus.PAID
        trade_in.was_countered = countered
    session.flush()


VALID_IMEI = "490154203237518"


def photo_upload(name="screen.jpg"):
    """A JPEG the way request.files gives it to the service (a name and a stream)."""
    import io

    from PIL import Image

    class Upload:
        def __init__(self, stream, filename):
            self.stream, self.filename = stream, filename
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 30, 160)).save(out, "JPEG")
    out.seek(0)
    return Upload(out, name)


def photo_bytes() -> bytes:
    return photo_upload().stream.getvalue()


def findings(**overrides):
    from app.tradein.inspection import InspectionFindings
    values = {"imei_or_serial": VALID_IMEI, "is_activation_locked": False, "is_blacklisted": False,
              "functions_ok": True, "condition_found": "good", "decision": "matches"} | overrides
    return InspectionFindings(**values)


def make_received(session, *, language="fr", amount=20000, code="FR"):
    """A trade-in whose device the winning seller has received (declared in good condition)."""
    from app.tradein import inspection, quotes
    variant = make_phone(session).variants[0]
    seller = make_bidder(session, variant, {("good", code): amount}, ships_to=(code,))
    quote = quotes.create_quote(session, market(session, code), variant, ALL_GOOD)
    trade_in = make_trade_in(session, quote, user=make_user(session, language=language), language=language)
    inspection.mark_received(session, trade_in)
    return trade_in, seller
