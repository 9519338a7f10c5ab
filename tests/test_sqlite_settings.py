"""SQLite under concurrency (README, "SQLite under concurrency"): WAL, a busy timeout, write
transactions begun IMMEDIATE, savepoints inside their transaction, so that "database is locked"
never reaches a visitor. A WAL-mode file shared by real connections, in the PG run too."""
import threading
import time

import pytest
from sqlalchemy import text

from app.database import BUSY_TIMEOUT_MS
from app.extensions import db
from tests.conftest import make_test_app


@pytest.fixture
def engine(tmp_path):
    app_factory = make_test_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'shop.db'}")
    app = next(app_factory)
    with app.app_context():
        engine = db.engine
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
    yield engine
    next(app_factory, None)


def test_every_connection_is_in_wal_mode_with_a_busy_timeout(engine):
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == BUSY_TIMEOUT_MS
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_read_then_write_transaction_survives_a_writer_that_committed_in_between(engine):
    # With a deferred transaction holding a read snapshot, SQLite refuses the later write at once
    # (SQLITE_BUSY_SNAPSHOT, "database is locked") whatever the busy timeout.
    with engine.connect() as first:
        assert first.execute(text("SELECT n FROM counter")).scalar() == 0
        with engine.begin() as second:
            second.execute(text("UPDATE counter SET n = n + 1"))
        first.execute(text("UPDATE counter SET n = n + 10"))
        first.commit()
    with engine.connect() as check:
        assert check.execute(text("SELECT n FROM counter")).scalar() == 11


def test_writers_wait_for_each_other_instead_of_failing(engine):
    errors, done = [], []

    def write(n):
        try:
            with engine.begin() as connection:
                value = connection.execute(text("UPDATE counter SET n = n + 1 RETURNING n")).scalar()
                time.sleep(0.05)            # hold the write lock a while: the others must wait
                connection.execute(text("UPDATE counter SET n = :v WHERE id = 1"), {"v": value})
            done.append(n)
        except Exception as exc:            # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(done) == 8
    with engine.connect() as check:
        assert check.execute(text("SELECT n FROM counter")).scalar() == 8


def test_the_first_write_begins_immediate_and_a_savepoint_stays_inside_the_transaction(engine):
    statements = []
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        raw.set_trace_callback(statements.append)
        connection.execute(text("SELECT n FROM counter"))
        assert not raw.in_transaction              # reads hold no snapshot
        with connection.begin_nested():            # a savepoint before any write
            connection.execute(text("UPDATE counter SET n = 5"))
        assert raw.in_transaction                  # RELEASE did not commit it
        connection.rollback()
        raw.set_trace_callback(None)
    assert "BEGIN IMMEDIATE" in statements
    assert statements.index("BEGIN IMMEDIATE") < next(i for i, s in enumerate(statements) if s.startswith("SAVEPOINT"))
    with engine.connect() as check:
        assert check.execute(text("SELECT n FROM counter")).scalar() == 0
