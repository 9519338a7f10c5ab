"""Model comparison: collected in the session from product pages and lists, shown side by side."""
import re

from tests.builders import make_listing, make_markets, make_product
from tests.conftest import HX


def products(session, count):
    make_markets(session)
    found = []
    for n in range(count):
        product = make_product(session, key=f"model-{n}", names={"fr": f"Modèle {n}"},
                               specs={"screen_in": f"6.{n}", "chip": f"Chip {n}"})
        make_listing(session, variant=product.variants[0], grade="good", prices={"FR": 30000 + n * 1000})
        make_listing(session, variant=product.variants[0], grade="fair", prices={"FR": 25000 + n * 1000})
        found.append(product)
    session.commit()
    return found


def test_models_added_from_anywhere_are_shown_side_by_side(client, session):
    first, second = products(session, 2)

    added = client.post("/fr-fr/compare/add", data={"product_id": first.id, "next": "/fr-fr/p/model-0-fr"})
    client.post("/fr-fr/compare/add", data={"product_id": second.id, "next": "/fr-fr/"})
    html = re.sub(r"\s+", " ", client.get("/fr-fr/compare/").get_data(as_text=True))

    assert added.status_code == 303 and added.location.endswith("/fr-fr/p/model-0-fr")
    assert "Modèle 0" in html and "Modèle 1" in html
    assert "250,00 €" in html and "310,00 €" in html          # from price of each, and per grade
    assert "Chip 0" in html and "Chip 1" in html
    assert "Comparer 2 modèles" in html                         # the header counter
    assert "products=model-0,model-1" in html                   # a link to share it


def test_a_shared_link_shows_the_named_models_without_a_session(client, session):
    products(session, 3)

    html = client.get("/fr-fr/compare/?products=model-2,model-0,unknown").get_data(as_text=True)

    assert html.index("Modèle 2") < html.index("Modèle 0") and "Modèle 1" not in html


def test_no_more_than_four_models_and_a_clear_message(client, session):
    found = products(session, 5)
    for product in found[:4]:
        client.post("/fr-fr/compare/add", data={"product_id": product.id})

    response = client.post("/fr-fr/compare/add", data={"product_id": found[4].id}, headers=HX)
    html = response.get_data(as_text=True)

    assert response.status_code == 200 and "jusqu&#39;à 4 modèles" in html
    assert 'aria-pressed="false"' in html and 'hx-swap-oob="true"' in html
    assert "Modèle 4" not in client.get("/fr-fr/compare/").get_data(as_text=True)


def test_htmx_toggle_answers_the_control_and_the_counter(client, session):
    first, = products(session, 1)

    added = client.post("/fr-fr/compare/add", data={"product_id": first.id}, headers=HX).get_data(as_text=True)
    removed = client.post("/fr-fr/compare/remove", data={"product_id": first.id}, headers=HX).get_data(as_text=True)

    assert "<html" not in added and 'aria-pressed="true"' in added and "Comparer 1 modèle" in added
    assert 'aria-pressed="false"' in removed and "Comparer 1" not in removed


def test_bad_input_is_refused_and_never_redirects_off_site(client, session):
    first, = products(session, 1)

    assert client.post("/fr-fr/compare/add", data={"product_id": "x"}).status_code == 400
    assert client.post("/fr-fr/compare/add", data={"product_id": 99999}).status_code == 400
    for target in ("https://evil.test/", "//evil.test/x", "/\\evil.test"):
        response = client.post("/fr-fr/compare/add", data={"product_id": first.id, "next": target})
        assert response.status_code == 303 and response.location.endswith("/fr-fr/compare/")
