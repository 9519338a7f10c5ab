"""PostgreSQL backend: a tsvector table per language, each language's text-search configuration
(its Snowball stemmer, without stop words), `unaccent`, and `pg_trgm` for near matches.

Documents are stored as ``setweight(to_tsvector(<config>, unaccent(field)), 'A'|'B'|'C')`` for
name, keywords and details, under a GIN index; queries go through ``to_tsquery(<config>, …)`` so
both sides are folded and stemmed alike ("téléviseurs" and "televiseur" meet at ``televis``).
Relevance is ``ts_rank`` with the same field weights as SQLite, normalised by document length.
Spelling uses trigram similarity on the vocabulary (`search_term`, GIN ``gin_trgm_ops`` index).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import (
    Connection,
    Float,
    bindparam,
    case,
    cast,
    column,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from app.i18n import LANGUAGES

from ..documents import Document
from ..text import Term
from . import best_correction, fts_table, max_typos

# Each language's built-in configuration, copied with its Snowball stemmer but without its stop-word
# list: in a shop, "Dell" (an Italian stop word), "The Frame" or "One" are product names.
SNOWBALL = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian"}
CONFIGS = {language: f"refurb_{language}" for language in SNOWBALL}
RANK_WEIGHTS = "'{0.1, 0.25, 0.4, 1.0}'::float4[]"     # D, C (details), B (keywords), A (name)
FIELD_WEIGHTS = (("name", "A"), ("keywords", "B"), ("details", "C"))


def _config(language: str):
    return literal_column(f"'{CONFIGS[language]}'::regconfig")


def _vector(language: str):
    """The weighted tsvector of a document's three fields, from the insert's parameters."""
    parts = [func.setweight(func.to_tsvector(_config(language), func.unaccent(bindparam(field))),
                            literal_column(f"'{weight}'")) for field, weight in FIELD_WEIGHTS]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector.op("||")(part)
    return vector


def _name_vector(language: str):
    return func.to_tsvector(_config(language), func.unaccent(bindparam("name")))


def _fts(language: str):
    return table(fts_table(language), column("product_id"), column("document"), column("name_document"))


def _config_statement(language: str) -> str:
    """Create the language's configuration once (a second attempt finds it and does nothing)."""
    config, snowball = CONFIGS[language], SNOWBALL[language]
    return (
        "DO $$ BEGIN "
        f"CREATE TEXT SEARCH DICTIONARY {config}_stem (TEMPLATE = snowball, Language = {snowball}); "
        f"CREATE TEXT SEARCH CONFIGURATION {config} (COPY = {snowball}); "
        f"ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, "
        f"word, hword, hword_part WITH {config}_stem; "
        "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$")


def create_statements() -> list[str]:
    statements = ["CREATE EXTENSION IF NOT EXISTS unaccent", "CREATE EXTENSION IF NOT EXISTS pg_trgm"]
    statements += [_config_statement(language) for language in LANGUAGES]
    for language in LANGUAGES:
        table = fts_table(language)
        statements += [
            (f"CREATE TABLE IF NOT EXISTS {table} (product_id INTEGER PRIMARY KEY "
             f"REFERENCES product (id) ON DELETE CASCADE, document TSVECTOR NOT NULL)"),
            f"CREATE INDEX IF NOT EXISTS ix_{table}_document ON {table} USING gin (document)",
            # The name alone, unweighted: "every word in the name" is then an index lookup, where a
            # weight-labelled query on `document` must re-read every match's whole vector.
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS name_document TSVECTOR",
            f"CREATE INDEX IF NOT EXISTS ix_{table}_name ON {table} USING gin (name_document)"]
    statements.append("CREATE INDEX IF NOT EXISTS ix_search_fts_term_trgm ON search_term "
                      "USING gin (term gin_trgm_ops)")
    return statements


def tsquery_expression(terms: Sequence[Term], *, name_only: bool = False) -> str:
    """A to_tsquery() string: each term an OR of phrases (``<->``), terms ANDed.

    Words are ASCII letters and digits only, so nothing typed can be read as tsquery syntax.
    """
    label = "A" if name_only else ""
    parts = []
    for term in terms:
        alternatives = []
        for phrase in term.alternatives:
            words = [f"{word}:{label}" if label else word for word in phrase]
            if term.prefix:
                words[-1] = f"{phrase[-1]}:*{label}"
            alternatives.append("(" + " <-> ".join(words) + ")")
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


class PostgresBackend:
    name = "postgresql-tsvector"
    tiers_in_hits = True

    def install(self, connection: Connection) -> None:
        for statement in create_statements():
            connection.exec_driver_sql(statement)

    def uninstall(self, connection: Connection) -> None:
        connection.exec_driver_sql("DROP INDEX IF EXISTS ix_search_fts_term_trgm")
        for language in LANGUAGES:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {fts_table(language)}")
            connection.exec_driver_sql(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIGS[language]}")
            connection.exec_driver_sql(f"DROP TEXT SEARCH DICTIONARY IF EXISTS {CONFIGS[language]}_stem")

    def write(self, session: Session, old: Sequence[dict], new: Sequence[Document]) -> None:
        for language in LANGUAGES:
            index = _fts(language)
            removed = [row["product_id"] for row in old if row["language"] == language]
            added = [doc.as_row() for doc in new if doc.language == language]
            ids = sorted(set(removed) | {row["product_id"] for row in added})
            if ids:
                session.execute(delete(index).where(index.c.product_id.in_(ids)))
            if added:
                session.execute(insert(index).values(product_id=bindparam("product_id"), document=_vector(language),
                                                     name_document=_name_vector(language)), added)

    def clear(self, session: Session) -> None:
        for language in LANGUAGES:
            session.execute(text(f"TRUNCATE {fts_table(language)}"))

    @contextmanager
    def bulk(self, session: Session) -> Iterator[None]:
        """More memory for the rebuild's sorts and index builds, for this transaction only."""
        session.execute(text("SET LOCAL work_mem = '256MB'"))
        session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        yield

    def finish_rebuild(self, session: Session) -> None:
        for language in LANGUAGES:
            session.execute(text(f"ANALYZE {fts_table(language)}"))
        session.execute(text("ANALYZE search_term"))

    def hits(self, language: str, terms: Sequence[Term], *, ranked: bool, name_only: bool = False,
             limit: int | None = None, tiered: bool = False):
        index = _fts(language)

        def query(in_name: bool):
            return func.to_tsquery(_config(language), func.unaccent(
                bindparam("match", tsquery_expression(terms, name_only=in_name), unique=True)))
        matching = query(name_only)
        searched = index.c.document
        if name_only and not ranked:
            searched, matching = index.c.name_document, query(False)      # the same matches, by the name's index
        if tiered:
            # Whether the words are all in the name, from the name's own (short) vector; the query
            # is a subquery so that it is parsed once, not once per match (unaccent is not immutable).
            rank = case((index.c.name_document.op("@@")(select(query(False)).scalar_subquery()), 0), else_=1)
        elif ranked:
            rank = -func.ts_rank(literal_column(RANK_WEIGHTS), index.c.document, matching, 1)
        else:
            rank = literal(0.0, Float)
        statement = select(index.c.product_id, cast(rank, Float).label("rank")).where(searched.op("@@")(matching))
        return statement.limit(limit) if limit else statement

    def add_spellings(self, session: Session, language: str, terms: Sequence[str]) -> None:
        """Nothing to do: the trigram index follows `search_term`."""

    def corrections(self, session: Session, language: str, tokens: Sequence[str]) -> dict[str, str]:
        out = {}
        for token in tokens:
            if not max_typos(token):
                continue
            candidates = session.execute(text(
                "SELECT term, documents FROM search_term WHERE language = :language AND term % :token "
                "ORDER BY similarity(term, :token) DESC, documents DESC LIMIT 20"),
                {"language": language, "token": token}).all()
            best = best_correction(token, [(term, documents) for term, documents in candidates])
            if best:
                out[token] = best
        return out
