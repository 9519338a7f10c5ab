"""Commission rates: an admin sets them by category and market; the next orders use them."""
import re

import pytest
from sqlalchemy import select

from app.admin import services
from app.checkout.placing import commission_rates
from app.orders.models import CommissionRate
from tests.builders import make_category, make_markets, make_user, market, sign_in


def test_one_row_per_category_and_market_and_the_most_specific_wins(app, session):
    # given: phones, with smartphones under them
    markets = make_markets(session)
    phones = make_category(session, key="phones")
    smartphones = make_category(session, key="smartphones", parent=phones)

    # when: a rate for phones everywhere, for phones in France, then the French one changed
    services.set_commission_rate(session, category_id=phones.id, market_id=None, rate_bp=1200)
    services.set_commission_rate(session, category_id=phones.id, market_id=markets["FR"].id, rate_bp=900)
    services.set_commission_rate(session, category_id=phones.id, market_id=markets["FR"].id, rate_bp=800)
    session.commit()

    # then: two rows; checkout finds the French rate for a smartphone in France, the broad one in Germany
    assert session.scalar(select(CommissionRate.rate_bp).where(CommissionRate.market_id.is_not(None))) == 800
    assert len(services.commission_rates(session)) == 2
    with app.app_context():
        assert commission_rates(session, markets["FR"], [smartphones]) == {smartphones.id: 800}
        assert commission_rates(session, markets["DE"], [smartphones]) == {smartphones.id: 1200}


def test_the_default_is_not_a_row(session):
    with pytest.raises(services.AdminError):
        services.set_commission_rate(session, category_id=None, market_id=None, rate_bp=500)


def test_an_admin_sets_and_removes_a_rate_in_their_language(client, session):
    # given
    make_markets(session)
    category = make_category(session, key="laptops", names={"de": "Laptops", "en": "Laptops"})
    admin = make_user(session, admin=True, language="de")
    session.commit()
    sign_in(client, admin)

    # when
    saved = client.post("/manage/commissions", data={"category_id": str(category.id),
                                                      "market_id": str(market(session, "DE").id), "rate": "12,5"})
    page = client.get("/manage/commissions").text

    # then: shown as the German locale writes percentages
    assert saved.status_code == 303
    assert re.search(r"12,5\s?%", page) and "Deutschland" in page
    rate_id = session.scalar(select(CommissionRate.id))
    assert client.post(f"/manage/commissions/{rate_id}/delete").status_code == 303
    assert session.scalar(select(CommissionRate.id)) is None


def test_bad_rates_are_refused_beside_their_field(client, session):
    # given
    make_markets(session)
    admin = make_user(session, admin=True, language="fr")
    session.commit()
    sign_in(client, admin)

    # when
    too_high = client.post("/manage/commissions", data={"category_id": "", "market_id": str(market(session, "FR").id),
                                                         "rate": "75"})
    nonsense = client.post("/manage/commissions", data={"category_id": "", "market_id": "", "rate": "dix"})
    unknown = client.post("/manage/commissions", data={"category_id": "999999", "market_id": "", "rate": "10"})

    # then: 422, a French message, nothing saved
    assert too_high.status_code == nonsense.status_code == unknown.status_code == 422
    assert "Une commission ne peut pas dépasser 50" in too_high.text
    assert "Saisissez un taux comme 10 ou 12,5." in nonsense.text
    assert session.scalar(select(CommissionRate.id)) is None
