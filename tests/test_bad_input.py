"""Bad input everywhere: generated values in every path segment, query parameter and form field of
every route. Whatever arrives, the answer is never a 500 and never shows a stack trace."""
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import db
from tests import conftest
from tests.builders import make_listing, make_markets, make_product

# Query and form names the views read; unknown ones must be ignored just as safely.
FIELDS = ["page", "grade", "storage", "color", "ram", "size", "connectivity", "battery", "products", "token",
          "q", "sort", "listing_id", "quantity", "product_id", "next", "key", "method", "card_number",
          "card_expiry", "card_cvc", "email", "phone", "postcode", "region", "decision", "csrf_token", "zzz"]
NASTY = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "1e309", "NaN", "%00", "../../etc/passwd",
                     "<script>alert(1)</script>", "' OR 1=1 --", '"', "*", "NEAR(", "//evil.test", "\u202e",
                     "x" * 5000, "1.5", "[]", "{}", "null"]),
    st.integers(min_value=-2**63, max_value=2**63).map(str))
SEGMENT = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#"),
                            min_size=1, max_size=30),
                    st.sampled_from(["fr-fr", "de-de", "xx-yy", "1", "0", "-1", "apple-iphone-13", "%20"]))


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield pytest.param(rule.rule, method, id=f"{method} {rule.rule}")


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    generator = conftest.make_test_app(tmp_path_factory.mktemp("fuzz"))
    app = next(generator)
    with app.app_context():
        engine = db.engine
    with Session(engine) as session:
        make_markets(session)
        product = make_product(session, key="apple-iphone-13")
        make_listing(session, variant=product.variants[0], prices={"FR": 30000, "DE": 31000})
        session.commit()
    yield app
    next(generator, None)


def fill(rule: str, draw_segment) -> str:
    return re.sub(r"<(?:[a-z]+:)?(\w+)>", lambda m: draw_segment(m.group(1)), rule)


def pytest_generate_tests(metafunc):
    if "route" in metafunc.fixturenames:
        app = create_app(conftest.test_config(Path("/tmp")))        # only its URL map is read
        metafunc.parametrize("route,method", list(routes(app)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_route_answers_500_to_bad_input(fuzz_app, route, method, data):
    edition = data.draw(st.sampled_from(["fr-fr", "de-de", "en-us", "xx-yy"]))
    path = fill(route, lambda name: edition if name == "edition" else data.draw(SEGMENT).replace("/", "_"))
    values = data.draw(st.dictionaries(st.sampled_from(FIELDS), NASTY, max_size=6))
    client = fuzz_app.test_client()
    headers = data.draw(st.sampled_from([{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Target": "div#purchase"}]))
    if method == "GET":
        response = client.get(path, query_string=values, headers=headers)
    else:
        response = client.post(path, data=values, headers=headers)
    body = response.get_data(as_text=True)
    if route == "/readyz":
        # Its 503 is its answer, not a crash: this database was made by create_all, not migrated to head.
        assert response.status_code in (200, 503) and response.json["status"] in ("ready", "not ready"), body
        return
    assert response.status_code < 500, (method, path, values, body[:500])
    assert "Traceback" not in body


def test_numbers_too_large_for_the_database_are_ignored_not_a_crash(fuzz_app):
    client = fuzz_app.test_client()
    for value in ("99999999999999999999", str(2**63), str(-2**63)):
        assert client.post("/fr-fr/compare/add", data={"product_id": value}).status_code == 400
        assert client.post("/fr-fr/cart/add", data={"listing_id": value}).status_code == 409
        assert client.get("/fr-fr/", query_string={"page": value}).status_code == 200
