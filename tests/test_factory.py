import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.settings import ConfigurationError, normalise_database_url


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    # given
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")

    # when / then
    with pytest.raises(ConfigurationError, match="SECRET_KEY is not set"):
        create_app()


def test_production_starts_with_a_secret_key_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s3cret-from-env")
    monkeypatch.setenv("PUBLIC_URL", "https://shop.example")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    app = create_app()
    assert app.config["SECRET_KEY"] == "s3cret-from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'x.db'}"


def test_development_makes_and_keeps_its_own_key(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    first, second = create_app(), create_app()
    assert first.config["SECRET_KEY"] and first.config["SECRET_KEY"] == second.config["SECRET_KEY"]


def test_an_unknown_environment_name_is_refused(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigurationError, match="APP_ENV"):
        create_app()


@pytest.mark.parametrize("url, expected", [
    ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
    ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
    ("postgresql+psycopg://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
])
def test_database_urls_use_psycopg3(url, expected):
    assert normalise_database_url(url) == expected


def test_sqlite_file_databases_run_in_wal_mode(tmp_path):
    # given
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'w.db'}"})

    # when
    with app.app_context():
        with db.engine.connect() as connection:
            mode = connection.execute(text("PRAGMA journal_mode")).scalar()
            foreign_keys = connection.execute(text("PRAGMA foreign_keys")).scalar()

    # then
    assert mode == "wal" and foreign_keys == 1


def test_health_check(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_versioned_static_files_are_cached_for_a_year(client):
    # given: the layout links the stylesheet with a content hash
    from app.web.jinja import asset_url
    with client.application.test_request_context():
        url = asset_url("css/site.css")

    # when
    response = client.get(url)

    # then
    assert "?v=" in url and response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"] and "immutable" in response.headers["Cache-Control"]


def test_every_page_carries_security_headers(client):
    # when
    response = client.get("/healthz")

    # then
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_https_behind_a_proxy_gets_hsts(tmp_path):
    # given: one trusted proxy in front
    from tests.conftest import test_config
    app = create_app(test_config(tmp_path, PROXY_HOPS=1))

    # when
    response = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})

    # then
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_session_cookie_is_secure_in_production_only(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("PUBLIC_URL", "https://shop.example")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert create_app().config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("APP_ENV", "development")
    assert create_app().config["SESSION_COOKIE_SECURE"] is False
