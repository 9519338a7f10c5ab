"""The right of withdrawal, on a real database: per unit, two steps, a durable e-mail, a refund
through the provider that took the payment made exactly once, commission reversed in proportion."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.aftersales import delivery, refunds, withdrawal
from app.aftersales.errors import NothingChosen, RefundFailed, StaleState, UnitNotInOrder, WindowClosed
from app.aftersales.models import Refund, Withdrawal
from app.aftersales.units import units_of
from app.checkout.payments.test_provider import TestProvider
from app.mail.models import OutboxMessage
from tests.aftersales.helpers import IMEIS, fresh, shipped_seller_order
from tests.conftest import HX


@pytest.fixture
def context(app):
    with app.test_request_context():
        yield


def test_withdrawing_one_of_two_units_refunds_its_price_and_reverses_its_commission(app, client, session, context):
    # given: two phones at 300 € each, shipped and delivered
    seller_order, _, _ = shipped_seller_order(app, client, session, quantity=2, amount=30000)
    delivery.buyer_confirms(session, seller_order)
    session.commit()
    first, second = units_of(session, seller_order)

    # when: the buyer withdraws from the first
    made = withdrawal.withdraw(session, seller_order.order, [first.id])
    session.commit()
    refunds.pay(session, made[0].refund)
    session.commit()

    # then
    w = session.get(Withdrawal, made[0].id)
    line = seller_order.lines[0]
    assert (w.goods_amount, w.shipping_amount, w.amount) == (30000, 0, 30000)
    assert w.commission_reversed == line.commission_amount // 2
    assert w.status == "refunded" and w.refund.provider_reference == f"test_refund_withdrawal-{w.id}"
    assert [u.identifier for u in w.units] == [IMEIS[0]]
    assert fresh(session, seller_order).refund_amount == 30000
    assert w.refund_due_on == w.received_at.date() + timedelta(days=14)
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "withdrawal_received"))
    assert mail.recipient == seller_order.order.email and mail.language == "fr_FR"
    assert w.reference in mail.subject and IMEIS[0] in mail.body_text and IMEIS[1] not in mail.body_text
    # the second unit may still be withdrawn; the first never again
    assert [u.id for u in withdrawal.withdrawable_units(session, seller_order.order)[seller_order.id]] == [second.id]
    with pytest.raises(StaleState):
        withdrawal.withdraw(session, seller_order.order, [first.id])


def test_bad_choices_are_refused(app, client, session, context):
    seller_order, _, _ = shipped_seller_order(app, client, session)
    other, _, _ = shipped_seller_order(app, client, session)
    with pytest.raises(NothingChosen):
        withdrawal.withdraw(session, seller_order.order, [])
    foreign = units_of(session, other)[0]
    with pytest.raises(UnitNotInOrder):
        withdrawal.withdraw(session, seller_order.order, [foreign.id])
    with pytest.raises(UnitNotInOrder):
        withdrawal.withdraw(session, seller_order.order, [999999])
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Withdrawal)) == 0


def test_the_period_ends_14_days_after_delivery_in_the_market(app, client, session, context):
    seller_order, _, _ = shipped_seller_order(app, client, session)
    delivery.buyer_confirms(session, seller_order)
    session.commit()
    unit = units_of(session, seller_order)[0]
    delivered = datetime.now(UTC)
    assert withdrawal.withdrawable_units(session, seller_order.order, now=delivered + timedelta(days=14))[seller_order.id]
    with pytest.raises(WindowClosed):
        withdrawal.withdraw(session, seller_order.order, [unit.id], now=delivered + timedelta(days=15, hours=1))


def test_there_is_no_withdrawal_in_the_us(app, client, session, context):
    seller_order, _, _ = shipped_seller_order(app, client, session, edition="en-us", market="US")
    unit = units_of(session, seller_order)[0]
    with pytest.raises(WindowClosed):
        withdrawal.withdraw(session, seller_order.order, [unit.id])


def test_the_last_units_bring_back_the_standard_delivery_and_the_whole_commission(app, client, session, context):
    seller_order, _, _ = shipped_seller_order(app, client, session, quantity=2)
    first, second = units_of(session, seller_order)
    a = withdrawal.withdraw(session, seller_order.order, [first.id])[0]
    b = withdrawal.withdraw(session, seller_order.order, [second.id])[0]
    assert a.commission_reversed + b.commission_reversed == seller_order.commission_amount
    assert a.amount + b.amount == seller_order.goods_amount + seller_order.shipping_amount


class FlakyProvider(TestProvider):
    """The test provider, with a worker killed right after the provider answered (before our commit)."""
    def __init__(self, crash_after_call: bool):
        self.crash_after_call = crash_after_call
        self.calls = []

    def refund(self, payment, amount, *, idempotency_key):
        self.calls.append(idempotency_key)
        reference = super().refund(payment, amount, idempotency_key=idempotency_key)
        if self.crash_after_call:
            raise ConnectionError("killed after the provider answered")
        return reference


def test_a_refund_is_made_exactly_once_even_when_retried_or_killed_mid_way(app, client, session, context):
    # given: a withdrawal whose refund is owed
    seller_order, _, _ = shipped_seller_order(app, client, session, quantity=1)
    made = withdrawal.withdraw(session, seller_order.order, [units_of(session, seller_order)[0].id])[0]
    session.commit()
    refund = made.refund

    # when: the first attempt dies after the provider answered, then the worker retries twice
    flaky = FlakyProvider(crash_after_call=True)
    with pytest.raises(RefundFailed):
        refunds.pay(session, refund, provider=flaky)
    session.rollback()
    steady = FlakyProvider(crash_after_call=False)
    refunds.pay(session, session.get(Refund, refund.id), provider=steady)
    session.commit()
    refunds.pay(session, session.get(Refund, refund.id), provider=steady)
    session.commit()

    # then: the same key every time (the provider refunds once), and our books count it once
    assert flaky.calls + steady.calls == [f"withdrawal-{made.id}"] * 2
    assert fresh(session, seller_order).refund_amount == made.amount
    assert session.get(Refund, refund.id).status == "done"


def test_the_worker_pays_refunds_still_owed(app, client, session, context):
    seller_order, _, _ = shipped_seller_order(app, client, session, quantity=1)
    withdrawal.withdraw(session, seller_order.order, [units_of(session, seller_order)[0].id])
    session.commit()
    assert refunds.pay_pending(session) == 1
    assert refunds.pay_pending(session) == 0
    assert session.scalar(select(Withdrawal.status)) == "refunded"


def _units_on(page: str) -> list[str]:
    return re.findall(r'name="unit" value="(\d+)"', page)


def test_a_german_guest_withdraws_from_one_of_two_units_in_two_steps(app, client, session):
    # given: a German guest's order of two phones, shipped
    seller_order, _, _ = shipped_seller_order(app, client, session, quantity=2, edition="de-de", market="DE")
    order = seller_order.order
    base = f"/de-de/orders/{order.number}"
    token = order.access_token

    # when: the order page links to step one; the guest picks one unit (htmx gets the panel only)
    page = client.get(f"{base}?token={token}").text
    assert "Vom Vertrag zurücktreten" in page
    step_one = client.get(f"{base}/withdraw?token={token}")
    units = _units_on(step_one.text)
    assert step_one.status_code == 200 and len(units) == 2
    nothing = client.post(f"{base}/withdraw", data={"token": token})
    fragment = client.post(f"{base}/withdraw", data={"token": token, "unit": units[0]},
                           headers=HX | {"HX-Target": "withdrawal-panel"})
    full = client.post(f"{base}/withdraw", data={"token": token, "unit": units[0]})
    stranger = client.get(f"{base}/withdraw?token=nope")
    confirmed = client.post(f"{base}/withdraw/confirm", data={"token": token, "unit": units[0]})
    stale = client.post(f"{base}/withdraw/confirm", data={"token": token, "unit": units[0]})

    # then
    assert nothing.status_code == 422 and "mindestens" in nothing.text
    assert "<html" not in fragment.text and "Widerruf bestätigen" in fragment.text and _units_on(fragment.text) == [units[0]]
    assert "<html" in full.text and "Widerruf bestätigen" in full.text
    assert stranger.status_code == 404
    assert confirmed.status_code == 303
    assert stale.status_code == 409
    after = client.get(f"{base}?token={token}").text
    assert "Widerruf" in after and "Erstattet" in after
    assert session.scalar(select(func.count()).select_from(Withdrawal)) == 1


def test_the_payout_statement_deducts_the_refund_and_gives_back_its_commission(app, client, session, context):
    # given: two phones shipped this month; one is withdrawn and refunded
    from app.sellers import payouts
    seller_order, _, staff = shipped_seller_order(app, client, session, quantity=2, amount=30000)
    before = payouts.monthly(session, seller_order.seller)[0]
    made = withdrawal.withdraw(session, seller_order.order, [units_of(session, seller_order)[0].id])[0]
    session.commit()
    refunds.pay(session, made.refund)
    session.commit()

    # when
    after = payouts.monthly(session, seller_order.seller)[0]

    # then: refunds 300 €, commission less the unit's share, net down by the difference
    assert (before.refunds, after.refunds) == (0, 30000)
    assert after.commission == before.commission - made.commission_reversed
    assert after.net == before.net - 30000 + made.commission_reversed
    from tests.builders import sign_in
    sign_in(client, staff)
    rows = client.get(f"/seller/payouts/{after.month}.csv").text.strip().splitlines()
    header, line = rows[0].split(","), rows[1].split(",")
    assert line[header.index("refund")] == "300.00"
    assert line[header.index("commission")] == f"{(seller_order.commission_amount - made.commission_reversed) / 100:.2f}"
