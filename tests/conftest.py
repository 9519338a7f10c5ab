"""Shared fixtures: an app on a real database, a session, a test client, htmx headers.

The suite runs on SQLite (in memory, one database per test) by default, and on PostgreSQL when
TEST_DATABASE_URL is set (tables are created once and emptied after each test).
"""
from __future__ import annotations

import os

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import db

HX = {"HX-Request": "true"}
HX_BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """Compile the .po catalogs (the .mo files are build output, not committed)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from app.config import PROJECT_ROOT
    translations = PROJECT_ROOT / "translations"
    for po in [*translations.glob("*/LC_MESSAGES/messages.po"), *translations.glob("regional/*/LC_MESSAGES/messages.po")]:
        with po.open("rb") as fh:
            catalog = read_po(fh)
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


def test_config(tmp_path, **overrides) -> dict:
    from app.settings import normalise_database_url
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(TEST_DATABASE_URL) if TEST_DATABASE_URL else "sqlite://",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SERVER_NAME": "shop.test",
        # argon2 at its cheapest: the suite signs in hundreds of times.
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1,
        "MAIL_FILE_DIR": str(tmp_path / "mail"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        # Lists exact too, so a test may write then read any page; the bound has its own test.
        "PAGE_CACHE_LISTING_STALE_SECONDS": 0,
    }
    config.update(overrides)
    return config


test_config.__test__ = False      # a helper, not a test, when a test module imports it


def empty_database() -> None:
    """Remove every row, keeping the schema (PostgreSQL: tables are shared between tests)."""
    if db.engine.dialect.name == "postgresql":
        # data_version keeps its single row, as a migrated database always has it.
        tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables if t.name != "data_version")
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    # SQLite: each test has its own in-memory database, gone when the engine is disposed.


def make_test_app(tmp_path, **overrides):
    """An app on a fresh test database; use as a generator (see the `app` fixture)."""
    app = create_app(test_config(tmp_path, **overrides))
    with app.app_context():
        db.create_all()
        empty_database()      # a shared PostgreSQL database may hold rows of an interrupted run
    yield app
    with app.app_context():
        db.session.remove()
        empty_database()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    yield from make_test_app(tmp_path)


@pytest.fixture
def session(app):
    """A session of its own on the app's database, outside any Flask context.

    Requests made by the test client then run in their own app context with their own session, as in
    production: data the test did not commit is invisible to them, so a missing commit cannot hide.
    """
    with app.app_context():
        engine = db.engine
    with Session(engine) as own_session:
        yield own_session
        own_session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


class MailSink:
    """Messages received by the SMTP sink, parsed."""
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        from email import message_from_bytes, policy
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def wait_for(self, count: int = 1, timeout: float = 5.0):
        """Run the outbox worker once (as `flask worker` would), then wait for `count` messages."""
        import time

        from app.mail.worker import send_pending
        with self.app.app_context():
            send_pending(self.app, db.session)
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp_sink(app):
    """A real SMTP server on a free loopback port; the app sends its e-mails to it."""
    import socket

    from aiosmtpd.controller import Controller
    with socket.socket() as probe:       # Controller(port=0) cannot work: it connects to its own port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = MailSink()
    sink.app = app
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False, MAIL_USE_SSL=False)
    yield sink
    controller.stop()


@pytest.fixture
def count_queries(app):
    """Counts SQL statements run while the block runs. Pages are rendered every time, not served from
    the page cache: what is counted is the query shape of a render (the cache has its own tests)."""
    app.extensions.pop("page_cache", None)

    class Counter:
        n = 0

        @classmethod
        def of(cls, request):
            """The statements of `request()` once warm, and its response. It runs twice and the second
            is counted: the first loads what each worker keeps until the data changes (editions and
            markets, see app/sites/routing.py), so a test that has just changed data counts like one
            that has not."""
            request()
            cls.n = 0
            response = request()
            return cls.n, response

    def before(*_args):
        Counter.n += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    yield Counter
    event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def shared_app(tmp_path):
    """An app whose every connection sees the same database: a WAL-mode SQLite file (an in-memory
    database is private to its connection), or the PostgreSQL test database."""
    overrides = {} if TEST_DATABASE_URL else {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shop.db'}"}
    yield from make_test_app(tmp_path, **overrides)


@pytest.fixture
def shared_session(shared_app):
    with shared_app.app_context():
        engine = db.engine
    with Session(engine) as own:
        yield own
        own.rollback()
