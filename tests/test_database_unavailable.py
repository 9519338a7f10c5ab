"""A database that cannot answer (gone, read-only) gives the localized 503 page with Retry-After,
never a 500 or a traceback; tests/reliability does the same to a running gunicorn (a stopped
PostgreSQL, a full disk under SQLite) and watches the shop recover by itself."""
import sqlite3

import pytest

from app import create_app
from app.extensions import db
from app.web.errors import RETRY_AFTER_SECONDS
from tests.checkout.helpers import stock
from tests.conftest import make_test_app, test_config


def _assert_unavailable(response, lang, title):
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert f'<html lang="{lang}"' in html and title in html
    assert "Traceback" not in html


@pytest.mark.parametrize("path, lang, title", [
    ("/fr-fr/", "fr-fr", "Temporairement indisponible"),
    ("/de-be/search?q=phone", "de-be", "Vorübergehend nicht verfügbar"),
    ("/it-it/cart/", "it-it", "Temporaneamente non disponibile"),
    ("/en-us/", "en-us", "Temporarily unavailable"),
])
def test_a_database_that_cannot_be_opened_answers_the_503_page_in_the_address_language(tmp_path, path, lang, title):
    app = create_app(test_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'shop.db'}"))
    _assert_unavailable(app.test_client().get(path), lang, title)
    with app.app_context():
        db.engine.dispose()


def test_a_read_only_database_answers_writes_with_the_503_page_and_keeps_serving_reads(tmp_path):
    path = tmp_path / "shop.db"
    build = make_test_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    app = next(build)
    from sqlalchemy.orm import Session
    with app.app_context():
        with Session(db.engine) as session:
            listing_id = stock(session, quantity=2).id
        db.engine.dispose()
    sqlite3.connect(path).execute("PRAGMA journal_mode=DELETE").close()   # a read-only file cannot be in WAL mode
    read_only = create_app(test_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///file:{path}?mode=ro&uri=true"))
    client = read_only.test_client()

    assert client.get("/fr-fr/").status_code == 200
    _assert_unavailable(client.post("/fr-fr/cart/add", data={"listing_id": listing_id, "quantity": 1}),
                        "fr-fr", "Temporairement indisponible")
    assert client.get("/fr-fr/").status_code == 200
    with read_only.app_context():
        db.engine.dispose()
    next(build, None)
