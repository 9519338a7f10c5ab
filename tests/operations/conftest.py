"""A new, empty database to restore or migrate into: a SQLite file, or a PostgreSQL database dropped afterwards."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from app.settings import normalise_database_url


@pytest.fixture
def empty_database_url(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    base = normalise_database_url(base)
    name = f"ops_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
