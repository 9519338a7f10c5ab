"""Full-text backends: one interface, one implementation per database.

The backend follows the configured database: SQLite gets FTS5 tables, PostgreSQL gets tsvector
tables searched with each language's text-search configuration, `unaccent` and `pg_trgm`. Both
index the same `SearchDocument` texts and answer the same `Term` lists (see `app.search.text`), and
both pass the same contract tests (tests/search/test_backends.py).

Each backend owns database objects outside the SQLAlchemy metadata (virtual tables, tsvector tables,
trigram indexes); their names start with ``search_fts`` so that schema comparisons can leave them
out (`owns`).
"""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from sqlalchemy import Connection, Select
from sqlalchemy.orm import Session

from app.i18n import LANGUAGES

from ..documents import Document
from ..text import Term

PREFIX = "search_fts"


def fts_table(language: str) -> str:
    """Name of a language's full-text table; the language comes from a fixed list, never from input."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return f"{PREFIX}_{language}"


def owns(name: str | None) -> bool:
    """Whether a table or index name belongs to a backend rather than to the models."""
    return bool(name) and (name.startswith(PREFIX) or name.startswith(f"ix_{PREFIX}"))


class Backend(Protocol):
    name: str
    tiers_in_hits: bool       # whether `hits(tiered=True)` ranks 0/1 by "every word in the name"

    def install(self, connection: Connection) -> None:
        """Create the backend's own tables and indexes if they are missing (idempotent)."""

    def uninstall(self, connection: Connection) -> None:
        """Drop the backend's own tables and indexes (before the models' tables are dropped)."""

    def write(self, session: Session, old: Sequence[dict], new: Sequence[Document]) -> None:
        """Replace index entries: remove `old` (rows of `SearchDocument` as they were), add `new`."""

    def clear(self, session: Session) -> None:
        """Remove every index entry and spelling key, before a rebuild."""

    def bulk(self, session: Session) -> AbstractContextManager[None]:
        """Connection settings for the length of a rebuild (memory for sorts and caches)."""

    def finish_rebuild(self, session: Session) -> None:
        """Whatever a bulk load leaves to do (optimise, analyse)."""

    def hits(self, language: str, terms: Sequence[Term], *, ranked: bool, name_only: bool = False,
             limit: int | None = None, tiered: bool = False) -> Select:
        """A SELECT of ``product_id`` and ``rank`` (smaller is better) of the documents matching all terms;
        with `limit`, the first matches found (in no particular order) and no more."""

    def add_spellings(self, session: Session, language: str, terms: Sequence[str]) -> None:
        """Make new vocabulary words available to `corrections`."""

    def corrections(self, session: Session, language: str, tokens: Sequence[str]) -> dict[str, str]:
        """For each unknown token, the closest vocabulary word, when there is one near enough."""


def backend_for(session_or_connection) -> Backend:
    """The backend for a Session (plain or scoped) or a Connection, from its database's dialect."""
    bind = session_or_connection.get_bind() if hasattr(session_or_connection, "get_bind") \
        else session_or_connection
    dialect = bind.dialect.name
    if dialect == "postgresql":
        from .postgres import PostgresBackend
        return PostgresBackend()
    from .sqlite import SqliteBackend
    return SqliteBackend()


def max_typos(token: str) -> int:
    """How many edits a word of this length may carry and still be corrected."""
    return 0 if len(token) < 4 else 1 if len(token) < 8 else 2


def best_correction(token: str, candidates: Sequence[tuple[str, int]]) -> str | None:
    """The candidate nearest to `token` (fewest edits), the most common among equals."""
    from ..text import edit_distance
    limit = max_typos(token)
    scored = [(edit_distance(token, term, limit), -documents, term) for term, documents in candidates
              if term != token]
    scored = [s for s in scored if s[0] <= limit]
    return min(scored)[2] if scored else None
