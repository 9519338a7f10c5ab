"""Running a CSV import with progress other requests can read.

Progress lives in a `ListingImport` row written on a connection of its own and committed at once,
so any app process can answer the page's progress requests while the import runs. The listings
themselves are written in the request's transaction: all of them, or (on any error) none.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.extensions import db

from . import csv_io
from .models import ListingImport, Seller


def _write(key: str, **values) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(ListingImport).where(ListingImport.key == key).values(**values))


class AlreadySent(Exception):
    """This import form (its key) was already sent: a second click, a reload or Back. Nothing is done twice."""


KEY = re.compile(r"[A-Za-z0-9-]{1,36}")


def import_key(value: str | None) -> str:
    """The form's key when it is one the page could have made, else a new one."""
    return value if value and KEY.fullmatch(value) else str(uuid.uuid4())


def run_import(seller: Seller, key: str, data: bytes) -> csv_io.ImportResult:
    """Check and apply one CSV file under `key`; raises AlreadySent when that key has run before."""
    session = db.session
    cfg = current_app.config
    key = import_key(key)
    if session.scalar(select(ListingImport.id).where(ListingImport.key == key)) is not None:
        raise AlreadySent(key)
    try:
        with db.engine.begin() as connection:
            connection.execute(insert(ListingImport).values(key=key, seller_id=seller.id, status="checking"))
    except IntegrityError as exc:       # the same form sent twice at once: the other request runs it
        raise AlreadySent(key) from exc
    try:
        result = csv_io.import_csv(
            session, seller, data, max_rows=cfg["LISTING_IMPORT_MAX_ROWS"], max_bytes=cfg["LISTING_IMPORT_MAX_BYTES"],
            progress=lambda done, total: _write(key, checked_lines=done, total_lines=total),
            before_apply=lambda: _write(key, status="applying"))
    except Exception:
        session.rollback()
        _write(key, status="failed")
        raise
    if not result.ok:
        session.rollback()
        _write(key, status="failed", error_count=result.error_count)
        return result
    session.execute(update(ListingImport).where(ListingImport.key == key).values(
        status="done", created=result.created, updated=result.updated, checked_lines=result.lines,
        total_lines=result.lines))
    session.commit()
    return result


@dataclass(frozen=True)
class ImportProgress:
    key: str
    status: str
    total: int
    checked: int
    errors: int
    created: int
    updated: int

    @property
    def running(self) -> bool:
        return self.status in ("waiting", "checking", "applying")

    @property
    def percent(self) -> int:
        return self.checked * 100 // self.total if self.total else 0


def import_progress(session: Session, seller: Seller, key: str) -> ImportProgress:
    """The progress of one of this seller's imports; one not started yet reads as waiting."""
    row = session.scalar(select(ListingImport).where(ListingImport.key == key[:36],
                                                     ListingImport.seller_id == seller.id))
    if row is None:
        return ImportProgress(key[:36], "waiting", 0, 0, 0, 0, 0)
    return ImportProgress(row.key, row.status, row.total_lines, row.checked_lines, row.error_count, row.created,
                          row.updated)
