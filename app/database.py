"""Engine-level settings that SQLAlchemy does not make for us."""
import logging
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Milliseconds a writer waits for another one to commit before SQLite gives up ("database is
# locked"). Writes are short (the longest, a 10,000-line import, commits in a second or two),
# and gunicorn's timeout is 30 s: a wait this long is a real outage, answered as a 503.
BUSY_TIMEOUT_MS = 10000

log = logging.getLogger(__name__)


def configure_sqlite(engine: Engine, *, cache_kib: int = 65536) -> None:
    """WAL mode, enforced foreign keys, a busy timeout, write transactions begun IMMEDIATE and a page
    cache on every SQLite connection (README, "SQLite under concurrency").

    WAL lets readers carry on while a writer commits, which is what a shop on one server needs
    from gunicorn's several workers; `synchronous=NORMAL` is the setting WAL is designed for.

    Reads run outside any transaction until a request first writes (the sqlite3 driver's own
    mode): a read never holds a snapshot that a later write would have to upgrade, which SQLite
    refuses at once ("database is locked", whatever the busy timeout) when another writer committed
    in between. The first INSERT, UPDATE or DELETE begins the transaction with `BEGIN IMMEDIATE`,
    so it takes the write lock before it reads anything, waiting up to the busy timeout behind the
    writer ahead of it. A SAVEPOINT emitted before any write begins that transaction first, so the
    savepoint is part of it (without this, SQLite would commit it on RELEASE).

    The page cache (`cache_kib` per connection, allocated as pages are read) keeps the search
    indexes a listing page walks in memory: SQLite's 2 MB default makes a broad search three times
    slower on the benchmark catalog, every page coming back through a system call.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = "IMMEDIATE"     # the driver's BEGIN before the first write
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:
                # A read-only file (or file system) cannot switch modes; it still serves reads, and
                # each write answers the 503 page (app.web.errors) until it is writable again.
                log.warning("SQLite database is read-only: %s", engine.url.database)
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
        cursor.close()

    @event.listens_for(engine, "savepoint")
    def _begin_before_savepoint(connection, _name):
        dbapi_connection = connection.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN IMMEDIATE")
