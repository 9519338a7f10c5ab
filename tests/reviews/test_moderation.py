"""Moderation and what the shop shows: a review shows only once published, with its badge, in the
model's precomputed figures and the JSON-LD; a rejection tells the author why, in their language;
country managers moderate their markets only; a seller's one reply is moderated too; the product
page's query count does not grow with its reviews."""
import json
import re

from sqlalchemy import select

from app.mail.models import OutboxMessage
from app.reviews import ratings
from app.reviews.models import ProductRating, Review, SellerRating
from app.reviews.rules import policy
from app.sellers.models import Seller
from tests.builders import make_user, sign_in
from tests.orders.helpers import make_seller_order
from tests.reviews.helpers import (
    DEVICE,
    SELLER,
    delivered_seller_order,
    make_review,
    review_url,
)


def product_url(listing, edition="fr-fr") -> str:
    return f"/{edition}/p/{listing.variant.product.key}-{edition[:2]}"


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1))


def written(app, client, session, **kwargs):
    seller_order, listing, staff = delivered_seller_order(app, client, session, **kwargs)
    assert client.post(review_url(seller_order, edition=kwargs.get("edition", "fr-fr")), data=DEVICE).status_code == 303
    assert client.post(review_url(seller_order, "seller", kwargs.get("edition", "fr-fr")), data=SELLER).status_code == 303
    session.expire_all()
    return list(session.scalars(select(Review).order_by(Review.id))), listing, staff


def test_a_published_review_shows_with_its_badge_figures_and_json_ld(app, client, session):
    # given: a device review and a seller review, pending
    (device, seller_review), listing, _ = written(app, client, session)
    before = client.get(product_url(listing)).text
    admin = make_user(session, admin=True, email="admin@shop.example")
    session.commit()
    moderator = app.test_client()
    sign_in(moderator, admin)

    # when: the admin publishes both from the queue
    queue = moderator.get("/manage/reviews/").text
    published = [moderator.post(f"/manage/reviews/{r.id}/moderate", data={"action": "publish"}) for r in
                 (device, seller_review)]

    # then: the product page shows the review, its badge and grade, the average and the JSON-LD
    assert "Comme neuf" not in before and "Comme neuf" in queue
    assert [r.status_code for r in published] == [303, 303]
    page = client.get(product_url(listing)).text
    assert "Comme neuf" in page and "Achat vérifié" in page
    assert "Conforme à son grade" in page and "Comment fonctionnent les avis" in page
    data = json_ld(page)
    assert data["aggregateRating"]["reviewCount"] == 1 and data["aggregateRating"]["ratingValue"] == "4.0"
    assert data["review"][0]["reviewRating"]["ratingValue"] == 4
    session.expire_all()
    figure = session.get(ProductRating, listing.variant.product_id)
    assert (figure.count, figure.stars, figure.matched) == (1, [0, 0, 0, 1, 0], {listing.grade: [1, 1, 0]})
    seller = session.get(SellerRating, listing.seller_id)
    assert (seller.count, seller.rating_sum, seller.grade_answers, seller.grade_matched) == (1, 5, 1, 1)
    # the best-offer rule's seller rating: the Bayesian average (5 reviews of 4.00 + one of 5) = 4.17 → 4.2
    assert session.get(Seller, listing.seller_id).rating_tenths == 42
    assert "1 avis" in page
    accuracy = moderator.get("/manage/reviews/").text
    assert "Grade accuracy by seller" in accuracy and "100%" in accuracy


def test_a_rejection_needs_a_reason_and_tells_the_author_in_their_language(app, client, session):
    (device, _), listing, _ = written(app, client, session, edition="es-es", market="ES")
    admin = make_user(session, admin=True, email="admin@shop.example")
    session.commit()
    sign_in(client, admin)

    without = client.post(f"/manage/reviews/{device.id}/moderate", data={"action": "reject"})
    rejected = client.post(f"/manage/reviews/{device.id}/moderate",
                           data={"action": "reject", "reason": "Datos personales en el texto"})
    twice = client.post(f"/manage/reviews/{device.id}/moderate", data={"action": "publish"})

    assert without.status_code == 422 and rejected.status_code == 303 and twice.status_code == 409
    session.expire_all()
    assert session.get(Review, device.id).status == "rejected"
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "review_rejected")).one()
    assert mail.language == "es_ES" and mail.subject == "Tu opinión no se ha publicado"
    assert "Datos personales en el texto" in mail.body_text
    assert "Comme neuf" not in client.get(product_url(listing, "es-es")).text


def test_country_managers_moderate_their_markets_only(app, client, session):
    (device, _), _, _ = written(app, client, session)
    manager_de = make_user(session, email="de@shop.example", markets=("DE",))
    manager_fr = make_user(session, email="fr@shop.example", markets=("FR",))
    session.commit()
    de, fr = app.test_client(), app.test_client()
    sign_in(de, manager_de)
    sign_in(fr, manager_fr)

    assert "Comme neuf" not in de.get("/manage/reviews/").text
    assert de.post(f"/manage/reviews/{device.id}/moderate", data={"action": "publish"}).status_code == 404
    assert "Comme neuf" in fr.get("/manage/reviews/").text
    assert fr.post(f"/manage/reviews/{device.id}/moderate", data={"action": "publish"}).status_code == 303


def test_an_abuse_report_puts_a_review_back_in_the_queue_and_a_removal_updates_the_figures(app, client, session):
    (device, _), listing, _ = written(app, client, session)
    admin = make_user(session, admin=True, email="admin@shop.example")
    session.commit()
    moderator = app.test_client()
    sign_in(moderator, admin)
    moderator.post(f"/manage/reviews/{device.id}/moderate", data={"action": "publish"})
    assert "Comme neuf" not in moderator.get("/manage/reviews/").text

    reported = app.test_client().post(f"/fr-fr/reviews/{device.id}/report", data={"back": "/fr-fr/"})
    in_queue = moderator.get("/manage/reviews/").text
    removed = moderator.post(f"/manage/reviews/{device.id}/moderate", data={"action": "remove", "reason": "Publicité"})

    assert reported.status_code == 303 and "1 abuse report" in in_queue and removed.status_code == 303
    session.expire_all()
    assert session.get(ProductRating, listing.variant.product_id).count == 0
    assert "Comme neuf" not in client.get(product_url(listing)).text


def test_the_sellers_one_reply_shows_once_moderated(app, client, session):
    (device, _), listing, staff = written(app, client, session)
    admin = make_user(session, admin=True, email="admin@shop.example")
    session.commit()
    moderator, seller = app.test_client(), app.test_client()
    sign_in(moderator, admin)
    sign_in(seller, staff)
    moderator.post(f"/manage/reviews/{device.id}/moderate", data={"action": "publish"})

    first = seller.post(f"/seller/reviews/{device.id}/reply", data={"reply": "Merci Léa, bonne utilisation !"})
    second = seller.post(f"/seller/reviews/{device.id}/reply", data={"reply": "Encore merci"})
    hidden = client.get(product_url(listing)).text
    moderator.post(f"/manage/reviews/{device.id}/reply", data={"action": "publish"})

    assert first.status_code == 303 and second.status_code == 409
    assert "Merci Léa" not in hidden and "Merci Léa" in client.get(product_url(listing)).text


def test_the_product_page_runs_as_many_queries_with_1_or_40_reviews(app, client, session, count_queries):
    from datetime import date
    (device, _), listing, _ = written(app, client, session)
    device_row = session.get(Review, device.id)
    device_row.status = "published"
    session.commit()
    with app.app_context():
        ratings.refresh(session, device_row, policy())
    session.commit()
    one, _ = count_queries.of(lambda: client.get(product_url(listing)))

    for n in range(39):
        make_review(session, make_seller_order(session, listing, status="delivered"), rating=1 + n % 5,
                    language=("fr", "es", "de", "it", "en")[n % 5], title=f"Avis {n}")
    session.commit()
    with app.app_context():
        ratings.refresh(session, device_row, policy())
    session.commit()
    many, response = count_queries.of(lambda: client.get(product_url(listing)))

    assert response.status_code == 200 and "40 avis" in response.text
    assert many == one
    assert "Écrit en espagnol" in response.text          # other languages are marked
    assert date.today()


def test_the_disclosure_page_exists_in_every_edition(app, client, session):
    from tests.builders import make_markets
    make_markets(session)
    session.commit()
    for edition, words in (("fr-fr", "Qui peut écrire un avis"), ("es-es", "Quién puede escribir"),
                           ("de-de", "Wer eine Bewertung"), ("it-it", "Chi può scrivere"),
                           ("en-gb", "Who can write a review"), ("de-be", "Wer eine Bewertung"),
                           ("fr-be", "Qui peut écrire"), ("en-us", "Who can write")):
        page = client.get(f"/{edition}/reviews/how-they-work")
        assert page.status_code == 200 and words in page.text, edition
        assert "365" in page.text and "3" in page.text


def test_category_and_search_cards_show_the_rating_and_count(app, client, session):
    (device, _), listing, _ = written(app, client, session)
    device_row = session.get(Review, device.id)
    device_row.status = "published"
    session.commit()
    with app.app_context():
        ratings.refresh(session, device_row, policy())
    session.commit()
    from app.catalog.models import CategoryTranslation
    slug = session.scalar(select(CategoryTranslation.slug).where(
        CategoryTranslation.category_id == listing.variant.product.category_id, CategoryTranslation.language == "fr"))

    page = client.get(f"/fr-fr/c/{slug}").text

    assert "4,0 sur 5 · 1 avis" in page


def test_htmx_moderation_and_votes_answer_with_their_fragment(app, client, session):
    (device, _), listing, _ = written(app, client, session)
    admin = make_user(session, admin=True, email="admin@shop.example")
    session.commit()
    moderator = app.test_client()
    sign_in(moderator, admin)
    hx = {"HX-Request": "true", "HX-Target": "review-queue"}

    published = moderator.post(f"/manage/reviews/{device.id}/moderate", data={"action": "publish"}, headers=hx)
    voted = client.post(f"/fr-fr/reviews/{device.id}/helpful", headers={"HX-Request": "true",
                                                                        "HX-Target": f"review-{device.id}-actions"})
    again = client.post(f"/fr-fr/reviews/{device.id}/helpful", data={"back": "//evil.example/"})

    assert published.status_code == 200 and "<html" not in published.text
    assert "The review is moderated." in published.text
    assert "Comme neuf" not in published.text and "Vendeur sérieux" in published.text   # the one left
    assert voted.status_code == 200 and "<html" not in voted.text and "Merci pour votre vote" in voted.text
    assert again.status_code == 303 and again.headers["Location"].endswith("/fr-fr/")   # no open redirect
    session.expire_all()
    assert session.get(Review, device.id).helpful_count == 1                              # one vote per visitor
    assert client.post("/fr-fr/reviews/999999/report").status_code == 404
