"""Derived data, kept in step with every write in one visible place: the session's commit steps.

A listing changes in many places (seller portal, checkout, back office, CSV imports, the demo
loader), and what a write derives must never depend on each of them remembering it. So these
steps run on every SQLAlchemy Session (the app's and the tests' own), registered here and nowhere
else, by `install()` from the application factory:

on each flush (in the same transaction)
  - `app.offers.history.record_price_periods`: a changed `ListingPrice.amount` closes its price
    period and opens a new one (the Omnibus 30-day reference);
  - `app.catalog.slugs.retire_changed_slugs`: a changed slug is kept as a retired one (301s);
  - `app.search.tracking.note_flush` and `app.data_versions.notice_flush`: note which products'
    offers or texts changed, and whether a table shown on every page was written;

on each statement run through a Session (bulk `update(...)`, raw INSERTs of the CSV import)
  - `app.search.tracking.note_statement` and `app.data_versions.notice_statement`: the same notes;

before COMMIT, in this order (`commit`)
  1. flush what is left (its notes are taken);
  2. `app.search.tracking.commit_step`: refresh those products' search summaries, facet counts and
     documents (the long part: 1-30 ms per product, seconds for thousands);
  3. `app.data_versions.commit_step`, last: one UPDATE of the version row (its lock is held only
     from here to COMMIT) and the change log's INSERT of the products changed.

A rollback forgets the notes. Bulk loaders that rebuild the index afterwards pause the search
notes with `app.search.tracking.paused(session)`.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from app import data_versions
from app.catalog import slugs
from app.offers import history
from app.search import tracking


def commit(session: Session) -> None:
    session.flush()
    tracking.commit_step(session)
    session.flush()
    data_versions.commit_step(session)


def forget(session: Session, *args) -> None:
    tracking.forget(session)
    data_versions.forget(session)


STEPS = (
    ("after_flush", history.record_price_periods),
    ("after_flush", slugs.retire_changed_slugs),
    ("before_flush", tracking.note_flush),
    ("before_flush", data_versions.notice_flush),
    ("do_orm_execute", tracking.note_statement),
    ("do_orm_execute", data_versions.notice_statement),
    ("before_commit", commit),
    ("after_soft_rollback", forget),
    ("after_commit", forget),
)


def install() -> None:
    """Listen on every Session; safe to call more than once (each app the tests make calls it)."""
    for name, step in STEPS:
        if not event.contains(Session, name, step):
            event.listen(Session, name, step)
