"""Invitations to review: `flask worker`'s step queues one e-mail per line and stage in the buyer's
language, 7 days after delivery and at six months for a reviewed device; never twice."""
from sqlalchemy import select

from app.mail.models import OutboxMessage
from app.reviews.invitations import invite
from app.reviews.rules import policy
from tests.reviews.helpers import DEVICE, delivered_seller_order, review_url


def invitations(session):
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "review_invitation")))


def run(app, session) -> int:
    with app.test_request_context():
        sent = invite(session, policy())
        session.commit()
    return sent


def test_a_buyer_is_invited_once_in_their_language(app, client, session):
    # given: a Spanish buyer's phone delivered 8 days ago, and a French one delivered 3 days ago
    seller_order, _, _ = delivered_seller_order(app, client, session, days_ago=8, edition="es-es", market="ES")
    delivered_seller_order(app, client, session, days_ago=3)

    # when: the worker runs twice
    first, second = run(app, session), run(app, session)

    # then: one invitation, in Spanish, with the link to the review form
    assert (first, second) == (1, 0)
    mail = invitations(session)[0]
    assert mail.recipient == seller_order.order.email and mail.language == "es_ES"
    assert mail.subject.startswith("¿Qué tal tu") and "Escribe una opinión" in mail.subject
    assert f"/lines/{seller_order.lines[0].id}/review/device" in mail.body_text


def test_the_six_month_invitation_asks_a_reviewer_whether_it_still_works(app, client, session):
    seller_order, _, _ = delivered_seller_order(app, client, session, days_ago=190)
    assert client.post(review_url(seller_order), data=DEVICE).status_code == 303

    sent = run(app, session)

    assert sent == 1      # the first stage's review is written: only the follow-up is asked for
    mail = invitations(session)[0]
    assert "/review/follow-up" in mail.body_text and "fonctionne toujours" in mail.subject
