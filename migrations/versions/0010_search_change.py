"""search_change: the products each committed transaction changed, for in-memory summaries

Revision ID: 0010_search_change
Revises: 0009_data_version
Create Date: 2026-11-23 19:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_search_change'
down_revision = '0009_data_version'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_change',
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('version', 'product_id', name=op.f('pk_search_change')),
    )


def downgrade():
    op.drop_table('search_change')
