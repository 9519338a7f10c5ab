"""Orders paid through the real checkout, shipped, and delivered some days ago: ready for reviews."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from app.aftersales.models import Delivery
from app.orders.models import SellerOrder
from tests.aftersales.helpers import fresh, shipped_seller_order
from tests.checkout.helpers import ADDRESSES

# A Spanish buyer (the checkout's own tests need none).
ADDRESSES.setdefault("es-es", {"email": "lucia@example.es", "phone": "612 345 678", "first_name": "Lucía",
                               "last_name": "García", "line1": "Calle Mayor 3", "line2": "", "postcode": "28013",
                               "city": "Madrid"})


def delivered_seller_order(app, client, session, *, days_ago=10, quantity=1, edition="fr-fr", market="FR",
                           **listing):
    """A buyer's seller order, delivered `days_ago` days ago (the carrier's record). Returns
    (seller order, listing, staff member of its seller)."""
    seller_order, found, staff = shipped_seller_order(app, client, session, quantity=quantity, edition=edition,
                                                      market=market, **listing)
    deliver(session, seller_order, days_ago)
    return fresh(session, seller_order), found, staff


def deliver(session, seller_order, days_ago: int) -> None:
    session.execute(update(SellerOrder).where(SellerOrder.id == seller_order.id).values(status="delivered"))
    session.add(Delivery(seller_order_id=seller_order.id, delivered_on=date.today() - timedelta(days=days_ago),
                         source="carrier"))
    session.commit()


def review_url(seller_order, which="device", edition="fr-fr") -> str:
    order = seller_order.order
    return (f"/{edition}/orders/{order.number}/lines/{seller_order.lines[0].id}/review/{which}"
            f"?token={order.access_token}")


DEVICE = {"rating": "4", "grade_match": "yes", "battery_health": "91", "title": "Comme neuf",
          "body": "Arrivé bien emballé, écran parfait, batterie à 91 %."}
SELLER = {"rating": "5", "delivery_rating": "5", "service_rating": "4", "title": "Vendeur sérieux",
          "body": "Expédié le jour même."}


def make_review(session, seller_order, *, status="published", kind="product", rating=4, grade_match="yes",
                language="fr", title="Très bien", body="Conforme.", follow_up=False):
    """A review of the first line of `seller_order`, written straight to the database."""
    from app.models_base import utcnow
    from app.reviews.models import Review
    line = seller_order.lines[0]
    review = Review(kind=kind, follow_up=follow_up, order_line_id=line.id, order_id=seller_order.order_id,
                    product_id=line.product_id, seller_id=seller_order.seller_id,
                    market_id=seller_order.order.market_id, language=language, author_name="Léa M.",
                    model=line.title, options=line.options, grade=line.grade,
                    delivered_on=date.today() - timedelta(days=10), rating=rating,
                    grade_match=grade_match if kind == "product" else None,
                    delivery_rating=5 if kind == "seller" else None, service_rating=4 if kind == "seller" else None,
                    title=title, body=body, status=status,
                    published_at=utcnow() if status == "published" else None)
    session.add(review)
    session.flush()
    return review
