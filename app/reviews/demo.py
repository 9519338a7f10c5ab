"""Demo reviews for `flask demo load`: delivered demo orders (one line each) with a published device
review and seller review, in the buyers' five languages, deterministic and idempotent (the orders
are numbered `DEMO-R00001`..., and a second run adds nothing). Their invitations are marked sent,
so `flask worker` never e-mails the demo buyers (addresses at example.com)."""
from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.aftersales.models import Delivery
from app.catalog.models import Brand, Product, ProductTranslation, Variant
from app.offers.models import Listing, ListingPrice
from app.orders.models import Order, OrderLine, SellerOrder
from app.sellers.models import Seller
from app.sites.models import Edition, Market

from . import ratings
from .models import Review, ReviewInvitation
from .rules import Policy

ORDERS = 1500                       # each with a device review and a seller review: 3,000 reviews
BASE = date(2026, 11, 1)            # the demo catalog's day
FIRST_NAMES = {"fr": ("Léa", "Hugo", "Camille", "Louis"), "es": ("Lucía", "Pablo", "Marta", "Diego"),
               "de": ("Jonas", "Anna", "Lukas", "Mia"), "it": ("Giulia", "Marco", "Sara", "Luca"),
               "en": ("Sam", "Olivia", "Jack", "Emily")}
# (title, body) per language and mood: good (4-5 stars), mixed (3), bad (1-2)
TEXTS = {
    "fr": {"good": [("Comme neuf", "Reçu bien emballé, aucune rayure visible, la batterie tient la journée."),
                    ("Très bon achat", "Conforme à la description du grade, je recommande ce vendeur.")],
           "mixed": [("Correct", "Quelques micro-rayures de plus que prévu, mais tout fonctionne.")],
           "bad": [("Déçu", "Le boîtier était plus marqué que le grade annoncé et la batterie faiblit vite.")]},
    "es": {"good": [("Como nuevo", "Llegó bien embalado, sin arañazos y la batería dura todo el día."),
                    ("Muy buena compra", "Tal como se describía el grado; repetiría con este vendedor.")],
           "mixed": [("Correcto", "Algún arañazo más de lo esperado, pero funciona todo.")],
           "bad": [("Decepcionado", "La carcasa estaba peor que el grado anunciado y la batería dura poco.")]},
    "de": {"good": [("Wie neu", "Gut verpackt angekommen, keine Kratzer, der Akku hält den ganzen Tag."),
                    ("Sehr guter Kauf", "Entspricht genau der Qualitätsstufe, gerne wieder bei diesem Händler.")],
           "mixed": [("In Ordnung", "Ein paar Kratzer mehr als erwartet, aber alles funktioniert.")],
           "bad": [("Enttäuscht", "Das Gehäuse war stärker gezeichnet als angegeben, der Akku lässt schnell nach.")]},
    "it": {"good": [("Come nuovo", "Arrivato ben imballato, nessun graffio, la batteria dura tutto il giorno."),
                    ("Ottimo acquisto", "Conforme al grado descritto, consiglio questo venditore.")],
           "mixed": [("Discreto", "Qualche graffio in più del previsto, ma funziona tutto.")],
           "bad": [("Deluso", "La scocca era più rovinata del grado indicato e la batteria cala in fretta.")]},
    "en": {"good": [("Like new", "Arrived well packed, no visible scratches, the battery lasts all day."),
                    ("Great purchase", "Exactly as the grade described; I would buy from this seller again.")],
           "mixed": [("Fine", "A few more hairline scratches than expected, but everything works.")],
           "bad": [("Disappointed", "The body was more worn than its grade and the battery drains fast.")]},
}
SELLER_TEXTS = {"fr": ("Vendeur sérieux", "Expédié vite, suivi clair, réponse rapide à ma question."),
                "es": ("Vendedor serio", "Envío rápido, seguimiento claro y respuesta rápida."),
                "de": ("Zuverlässiger Händler", "Schnell verschickt, klare Sendungsverfolgung, rasche Antwort."),
                "it": ("Venditore serio", "Spedizione veloce, tracciamento chiaro, risposta rapida."),
                "en": ("Reliable seller", "Shipped fast, clear tracking, quick answer to my question.")}


def _rng_value(*parts) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")


def load_demo_reviews(session: Session, policy: Policy, *, orders: int = ORDERS) -> int:
    """Create the demo orders and reviews not made yet; returns how many reviews were added."""
    made = set(session.scalars(select(Order.number).where(Order.number.like("DEMO-R%"))))
    if len(made) >= orders:
        return 0
    editions = {e.market_id: e for e in session.scalars(select(Edition).order_by(Edition.id))}
    markets = {m.id: m for m in session.scalars(select(Market))}
    offers = session.execute(
        select(Listing.id, Listing.seller_id, Listing.grade, Listing.warranty_months, Listing.vat_scheme,
               Variant.product_id, ListingPrice.market_id, ListingPrice.amount)
        .join(Variant, Variant.id == Listing.variant_id).join(ListingPrice, ListingPrice.listing_id == Listing.id)
        .join(Seller, Seller.id == Listing.seller_id).where(Seller.status == "approved")
        .order_by(Listing.id, ListingPrice.market_id)).all()
    if not offers:
        return 0
    names = {(product_id, language): f"{brand} {name}" for product_id, language, name, brand in session.execute(
        select(ProductTranslation.product_id, ProductTranslation.language, ProductTranslation.name, Brand.name)
        .join(Product, Product.id == ProductTranslation.product_id).join(Brand, Brand.id == Product.brand_id))}
    added, touched = 0, set()
    for n in range(1, orders + 1):
        number = f"DEMO-R{n:05d}"
        if number in made:
            continue
        pick = _rng_value("review-demo", n)
        listing_id, seller_id, grade, warranty, vat_scheme, product_id, market_id, amount = offers[pick % len(offers)]
        edition = editions.get(market_id)
        if edition is None:
            continue
        language = edition.language
        locale = f"{language}_{markets[market_id].code}"
        delivered_on = BASE - timedelta(days=8 + pick % 170)
        rating = (5, 5, 4, 5, 4, 3, 4, 5, 2, 1)[pick % 10]
        mood = "good" if rating >= 4 else "mixed" if rating == 3 else "bad"
        title, body = TEXTS[language][mood][pick % len(TEXTS[language][mood])]
        first = FIRST_NAMES[language][pick % 4]
        token = hashlib.sha256(f"demo-review-order|{number}".encode()).hexdigest()[:32]
        order = Order(number=number, access_token=token, idempotency_key=f"demo-{number}", market_id=market_id,
                      locale=locale, currency=markets[market_id].currency, status="paid",
                      email=f"demo-buyer-{n}@example.com", phone="0000000000",
                      address={"first_name": first, "last_name": "ABCDEFGHIJKLMNOPRSTV"[pick % 20], "line1": "-",
                               "line2": "", "postcode": "-", "city": "-", "region": ""},
                      goods_amount=amount, shipping_amount=0, total_amount=amount, payment_method="card")
        paid = datetime.combine(delivered_on - timedelta(days=3), time(10), tzinfo=UTC)
        seller_order = SellerOrder(seller_id=seller_id, status="delivered", delivery_method="standard",
                                   shipping_amount=0, delivery_from=delivered_on, delivery_to=delivered_on,
                                   goods_amount=amount, commission_amount=amount // 10, paid_at=paid,
                                   shipped_at=paid + timedelta(days=1))
        line = OrderLine(listing_id=listing_id, product_id=product_id, title=names.get((product_id, language), names.get((product_id, "en"), "?"))[:300],
                         options="", grade=grade, warranty_months=warranty, quantity=1, unit_amount=amount,
                         vat_scheme=vat_scheme, commission_rate_bp=1000, commission_amount=amount // 10)
        seller_order.lines.append(line)
        order.seller_orders.append(seller_order)
        session.add(order)
        session.flush()
        session.add(Delivery(seller_order_id=seller_order.id, delivered_on=delivered_on, source="carrier"))
        published = datetime.combine(delivered_on + timedelta(days=9 + pick % 20), time(12), tzinfo=UTC)
        common = dict(order_line_id=line.id, order_id=order.id, product_id=product_id, seller_id=seller_id,
                      market_id=market_id, language=language, author_name=f"{first} {order.address['last_name']}.",
                      model=line.title, options="", grade=grade, delivered_on=delivered_on, status="published",
                      created_at=published - timedelta(days=1), published_at=published)
        match = "yes" if rating >= 4 else "partly" if rating == 3 else ("no", "partly")[pick % 2]
        session.add(Review(kind="product", rating=rating, grade_match=match, title=title, body=body,
                           battery_health=80 + pick % 21 if pick % 3 else None,
                           helpful_count=pick % 7, **common))
        seller_title, seller_body = SELLER_TEXTS[language]
        seller_rating = max(rating, 3)
        session.add(Review(kind="seller", rating=seller_rating, delivery_rating=min(5, seller_rating + pick % 2),
                           service_rating=seller_rating, title=seller_title, body=seller_body, **common))
        session.add_all([ReviewInvitation(order_line_id=line.id, stage="first", sent_at=published),
                         ReviewInvitation(order_line_id=line.id, stage="follow_up", sent_at=published)])
        touched.add((product_id, seller_id))
        added += 2
    session.flush()
    for product_id in sorted({p for p, _ in touched}):
        ratings.refresh_product(session, product_id, policy)
    for seller_id in sorted({s for _, s in touched}):
        ratings.refresh_seller(session, seller_id, policy)
    return added


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Review))
