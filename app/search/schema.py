"""Database objects the search backends own, outside the models' metadata.

`create_all` (tests) gets them through an ``after_create`` hook; migrations write the same DDL by
hand (migrations/versions/0003_search.py). Schema comparisons (`flask db migrate`, the migration
test) leave them out with `include_object`.
"""
from __future__ import annotations

from sqlalchemy import MetaData, event

from .backends import backend_for, owns


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: ignore what a search backend created (FTS5 tables, tsvector tables, trigram index)."""
    return not (reflected and compare_to is None and owns(name))


def install_on_create(metadata: MetaData) -> None:
    """Create the backend's objects after `create_all`, drop them before `drop_all`."""
    if not event.contains(metadata, "after_create", _after_create):
        event.listen(metadata, "after_create", _after_create)
        event.listen(metadata, "before_drop", _before_drop)


def _after_create(_target, connection, **_kw) -> None:
    backend_for(connection).install(connection)


def _before_drop(_target, connection, **_kw) -> None:
    backend_for(connection).uninstall(connection)
