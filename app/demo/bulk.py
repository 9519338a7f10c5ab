"""Bulk-writing helpers for the benchmark generator: Core inserts in batches, ids assigned ahead
of insert so children can point at parents, and a connection tuned for a long write."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.orm import Session

ROWS_PER_INSERT = 10_000
SQLITE_CACHE_KIB = 512 * 1024


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    # Core inserts on the Table, not the mapped class: the ORM bulk path re-maps every row's keys
    # and is about a third slower here, for nothing, as no ORM object is involved.
    for start in range(0, len(rows), ROWS_PER_INSERT):
        session.execute(insert(table), rows[start:start + ROWS_PER_INSERT])


def new_ids(session: Session, table: Table, count: int) -> Sequence[int]:
    """`count` unused ids of `table`, assigned here so that child rows can point at them before insert.

    SQLite: the ids after max(id), which is what SQLite itself would pick (nothing else may write to
    the catalog during the run). PostgreSQL: taken from the table's id sequence, so that rows the shop
    inserts meanwhile or afterwards never collide with ours.
    """
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sequence = session.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name})
        if sequence:
            return list(session.scalars(text("SELECT nextval(CAST(:sequence AS regclass)) "
                                             "FROM generate_series(1, :count)"),
                                        {"sequence": sequence, "count": count}))
    first = int(session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1
    return range(first, first + count)


def assign_ids(session: Session, table: Table, rows: list[dict[str, Any]],
                children: Sequence[tuple[list[dict[str, Any]], str]]) -> None:
    """Replace the chunk-local ids (0, 1, 2…) of `rows`, and the references to them, by real ids."""
    ids = new_ids(session, table, len(rows))
    for row in rows:
        row["id"] = ids[row["id"]]
    for child_rows, column in children:
        for row in child_rows:
            row[column] = ids[row[column]]


@contextmanager
def bulk_write_settings(connection: Connection) -> Iterator[None]:
    """Trade durability for speed on this connection only, for the length of the run, then restore.

    A crash mid-run can at worst lose the last chunks, which the next run tops up again; nothing
    but generated rows is written meanwhile. SQLite: no fsync and a larger page cache (the indexes
    of a million-row table no longer fit the default 2 MB); PostgreSQL: asynchronous commit.
    """
    dialect = connection.dialect.name
    saved: dict[str, Any] = {}
    if dialect == "sqlite":
        for pragma in ("synchronous", "cache_size"):
            saved[pragma] = connection.exec_driver_sql(f"PRAGMA {pragma}").scalar()
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
        connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    elif dialect == "postgresql":
        connection.exec_driver_sql("SET synchronous_commit TO off")
    # The Session bound to this connection must start its own transaction, so that its commits are real.
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        for pragma, value in saved.items():
            connection.exec_driver_sql(f"PRAGMA {pragma}={int(value)}")
        if dialect == "postgresql":
            connection.exec_driver_sql("RESET synchronous_commit")
        connection.commit()
