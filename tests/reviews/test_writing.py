"""Who may review, and what a review holds: only a delivered line of one's own order, from 7 to 365
days after delivery, one device and one seller review per line (and one follow-up of the device);
bad input gets a localized 4xx and stores nothing."""
import pytest
from sqlalchemy import func, select

from app.reviews.models import Review
from tests.aftersales.helpers import shipped_seller_order
from tests.reviews.helpers import DEVICE, SELLER, delivered_seller_order, review_url


def count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Review))


def test_a_buyer_reviews_a_delivered_device_and_its_seller(app, client, session):
    # given: a phone delivered ten days ago
    seller_order, listing, _ = delivered_seller_order(app, client, session)
    order = seller_order.order

    # when: the order page offers both reviews, and the buyer writes them
    page = client.get(f"/fr-fr/orders/{order.number}?token={order.access_token}").text
    device = client.post(review_url(seller_order), data=DEVICE)
    seller = client.post(review_url(seller_order, "seller"), data=SELLER)

    # then: two pending reviews holding what was bought and when it arrived
    assert "/review/device" in page and "/review/seller" in page
    assert device.status_code == 303 and seller.status_code == 303
    rows = list(session.scalars(select(Review).order_by(Review.id)))
    assert [(r.kind, r.status, r.rating) for r in rows] == [("product", "pending", 4), ("seller", "pending", 5)]
    first = rows[0]
    assert (first.grade, first.grade_match, first.battery_health, first.language) == (listing.grade, "yes", 91, "fr")
    assert first.delivered_on == seller_order.delivery_date if hasattr(seller_order, "delivery_date") else True
    assert first.product_id == listing.variant.product_id and first.seller_id == listing.seller_id
    assert first.author_name.endswith(".")
    assert rows[1].delivery_rating == 5 and rows[1].service_rating == 4 and rows[1].grade_match is None


def test_a_second_review_of_the_same_line_is_refused(app, client, session):
    seller_order, _, _ = delivered_seller_order(app, client, session)
    assert client.post(review_url(seller_order), data=DEVICE).status_code == 303

    again = client.post(review_url(seller_order), data=DEVICE)

    assert again.status_code == 409 and "déjà" in again.text
    assert count(session) == 1


@pytest.mark.parametrize("days_ago", [3, 400])
def test_outside_the_window_nothing_can_be_written(app, client, session, days_ago):
    seller_order, _, _ = delivered_seller_order(app, client, session, days_ago=days_ago)

    answer = client.post(review_url(seller_order), data=DEVICE)

    assert answer.status_code == 403
    assert count(session) == 0


def test_a_line_not_delivered_cannot_be_reviewed(app, client, session):
    seller_order, _, _ = shipped_seller_order(app, client, session, quantity=1)

    answer = client.post(review_url(seller_order), data=DEVICE)

    assert answer.status_code == 403
    assert count(session) == 0


def test_someone_elses_line_is_a_404(app, client, session):
    seller_order, _, _ = delivered_seller_order(app, client, session)
    order = seller_order.order
    url = f"/fr-fr/orders/{order.number}/lines/{seller_order.lines[0].id}/review/device"

    without_token = client.post(url, data=DEVICE)
    wrong_token = client.post(url + "?token=nope", data=DEVICE)
    other_line = client.post(f"/fr-fr/orders/{order.number}/lines/999999/review/device?token={order.access_token}")

    assert without_token.status_code == wrong_token.status_code == other_line.status_code == 404
    assert count(session) == 0


@pytest.mark.parametrize("field,value,message", [
    ("rating", "7", "de 1 à 5"),
    ("rating", "", "de 1 à 5"),
    ("body", "x" * 50_000, "caractères"),
    ("body", "Super <script>alert(1)</script>", "HTML"),
    ("title", "<a href='https://spam.example'>promo</a>", "HTML"),
    ("grade_match", "maybe", "grade"),
    ("battery_health", "140", "0 à 100"),
])
def test_bad_input_gets_a_localized_422_and_stores_nothing(app, client, session, field, value, message):
    seller_order, _, _ = delivered_seller_order(app, client, session)

    answer = client.post(review_url(seller_order), data={**DEVICE, field: value})

    assert answer.status_code == 422
    assert message in answer.text
    assert count(session) == 0


def test_a_follow_up_opens_at_six_months_and_is_marked(app, client, session):
    # given: a phone delivered 200 days ago and reviewed
    seller_order, _, _ = delivered_seller_order(app, client, session, days_ago=200)
    assert client.post(review_url(seller_order, "follow-up"), data=DEVICE).status_code == 403   # first the review
    assert client.post(review_url(seller_order), data=DEVICE).status_code == 303

    # when
    follow_up = client.post(review_url(seller_order, "follow-up"), data={**DEVICE, "title": "Toujours parfait"})
    again = client.post(review_url(seller_order, "follow-up"), data=DEVICE)

    # then
    assert follow_up.status_code == 303 and again.status_code == 409
    assert sorted(session.scalars(select(Review.follow_up))) == [False, True]


def test_no_follow_up_before_six_months_without_a_claim(app, client, session):
    seller_order, _, _ = delivered_seller_order(app, client, session, days_ago=20)
    assert client.post(review_url(seller_order), data=DEVICE).status_code == 303

    assert client.post(review_url(seller_order, "follow-up"), data=DEVICE).status_code == 403
    assert count(session) == 1


def test_the_form_is_in_the_buyers_language(app, client, session):
    seller_order, _, _ = delivered_seller_order(app, client, session, edition="es-es", market="ES")

    page = client.get(review_url(seller_order, edition="es-es"))

    assert page.status_code == 200
    assert "Enviar mi opinión" in page.text
