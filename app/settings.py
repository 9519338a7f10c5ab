"""Read configuration from the environment, and refuse to start with an unsafe one.

Environment variables (all optional for `make run`):

- ``APP_ENV``: ``development`` or ``production`` (default). Only development may run without SECRET_KEY.
- ``SECRET_KEY``: signs sessions and CSRF tokens. Required outside development.
- ``DATABASE_URL``: SQLAlchemy URL; ``postgresql://…`` uses psycopg 3. Default: SQLite in instance/.
- ``MEDIA_ROOT``: where uploaded and generated images live. Default: instance/media.
- ``PUBLIC_URL``: the address shoppers use (``https://shop.example``); every e-mailed link starts with it,
  never with the request's Host header. Default: ``PREFERRED_URL_SCHEME://SERVER_NAME`` when SERVER_NAME is
  set; in development ``http://127.0.0.1:$PORT``. Required in production.
- ``DEFAULT_EDITION``: the edition ``/`` falls back to, e.g. ``fr-fr``.
- ``PROXY_HOPS``: how many reverse proxies set X-Forwarded-* headers (1 behind nginx).
- ``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_USE_TLS``, ``MAIL_USE_SSL``, ``MAIL_USERNAME``, ``MAIL_PASSWORD``,
  ``MAIL_FROM``: SMTP for `flask worker`. Without MAIL_SERVER, e-mails are written to instance/mail/*.eml.
- ``STRIPE_SECRET_KEY``, ``STRIPE_WEBHOOK_SECRET``: take payments with Stripe instead of the test provider.
  Production without them takes no payment: checkout refuses to place orders (``FLASK_TEST_PAYMENTS=true``
  allows the test cards on a server that takes no real orders).
- ``BACKUP_DIR``, ``BACKUP_KEEP``, ``PG_BIN_DIR``: where `flask backup` writes, how many archives it keeps.
- ``LOG_FORMAT``: ``json`` for one JSON line per request (with its request id) and per log record.
- ``MEDIA_STORAGE`` (``local`` or ``s3``), ``S3_BUCKET``, ``S3_ENDPOINT_URL``, ``S3_REGION``, ``S3_ACCESS_KEY_ID``,
  ``S3_SECRET_ACCESS_KEY``, ``S3_PREFIX``, ``S3_ADDRESSING_STYLE``: media in an S3-compatible bucket.
- ``CARRIER_WEBHOOK_SECRET``: signs carriers' delivery events (`/carriers/<carrier>/webhook`; off without it).
- any ``FLASK_<KEY>`` sets the config key ``<KEY>`` (Flask's prefixed-env convention).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask


class ConfigurationError(RuntimeError):
    """The environment does not describe a safe, runnable configuration."""


def normalise_database_url(url: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_from_environment(app: Flask) -> None:
    env = os.environ
    app.config.from_prefixed_env()
    for key in ("APP_ENV", "SECRET_KEY", "DATABASE_URL", "MEDIA_ROOT", "PUBLIC_URL", "DEFAULT_EDITION",
                "PROXY_HOPS", "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM", "STRIPE_SECRET_KEY",
                "STRIPE_WEBHOOK_SECRET", "BACKUP_DIR", "BACKUP_KEEP", "PG_BIN_DIR", "LOG_FORMAT", "MEDIA_STORAGE",
                "S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_PREFIX",
                "S3_ADDRESSING_STYLE", "CARRIER_WEBHOOK_SECRET"):
        if env.get(key):
            target = {"APP_ENV": "ENVIRONMENT", "DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}.get(key, key)
            app.config[target] = env[key]
    if env.get("MAIL_USE_TLS"):
        app.config["MAIL_USE_TLS"] = env["MAIL_USE_TLS"].lower() in ("1", "true", "yes")


def finalise(app: Flask) -> None:
    """Fill in defaults that depend on the instance folder, then check the result is safe."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    cfg = app.config

    if cfg["ENVIRONMENT"] not in ("development", "production"):
        raise ConfigurationError(f"APP_ENV must be 'development' or 'production', not {cfg['ENVIRONMENT']!r}.")
    if not cfg.get("SECRET_KEY"):
        if cfg["ENVIRONMENT"] != "development" and not cfg.get("TESTING"):
            raise ConfigurationError(
                "SECRET_KEY is not set. Outside development the shop refuses to start without one: "
                "export SECRET_KEY to a long random string (python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'), or set APP_ENV=development for a local run.")
        cfg["SECRET_KEY"] = _development_secret(instance)

    cfg["PUBLIC_URL"] = _public_url(cfg)
    if cfg.get("TEST_PAYMENTS") is None:
        cfg["TEST_PAYMENTS"] = cfg["ENVIRONMENT"] == "development"
    if not cfg.get("STRIPE_SECRET_KEY") and not cfg["TEST_PAYMENTS"]:
        app.logger.warning("APP_ENV=production without STRIPE_SECRET_KEY: the shop takes no payment and places "
                           "no order. Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.")

    if cfg.get("SESSION_COOKIE_SECURE") is None:
        # Production is served over HTTPS; a local run and the test client are plain HTTP.
        cfg["SESSION_COOKIE_SECURE"] = cfg["ENVIRONMENT"] == "production" and not cfg.get("TESTING")
    cfg.setdefault("REMEMBER_COOKIE_SECURE", cfg["SESSION_COOKIE_SECURE"])

    uri = cfg.get("SQLALCHEMY_DATABASE_URI") or f"sqlite:///{instance / 'shop.db'}"
    cfg["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    if not cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A server restart (or failover) leaves every pooled connection dead. Tested on checkout, a dead
        # one is replaced before any statement runs: without it, the first statements after the restart
        # fail one by one, in every worker, and a request may even fail after its commit went through.
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **cfg.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    cfg["MEDIA_ROOT"] = str(Path(cfg.get("MEDIA_ROOT") or instance / "media").resolve())
    cfg["MAIL_FILE_DIR"] = str(Path(cfg.get("MAIL_FILE_DIR") or instance / "mail").resolve())
    cfg["BACKUP_DIR"] = str(Path(cfg.get("BACKUP_DIR") or instance / "backups").resolve())
    if cfg.get("MEDIA_STORAGE", "local") not in ("local", "s3"):
        raise ConfigurationError(f"MEDIA_STORAGE must be 'local' or 's3', not {cfg['MEDIA_STORAGE']!r}.")
    if cfg.get("MEDIA_STORAGE") == "s3" and not cfg.get("S3_BUCKET"):
        raise ConfigurationError("MEDIA_STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL for a store other than AWS).")
    for key, kind in (("MAIL_PORT", int), ("MAIL_USE_TLS", _flag), ("MAIL_USE_SSL", _flag)):
        if key in env_overrides():
            cfg[key] = kind(env_overrides()[key])


def _public_url(cfg) -> str:
    """Where e-mailed links point: configured, never taken from a request (its Host header is the sender's)."""
    url = (cfg.get("PUBLIC_URL") or "").strip().rstrip("/")
    if not url and cfg.get("SERVER_NAME"):
        url = f"{cfg.get('PREFERRED_URL_SCHEME') or 'http'}://{cfg['SERVER_NAME']}"
    if not url:
        if cfg["ENVIRONMENT"] != "development" and not cfg.get("TESTING"):
            raise ConfigurationError(
                "PUBLIC_URL is not set. Outside development the shop refuses to start without it: e-mailed "
                "links (password reset, order page) must not be built from the request's Host header. "
                "Export PUBLIC_URL to the address shoppers use, e.g. PUBLIC_URL=https://shop.example.")
        url = f"http://127.0.0.1:{os.environ.get('PORT') or 5000}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or parts.username or parts.password or parts.path not in ("",):
        raise ConfigurationError(
            f"PUBLIC_URL must be the shop's address, scheme and host only (https://shop.example), not {url!r}.")
    return url


def env_overrides() -> dict[str, str]:
    return {key: os.environ[key] for key in ("MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL") if os.environ.get(key)}


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


def _development_secret(instance: Path) -> str:
    """A per-checkout key kept in instance/, so sessions survive a restart of `make run`."""
    path = instance / "dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()
