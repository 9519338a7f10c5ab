"""The product page shows the measured failure rate per grade, the reliable seller badge, and says
when reliability decided the best offer; its query count does not grow with the offers."""
from datetime import date, timedelta

from app.quality import rates
from tests.builders import make_listing, make_product, make_seller
from tests.quality.helpers import claim, sold_units


def history(session, listing, units, failed):
    day = date.today() - timedelta(days=120)
    sold = sold_units(session, listing, delivered_on=day, count=units)
    for unit in sold[:failed]:
        claim(session, unit, on=day + timedelta(days=20))


def shop(session):
    product = make_product(session, key="qphone", names={"fr": "QPhone"})
    variant = product.variants[0]
    steady = make_listing(session, variant=variant, seller=make_seller(session, name="Atelier Sûr"),
                          prices={"FR": 30000})
    middling = make_listing(session, variant=variant, seller=make_seller(session, name="Atelier Moyen"),
                            prices={"FR": 31000})
    shaky = make_listing(session, variant=variant, seller=make_seller(session, name="Atelier Fragile"),
                         prices={"FR": 28000})
    history(session, steady, 300, 0)
    history(session, middling, 40, 4)
    history(session, shaky, 40, 12)
    rates.recompute(session, date.today())
    session.commit()
    return product, steady, shaky


def test_reliability_decides_and_the_page_says_so_with_the_figures(client, session):
    shop(session)
    page = client.get("/fr-fr/p/qphone-fr").get_data(as_text=True)
    buybox = page[page.index('class="buybox"'):page.index("other-offers")]
    assert "Atelier Sûr" in buybox and "28,00" not in buybox
    assert "taux de panne plus faible" in buybox                 # "chosen for its lower failure rate"
    assert "Vendeur fiable" in buybox                            # its upper bound is under the peers' median
    grades = page[page.index("grade-comparison"):]
    assert "Taux de panne à 90 jours" in grades and "380" in grades
    assert "Pas encore assez de données" in grades               # the grades nobody sold yet


def test_the_query_count_does_not_grow_with_measured_offers(client, session, count_queries):
    product, _, _ = shop(session)
    few, _ = count_queries.of(lambda: client.get("/fr-fr/p/qphone-fr?grade=good"))
    for n in range(6):
        listing = make_listing(session, variant=product.variants[0], prices={"FR": 32000 + n})
        history(session, listing, 31, n)
    rates.recompute(session, date.today())
    session.commit()
    many, response = count_queries.of(lambda: client.get("/fr-fr/p/qphone-fr?grade=good"))
    assert response.status_code == 200 and many == few


def test_the_seller_page_is_public_and_linked_from_every_offer(client, session):
    _, steady, shaky = shop(session)
    page = client.get("/fr-fr/p/qphone-fr").get_data(as_text=True)
    assert f'href="/fr-fr/sellers/{steady.seller.slug}"' in page and f'href="/fr-fr/sellers/{shaky.seller.slug}"' in page
    response = client.get(f"/de-de/sellers/{shaky.seller.slug}")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Atelier Fragile" in text and "Lyon" in text
    assert "Ausfallrate innerhalb von 90 Tagen" in text and "12 Monate" in text
    assert client.get("/de-de/sellers/nobody").status_code == 404


def test_the_ranking_page_describes_the_live_rule_of_the_edition(client, session):
    from app.offers.best import CRITERIA, RANKING
    from app.quality.models import MarketQuality
    from tests.builders import market
    assert len(CRITERIA) == len(RANKING)
    session.add(MarketQuality(market_id=market(session, "BE").id, reliability_weight=250, at_risk_ineligible=True,
                              at_risk_ppm=15_000, review_ppm=30_000, review_min_buyers=7))
    session.commit()
    fr = client.get("/fr-fr/how-offers-are-ranked").get_data(as_text=True)
    be = client.get("/fr-be/how-offers-are-ranked").get_data(as_text=True)
    assert "ranking-criteria" in fr and "Puis la garantie la plus longue." in fr
    assert "perdent les égalités" in fr and "jamais" not in fr
    assert "2,5" in be and "jamais" in be and "perdent les égalités" not in be
