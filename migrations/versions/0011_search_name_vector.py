"""search (PostgreSQL): each language's full-text table gets the product name's own vector and index

Revision ID: 0011_search_name_vector
Revises: 0010_search_change
Create Date: 2026-11-23 19:55:00

"Every word in the name" (the first relevance tier) was a weight-labelled query on the whole
document, which PostgreSQL must check by re-reading every match's vector; an unweighted vector of
the name alone, under its own GIN index, answers it from the index. Filled here from the stored
documents, so no reindex is needed. SQLite (FTS5 column filters) has nothing to change.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_search_name_vector'
down_revision = '0010_search_change'
branch_labels = None
depends_on = None

# Copied rather than imported, so that this migration keeps meaning what it meant.
LANGUAGES = ("en", "fr", "de", "es", "it")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for language in LANGUAGES:
        table = f"search_fts_{language}"
        op.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS name_document TSVECTOR")
        op.execute(f"UPDATE {table} AS f SET name_document = to_tsvector('refurb_{language}'::regconfig, "
                   f"unaccent(d.name)) FROM search_document AS d "
                   f"WHERE d.product_id = f.product_id AND d.language = '{language}'")
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_name ON {table} USING gin (name_document)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for language in LANGUAGES:
        op.execute(f"DROP INDEX IF EXISTS ix_search_fts_{language}_name")
        op.execute(f"ALTER TABLE search_fts_{language} DROP COLUMN IF EXISTS name_document")
