from sqlalchemy import func, select

from app.sites.models import Edition, Market
from app.sites.services import sync_markets


def test_sync_creates_seven_markets_and_eight_editions(session):
    # when
    assert sync_markets(session) == (7, 8)

    # then
    markets = {m.code: m for m in session.scalars(select(Market))}
    assert {code: m.currency for code, m in markets.items()} == {
        "FR": "EUR", "BE": "EUR", "ES": "EUR", "DE": "EUR", "IT": "EUR", "GB": "GBP", "US": "USD"}
    assert markets["US"].prices_include_tax is False and markets["FR"].prices_include_tax is True
    codes = sorted(e.code for e in session.scalars(select(Edition)))
    assert codes == sorted(["fr-fr", "fr-be", "de-be", "es-es", "de-de", "it-it", "en-gb", "en-us"])
    belgium = [e for e in session.scalars(select(Edition)) if e.market.code == "BE"]
    assert {(e.language, e.is_market_default, e.is_language_default) for e in belgium} == {
        ("fr", True, False), ("de", False, False)}
    assert {e.locale for e in belgium} == {"fr_BE", "de_BE"}


def test_sync_is_idempotent(session):
    # given
    sync_markets(session)
    ids = sorted(session.scalars(select(Edition.id)))

    # when
    sync_markets(session)

    # then
    assert sorted(session.scalars(select(Edition.id))) == ids
    assert session.scalar(select(func.count()).select_from(Market)) == 7
