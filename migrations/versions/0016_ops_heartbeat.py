"""ops_heartbeat: when the worker, the last backup and the last restore drill reported

Revision ID: 0016_ops_heartbeat
Revises: 0011_search_name_vector
Create Date: 2026-12-03 06:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_ops_heartbeat'
down_revision = '0015_aftersales'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ops_heartbeat',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_ops_heartbeat')),
    )


def downgrade():
    op.drop_table('ops_heartbeat')
