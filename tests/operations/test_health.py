"""/healthz and /readyz, request ids and JSON request logs, and the operations page."""
from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.mail.models import OutboxMessage
from app.models_base import utcnow
from app.operations.models import Heartbeat, beat
from tests.builders import make_markets, make_user, sign_in
from tests.conftest import test_config


@pytest.fixture
def migrated_app(empty_database_url, tmp_path):
    """An app on a database built by the migrations, as in production (the suite's usual one is create_all's)."""
    app = create_app(test_config(tmp_path, SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade()
        make_markets(db.session)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_readyz_is_ready_on_a_migrated_database_with_the_search_columns_read(migrated_app):
    client = migrated_app.test_client()

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json == {"status": "ready", "checks": {"database": "ok", "migrations": "ok",
                                                           "search_columns": "ok"},
                             "version": migrated_app.extensions["app_version"]}
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_is_not_ready_when_the_schema_is_not_the_codes(app, client):
    # the suite's database is made by create_all: no migration was ever recorded in it
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"].startswith("database at nothing, code at ")


def test_readyz_is_not_ready_when_the_database_cannot_be_reached(tmp_path):
    app = create_app(test_config(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/shop.db"))

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.json["checks"]["database"].startswith("unreachable")
    assert app.test_client().get("/healthz").status_code == 200      # the process itself is up


def test_every_response_carries_a_request_id_and_error_pages_show_it(client):
    fresh = client.get("/healthz")
    assert len(fresh.headers["X-Request-ID"]) == 32

    kept = client.get("/fr-fr/no-such-page", headers={"X-Request-ID": "nginx-0123456789abcdef"})
    assert kept.status_code == 404
    assert kept.headers["X-Request-ID"] == "nginx-0123456789abcdef"
    assert "nginx-0123456789abcdef" in kept.get_data(as_text=True)

    refused = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert refused.headers["X-Request-ID"] != "<script>"


@pytest.fixture
def json_log(tmp_path):
    """An app with LOG_FORMAT=json, and what its log handler writes."""
    app = create_app(test_config(tmp_path, LOG_FORMAT="json"))
    with app.app_context():
        db.create_all()
    logger = logging.getLogger("app")
    handler = next(h for h in logger.handlers if getattr(h, "refurb_json", False))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield app, stream
    handler.setStream(previous)
    logger.removeHandler(handler)
    logger.propagate = True
    with app.app_context():
        db.engine.dispose()


def test_json_logs_have_one_line_per_request_and_the_request_id_on_errors(json_log):
    app, stream = json_log

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    client = app.test_client()
    ok = client.get("/healthz")
    failed = client.get("/boom")

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    requests = [line for line in lines if line["logger"] == "app.requests"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [("GET", "/healthz", 200),
                                                                          ("GET", "/boom", 500)]
    assert requests[0]["request_id"] == ok.headers["X-Request-ID"]
    assert all(isinstance(r["duration_ms"], float) and r["duration_ms"] >= 0 for r in requests)
    error = next(line for line in lines if line["level"] == "error")
    assert error["request_id"] == failed.headers["X-Request-ID"] and "kaboom" in error["exception"]
    assert failed.headers["X-Request-ID"] in failed.get_data(as_text=True)


def test_the_operations_page_raises_alerts_until_the_work_reports(app, client, session):
    make_markets(session)
    admin = make_user(session, email="admin@shop.example", admin=True)
    session.add(OutboxMessage(recipient="a@b.example", subject="s", body_text="t", language="en", kind="test",
                              created_at=utcnow() - timedelta(hours=1), available_at=utcnow()))
    session.commit()
    sign_in(client, admin)

    # nothing ever reported
    page = client.get("/manage/operations/").get_data(as_text=True)
    assert "The worker has not reported for more than 5 minutes" in page
    assert "No successful backup in the last 26 hours." in page
    assert "No passed restore drill in the last 8 days." in page
    assert "An e-mail has waited in the outbox for more than 15 minutes." in page

    # the worker ran a round (sending the e-mail to the development sink), a backup and a drill passed
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    beat(session, "backup", detail="refurb-20261203T000000Z.tar.gz: 1 bytes")
    beat(session, "drill", detail="refurb-20261203T000000Z.tar.gz: home page 200")
    session.commit()
    page = client.get("/manage/operations/").get_data(as_text=True)
    assert 'role="alert"' not in page
    assert "Everything is running as expected." in page
    assert "refurb-20261203T000000Z.tar.gz: home page 200" in page

    # a failed drill is an alert again
    beat(session, "drill", ok=False, detail="checksum of database.sqlite does not match")
    session.commit()
    assert "No passed restore drill in the last 8 days." in client.get("/manage/operations/").get_data(as_text=True)
    assert session.get(Heartbeat, "worker") is not None


def test_the_operations_page_speaks_the_admins_language(app, client, session):
    make_markets(session)
    admin = make_user(session, email="admin@shop.example", admin=True, language="fr")
    session.commit()
    sign_in(client, admin, edition="fr-fr")

    page = client.get("/manage/operations/").get_data(as_text=True)

    assert "Aucune sauvegarde réussie" in page
    assert "Taille de la base de données" in page
