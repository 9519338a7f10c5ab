"""Engine-level settings that SQLAlchemy does not make for us."""
from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_sqlite(engine: Engine) -> None:
    """WAL mode, enforced foreign keys and a busy timeout on every SQLite connection.

    WAL lets readers carry on while a writer commits, which is what a shop on one server needs
    from gunicorn's several workers; `synchronous=NORMAL` is the setting WAL is designed for.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
