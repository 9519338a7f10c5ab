"""Seller actions on a paid seller order, on a real database: accept, ship, cancel and refund, and
the status moves they allow and refuse."""
import pytest
from sqlalchemy import select

from app.checkout.payments.test_provider import TestProvider
from app.mail.models import OutboxMessage
from app.offers.models import Listing
from app.orders import fulfilment
from app.orders.models import SellerOrder, SellerOrderStatus
from tests.builders import make_seller
from tests.orders.helpers import imei, paid_seller_order

IMEI_1, IMEI_2 = imei("35694508123456"), imei("49015420323751")


@pytest.fixture
def context(app):
    """Services render e-mails and build links: they run inside a request context, as in a view."""
    with app.test_request_context():
        yield


def fresh(session, seller_order) -> SellerOrder:
    session.expire_all()
    return session.get(SellerOrder, seller_order.id)


def ship(session, seller_order, **overrides):
    line = seller_order.lines[0]
    fields = {"carrier": "colissimo", "tracking_number": "6A12345678901", "units": {line.id: [IMEI_1, IMEI_2]}}
    fields.update(overrides)
    fulfilment.ship(session, seller_order, **fields)


def test_the_imei_check_digit_is_verified():
    assert fulfilment.imei_valid("490154203237518")
    assert not fulfilment.imei_valid("490154203237517")      # wrong check digit
    assert not fulfilment.imei_valid("49015420323751")       # 14 digits
    assert not fulfilment.imei_valid("49015420323751A")


def test_accept_then_ship_records_carrier_tracking_and_each_unit_and_tells_the_buyer(client, session, context):
    # given: a paid seller order of two phones
    seller_order, _, _ = paid_seller_order(client, session, quantity=2)
    assert seller_order.status == SellerOrderStatus.TO_SHIP and seller_order.paid_at is not None

    # when
    fulfilment.accept(session, seller_order)
    ship(session, seller_order)
    session.commit()

    # then
    shipped = fresh(session, seller_order)
    assert shipped.status == SellerOrderStatus.SHIPPED and shipped.shipped_at is not None
    assert (shipped.carrier, shipped.tracking_number) == ("colissimo", "6A12345678901")
    assert shipped.lines[0].unit_identifiers == [IMEI_1, IMEI_2]
    assert [e.status for e in shipped.events] == ["awaiting_payment", "to_ship", "accepted", "shipped"]
    assert shipped.events[-1].note == "Colissimo 6A12345678901"
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order_shipped"))
    assert mail.language == "fr_FR" and mail.subject == f"Votre commande {shipped.order.number} est en route"
    assert "Colissimo" in mail.body_text and "6A12345678901" in mail.body_text


def test_a_unit_needs_its_own_valid_imei(client, session, context):
    seller_order, _, _ = paid_seller_order(client, session, quantity=2)
    line = seller_order.lines[0]

    with pytest.raises(fulfilment.InvalidShipment) as refused:
        ship(session, seller_order, units={line.id: [IMEI_1[:-1] + "0" if IMEI_1[-1] != "0" else IMEI_1[:-1] + "1"]})

    assert set(refused.value.errors) == {f"unit-{line.id}-0", f"unit-{line.id}-1"}     # bad, then missing
    with pytest.raises(fulfilment.InvalidShipment) as twice:
        ship(session, seller_order, units={line.id: [IMEI_1, IMEI_1]})
    assert set(twice.value.errors) == {f"unit-{line.id}-1"}
    with pytest.raises(fulfilment.InvalidShipment) as carrier:
        ship(session, seller_order, carrier="pigeon", tracking_number="?")
    assert set(carrier.value.errors) == {"carrier", "tracking_number"}
    assert fresh(session, seller_order).status == SellerOrderStatus.TO_SHIP


def test_a_laptop_takes_a_serial_number_and_other_carriers_are_named(client, session, context):
    seller_order, listing, _ = paid_seller_order(client, session, quantity=1)
    listing.variant.product.category.illustration = "laptop"
    session.commit()
    line = seller_order.lines[0]

    ship(session, seller_order, carrier="other", carrier_other="  Coursier  Lyon ",
         units={line.id: ["C02XK1ZZJG5H"]})
    session.commit()

    shipped = fresh(session, seller_order)
    assert shipped.carrier == "Coursier Lyon" and shipped.lines[0].unit_identifiers == ["C02XK1ZZJG5H"]


@pytest.mark.parametrize("status, action", [
    ("shipped", "accept"), ("shipped", "ship"), ("shipped", "cancel"), ("cancelled", "accept"),
    ("cancelled", "ship"), ("cancelled", "cancel"), ("accepted", "accept"), ("delivered", "cancel"),
    ("awaiting_payment", "accept"), ("awaiting_payment", "ship"),
])
def test_moves_outside_the_allowed_ones_are_refused(client, session, context, status, action):
    seller_order, _, _ = paid_seller_order(client, session, quantity=2)
    seller_order.status = status
    session.commit()

    with pytest.raises(fulfilment.TransitionRefused) as refused:
        if action == "accept":
            fulfilment.accept(session, seller_order)
        elif action == "ship":
            ship(session, seller_order)
        else:
            fulfilment.cancel(session, seller_order, reason="out_of_stock")

    assert refused.value.status == status
    assert fulfilment.status_label(status) in str(refused.value.message)
    assert fresh(session, seller_order).status == status


def test_cancelling_gives_the_stock_back_refunds_goods_and_shipping_and_tells_the_buyer(client, session, context):
    # given: two units sold (standard delivery)
    seller_order, listing, _ = paid_seller_order(client, session, quantity=2, amount=30000)
    before = session.get(Listing, listing.id).quantity

    # when
    fulfilment.cancel(session, seller_order, reason="faulty", note="Screen flickers")
    session.commit()
    reference = fulfilment.refund(session, seller_order, TestProvider())
    session.commit()

    # then
    cancelled = fresh(session, seller_order)
    assert cancelled.status == SellerOrderStatus.CANCELLED and cancelled.cancel_reason == "faulty"
    assert session.get(Listing, listing.id).quantity == before + 2
    assert cancelled.refund_amount == cancelled.goods_amount + cancelled.shipping_amount == 60000
    assert cancelled.refund_reference == reference == f"test_refund_refund-seller-order-{cancelled.id}"
    assert cancelled.events[-1].note == "faulty: Screen flickers"
    mail = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order_cancelled"))
    assert mail.language == "fr_FR" and "600,00" in mail.body_text

    # and: refunding again does not pay twice
    assert fulfilment.refund(session, cancelled, TestProvider()) == reference


def test_a_cancellation_needs_a_known_reason_and_words_for_other(client, session, context):
    seller_order, _, _ = paid_seller_order(client, session, quantity=1)
    with pytest.raises(fulfilment.InvalidShipment) as unknown:
        fulfilment.cancel(session, seller_order, reason="bored")
    with pytest.raises(fulfilment.InvalidShipment) as silent:
        fulfilment.cancel(session, seller_order, reason="other", note="   ")
    assert set(unknown.value.errors) == {"reason"} and set(silent.value.errors) == {"note"}


def test_a_refund_the_provider_refuses_leaves_the_cancellation_and_no_reference(client, session, context):
    class Down:
        def refund(self, payment, amount, *, idempotency_key):
            raise ConnectionError("provider down")

    seller_order, _, _ = paid_seller_order(client, session, quantity=1)
    fulfilment.cancel(session, seller_order, reason="out_of_stock")
    session.commit()

    with pytest.raises(fulfilment.RefundFailed):
        fulfilment.refund(session, seller_order, Down())
    assert fresh(session, seller_order).status == SellerOrderStatus.CANCELLED
    assert fresh(session, seller_order).refund_reference is None


def test_late_is_counted_in_working_days_from_payment(client, session):
    from datetime import UTC, datetime
    seller_order, _, _ = paid_seller_order(client, session, quantity=1,
                                           seller=make_seller(session, ships_to=("FR",), dispatch_days=2))
    seller_order.paid_at = datetime(2026, 11, 20, 10, tzinfo=UTC)       # a Friday
    assert fulfilment.dispatch_by(seller_order, 2, "Europe/Paris").isoformat() == "2026-11-24"
    assert not fulfilment.is_late(seller_order, 2, "Europe/Paris", now=datetime(2026, 11, 24, 20, tzinfo=UTC))
    assert fulfilment.is_late(seller_order, 2, "Europe/Paris", now=datetime(2026, 11, 25, 9, tzinfo=UTC))


def test_stripe_refunds_the_payment_intent_once_per_seller_order(client, session, context):
    import json

    from app.checkout.payments.stripe_provider import StripeProvider
    from tests.checkout.test_stripe import StubStripe

    class StubRefunds(StubStripe):
        def request(self, method, url, headers, post_data=None, *, _usage=None):
            super().request(method, url, headers, post_data, _usage=_usage)
            return json.dumps({"id": "re_test_1", "object": "refund", "status": "succeeded"}), 200, {}

    # given: a cancelled seller order whose payment Stripe took (PaymentIntent pi_test_1)
    seller_order, _, _ = paid_seller_order(client, session, quantity=1, amount=25000)
    payment = seller_order.order.payments[0]
    payment.provider, payment.provider_reference = "stripe", "pi_test_1"
    fulfilment.cancel(session, seller_order, reason="out_of_stock")
    session.commit()
    stub = StubRefunds()

    # when
    reference = fulfilment.refund(session, seller_order, StripeProvider("sk_test_offline", "whsec", http_client=stub))
    session.commit()

    # then
    method, url, form, headers = stub.calls[0]
    assert method == "post" and url.endswith("/v1/refunds")
    assert form["payment_intent"] == ["pi_test_1"] and form["amount"] == ["25000"]
    assert headers.get("Idempotency-Key") == f"refund-seller-order-{seller_order.id}"
    assert reference == "re_test_1" and fresh(session, seller_order).refund_reference == "re_test_1"


@pytest.mark.parametrize("action", ["accept", "ship", "cancel"])
def test_an_order_another_person_just_moved_is_not_moved_again(client, session, context, action):
    from sqlalchemy import update

    # given: the page was loaded while the order was to ship; meanwhile a colleague cancelled it
    seller_order, listing, _ = paid_seller_order(client, session, quantity=2)
    stock_before = session.get(Listing, listing.id).quantity
    assert seller_order.status == SellerOrderStatus.TO_SHIP
    session.execute(update(SellerOrder).where(SellerOrder.id == seller_order.id)
                    .values(status=SellerOrderStatus.CANCELLED).execution_options(synchronize_session=False))

    # when
    with pytest.raises(fulfilment.TransitionRefused):
        if action == "accept":
            fulfilment.accept(session, seller_order)
        elif action == "ship":
            ship(session, seller_order)
        else:
            fulfilment.cancel(session, seller_order, reason="out_of_stock")

    # then: nothing else happened: no event, no stock given back twice, no e-mail
    session.flush()
    assert [e.status for e in seller_order.events][-1] == "to_ship"
    assert session.scalar(select(Listing.quantity).where(Listing.id == listing.id)) == stock_before
    assert session.scalar(select(OutboxMessage).where(OutboxMessage.kind.in_(["order_shipped", "order_cancelled"]))) is None


def test_an_american_buyer_gets_the_sales_tax_of_the_cancelled_goods_back(client, session, context):
    seller_order, _, _ = paid_seller_order(client, session, quantity=1, amount=50000, edition="en-us", market="US")
    order = seller_order.order
    assert order.sales_tax_amount > 0                       # New York adds sales tax on the goods

    fulfilment.cancel(session, seller_order, reason="out_of_stock")

    assert seller_order.refund_amount == seller_order.goods_amount + seller_order.shipping_amount + order.sales_tax_amount
