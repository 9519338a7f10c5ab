"""page versions: a 64-bit change sequence and a shop version; indexes for slugs and products' versions

Revision ID: 0014_fine_page_versions
Revises: 0011_search_name_vector
Create Date: 2026-12-03 06:40:00

- `data_version.value` becomes 64-bit (the change log's `search_change.version` always was), and
  the row gains `shop`, the version only writes shown on every page move (app/data_versions.py).
- `search_change (product_id, version)`: a product's page is keyed on its last logged change.
- `product_translation (slug)`, `category_translation (slug)`: pages look their slug up in any
  language (to redirect a foreign one), which the `(language, slug)` unique index cannot serve on
  PostgreSQL (a sequential scan of a million rows on the benchmark catalog).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_fine_page_versions'
down_revision = '0011_search_name_vector'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('data_version') as batch:
        batch.alter_column('value', existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=False)
        batch.add_column(sa.Column('shop', sa.BigInteger(), server_default='0', nullable=False))
    op.create_index('ix_search_change_product', 'search_change', ['product_id', 'version'])
    op.create_index('ix_product_translation_slug', 'product_translation', ['slug'])
    op.create_index('ix_category_translation_slug', 'category_translation', ['slug'])


def downgrade():
    op.drop_index('ix_category_translation_slug', table_name='category_translation')
    op.drop_index('ix_product_translation_slug', table_name='product_translation')
    op.drop_index('ix_search_change_product', table_name='search_change')
    with op.batch_alter_table('data_version') as batch:
        batch.drop_column('shop')
        batch.alter_column('value', existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=False)
