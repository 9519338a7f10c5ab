"""price history, retired slugs, price-new source as a code

Existing prices get their first, open history period; existing price-new sources become codes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:13:56.711554

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('retired_slug',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('slug', sa.String(length=220), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retired_slug')),
    sa.UniqueConstraint('kind', 'slug', 'language', name=op.f('uq_retired_slug_kind_slug_language'))
    )
    op.create_table('listing_price_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_price_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['listing_price_id'], ['listing_price.id'], name=op.f('fk_listing_price_period_listing_price_id_listing_price'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_price_period'))
    )
    with op.batch_alter_table('listing_price_period', schema=None) as batch_op:
        batch_op.create_index('ix_listing_price_period_price_started', ['listing_price_id', 'started_at'], unique=False)
    op.execute("INSERT INTO listing_price_period (listing_price_id, amount, started_at) "
               "SELECT id, amount, CURRENT_TIMESTAMP FROM listing_price")

    op.execute("UPDATE variant_new_price SET source = 'estimate' WHERE source LIKE 'generated from %'")
    op.execute("UPDATE variant_new_price SET source = 'launch' WHERE source <> 'estimate'")

    with op.batch_alter_table('variant_new_price', schema=None) as batch_op:
        batch_op.alter_column('source',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.String(length=16),
               existing_nullable=False)



def downgrade():
    with op.batch_alter_table('variant_new_price', schema=None) as batch_op:
        batch_op.alter_column('source',
               existing_type=sa.String(length=16),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)

    with op.batch_alter_table('listing_price_period', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_price_period_price_started')

    op.drop_table('listing_price_period')
    op.drop_table('retired_slug')
