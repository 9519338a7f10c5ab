"""SQLite backend: one FTS5 table per language, and a spelling index of one-letter deletions.

FTS5 folds case and accents itself (``unicode61 remove_diacritics 2``) and keeps prefix indexes for
type-ahead. The tables are contentless (rowid = product id): the text lives once, in
`search_document`, which is also what removing an entry needs (FTS5's ``delete`` command).
Relevance is BM25 with the name weighted above category words, above details.

Spelling (SymSpell's idea): every vocabulary word is stored under itself and each of its one-letter
deletions; a typed word and its deletions meet a stored word's keys whenever the two are one
insertion, deletion, substitution or transposition apart ("ipone" and "iphone" share "ipone").
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Float, bindparam, column, func, insert, literal, select, table
from sqlalchemy.orm import Session

from app.i18n import LANGUAGES

from ..documents import Document
from ..models import SearchTerm
from ..text import Term, deletions
from . import best_correction, fts_table, max_typos

WEIGHTS = (10.0, 4.0, 1.0)     # name, keywords, details
SPELL = table("search_fts_spell", column("language"), column("key"), column("term"))


def _fts(language: str):
    """A language's FTS5 table as SQLAlchemy sees it, with FTS5's hidden columns: the one named after
    the table (for commands and MATCH) and rowid (the product id)."""
    name = fts_table(language)
    return table(name, column(name), column("rowid"), column("name"), column("keywords"), column("details"))
REBUILD_CACHE_KIB = 512 * 1024
# FTS5's BM25 normalises by the length of the whole row, all columns together, so a model sold in
# six colours would rank below a look-alike sold in two. Rows are padded to the same length outside
# the name with a filler word no query can contain ("þ": queries are folded to ASCII), so that only
# the name's length counts: "iPhone 13" ranks above "iPhone 13 Pro" for "iphone 13".
PAD_TO = 48
FILLER = "þ"


def _indexed(row: dict) -> dict:
    """A document as written to FTS5 (and removed from it: the same text both times)."""
    used = len(row["keywords"].split()) + len(row["details"].split())
    padding = " ".join([FILLER] * max(PAD_TO - used, 0))
    return {**row, "details": f"{row['details']} {padding}".strip()}


def _create_statements() -> list[str]:
    statements = [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts_table(language)} USING fts5("
        "name, keywords, details, content='', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')"
        for language in LANGUAGES]
    statements.append("CREATE TABLE IF NOT EXISTS search_fts_spell (language VARCHAR(2) NOT NULL, "
                      "key VARCHAR(64) NOT NULL, term VARCHAR(64) NOT NULL, "
                      "PRIMARY KEY (language, key, term)) WITHOUT ROWID")
    return statements


def match_expression(terms: Sequence[Term], *, name_only: bool = False) -> str:
    """An FTS5 query: each term an OR of quoted phrases, terms ANDed.

    Words are ASCII letters and digits only (see `app.search.text.folded_words`), and every one is
    quoted, so nothing a shopper types can be read as FTS5 syntax.
    """
    parts = []
    for term in terms:
        alternatives = []
        for phrase in term.alternatives:
            quoted = '"' + " ".join(phrase) + '"'
            alternatives.append(quoted + (" *" if term.prefix else ""))
        parts.append("(" + " OR ".join(alternatives) + ")")
    expression = " AND ".join(parts)
    return f"name : ({expression})" if name_only else expression


class SqliteBackend:
    name = "sqlite-fts5"
    tiers_in_hits = False        # FTS5 cannot tell which column matched: a second, name-only query does

    def install(self, connection: Connection) -> None:
        for statement in _create_statements():
            connection.exec_driver_sql(statement)

    def uninstall(self, connection: Connection) -> None:
        for language in LANGUAGES:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {fts_table(language)}")
        connection.exec_driver_sql("DROP TABLE IF EXISTS search_fts_spell")

    def write(self, session: Session, old: Sequence[dict], new: Sequence[Document]) -> None:
        for language in LANGUAGES:
            index = _fts(language)
            removed = [_indexed(row) for row in old if row["language"] == language]
            if removed:
                # FTS5's "delete" command: the table's own hidden column set to 'delete', with the
                # values the entry was indexed with.
                session.execute(insert(index), [
                    {index.name: "delete", "rowid": row["product_id"], "name": row["name"],
                     "keywords": row["keywords"], "details": row["details"]} for row in removed])
            added = [_indexed(doc.as_row()) for doc in new if doc.language == language]
            if added:
                session.execute(insert(index), [
                    {"rowid": row["product_id"], "name": row["name"], "keywords": row["keywords"],
                     "details": row["details"]} for row in added])

    def clear(self, session: Session) -> None:
        connection = session.connection()
        self.uninstall(connection)
        self.install(connection)

    @contextmanager
    def bulk(self, session: Session) -> Iterator[None]:
        """A rebuild reads the whole catalog in join order: give this connection a page cache that
        holds its indexes (the 2 MB default makes it ten times slower), then give the memory back."""
        connection = session.connection()
        previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size=-{REBUILD_CACHE_KIB}")
        try:
            yield
        finally:
            connection.exec_driver_sql(f"PRAGMA cache_size={int(previous)}")

    def finish_rebuild(self, session: Session) -> None:
        for language in LANGUAGES:
            index = _fts(language)
            session.execute(insert(index).values({index.name: "optimize"}))

    def hits(self, language: str, terms: Sequence[Term], *, ranked: bool, name_only: bool = False,
             limit: int | None = None, tiered: bool = False):
        if tiered:
            raise ValueError("FTS5 does not tell which column matched (tiers_in_hits is False)")
        index = _fts(language)
        rank = func.bm25(index.c[index.name], *WEIGHTS) if ranked else literal(0.0, Float)
        statement = (select(index.c.rowid.label("product_id"), rank.label("rank"))
                     .where(index.c[index.name].op("MATCH")(
                         bindparam("match", match_expression(terms, name_only=name_only), unique=True))))
        return statement.limit(limit) if limit else statement

    def add_spellings(self, session: Session, language: str, terms: Sequence[str]) -> None:
        rows = [{"language": language, "key": key, "term": term}
                for term in terms if term.isalpha() and len(term) >= 3 for key in deletions(term)]
        for start in range(0, len(rows), 10_000):
            session.execute(insert(SPELL).prefix_with("OR IGNORE"), rows[start:start + 10_000])

    def corrections(self, session: Session, language: str, tokens: Sequence[str]) -> dict[str, str]:
        out = {}
        for token in tokens:
            if not max_typos(token):
                continue
            keys = sorted(deletions(token))
            spelled = select(SPELL.c.term).where(SPELL.c.language == language, SPELL.c.key.in_(keys))
            candidates = session.execute(select(SearchTerm.term, SearchTerm.documents).where(
                SearchTerm.language == language, SearchTerm.term.in_(spelled))).all()
            best = best_correction(token, [(term, documents) for term, documents in candidates])
            if best:
                out[token] = best
        return out
